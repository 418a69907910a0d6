"""The review rules: eligibility, editing, replies, averages over visible reviews only."""
from datetime import timedelta

import pytest

from bookings.models import BookingStatus
from bookings.tests.dashboard_factories import make_booking, make_session
from reviews import selectors, services
from reviews.models import OfferRating, Review, ReviewAction, ReviewStatus

from .conftest import AFTER, ENDED, RATINGS

pytestmark = pytest.mark.django_db


def write(booking, now=AFTER, **ratings):
    return services.write_review(booking=booking, author=booking.traveller, ratings={**RATINGS, **ratings},
                                 text="Très bien.", now=now)


def test_a_stay_can_be_reviewed_from_its_end(stay):
    assert stay.service_end == ENDED
    assert services.review_problem(booking=stay, now=ENDED - timedelta(seconds=1)) is not None  # too early
    assert services.review_problem(booking=stay, now=ENDED) is None
    review = write(stay, now=ENDED)
    assert (review.author, review.owner, review.lodging, review.domain) == (
        stay.traveller, stay.owner, stay.unit.lodging, stay.unit.lodging.domain)
    assert list(review.events.values_list("action", flat=True)) == [ReviewAction.WRITTEN]


def test_too_early_is_refused_with_its_reason(stay):
    with pytest.raises(services.ReviewError, match="une fois votre séjour"):
        write(stay, now=ENDED - timedelta(hours=1))
    assert not Review.objects.exists()


@pytest.mark.parametrize("status", [BookingStatus.CANCELLED, BookingStatus.REFUSED, BookingStatus.EXPIRED,
                                    BookingStatus.AWAITING_PAYMENT])
def test_only_a_confirmed_booking_can_be_reviewed(traveller, unit, status):
    booking = make_booking(traveller=traveller, unit=unit, arrival="2027-05-09", departure="2027-05-11",
                           status=status)
    with pytest.raises(services.ReviewError, match="confirmée"):
        write(booking)


def test_one_review_per_booking(stay):
    write(stay)
    with pytest.raises(services.ReviewError, match="déjà donné"):
        write(stay)
    assert Review.objects.count() == 1


def test_the_database_refuses_a_second_review_of_a_booking(stay):
    from django.db import IntegrityError, transaction

    review = write(stay)
    with pytest.raises(IntegrityError), transaction.atomic():
        Review.objects.create(booking=stay, author=review.author, owner=review.owner, domain=review.domain,
                              lodging=review.lodging, text="x", created_at=AFTER, **RATINGS)


def test_sixty_days_after_the_end_it_is_too_late(stay):
    assert services.review_problem(booking=stay, now=ENDED + timedelta(days=60) - timedelta(seconds=1)) is None
    with pytest.raises(services.ReviewError, match="60 jours"):
        write(stay, now=ENDED + timedelta(days=60))


def test_an_experience_ends_with_its_session(traveller, owner):
    session = make_session(owner)
    booking = make_booking(traveller=traveller, session=session)
    assert services.review_problem(booking=booking, now=session.end - timedelta(minutes=1)) is not None
    review = write(booking, now=session.end + timedelta(hours=1))
    assert review.experience == session.experience and review.lodging is None


def test_someone_else_cannot_review_a_booking(stay, other_traveller):
    with pytest.raises(services.ReviewError):
        services.write_review(booking=stay, author=other_traveller, ratings=RATINGS, text="x", now=AFTER)


@pytest.mark.parametrize("bad", [0, 6, -1, "5", None])
def test_ratings_outside_one_to_five_are_refused(stay, bad):
    with pytest.raises(services.ReviewError, match="1 à 5"):
        write(stay, welcome=bad)


def test_a_huge_text_is_refused_and_control_characters_dropped(stay):
    with pytest.raises(services.ReviewError, match="2000"):
        services.write_review(booking=stay, author=stay.traveller, ratings=RATINGS, text="a" * 2001, now=AFTER)
    review = services.write_review(booking=stay, author=stay.traveller, ratings=RATINGS,
                                   text="  Bien\r\nvu\x00\x07  ", now=AFTER)
    assert review.text == "Bien\nvu"


def test_the_traveller_edits_within_48_hours(stay):
    review = write(stay)
    services.edit_review(review=review, by=stay.traveller, ratings={**RATINGS, "rating": 2}, text="Finalement moyen.",
                         now=AFTER + timedelta(hours=47))
    review.refresh_from_db()
    assert (review.rating, review.text) == (2, "Finalement moyen.")
    assert OfferRating.objects.get(lodging=review.lodging).average == 2
    with pytest.raises(services.ReviewError, match="48 heures"):
        services.edit_review(review=review, by=stay.traveller, ratings=RATINGS, text="Encore", now=AFTER + timedelta(hours=48))


def test_the_owner_replies_once_and_corrects_for_48_hours(stay, owner, other_owner):
    review = write(stay)
    with pytest.raises(services.ReviewError):
        services.reply(review=review, by=other_owner, text="Pas à moi", now=AFTER)
    services.reply(review=review, by=owner, text="Merci Lucie !", now=AFTER)
    services.reply(review=review, by=owner, text="Merci beaucoup Lucie !", now=AFTER + timedelta(hours=47))
    review.refresh_from_db()
    assert (review.reply, review.replied_at) == ("Merci beaucoup Lucie !", AFTER)  # the first answer's time stays
    with pytest.raises(services.ReviewError, match="déjà répondu"):
        services.reply(review=review, by=owner, text="Troisième", now=AFTER + timedelta(hours=48))
    assert [e.action for e in review.events.all()] == [ReviewAction.WRITTEN, ReviewAction.REPLIED,
                                                       ReviewAction.REPLY_EDITED]


def test_two_first_replies_at_once_keep_one(stay, owner):
    review = write(stay)
    stale = Review.objects.get(pk=review.pk)
    services.reply(review=review, by=owner, text="Première", now=AFTER)
    with pytest.raises(services.ReviewError):
        services.reply(review=stale, by=owner, text="Seconde", now=AFTER)  # still thinks it is unanswered
    review.refresh_from_db()
    assert review.reply == "Première"


def test_averages_leave_hidden_reviews_out(owner, traveller, other_traveller, unit, staff):
    first = write(make_booking(traveller=traveller, unit=unit, arrival="2027-05-01", departure="2027-05-03"),
                  rating=5, cleanliness=5)
    second = write(make_booking(traveller=other_traveller, unit=unit, arrival="2027-05-03", departure="2027-05-05"),
                   rating=2, cleanliness=1)
    lodging = unit.lodging
    both = selectors.summary(lodging=lodging)
    assert (both.count, both.average, both.averages["cleanliness"]) == (2, 3.5, 3)
    assert (OfferRating.objects.get(lodging=lodging).count, OfferRating.objects.get(lodging=lodging).average) == (2, 3.5)

    services.hide_review(review=second, by=staff, reason="Propos injurieux", now=AFTER)
    hidden = selectors.summary(lodging=lodging)
    assert (hidden.count, hidden.average, hidden.averages["cleanliness"]) == (1, 5, 5)
    assert OfferRating.objects.get(lodging=lodging).average == 5
    assert list(selectors.public_reviews(lodging=lodging)) == [first]
    assert selectors.summary(domain=lodging.domain).count == 1

    services.show_review(review=second, by=staff, reason="Erreur", now=AFTER)
    assert selectors.summary(lodging=lodging).count == 2
    second.refresh_from_db()
    assert second.status == ReviewStatus.VISIBLE
    assert [e.action for e in second.events.all()][-2:] == [ReviewAction.HIDDEN, ReviewAction.SHOWN]


def test_the_author_is_shown_by_first_name_and_initial(traveller):
    assert selectors.author_name(traveller) == "Lucie B."
    traveller.deleted_at = AFTER
    assert selectors.author_name(traveller) == "Voyageur"
