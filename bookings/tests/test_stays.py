"""Asking for a stay: validation, price, holds, availability (docs/product.md#booking)."""
from datetime import date, timedelta
from decimal import Decimal

import pytest

from bookings import emails, hooks
from bookings.models import Booking, BookingEvent, BookingStatus, ExternalBlock
from bookings.services import BookingError, DatesUnavailable, request_stay
from conftest import make_user
from domains.models import OfferStatus
from lodgings.models import Suspension

pytestmark = pytest.mark.django_db
D = date.fromisoformat


def ask(traveller, unit, now, arrival="2027-06-07", departure="2027-06-10", adults=2, children=0, **extra):
    return request_stay(traveller=traveller, unit=unit, arrival=D(arrival), departure=D(departure), adults=adults,
                        children=children, now=now, **extra)


def test_request_holds_the_dates_for_three_days_and_freezes_the_price(traveller, owner, unit, now,
                                                                       django_capture_on_commit_callbacks,
                                                                       mailoutbox):
    with django_capture_on_commit_callbacks(execute=True):
        booking = ask(traveller, unit, now, message="Nous venons pour un mariage.")
    assert booking.status == BookingStatus.REQUESTED
    assert booking.respond_by == now + timedelta(days=3)
    assert booking.owner == owner
    assert booking.total_price == Decimal("400.00")  # 3 × 120 + 40 cleaning
    assert [(line["label"], line["amount"]) for line in booking.price_breakdown] == [
        ("3 nuits × 120,00\u00a0€", Decimal("360.00")), ("Frais de ménage", Decimal("40.00"))]
    assert booking.reference.startswith("AH-") and len(booking.reference) == 9
    assert list(BookingEvent.objects.values_list("from_status", "to_status")) == [("", "requested")]
    assert sorted(mail.to[0] for mail in mailoutbox) == [owner.email, traveller.email]
    to_owner = next(mail for mail in mailoutbox if mail.to == [owner.email])
    assert "Nous venons pour un mariage." in to_owner.body
    assert to_owner.alternatives and "AH-" in to_owner.alternatives[0][0]


def test_instant_booking_holds_the_dates_for_the_checkout_only(traveller, instant_unit, now, mailoutbox,
                                                                django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        booking = ask(traveller, instant_unit, now)
    assert booking.status == BookingStatus.CHECKOUT
    assert booking.hold_until == now + timedelta(minutes=30)
    assert booking.respond_by is None
    assert mailoutbox == []  # nothing to say until it is paid


def test_overlapping_request_is_refused_and_adjacent_one_is_accepted(traveller, unit, now):
    ask(traveller, unit, now, "2027-06-07", "2027-06-10")
    with pytest.raises(DatesUnavailable) as caught:
        ask(traveller, unit, now, "2027-06-09", "2027-06-12")
    assert str(caught.value.message) == "Ces dates ne sont plus disponibles."
    assert ask(traveller, unit, now, "2027-06-10", "2027-06-12").status == BookingStatus.REQUESTED
    assert Booking.objects.count() == 2


def test_imported_block_and_suspension_make_the_dates_unavailable(traveller, unit, now):
    ExternalBlock.objects.create(unit=unit, start=D("2027-06-08"), end=D("2027-06-09"), feed_id=1,
                                 source_name="Airbnb")
    Suspension.objects.create(lodging=unit.lodging, start=D("2027-07-01"), end=D("2027-07-10"))
    with pytest.raises(DatesUnavailable):
        ask(traveller, unit, now, "2027-06-07", "2027-06-10")
    with pytest.raises(DatesUnavailable):
        ask(traveller, unit, now, "2027-07-05", "2027-07-08")
    assert not Booking.objects.exists()


def test_a_block_imported_just_before_an_instant_checkout_is_seen(traveller, instant_unit, now):
    """calsync's re-check runs before we check (bookings/hooks.py): what it stores counts."""
    def refetch(*, unit, now):
        ExternalBlock.objects.create(unit=unit, start=D("2027-06-08"), end=D("2027-06-09"), feed_id=1,
                                     source_name="Booking.com")

    hooks.register_unit_precheck(refetch)
    try:
        with pytest.raises(DatesUnavailable):
            ask(traveller, instant_unit, now)
    finally:
        hooks.unregister_unit_precheck(refetch)
    assert not Booking.objects.exists()


def test_a_stale_hold_is_expired_instead_of_blocking(traveller, instant_unit, now):
    stale = ask(traveller, instant_unit, now)
    later = now + timedelta(minutes=31)  # the sweep has not run yet
    fresh = ask(traveller, instant_unit, later)
    stale.refresh_from_db()
    assert stale.status == BookingStatus.EXPIRED
    assert fresh.status == BookingStatus.CHECKOUT


@pytest.mark.parametrize(("arrival", "departure", "adults", "children", "message"), [
    ("2027-06-10", "2027-06-07", 2, 0, "La date de départ doit être après la date d'arrivée."),
    ("2027-06-10", "2027-06-10", 2, 0, "La date de départ doit être après la date d'arrivée."),
    ("2027-05-01", "2027-05-04", 2, 0, "Ces dates sont passées."),
    ("2027-05-03", "2027-05-06", 2, 0, "Cet hébergement se réserve au moins 1 jour avant l'arrivée."),
    ("2027-06-07", "2027-06-08", 2, 0, "Le séjour minimum est de 2 nuits."),
    ("2027-06-01", "2027-06-30", 2, 0, "Le séjour maximum est de 14 nuits."),
    ("2027-06-07", "2027-06-10", 5, 0, "Trop de voyageurs : 4 adultes et 2 enfants au maximum."),
    ("2027-06-07", "2027-06-10", 2, 3, "Trop de voyageurs : 4 adultes et 2 enfants au maximum."),
    ("2027-06-07", "2027-06-10", 0, 2, "Il faut au moins un adulte."),
])
def test_bad_stays_are_refused_with_a_clear_message(traveller, unit, now, arrival, departure, adults, children,
                                                    message):
    with pytest.raises(BookingError) as caught:
        ask(traveller, unit, now, arrival, departure, adults, children)
    assert str(caught.value.message) == message
    assert not Booking.objects.exists()


def test_arrival_and_departure_weekdays_are_enforced(traveller, unit, now):
    unit.lodging.arrival_weekdays = "6"  # Saturdays only
    unit.lodging.departure_weekdays = "6"
    unit.lodging.save()
    with pytest.raises(BookingError, match="arrivées"):
        ask(traveller, unit, now, "2027-06-07", "2027-06-12")  # a Monday
    with pytest.raises(BookingError, match="départs"):
        ask(traveller, unit, now, "2027-06-12", "2027-06-14")
    assert ask(traveller, unit, now, "2027-06-12", "2027-06-19").status == BookingStatus.REQUESTED
    assert Booking.objects.count() == 1


@pytest.mark.parametrize("what", ["lodging", "domain", "unit"])
def test_unpublished_or_withdrawn_offers_cannot_be_booked(traveller, unit, now, what):
    if what == "unit":
        unit.is_active = False
        unit.save()
    else:
        offer = unit.lodging if what == "lodging" else unit.lodging.domain
        offer.status = OfferStatus.SUBMITTED
        offer.save()
    with pytest.raises(BookingError, match="pas proposé"):
        ask(traveller, unit, now)
    assert not Booking.objects.exists()


def test_owner_cannot_book_their_own_lodging(owner, unit, now):
    with pytest.raises(BookingError):
        ask(owner, unit, now)


def test_each_party_is_mailed_in_their_own_language(traveller, owner, unit, now, mailoutbox,
                                                    django_capture_on_commit_callbacks):
    traveller.language = "en"
    traveller.save()
    with django_capture_on_commit_callbacks(execute=True):
        ask(traveller, unit, now)
    to_traveller = next(mail for mail in mailoutbox if mail.to == [traveller.email])
    to_owner = next(mail for mail in mailoutbox if mail.to == [owner.email])
    assert "Your booking request has been sent" in to_traveller.subject
    assert "3 nights × 120.00 €" in to_traveller.body or "3 nights × 120.00" in to_traveller.body
    assert "Nouvelle demande de réservation" in to_owner.subject
    assert "Your booking request" in to_traveller.alternatives[0][0]


def test_booking_again_replaces_the_travellers_own_unpaid_checkout(traveller, instant_unit, now):
    first = ask(traveller, instant_unit, now)
    again = ask(traveller, instant_unit, now + timedelta(minutes=5), "2027-06-08", "2027-06-11")
    first.refresh_from_db()
    assert (first.status, again.status) == (BookingStatus.EXPIRED, BookingStatus.CHECKOUT)
    assert "Remplacée" in first.events.last().reason


def test_someone_elses_checkout_still_blocks(traveller, instant_unit, now):
    ask(make_user("autre@example.fr"), instant_unit, now)
    with pytest.raises(DatesUnavailable):
        ask(traveller, instant_unit, now + timedelta(minutes=5))


def test_a_failing_mail_server_never_undoes_nor_breaks_a_booking(traveller, unit, now, monkeypatch,
                                                                  django_capture_on_commit_callbacks):
    def down(booking):
        raise ConnectionRefusedError("SMTP down")

    monkeypatch.setattr(emails, "request_received", down)
    with django_capture_on_commit_callbacks(execute=True):
        booking = ask(traveller, unit, now)
    assert Booking.objects.filter(pk=booking.pk, status=BookingStatus.REQUESTED).exists()
