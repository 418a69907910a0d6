"""What the owner reads: the invoice and statement PDFs (through `pdftotext -layout`), the
statement CSV, the monthly email, and that nobody else can read them."""
import re
import shutil
import subprocess
from datetime import date

import pytest
from django.core import mail
from django.urls import reverse

from invoices.emails import send_monthly
from invoices.models import Invoice, MonthlyNotice
from invoices.monthly import issue_invoices
from payouts.models import Payout

from .conftest import at, billing_address, paid_stay, pay_month, ready_account, refund

pytestmark = pytest.mark.django_db

NOVEMBER = date(2026, 11, 1)
NBSP = "\u00a0"


def pdf_text(content: bytes) -> str:
    if not shutil.which("pdftotext"):
        pytest.skip("poppler-utils is not installed")
    text = subprocess.run(["pdftotext", "-layout", "-", "-"], input=content, capture_output=True,
                          check=True).stdout.decode()
    return re.sub(r"[ \u00a0\u202f]+", " ", text)  # one space, whatever the layout put


@pytest.fixture
def november(owner, traveller, unit):
    """Hélène's October stay (400 €), paid out on 1 Nov by transfer tr_novembre, invoiced."""
    booking = paid_stay(unit=unit, traveller=traveller, arrival=date(2026, 10, 12))
    billing_address(owner)
    ready_account(owner)
    payout = pay_month(owner, NOVEMBER, transfer_id="tr_novembre")
    invoice = issue_invoices(month=NOVEMBER, now=at(NOVEMBER, 7)).invoices[0]
    return booking, payout, invoice


def test_the_invoice_pdf_carries_the_french_mentions_and_the_right_totals(owner_client, settings, november):
    booking, _payout, invoice = november
    response = owner_client.get(reverse("invoice_pdf", args=[invoice.number]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert f'filename="facture-{invoice.number}.pdf"' in response["Content-Disposition"]
    text = pdf_text(response.content)
    assert "FACTURE" in text and f"N° {invoice.number}" in text and "Date d'émission : 01/11/2026" in text
    # Seller: company name, legal form, address, SIRET, VAT number (settings).
    for mention in ("Alma Heritage, SAS au capital de 10 000 €", "12 rue des Archives, 75004 Paris, France",
                    "SIRET : 912 345 600 00015", "N° de TVA intracommunautaire : FR34912345600"):
        assert mention in text
    # Buyer: the billing address and its VAT number.
    assert "SCI du Moulin" in text and "2 chemin du Bief" in text and "37400 Amboise" in text
    assert "FR40123456824" in text
    # One line per booking, HT / VAT 20 % / TTC, and the totals.
    assert booking.reference in text and "400,00 €" in text
    assert re.search(r"43,33 € 8,67 € 52,00 €", text)
    assert re.search(r"Total HT 43,33 €", text) and re.search(r"TVA 20 % 8,67 €", text)
    assert re.search(r"Total TTC 52,00 €", text)
    assert "Facture acquittée — réglée par compensation sur le virement n° tr_novembre." in text


def test_an_owner_not_onboarded_reads_that_the_commission_is_kept_from_the_next_transfer(
        owner_client, owner, traveller, unit):
    paid_stay(unit=unit, traveller=traveller, arrival=date(2026, 10, 12))
    pay_month(owner, NOVEMBER)  # no Stripe account: waiting
    invoice = issue_invoices(month=NOVEMBER, now=at(NOVEMBER, 7)).invoices[0]
    text = pdf_text(owner_client.get(reverse("invoice_pdf", args=[invoice.number])).content)
    assert "à régler par compensation sur le prochain virement" in text
    assert "acquittée" not in text


def test_an_owner_without_billing_address_gets_an_invoice_that_says_so(owner_client, owner, traveller, unit):
    paid_stay(unit=unit, traveller=traveller, arrival=date(2026, 10, 12))
    invoice = issue_invoices(month=NOVEMBER, now=at(NOVEMBER, 7)).invoices[0]
    assert invoice.buyer_name == "Hélène Duval" and invoice.buyer_address == ""
    text = pdf_text(owner_client.get(reverse("invoice_pdf", args=[invoice.number])).content)
    assert "Hélène Duval" in text and "Adresse de facturation non renseignée" in text
    page = owner_client.get(reverse("dashboard_payments"))
    assert page.status_code == 200
    assert "Vous n'avez pas renseigné d'adresse de facturation" in page.content.decode()


def test_a_credit_note_pdf_cites_the_invoice_it_corrects(owner_client, owner, november):
    booking, _payout, invoice = november
    refund(booking, 10000, now=at(date(2026, 11, 10)))
    note = issue_invoices(month=date(2026, 12, 1), now=at(date(2026, 12, 1), 7)).credit_notes[0]
    text = pdf_text(owner_client.get(reverse("invoice_pdf", args=[note.number])).content)
    assert "AVOIR" in text and f"N° {note.number}" in text
    assert f"Avoir sur la facture n° {invoice.number} du 01/11/2026" in text
    assert re.search(r"Total TTC crédité 13,00 €", text)


def test_the_statement_pdf_and_csv_show_the_bookings_and_the_total_transferred(owner_client, november):
    booking, payout, invoice = november
    response = owner_client.get(reverse("payout_statement_pdf", args=[payout.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = pdf_text(response.content)
    assert "Relevé du versement du 1er novembre 2026" in text and "tr_novembre" in text
    assert booking.reference in text and "Lucie Bernard" in text and "12/10/2026 → 15/10/2026" in text
    # Kept 400 €, commission 52 €, net 348 €, transferred 348 €.
    assert re.search(r"400,00 € 52,00 € 348,00 €", text)
    assert "Total viré : 348,00 €" in text and f"Facture {invoice.number}" in text

    csv = owner_client.get(reverse("payout_statement_csv", args=[payout.pk]))
    assert csv["Content-Type"].startswith("text/csv")
    lines = csv.content.decode("utf-8-sig").splitlines()
    assert lines[0].startswith("Réservation;Offre;Arrivée;Départ;Voyageur;Montant conservé;Commission TTC")
    assert lines[1].split(";")[0] == booking.reference
    assert lines[1].split(";")[2:] == ["12/10/2026", "15/10/2026", "Lucie Bernard", "400,00", "52,00", "348,00",
                                       "0,00", "0,00", "348,00"]
    assert lines[-1].split(";")[-1] == "348,00" and lines[-1].startswith("Total")


def test_a_refund_after_payout_shows_as_a_debt_on_the_next_statement(owner_client, owner, traveller, unit,
                                                                    november):
    booking, _payout, _invoice = november
    refund(booking, 10000, now=at(date(2026, 11, 10)))  # owner now owes 87 € (net of 100 €)
    later = paid_stay(unit=unit, traveller=traveller, arrival=date(2026, 11, 12))  # 348 € net
    december = pay_month(owner, date(2026, 12, 1), transfer_id="tr_decembre")
    text = pdf_text(owner_client.get(reverse("payout_statement_pdf", args=[december.pk])).content)
    assert later.reference in text and booking.reference in text
    assert "-87,00 €" in text and "Total viré : 261,00 €" in text
    assert december.amount_cents == 26100


def test_nobody_else_reads_an_owners_invoice_statement_or_payout(client, other_owner, traveller, november):
    _booking, payout, invoice = november
    urls = [reverse("invoice_pdf", args=[invoice.number]), reverse("payout_statement_pdf", args=[payout.pk]),
            reverse("payout_statement_csv", args=[payout.pk]), reverse("payout_detail", args=[payout.pk])]
    client.force_login(other_owner)
    assert [client.get(url).status_code for url in urls] == [404, 404, 404, 404]
    client.force_login(traveller)  # not an owner at all: sent to "become an owner", nothing shown
    assert all(client.get(url).status_code == 302 for url in urls)
    client.logout()
    assert all(client.get(url).status_code == 302 for url in urls)


def test_the_owner_gets_one_email_in_their_language_with_the_statement_and_the_invoice(
        owner, november, mailoutbox, django_capture_on_commit_callbacks):
    _booking, payout, invoice = november
    owner.language = "en"
    owner.save(update_fields=["language"])
    mailoutbox.clear()
    assert send_monthly(owner_id=owner.pk, month=NOVEMBER, now=at(NOVEMBER, 7))
    assert not send_monthly(owner_id=owner.pk, month=NOVEMBER, now=at(NOVEMBER, 8))  # once
    [email] = mailoutbox
    assert email.to == [owner.email] and "Your payout of" in email.subject
    assert "348.00" in email.body and invoice.number in email.body
    names = [name for name, _content, _type in email.attachments]
    assert names == [f"facture-{invoice.number}.pdf", f"releve-2026-11-{payout.pk}.pdf", f"releve-2026-11-{payout.pk}.csv"]
    assert MonthlyNotice.objects.get(owner=owner, month=NOVEMBER).sent_at is not None


def test_the_monthly_run_emails_each_owner_on_commit(owner, traveller, unit, mailoutbox,
                                                     django_capture_on_commit_callbacks):
    paid_stay(unit=unit, traveller=traveller, arrival=date(2026, 10, 12))
    pay_month(owner, NOVEMBER)  # no Stripe account yet: the payout waits
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        issue_invoices(month=NOVEMBER, now=at(NOVEMBER, 7))
    [email] = mail.outbox
    assert email.to == [owner.email] and "Votre versement du 1er novembre 2026" in email.subject
    assert "Terminer mon inscription Stripe" in email.body
    assert [name for name, _c, _t in email.attachments] == [f"facture-{Invoice.objects.get().number}.pdf"]
    assert Payout.objects.get(owner=owner).status == "waiting_onboarding"
