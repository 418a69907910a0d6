"""Buying a gift voucher by card on the local Stripe server: the page, the payment, the
voucher issued once with its ledger posting, the recipient's email and PDF, the buyer's
receipt; a declined card issues nothing; bad input is a form error, never a 500."""
import subprocess
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from payouts import ledger
from payouts.models import LedgerAccount, LedgerEntry
from payouts.tests.conftest import DECLINED
from vouchers import codes
from vouchers.models import OrderStatus, Voucher, VoucherOrder

pytestmark = pytest.mark.django_db

FORM = {"amount_choice": "100", "custom_amount": "", "buyer_name": "Marc Bernard", "buyer_email": "marc@example.fr",
        "recipient_name": "Lucie Bernard", "recipient_email": "lucie@example.fr", "recipient_language": "fr",
        "message": "Joyeux anniversaire !", "when": "now", "deliver_on": ""}


def order_for(client, **changes):
    response = client.post(reverse("voucher_offer"), {**FORM, **changes})
    assert response.status_code == 302, response.content.decode()[:2000]
    return VoucherOrder.objects.get(access_token=response.url.rstrip("/").split("/")[-1])


def pay_order(client, order, stripe_server, *, card=None):
    page = client.get(reverse("voucher_order", args=[order.access_token]))
    assert page.status_code == 200
    intent_id = VoucherOrder.objects.get(pk=order.pk).stripe_payment_intent_id
    answer = stripe_server.pay(intent_id, page.context["client_secret"], **({"card": card} if card else {}))
    back = client.get(reverse("voucher_order_return", args=[order.access_token]), {"payment_intent": intent_id})
    return answer, back


def test_the_offer_page_is_linked_from_the_footer_and_shows_the_presets(client):
    home = client.get(reverse("home"))
    assert reverse("voucher_offer") in home.content.decode()
    page = client.get(reverse("voucher_offer"))
    html = page.content.decode()
    assert page.status_code == 200
    assert "Offrir un bon cadeau" in html and "150 €" in html and "Autre montant" in html


def test_paying_by_card_issues_one_voucher_posted_as_a_liability(client, stripe_server, mailoutbox,
                                                                 django_capture_on_commit_callbacks):
    order = order_for(client)
    with django_capture_on_commit_callbacks(execute=True):
        answer, back = pay_order(client, order, stripe_server)
    assert answer.json()["status"] == "succeeded"
    order.refresh_from_db()
    assert order.status == OrderStatus.PAID
    voucher = Voucher.objects.get(order=order)
    assert voucher.amount_cents == voucher.balance_cents == 10000
    assert voucher.expires_at.date() == (timezone.now() + timedelta(days=365)).date()
    intent = stripe_server.intent(order.stripe_payment_intent_id)
    assert intent["amount"] == 10000 and intent["metadata"]["alma_kind"] == "voucher"
    # The sale is a liability, not revenue.
    entries = LedgerEntry.objects.filter(transaction__key=f"voucher-sale:{order.stripe_payment_intent_id}")
    assert sorted(entries.values_list("account", "amount_cents")) == [
        (LedgerAccount.CASH, 10000), (LedgerAccount.VOUCHER_LIABILITY, -10000)]
    assert not ledger.unbalanced_transactions().exists()
    assert ledger.account_balances().get(LedgerAccount.COMMISSION, 0) == 0
    # The recipient's email has the code and the PDF; the buyer gets a receipt.
    to_recipient = next(m for m in mailoutbox if m.to == ["lucie@example.fr"])
    to_buyer = next(m for m in mailoutbox if m.to == ["marc@example.fr"])
    assert "reçu" in to_buyer.subject.lower() and order.reference in to_buyer.subject
    typed = next(word for word in to_recipient.body.split() if codes.normalize(word))
    assert Voucher.objects.get(code_hash=codes.hash_of_typed(typed.lower())) == voucher  # any case
    assert voucher.code_last4 == typed[-4:] and typed not in str(Voucher.objects.filter(pk=voucher.pk).values())
    name, pdf, mimetype = to_recipient.attachments[0]
    assert mimetype == "application/pdf" and pdf.startswith(b"%PDF")
    text = subprocess.run(["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True).stdout.decode()
    assert typed in text and "100,00" in text and "Joyeux anniversaire" in text and "Valable jusqu" in text
    # The return page shows the receipt; the webhook coming after changes nothing.
    receipt = client.get(back.url)
    assert "Merci, votre bon cadeau est payé" in receipt.content.decode()


def test_the_webhook_alone_issues_the_voucher_once(client, stripe_server, post_event,
                                                   django_capture_on_commit_callbacks):
    from payouts.tests.conftest import event

    order = order_for(client, amount_choice="other", custom_amount="75.50")
    page = client.get(reverse("voucher_order", args=[order.access_token]))
    order.refresh_from_db()
    stripe_server.pay(order.stripe_payment_intent_id, page.context["client_secret"])
    intent = stripe_server.intent(order.stripe_payment_intent_id)
    with django_capture_on_commit_callbacks(execute=True):
        assert post_event(event("payment_intent.succeeded", intent)).status_code == 200
        assert post_event(event("payment_intent.succeeded", intent, event_id="evt_again")).status_code == 200
    assert Voucher.objects.filter(order=order, amount_cents=7550).count() == 1
    assert LedgerEntry.objects.filter(transaction__key__startswith="voucher-sale:").count() == 2


def test_a_declined_card_issues_no_voucher_and_says_so(client, stripe_server, mailoutbox):
    order = order_for(client)
    answer, back = pay_order(client, order, stripe_server, card=DECLINED)
    assert back.status_code == 302 and back.url == reverse("voucher_order", args=[order.access_token])
    page = client.get(back.url)
    assert "aucun bon cadeau n&#x27;a été émis" in page.content.decode() or "aucun bon cadeau n'a été émis" in page.content.decode()
    order.refresh_from_db()
    assert order.status == OrderStatus.FAILED
    assert not Voucher.objects.exists() and not mailoutbox
    assert not LedgerEntry.objects.exists()


@pytest.mark.parametrize(("changes", "field"), [
    ({"amount_choice": "other", "custom_amount": "5"}, "custom_amount"),
    ({"amount_choice": "other", "custom_amount": "100000"}, "custom_amount"),
    ({"amount_choice": "other", "custom_amount": ""}, "custom_amount"),
    ({"amount_choice": "other", "custom_amount": "12.345"}, "custom_amount"),
    ({"amount_choice": "999"}, "amount_choice"),
    ({"recipient_email": "pas-un-email"}, "recipient_email"),
    ({"when": "date", "deliver_on": "2001-01-01"}, "deliver_on"),
    ({"when": "date", "deliver_on": ""}, "deliver_on"),
    ({"when": "date", "deliver_on": "demain"}, "deliver_on"),
])
def test_bad_input_is_a_form_error(client, changes, field):
    response = client.post(reverse("voucher_offer"), {**FORM, **changes})
    assert response.status_code == 400
    assert field in response.context["form"].errors
    assert not VoucherOrder.objects.exists()


def test_a_dated_voucher_waits_for_its_day(client, stripe_server, mailoutbox, django_capture_on_commit_callbacks):
    import time_machine
    from django.core.management import call_command

    day = timezone.localdate() + timedelta(days=10)
    order = order_for(client, when="date", deliver_on=day.isoformat())
    with django_capture_on_commit_callbacks(execute=True):
        pay_order(client, order, stripe_server)
    voucher = Voucher.objects.get(order=order)
    assert voucher.delivered_at is None and voucher.code_hash is None
    assert [m.to for m in mailoutbox] == [["marc@example.fr"]]  # the receipt only
    call_command("send_due_vouchers")
    assert len(mailoutbox) == 1
    with time_machine.travel(timezone.now() + timedelta(days=10, hours=1)):
        call_command("send_due_vouchers")
        call_command("send_due_vouchers")
    assert [m.to for m in mailoutbox][1:] == [["lucie@example.fr"]]
    voucher.refresh_from_db()
    assert voucher.code_hash and voucher.expires_at.date() >= day + timedelta(days=364)


def test_a_stranger_cannot_open_an_order_without_its_token(client):
    assert client.get(reverse("voucher_order", args=["nope"])).status_code == 404


def test_the_pages_and_the_voucher_speak_english_too(client, stripe_server, mailoutbox,
                                                     django_capture_on_commit_callbacks):
    page = client.get(reverse("voucher_offer").replace("/fr/", "/en/", 1))
    assert "Give a gift voucher" in page.content.decode()
    order = order_for(client, recipient_language="en")
    with django_capture_on_commit_callbacks(execute=True):
        pay_order(client, order, stripe_server)
    to_recipient = next(m for m in mailoutbox if m.to == ["lucie@example.fr"])
    assert "gift voucher" in to_recipient.subject and "Your code:" in to_recipient.body
    text = subprocess.run(["pdftotext", "-", "-"], input=to_recipient.attachments[0][1], capture_output=True,
                          check=True).stdout.decode()
    assert "Gift voucher" in text and "How to use it" in text
