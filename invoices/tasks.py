from datetime import date

from celery import shared_task
from django.utils import timezone


@shared_task(ignore_result=True)
def issue_invoices(month: str = "") -> None:
    """Beat, the 1st at 07:00 (after run_payouts): the month of the run, in Paris, unless given."""
    from .monthly import current_month
    from .monthly import issue_invoices as issue

    now = timezone.now()
    issue(month=date.fromisoformat(month) if month else current_month(now), now=now)


@shared_task(ignore_result=True)
def send_monthly_email(owner_id: int, month: str) -> None:
    from .emails import send_monthly

    send_monthly(owner_id=owner_id, month=date.fromisoformat(month), now=timezone.now())
