"""Deleting an account: refused while something is open, otherwise everything personal goes
in one transaction and the accounting stays under the pseudonym. The SQL check reads every
column of every table for her strings."""
from datetime import timedelta
from pathlib import Path

import pytest
from django.apps import apps
from django.contrib.admin.models import LogEntry
from django.contrib.sessions.models import Session as LoginSession
from django.core import mail
from django.db import connection, models
from django.urls import reverse

from accounts.models import BillingAddress, OwnerProfile, User
from bookings.models import Booking, BookingStatus
from bookings.tests.dashboard_factories import make_booking
from calsync.models import Feed
from conftest import PASSWORD
from core.models import OutgoingEmail
from domains.models import Domain, LabelProposal, OfferStatus
from experiences.models import Session
from invoices.models import Invoice
from lodgings.models import Lodging, Unit
from payouts import ledger
from payouts.models import Payment, Payout, Refund, RefundReason, RefundStatus
from privacy import registry, services
from privacy.models import DataExport
from public.models import ContactMessage
from reviews.models import Review
from reviews.selectors import author_name
from vouchers.models import VoucherOrder

from .conftest import EMAIL, FIRST, LAST, MARKERS, STREET, TRIP_MESSAGE

TEXT_COLUMNS = (models.CharField, models.TextField, models.JSONField, models.FileField)


def traces_left(markers: list[str]) -> list[str]:
    """Every (table.column, marker) where a column not kept for accounting still holds one of
    her strings, read in SQL whatever the ORM thinks (one query per column)."""
    found = []
    with connection.cursor() as cursor:
        for model in apps.get_models():
            if model._meta.proxy:
                continue
            label = model._meta.label
            for column in model._meta.concrete_fields:
                if not isinstance(column, TEXT_COLUMNS):
                    continue
                if registry.treatment_of(label, column.name) in (registry.ACCOUNTING,
                                                                 registry.KEPT_UNDER_PSEUDONYM):
                    continue
                table, name = connection.ops.quote_name(model._meta.db_table), connection.ops.quote_name(
                    column.column)
                for marker in markers:
                    cursor.execute(f"SELECT COUNT(*) FROM {table} WHERE CAST({name} AS TEXT) LIKE %s",  # noqa: S608
                                   [f"%{marker}%"])
                    if cursor.fetchone()[0]:
                        found.append(f"{label}.{column.name} holds {marker!r}")
    return found


def test_the_sql_check_finds_her_everywhere_before_the_deletion(person, hosted, trip, her_other_data):
    # The check can fail: before the deletion, her strings are in these tables.
    left = traces_left(MARKERS)
    for where in ("accounts.User.email", "accounts.User.first_name", "accounts.User.phone",
                  "accounts.OwnerProfile.address_line1", "accounts.BillingAddress.line1", "domains.Domain.address_line",
                  "bookings.Booking.message", "public.ContactMessage.message", "vouchers.VoucherOrder.buyer_name",
                  "account.EmailAddress.email", "calsync.Feed.url", "domains.LabelProposal.reason",
                  "admin.LogEntry.object_repr"):
        assert any(line.startswith(where) for line in left), where


@pytest.fixture
def everything(person, hosted, trip, her_other_data, waiting_request, deletion_day, session):
    """Her data in every app, a request waiting for her, a future session of Hélène's… and of hers."""
    her_session = Session.objects.create(experience=_her_experience(person), start=deletion_day + timedelta(days=9),
                                         end=deletion_day + timedelta(days=9, hours=2), capacity=8)
    services.build_export(export_id=DataExport.objects.create(user=person, created_at=deletion_day).pk,
                          now=deletion_day)
    photo = OwnerProfile.objects.get(user=person).photo
    photo.save("zephyrine.jpg", _jpeg(), save=True)
    return {"session": her_session, "photo": Path(photo.path), "export": Path(DataExport.objects.get().file.path)}


def _her_experience(person):
    from experiences.models import Experience

    return Experience.objects.create(domain=Domain.objects.get(owner=person), title="Visite du moulin",
                                     slug="visite-moulin", category="visit", capacity=8, price_per_person=10,
                                     booking_mode="instant", status=OfferStatus.PUBLISHED)


def _jpeg():
    import io

    from django.core.files.base import ContentFile
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (8, 8), "red").save(out, "JPEG")
    return ContentFile(out.getvalue())


def test_deletion_leaves_no_personal_data_and_keeps_the_accounting(person, hosted, trip, waiting_request,
                                                                   deletion_day, everything,
                                                                   django_capture_on_commit_callbacks):
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.delete_person(user=person, now=deletion_day)

    # No column outside the accounting records holds any of her strings.
    assert traces_left(MARKERS) == []

    # The account row stays, emptied, under its pseudonym.
    person.refresh_from_db()
    assert (person.email, person.first_name, person.last_name, person.phone) == (
        f"deleted-{person.pk}@deleted.invalid", "", "", "")
    assert not person.is_active and person.deleted_at == deletion_day and not person.has_usable_password()
    assert not BillingAddress.objects.filter(user=person).exists()
    assert not everything["photo"].exists() and not everything["export"].exists()
    assert not DataExport.objects.exists()
    assert not LoginSession.objects.exists()  # every device logged out
    assert not ContactMessage.objects.exists()
    assert not Feed.objects.exists()  # nothing of hers is fetched again
    assert LabelProposal.objects.get(owner=person).reason == ""
    assert LogEntry.objects.get().object_repr == services.pseudonym(person) == f"Compte supprimé n° {person.pk}"

    # Accounting kept, 10 years: bookings, payments, payouts, ledger, invoice (as issued).
    assert Booking.objects.filter(owner=person).count() == 2 and Booking.objects.filter(traveller=person).count() == 1
    assert Payment.objects.filter(booking__in=[hosted, trip]).count() == 2
    assert Payout.objects.get(owner=person).status == "sent"
    assert ledger.owner_balance(person.pk) == 0
    invoice = Invoice.objects.get(owner=person)
    assert invoice.buyer_name == f"{FIRST} {LAST}" and STREET in invoice.buyer_address
    order = VoucherOrder.objects.get()
    assert (order.buyer_name, order.buyer_email, order.message, order.amount_cents) == (
        services.pseudonym(person), f"deleted-{person.pk}@deleted.invalid", "", 10000)

    # Her messages are gone from her bookings; her review stays, signed « Voyageur ».
    trip.refresh_from_db()
    assert trip.message == "" and trip.total_price == hosted.total_price
    review = Review.objects.get(author=person)
    assert review.text == "Un prieuré superbe." and author_name(review.author) == "Voyageur"

    # Her offers are offline and unbookable; her future session ended; Hélène's untouched.
    assert set(Domain.objects.filter(owner=person).values_list("status", flat=True)) == {OfferStatus.DRAFT}
    assert set(Lodging.objects.filter(domain__owner=person).values_list("status", flat=True)) == {OfferStatus.DRAFT}
    assert not Unit.objects.filter(lodging__domain__owner=person, is_active=True).exists()
    assert not Session.objects.get(pk=everything["session"].pk).is_active
    assert Domain.objects.exclude(owner=person).get().status == OfferStatus.PUBLISHED

    # The request waiting for her is refused, and Jeanne told (in English, her language).
    waiting_request.refresh_from_db()
    assert waiting_request.status == BookingStatus.REFUSED
    to_jeanne = [m for m in mail.outbox if m.to == ["jeanne@example.fr"]]
    assert len(to_jeanne) == 1 and "closed their Alma Heritage account" in to_jeanne[0].body

    # She is told, at the address she had; the outbox keeps no copy.
    to_her = [m for m in mail.outbox if m.to == [EMAIL]]
    assert len(to_her) == 1 and "Votre compte Alma Heritage est supprimé" in to_her[0].subject
    assert not OutgoingEmail.objects.filter(to__icontains=EMAIL).exists() if connection.vendor == "postgresql" \
        else not [e for e in OutgoingEmail.objects.all() if EMAIL in e.to]


def test_the_page_deletes_after_the_password_and_logs_out(client, person, hosted, deletion_day,
                                                          django_capture_on_commit_callbacks, time_machine):
    time_machine.move_to(deletion_day, tick=False)
    client.force_login(person)
    page = client.get(reverse("account_delete")).content.decode()
    assert "Supprimer définitivement mon compte" in page and reverse("my_data") in page
    response = client.post(reverse("account_delete"), {"password": "faux", "confirm": "on"})
    assert response.status_code == 200 and "Mot de passe incorrect" in response.content.decode()
    assert User.objects.get(pk=person.pk).is_active
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("account_delete"), {"password": PASSWORD, "confirm": "on"}, follow=True)
    assert response.redirect_chain[-1][0] == reverse("home")
    assert "Votre compte est supprimé" in response.content.decode()
    assert "_auth_user_id" not in client.session
    assert User.objects.get(pk=person.pk).deleted_at is not None
    assert client.get(reverse("my_data")).status_code == 302  # logged out


def test_refused_while_a_booking_has_not_ended(client, person, trip, time_machine):
    """Her own confirmed stay is tomorrow: nothing is deleted and the page says why."""
    upcoming = make_booking(traveller=person, unit=trip.unit, arrival="2027-06-10", reference="AH-OPEN01")
    time_machine.move_to(upcoming.service_end - timedelta(days=2), tick=False)
    client.force_login(person)
    page = client.get(reverse("account_delete")).content.decode()
    assert "ne peut pas être supprimé pour l'instant" in page and "AH-OPEN01" in page
    assert "Supprimer définitivement" not in page
    response = client.post(reverse("account_delete"), {"password": PASSWORD, "confirm": "on"})
    assert response.status_code == 409
    person.refresh_from_db()
    assert person.is_active and person.email == EMAIL and person.first_name == FIRST
    with pytest.raises(services.PrivacyError):
        services.delete_person(user=person, now=upcoming.service_end - timedelta(days=2))


def test_refused_as_owner_while_a_guests_stay_has_not_ended(person, her_unit, guest):
    stay = make_booking(traveller=guest, unit=her_unit, arrival="2027-06-10", reference="AH-OPEN02")
    problems = services.deletion_problems(user=person, now=stay.service_end - timedelta(hours=1))
    assert len(problems) == 1 and "AH-OPEN02" in problems[0]
    assert services.deletion_problems(user=person, now=stay.service_end + timedelta(hours=1)) != []  # unpaid


def test_refused_while_her_earnings_are_not_paid_out(person, her_unit, guest):
    """The stay ended, the ledger owes her 348 €: not before the 1st's payout."""
    from invoices.tests.conftest import at, paid_stay

    from .conftest import ARRIVAL

    booking = paid_stay(unit=her_unit, traveller=guest, arrival=ARRIVAL)
    after_stay = booking.service_end + timedelta(days=2)
    problems = services.deletion_problems(user=person, now=after_stay)
    assert len(problems) == 1 and "pas encore versés" in problems[0]
    ledger.end_bookings(before=after_stay, now=after_stay)
    assert ledger.owner_balance(person.pk) == 34800
    problems = services.deletion_problems(user=person, now=after_stay)
    assert len(problems) == 1 and "348,00" in problems[0]
    with pytest.raises(services.PrivacyError):
        services.delete_person(user=person, now=at(after_stay.date()))
    assert User.objects.get(pk=person.pk).email == EMAIL


def test_refused_while_a_refund_is_owed_to_her(person, trip):
    payment = Payment.objects.get(booking=trip)
    refund = Refund.objects.create(payment=payment, amount_cents=5000, reason=RefundReason.DUPLICATE,
                                   status=RefundStatus.PENDING, request_key="test:pending")
    after = trip.service_end + timedelta(days=1)
    assert any("remboursement vous est dû" in p for p in services.deletion_problems(user=person, now=after))
    Refund.objects.filter(pk=refund.pk).update(status=RefundStatus.SUCCEEDED)
    assert services.deletion_problems(user=person, now=after) == []


def test_a_traveller_with_nothing_open_is_deleted_and_her_waiting_request_cancelled(
        traveller, unit, owner, django_capture_on_commit_callbacks):
    from bookings import services as bookings
    from invoices.tests.conftest import at

    from .conftest import ARRIVAL

    now = at(ARRIVAL - timedelta(days=30))
    request = bookings.request_stay(traveller=traveller, unit=unit, arrival=ARRIVAL,
                                    departure=ARRIVAL + timedelta(days=3), adults=2, children=0, now=now,
                                    message="Nous arriverons tard, Lucie")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.delete_person(user=traveller, now=now)
    request.refresh_from_db()
    assert request.status == BookingStatus.CANCELLED and request.message == ""
    # Hélène is told a traveller cancelled; the deleted traveller gets only the confirmation.
    assert [m.to for m in mail.outbox if "annul" in m.subject.lower()] == [[owner.email]]
    assert "Un voyageur a annulé" in next(m.body for m in mail.outbox if m.to == [owner.email])
    assert [m.to for m in mail.outbox if m.to == ["lucie@example.fr"]] == [["lucie@example.fr"]]
    assert traces_left(["lucie@example.fr", "Lucie", "Bernard"]) == []


def test_her_trip_message_is_the_only_copy_erased_from_the_booking(person, trip):
    assert Booking.objects.get(pk=trip.pk).message == TRIP_MESSAGE  # the fixture really wrote it


def test_a_confirmation_the_mail_server_refused_leaves_later_then_its_copy_goes(
        traveller, django_capture_on_commit_callbacks):
    from django.test import override_settings
    from django.utils import timezone

    from core.mail import send_pending_emails
    from core.tests.test_mail_outbox import closed_port

    with override_settings(EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend", EMAIL_HOST="127.0.0.1",
                           EMAIL_PORT=closed_port(), EMAIL_TIMEOUT=2), \
            django_capture_on_commit_callbacks(execute=True):
        services.delete_person(user=traveller, now=timezone.now())
    [waiting] = OutgoingEmail.objects.filter(sent_at__isnull=True)
    assert waiting.to == ["lucie@example.fr"]  # kept only to be sent
    mail.outbox.clear()
    assert send_pending_emails(now=timezone.now() + timedelta(minutes=5)) == 1
    assert [m.to for m in mail.outbox] == [["lucie@example.fr"]]
    services.purge_data_exports(now=timezone.now())
    assert not OutgoingEmail.objects.exists()
    assert traces_left(["lucie@example.fr", "Lucie", "Bernard"]) == []
