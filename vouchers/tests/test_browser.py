"""The gift-voucher journey in a real browser, against the local Stripe server: buy a voucher
from the footer's link, open the recipient's email and PDF, pay a booking entirely with the
code (no card), and see the owner's statement line "Complément bon cadeau"."""
import subprocess
from pathlib import Path

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from bookings.models import Booking, BookingStatus
from payouts.models import Payout, PayoutStatus
from payouts.monthly import paid_on, run_payouts
from payouts.tests.money import onboarded, paris
from payouts.tests.test_browser import log_in, pay_with_card
from vouchers import codes
from vouchers.models import Voucher

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def pdf_text(pdf: bytes) -> str:
    return subprocess.run(["pdftotext", "-layout", "-", "-"], input=pdf, capture_output=True, check=True).stdout.decode()


def test_buy_a_voucher_then_pay_a_session_entirely_with_it(live_server, page, axe_check, owner, traveller, session,
                                                            stripe_server, mailoutbox):
    # No webhooks here: the return pages do the same work (test_purchase.py covers the webhook),
    # and the test database (SQLite in memory) refuses two writers at once instead of queueing them.
    onboarded(owner, stripe_server)

    # A friend buys a 100 € voucher for Lucie, without an account.
    page.goto(live_server.url + reverse("home"))
    page.get_by_role("link", name="Offrir un bon cadeau").click()
    expect(page.get_by_role("heading", name="Offrir un bon cadeau")).to_be_visible()
    axe_check(page, context="offer page")
    page.get_by_label("100 €").check()
    page.get_by_label("Votre nom").fill("Marc Bernard")
    page.get_by_label("Votre e-mail (pour le reçu)").fill("marc@example.fr")
    page.get_by_label("Nom du bénéficiaire").fill("Lucie Bernard")
    page.get_by_label("E-mail du bénéficiaire").fill(traveller.email)
    page.get_by_label("Votre message (facultatif)").fill("Pour ton atelier vitrail !")
    page.get_by_role("button", name="Continuer vers le paiement").click()
    expect(page.get_by_role("button", name="Payer 100,00 €")).to_be_enabled()
    axe_check(page, context="voucher payment page")
    pay_with_card(page, "100,00")
    # The return page issues the voucher and lays out its PDF (a second or two; more on a busy machine).
    expect(page.get_by_role("heading", name="Merci, votre bon cadeau est payé")).to_be_visible(timeout=30_000)

    # Lucie's email: the code, and the PDF to print.
    email = next(m for m in mailoutbox if m.to == [traveller.email])
    code = next(word for word in email.body.split() if codes.normalize(word))
    assert next(m for m in mailoutbox if m.to == ["marc@example.fr"])  # the buyer's receipt
    pdf = pdf_text(email.attachments[0][1])
    assert code in pdf and "100,00 €" in pdf and "Pour ton atelier vitrail" in pdf and "Valable jusqu'au" in pdf

    # Lucie books two places (90 €) and pays them with the code alone.
    log_in(page, live_server, traveller.email)
    page.goto(live_server.url + reverse("booking_start_session", args=[session.pk]))
    page.get_by_label("Adultes").fill("2")
    page.get_by_label("Votre téléphone").fill("06 12 34 56 78")
    page.get_by_role("button", name="Réserver et payer").click()
    expect(page.get_by_role("heading", name="Paiement de votre réservation")).to_be_visible()
    page.get_by_label("Code du bon cadeau").fill(code.lower())
    page.get_by_role("button", name="Utiliser ce bon").click()
    expect(page.get_by_text("Bon cadeau appliqué")).to_be_visible()
    axe_check(page, context="payment page with a voucher")
    page.get_by_role("button", name="Confirmer ma réservation").click()
    expect(page.get_by_text("Votre réservation est confirmée")).to_be_visible()
    booking = Booking.objects.get()
    assert booking.status == BookingStatus.CONFIRMED and str(booking.voucher_amount) == "90.00"
    assert booking.amount_paid == 0 and not booking.payments.filter(status="succeeded").exists()
    assert booking.payments.get().status == "canceled"  # the card PaymentIntent opened first is dropped
    page.goto(live_server.url + reverse("my_vouchers"))
    expect(page.get_by_role("cell", name="10,00 €")).to_be_visible()  # the balance left
    assert Voucher.objects.get().balance_cents == 1000

    # The session ends; the month's run pays the owner the net as a voucher complement.
    month = paid_on(booking.service_end)
    run_payouts(month=month, now=paris(month.year, month.month, 1, 6))  # the 1st after the session, 06:00
    payout = Payout.objects.get(owner=owner, month=month)
    assert payout.status == PayoutStatus.SENT and payout.amount_cents == 7650  # 90 € − 15 %
    log_in(page, live_server, owner.email)
    page.goto(live_server.url + reverse("payout_detail", args=[payout.pk]))
    expect(page.get_by_role("columnheader", name="Complément bon cadeau")).to_be_visible()
    expect(page.get_by_role("row", name=booking.reference)).to_contain_text("76,50 €")
    with page.expect_download() as info:
        page.get_by_role("link", name="PDF").first.click()
    statement = pdf_text(Path(info.value.path()).read_bytes())
    assert booking.reference in statement and "76,50" in statement and "Complément" in statement
