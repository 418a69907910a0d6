"""Reads for pages: public lists with their averages, the owner's "Avis" tab, the
traveller's reviews. Each in a fixed number of queries whatever the number of reviews."""
from dataclasses import dataclass
from decimal import Decimal

from django.core.paginator import Paginator
from django.db.models import Avg, Case, Count, IntegerField, QuerySet, Value, When
from django.utils.translation import gettext as _

from accounts.models import User

from .models import RATING_FIELDS, Review, ReviewStatus

SUB_RATINGS = ("cleanliness", "welcome", "heritage", "value")


@dataclass(frozen=True)
class RatingSummary:
    count: int
    averages: dict  # field name → Decimal with one place, or None

    @property
    def average(self) -> Decimal | None:
        return self.averages.get("rating")


def visible_reviews() -> QuerySet[Review]:
    return Review.objects.filter(status=ReviewStatus.VISIBLE)


def public_reviews(**offer) -> QuerySet[Review]:
    """Visible reviews of one lodging, experience or domain (`lodging=…`), newest first."""
    return visible_reviews().filter(**offer).select_related("author").order_by("-created_at", "-id")


def summary(**offer) -> RatingSummary:
    """Count and averages (overall and each sub-rating) in one aggregate query."""
    totals = visible_reviews().filter(**offer).aggregate(
        count=Count("id"), **{name: Avg(name) for name in RATING_FIELDS})
    averages = {name: (round(Decimal(str(totals[name])), 1) if totals[name] is not None else None)
                for name in RATING_FIELDS}
    return RatingSummary(count=totals["count"], averages=averages)


def author_name(user: User) -> str:
    """"Lucie B.": a first name and an initial, never the email (an erased account: "Voyageur")."""
    if user.deleted_at is not None or not user.first_name:
        return _("Voyageur")
    initial = f" {user.last_name[0]}." if user.last_name else ""
    return f"{user.first_name}{initial}"


def owner_reviews(*, owner: User, offer: str = "") -> QuerySet[Review]:
    """The owner's reviews, unanswered first, then newest; `offer` is "lodging-<id>" or
    "experience-<id>" (anything else: all offers)."""
    reviews = Review.objects.filter(owner=owner)
    kind, _sep, pk = offer.partition("-")
    if kind in ("lodging", "experience") and pk.isdigit() and len(pk) < 12:
        reviews = reviews.filter(**{f"{kind}_id": int(pk)})
    return (reviews.select_related("author", "booking", "lodging", "experience", "complaint")
            .annotate(answered=Case(When(replied_at__isnull=True, then=Value(0)), default=Value(1),
                                    output_field=IntegerField()))
            .order_by("answered", "-created_at", "-id"))


def owner_offer_choices(*, owner: User) -> list[tuple[str, str]]:
    """The offers that have reviews, for the filter (one query)."""
    rows = (Review.objects.filter(owner=owner)
            .values_list("lodging_id", "lodging__title", "experience_id", "experience__title").distinct())
    choices = {(f"lodging-{lid}" if lid else f"experience-{eid}"): (ltitle or etitle) for lid, ltitle, eid, etitle in rows}
    return sorted(choices.items(), key=lambda item: item[1])


def traveller_reviews(*, traveller: User) -> QuerySet[Review]:
    return (Review.objects.filter(author=traveller)
            .select_related("booking__unit__lodging__domain", "booking__session__experience__domain")
            .order_by("-created_at", "-id"))


PUBLIC_PAGE_SIZE = 10


def public_page(*, page, **offer) -> dict:
    """`summary` and one page of `reviews` for an offer or domain page: three queries (the
    summary's count doubles as the paginator's, so no separate COUNT)."""
    totals = summary(**offer)
    reviews = public_reviews(**offer)
    if "domain" in offer:
        reviews = reviews.select_related("lodging", "experience")
    paginator = Paginator(reviews, PUBLIC_PAGE_SIZE)
    paginator.__dict__["count"] = totals.count  # the cached_property, already known
    return {"summary": totals, "reviews": paginator.get_page(page), "show_offer": "domain" in offer}
