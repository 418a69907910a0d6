import pytest
from django.core.management import call_command
from django.utils import timezone

from payouts import ledger
from vouchers import checkout
from vouchers.demo import DEMO_CODES
from vouchers.models import Voucher

pytestmark = pytest.mark.django_db


def test_the_demo_seeds_two_usable_vouchers_once(capsys):
    call_command("seed_demo")
    call_command("seed_demo")
    assert Voucher.objects.count() == 2
    assert DEMO_CODES["sold"] in capsys.readouterr().out
    for code in DEMO_CODES.values():
        assert checkout.find_usable(typed=code, user=None, now=timezone.now()).balance_cents > 0
    assert not ledger.unbalanced_transactions().exists()
