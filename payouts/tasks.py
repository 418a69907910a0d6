from celery import shared_task
from django.utils import timezone

from . import ledger, monthly, refunds, services


@shared_task
def retry_refunds() -> int:
    return refunds.retry_refunds(now=timezone.now())


@shared_task
def cancel_abandoned_payments() -> int:
    return services.cancel_abandoned_intents()


@shared_task
def run_monthly_payouts() -> int:
    """Beat: the 1st at 06:00 in Paris (settings CELERY_BEAT_SCHEDULE["run-payouts"])."""
    now = timezone.now()
    return monthly.run_payouts(month=monthly.payout_month(now), now=now).sent


@shared_task
def end_bookings() -> int:
    now = timezone.now()
    return ledger.end_bookings(before=now, now=now)


@shared_task
def retry_payouts() -> int:
    return monthly.retry_payouts(now=timezone.now())
