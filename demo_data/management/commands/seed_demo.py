"""Demo data for `make run`: each app seeds its own part (`<app>/demo.py`), called here in
the order their data depend on. Idempotent: running it twice changes nothing."""
from datetime import datetime

from django.core.management.base import BaseCommand
from django.db import transaction
from django.test.utils import override_settings
from django.utils import timezone

from accounts import demo as accounts_demo
from bookings import demo as bookings_demo
from calsync import demo as calsync_demo
from domains import demo as domains_demo
from experiences import demo as experiences_demo
from lodgings import demo as lodgings_demo
from payouts import demo as payouts_demo
from public import demo as public_demo
from reports import demo as reports_demo
from reviews import demo as reviews_demo
from touristtax import demo as touristtax_demo
from vouchers import demo as vouchers_demo


class Command(BaseCommand):
    help = "Create (or complete) the demo data. Safe to run again."

    def handle(self, *args, **options):
        # Demo bookings go through the real services, which email people: not demo people.
        with override_settings(EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend"):
            self.seed(now=timezone.now())
        self.print_logins()

    @transaction.atomic
    def seed(self, *, now: datetime) -> None:
        people = accounts_demo.seed(stdout=self.stdout)
        domains = domains_demo.seed(owners=people.owners, now=now, stdout=self.stdout)
        lodgings_demo.seed(domains=domains, now=now, stdout=self.stdout)
        experiences_demo.seed(domains=domains, now=now, stdout=self.stdout)
        public_demo.seed(stdout=self.stdout)
        touristtax_demo.seed(stdout=self.stdout)  # before bookings: their stays freeze the tax
        bookings_demo.seed(stdout=self.stdout)  # books the published units and sessions seeded above
        payouts_demo.seed(stdout=self.stdout)  # after bookings: stays paid by card, one cancelled, refunds
        calsync_demo.seed(stdout=self.stdout)  # after bookings: one demo stay is also "sold on Airbnb"
        reviews_demo.seed(stdout=self.stdout)  # after calsync: its past stays are never the double booking
        reports_demo.seed(stdout=self.stdout)  # after reviews: reports one of their past stays
        vouchers_demo.seed(stdout=self.stdout)  # after accounts: Lucie's gift vouchers

    def print_logins(self) -> None:
        password = accounts_demo.DEMO_PASSWORD
        self.stdout.write(self.style.SUCCESS(f"Demo data ready. Logins (password for all: {password}):"))
        self.stdout.write("  owners:     " + ", ".join(row[0] for row in accounts_demo.OWNERS))
        self.stdout.write("  travellers: " + ", ".join(row[0] for row in accounts_demo.TRAVELLERS))
        self.stdout.write(f"  staff:      {accounts_demo.STAFF[0]} (admin at /admin/, authenticator secret "
                          f"{accounts_demo.DEMO_TOTP_SECRET}: docs/security.md)")
