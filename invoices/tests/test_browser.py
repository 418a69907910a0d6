"""The owner's journey in a real browser against the local Stripe server: connect Stripe
through its onboarding page, see "en attente" then "prêt", and after the month's run download
the statement and the invoice, whose text says the right totals and mentions."""
import re
from datetime import timedelta
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from invoices.models import Invoice
from invoices.monthly import issue_invoices
from payouts.models import ConnectedAccount, Payout, PayoutStatus
from payouts.monthly import paid_on, run_payouts
from payouts.tests.test_browser import log_in

from .conftest import billing_address, paid_stay
from .test_documents import pdf_text

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def download(page, link_name: str) -> bytes:
    with page.expect_download() as info:
        page.get_by_role("link", name=link_name).first.click()
    return Path(info.value.path()).read_bytes()


def test_owner_connects_stripe_then_downloads_the_statement_and_the_invoice(
        live_server, page, axe_check, owner, traveller, unit, stripe_server):
    stripe_server.send_webhooks_to(live_server.url + reverse("stripe_webhook"))
    booking = paid_stay(unit=unit, traveller=traveller, arrival=timezone.localdate() - timedelta(days=45))
    billing_address(owner)
    log_in(page, live_server, owner.email)

    page.goto(live_server.url + reverse("dashboard_payments"))
    expect(page.get_by_text("Non connecté")).to_be_visible()
    page.get_by_role("link", name="Relier mon compte Stripe").click()

    # Stripe's onboarding (the local server's page), left unfinished: waiting.
    page.get_by_role("button", name="Connecter mon compte Stripe").click()
    page.get_by_role("button", name="Quitter sans terminer").click()
    expect(page.get_by_role("heading", name=re.compile("État de votre compte : En attente"))).to_be_visible()
    page.goto(live_server.url + reverse("dashboard_payments"))
    expect(page.locator(".connect-state .status-pill")).to_have_text(re.compile("^En attente"))

    # Back to Stripe, finished this time: ready.
    page.get_by_role("link", name="Terminer mon inscription Stripe").click()
    page.get_by_role("button", name="Terminer mon inscription chez Stripe").click()
    page.get_by_role("button", name="Terminer l'inscription").click()
    expect(page.get_by_text("Votre compte Stripe est prêt à recevoir vos gains.")).to_be_visible()
    assert ConnectedAccount.objects.get(owner=owner).can_receive_transfers

    month = paid_on(booking.service_end)
    now = timezone.now()
    run_payouts(month=month, now=now)
    issue_invoices(month=month, now=now)
    payout = Payout.objects.get(owner=owner, month=month)
    assert payout.status == PayoutStatus.SENT and payout.amount_cents == 34800
    assert [t["amount"] for t in stripe_server.transfers(transfer_group=payout.transfer_group)] == [34800]
    invoice = Invoice.objects.get(owner=owner)

    page.goto(live_server.url + reverse("dashboard_payments"))
    expect(page.locator(".connect-state .status-pill")).to_have_text("Prêt")
    expect(page.locator(".payouts-table .status-pill")).to_have_text("Envoyé")
    axe_check(page, context="Paiements")

    statement = pdf_text(download(page, "PDF"))
    assert booking.reference in statement and "Total viré : 348,00 €" in statement
    assert "400,00 € 52,00 € 348,00 €" in statement and payout.stripe_transfer_id in statement

    text = pdf_text(download(page, f"Facture {invoice.number}"))
    assert f"N° {invoice.number}" in text and "SIRET : 912 345 600 00015" in text
    assert "N° de TVA intracommunautaire : FR34912345600" in text and "SCI du Moulin" in text
    assert "Total HT 43,33 €" in text and "TVA 20 % 8,67 €" in text and "Total TTC 52,00 €" in text
    assert f"Facture acquittée — réglée par compensation sur le virement n° {payout.stripe_transfer_id}." in text
