"""One amount, written the same way wherever a person reads it: the traveller's email (text
and HTML), their trip page and a cell of the PDF export all go through core.money.format_eur."""
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import translation

from bookings import emails
from exports.registry import Column
from exports.writers import display_cell

from .dashboard_factories import make_booking, make_unit

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(("language", "written"), [("fr", "1\u00a0234,50\u00a0€"), ("en", "1,234.50\u00a0€")])
def test_an_amount_reads_the_same_in_the_email_the_page_and_the_pdf(client, owner, traveller, mailoutbox,
                                                                    language, written):
    traveller.language = language
    traveller.save(update_fields=["language"])
    booking = make_booking(traveller=traveller, unit=make_unit(owner), arrival="2027-05-10", total="1234.50")

    emails.confirmed(booking)
    mail = next(mail for mail in mailoutbox if mail.to == [traveller.email])
    html = mail.alternatives[0][0]
    client.force_login(traveller)
    with translation.override(language):
        page = client.get(reverse("trip_detail", args=[booking.reference]), HTTP_ACCEPT_LANGUAGE=language)
        pdf_cell = display_cell(Decimal("1234.50"), Column("Montant", "money"))

    assert pdf_cell == written
    assert f"{written}\n" in mail.body  # "Total : 1 234,50 €" ends its line
    assert f">{written}</th>" in html
    assert f"<strong>{written}</strong>" in page.content.decode()


@pytest.mark.parametrize(("language", "adults", "children", "written"), [
    ("fr", 2, 1, "2 adultes, 1 enfant"), ("fr", 1, 0, "1 adulte"), ("fr", 1, 3, "1 adulte, 3 enfants"),
    ("en", 2, 1, "2 adults, 1 child"), ("en", 1, 0, "1 adult"),
])
def test_the_party_is_written_with_real_plurals_in_the_email_and_the_page(client, owner, traveller, mailoutbox,
                                                                         language, adults, children, written):
    traveller.language = language
    traveller.save(update_fields=["language"])
    booking = make_booking(traveller=traveller, unit=make_unit(owner), adults=adults, children=children)

    emails.confirmed(booking)
    mail = next(mail for mail in mailoutbox if mail.to == [traveller.email])
    client.force_login(traveller)
    with translation.override(language):
        page = client.get(reverse("trip_detail", args=[booking.reference]), HTTP_ACCEPT_LANGUAGE=language)
    for text in (mail.body, mail.alternatives[0][0], page.content.decode()):
        assert written in text and "(s)" not in text


def test_a_cancellation_email_is_wholly_in_its_readers_language(owner, traveller, mailoutbox):
    traveller.language = "en"
    traveller.save(update_fields=["language"])
    booking = make_booking(traveller=traveller, unit=make_unit(owner), total="380.00")
    booking.cancelled_by = "owner"
    with translation.override("fr"):  # the owner cancels from a French page
        emails.cancelled(booking, Decimal("380.00"))
    mail = next(mail for mail in mailoutbox if mail.to == [traveller.email])
    assert "380.00\u00a0€" in mail.body and "refunded" in mail.body
    assert "Vous serez" not in mail.body and "380,00" not in mail.body


def test_the_history_is_written_in_each_readers_language(client, owner, traveller):
    from django.utils import timezone

    from bookings import services

    booking = make_booking(traveller=traveller, unit=make_unit(owner), arrival="2030-05-10", total="380.00")
    with translation.override("fr"):  # the owner acts from French pages
        services.cancel(booking=booking, by=owner, now=timezone.now())
        services.record_refund(booking=booking, amount=Decimal("380.00"), now=timezone.now())
    client.force_login(traveller)
    with translation.override("en"):
        english = client.get(reverse("trip_detail", args=[booking.reference]), HTTP_ACCEPT_LANGUAGE="en")
    page = english.content.decode()
    assert "Cancelled by: Owner" in page and "Refund of 380.00\u00a0€" in page
    assert "Annulée par" not in page and "Remboursement de" not in page
    client.force_login(owner)
    french = client.get(reverse("dashboard_booking", args=[booking.reference])).content.decode()
    assert "Annulée par : Propriétaire" in french and "Remboursement de 380,00\u00a0€" in french
