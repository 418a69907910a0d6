"""Vouchers' fixtures: the payouts tests' offers and bookings, a delivered voucher with its
code, and an empty rate-limit cache (the code field's limits are counted in the cache)."""
from datetime import timedelta

import pytest
from django.core.cache import cache
from django.utils import timezone

from bookings import services as bookings
from payouts.tests.conftest import accepted_stay, post_event, session  # noqa: F401 — fixtures
from vouchers import sales


@pytest.fixture(autouse=True)
def _stripe(stripe_server):
    """Every page here may reach the local Stripe server (payment pages)."""
    return stripe_server


@pytest.fixture(autouse=True)
def _empty_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def give_voucher(db, staff, django_capture_on_commit_callbacks):
    """give_voucher(cents, email=…) -> (voucher, code): issued by staff and delivered now."""

    def give(cents: int, *, email: str = "lucie@example.fr", now=None):
        now = now or timezone.now()
        voucher = sales.issue_by_staff(amount_cents=cents, recipient_name="Lucie", recipient_email=email,
                                       reason="test", actor=staff, now=now)
        # (On a transactional database the issue's on-commit delivery already sent a code: a new one.)
        code = sales.deliver(voucher_id=voucher.pk, now=now) or sales.deliver(voucher_id=voucher.pk, now=now,
                                                                              reissue=True)
        voucher.refresh_from_db()
        return voucher, code

    return give


@pytest.fixture
def instant_stay(instant_unit, traveller):
    """An instant stay in checkout (30 minutes' hold): 2 nights × 120 € + 40 € = 280 €."""
    now = timezone.now()
    arrival = timezone.localdate() + timedelta(days=40)
    return bookings.request_stay(traveller=traveller, unit=instant_unit, arrival=arrival,
                                 departure=arrival + timedelta(days=2), adults=2, children=0, now=now)
