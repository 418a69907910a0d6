"""Once under real concurrency (PostgreSQL): ten submissions of one booking's review and ten
first answers of one review, released at once, keep one each."""
import pytest
from django.db import connection

from devtools.testing import at_once
from reviews import services
from reviews.models import Review, ReviewAction, ReviewEvent

from .conftest import AFTER, RATINGS

THREADS = 10
pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL's concurrent transactions"),
]


def race(work) -> list:
    return at_once(work, THREADS)


def test_ten_submissions_of_one_review_keep_one(stay):
    outcomes = race(lambda n: services.write_review(booking=stay, author=stay.traveller, ratings=RATINGS,
                                                    text=f"Avis {n}", now=AFTER))
    assert sum(isinstance(o, Review) for o in outcomes) == 1
    assert all(isinstance(o, (Review, services.ReviewError)) for o in outcomes), outcomes
    assert Review.objects.count() == 1 and ReviewEvent.objects.count() == 1


def test_ten_first_answers_keep_one(stay, owner):
    review = services.write_review(booking=stay, author=stay.traveller, ratings=RATINGS, text="Bien", now=AFTER)
    # Each thread holds the review as it was read before anyone answered: all try the first answer.
    copies = [Review.objects.get(pk=review.pk) for _n in range(THREADS)]
    outcomes = race(lambda n: services.reply(review=copies[n], by=owner, text=f"Merci {n}", now=AFTER))
    assert sum(isinstance(o, Review) for o in outcomes) == 1, outcomes
    assert ReviewEvent.objects.filter(action=ReviewAction.REPLIED).count() == 1
    assert not ReviewEvent.objects.filter(action=ReviewAction.REPLY_EDITED).exists()
