"""Review display: the author's public name, a rating as words and stars, and the review
block of a trip page (one query, only on that page)."""
from django import template
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from .. import selectors, services
from ..models import Review

register = template.Library()


@register.filter
def reviewer(user) -> str:
    return selectors.author_name(user)


@register.filter
def rating(value) -> str:
    """"4,5 / 5" for an average, "4 / 5" for one review's rating, in the active language's
    number format ("" without a rating)."""
    if value is None:
        return ""
    return _("%(value)s / 5") % {"value": formats.number_format(value, 0 if isinstance(value, int) else 1)}


@register.inclusion_tag("reviews/includes/trip_review.html")
def trip_review(booking):
    """On a trip page: "Donner mon avis", or the review written and whether it can still change."""
    now = timezone.now()
    review = Review.objects.filter(booking=booking).first()
    return {"booking": booking, "review": review,
            "can_edit": review is not None and services.can_edit(review=review, now=now),
            "can_write": review is None and services.review_problem(booking=booking, now=now) is None}
