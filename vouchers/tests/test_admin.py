"""Staff: the vouchers list, issuing one by hand (a complaint), cancelling one, its history,
a new code, and the breakage report of expired balances."""
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from payouts import ledger
from payouts.models import LedgerAccount
from vouchers import codes
from vouchers.models import EventKind, Voucher, VoucherStatus

pytestmark = pytest.mark.django_db


def test_staff_issue_a_voucher_by_hand_and_it_is_mailed(client, staff, mailoutbox, django_capture_on_commit_callbacks):
    client.force_login(staff)
    assert client.get(reverse("admin:vouchers_voucher_add")).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("admin:vouchers_voucher_add"), {
            "amount": "35.50", "recipient_name": "Lucie", "recipient_email": "lucie@example.fr",
            "recipient_language": "en", "message": "", "issue_reason": "Réclamation : chauffage en panne"})
    assert response.status_code == 302, response.content.decode()[:3000]
    voucher = Voucher.objects.get()
    assert (voucher.amount_cents, voucher.balance_cents, voucher.issued_by) == (3550, 3550, staff)
    [email] = mailoutbox
    assert email.to == ["lucie@example.fr"] and "gift voucher" in email.subject.lower()
    # Our expense, so the ledger still balances when a booking uses it.
    assert ledger.account_balances()[LedgerAccount.VOUCHER_LIABILITY] == -3550
    assert not ledger.unbalanced_transactions().exists()
    page = client.get(reverse("admin:vouchers_voucher_change", args=[voucher.pk])).content.decode()
    assert "Réclamation : chauffage en panne" in page and voucher.code_last4 in page


def test_issuing_without_a_reason_or_above_the_limit_is_refused(client, staff):
    client.force_login(staff)
    response = client.post(reverse("admin:vouchers_voucher_add"), {
        "amount": "99999", "recipient_name": "Lucie", "recipient_email": "lucie@example.fr",
        "recipient_language": "fr", "issue_reason": ""})
    assert response.status_code == 200 and not Voucher.objects.exists()
    assert "amount" in response.context["adminform"].form.errors
    assert "issue_reason" in response.context["adminform"].form.errors


def test_staff_cancel_a_voucher_and_see_its_history(client, staff, give_voucher):
    voucher, code = give_voucher(5000)
    client.force_login(staff)
    client.post(reverse("admin:vouchers_voucher_changelist"),
                {"action": "cancel_vouchers", "_selected_action": [voucher.pk]})
    voucher.refresh_from_db()
    assert voucher.status == VoucherStatus.CANCELLED and voucher.balance_cents == 0
    assert list(voucher.events.values_list("kind", flat=True)) == [EventKind.ISSUED, EventKind.DELIVERED,
                                                                  EventKind.CANCELLED]
    assert ledger.account_balances().get(LedgerAccount.VOUCHER_LIABILITY, 0) == 0
    listing = client.get(reverse("admin:vouchers_voucher_changelist")).content.decode()
    assert voucher.masked_code in listing and code not in listing


def test_a_new_code_replaces_the_old_one(client, staff, give_voucher, mailoutbox):
    voucher, code = give_voucher(5000)
    client.force_login(staff)
    client.post(reverse("admin:vouchers_voucher_changelist"),
                {"action": "send_new_code", "_selected_action": [voucher.pk]})
    voucher.refresh_from_db()
    assert voucher.code_hash != codes.hash_of_typed(code)
    assert voucher.events.last().kind == EventKind.CODE_REISSUED
    assert mailoutbox[-1].to == ["lucie@example.fr"]


def test_the_breakage_report_lists_expired_balances_only(client, staff, give_voucher):
    expired, _code = give_voucher(4200, now=timezone.now() - timedelta(days=400))
    give_voucher(9900)  # still valid
    spent, _ = give_voucher(100, now=timezone.now() - timedelta(days=400))
    Voucher.objects.filter(pk=spent.pk).update(balance_cents=0)
    client.force_login(staff)
    html = client.get(reverse("admin:vouchers_breakage")).content.decode()
    assert expired.masked_code in html and "42,00" in html and "99,00" not in html
    assert "1 bon(s) expiré(s)" in html


def test_a_traveller_cannot_open_the_vouchers_admin(client, traveller):
    client.force_login(traveller)
    assert client.get(reverse("admin:vouchers_voucher_changelist")).status_code == 302
