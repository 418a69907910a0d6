"""Demo data for `make run`: idempotent, so running it twice changes nothing.

Later apps add their part through `DEMO_SEEDERS`: each is a function
`seed(*, stdout) -> None` that must itself be idempotent."""
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.db import transaction
from django.test.utils import override_settings
from django.utils.module_loading import import_string

from accounts.models import BillingAddress, OwnerProfile

User = get_user_model()
DEMO_PASSWORD = "patrimoine-demo"  # noqa: S105 — printed on purpose, demo only

OWNERS = [
    ("helene@demo.almaheritage.fr", "Hélène", "de Kervoas", "+33298000101", "Manoir de Kervoas", "Plouescat", "29430"),
    ("armand@demo.almaheritage.fr", "Armand", "Castel", "+33565000202", "Château de Castelnau", "Cahors", "46000"),
    ("margot@demo.almaheritage.fr", "Margot", "Meunier", "+33241000303", "Moulin de la Roche", "Saumur", "49400"),
]
TRAVELLERS = [
    ("lucie@demo.almaheritage.fr", "Lucie", "Bernard"),
    ("james@demo.almaheritage.fr", "James", "Whitaker"),
]
STAFF = ("equipe@demo.almaheritage.fr", "Équipe", "Alma Heritage")

# Seeders of later apps, run in this order after the accounts.
DEMO_SEEDERS: list[str] = [
    "domains.demo.seed",  # domains, lodgings, experiences (and their sessions) in every status
    "public.demo.seed",
    "bookings.demo.seed",  # keep after the offers' seeders: it books their published units
    "calsync.demo.seed",  # after bookings: one demo stay is also "sold on Airbnb" (double booking)
]


def demo_user(email: str, first: str, last: str, **extra) -> User:
    user, created = User.objects.get_or_create(
        email=email, defaults={"first_name": first, "last_name": last, **extra}
    )
    if created:
        user.set_password(DEMO_PASSWORD)
        user.save()
    EmailAddress.objects.get_or_create(user=user, email=email, defaults={"verified": True, "primary": True})
    return user


class Command(BaseCommand):
    help = "Create (or complete) the demo data. Safe to run again."

    def handle(self, *args, **options):
        # Demo bookings go through the real services, which email people: not demo people.
        with override_settings(EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend"):
            self.seed()
        self.print_logins()

    @transaction.atomic
    def seed(self) -> None:
        for email, first, last, phone, place, city, postal in OWNERS:
            owner = demo_user(email, first, last, phone=phone)
            OwnerProfile.objects.get_or_create(
                user=owner,
                defaults={
                    "address_line1": place, "postal_code": postal, "city": city,
                    "description": f"{first} fait vivre {place} et aime en raconter l'histoire.",
                },
            )
            BillingAddress.objects.get_or_create(
                user=owner, defaults={"name": f"{first} {last}", "line1": place, "postal_code": postal, "city": city}
            )
        for email, first, last in TRAVELLERS:
            demo_user(email, first, last)
        demo_user(*STAFF, is_staff=True, is_superuser=True)
        for dotted in DEMO_SEEDERS:
            import_string(dotted)(stdout=self.stdout)

    def print_logins(self) -> None:
        self.stdout.write(self.style.SUCCESS(f"Demo data ready. Logins (password for all: {DEMO_PASSWORD}):"))
        self.stdout.write("  owners:     " + ", ".join(o[0] for o in OWNERS))
        self.stdout.write("  travellers: " + ", ".join(t[0] for t in TRAVELLERS))
        self.stdout.write(f"  staff:      {STAFF[0]} (admin at /admin/)")
