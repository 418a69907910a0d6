"""Demo people for `seed_demo` (`demo_data` app): three owners with their fiche, two travellers and
one staff member, all with the password printed by the command. Idempotent.

The staff member is no superuser: they are in the three staff groups, and their authenticator
app is set up with DEMO_TOTP_SECRET (printed, and in the README) because the admin asks for a
second factor (docs/security.md)."""
from dataclasses import dataclass

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import TOTP
from django.contrib.auth.models import Group

from .models import BillingAddress, OwnerProfile, User
from .staff_groups import GROUPS

DEMO_PASSWORD = "patrimoine-demo"  # noqa: S105 — printed on purpose, demo only
# The demo staff member's authenticator app secret (base32): type it into any TOTP app.
DEMO_TOTP_SECRET = "ALMAHERITAGEDEMOEQUIPE23"  # noqa: S105 — printed on purpose, demo only

# email, first name, last name, phone, place, city, postal code
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


@dataclass(frozen=True)
class DemoPeople:
    owners: list[User]  # in the order of OWNERS
    travellers: list[User]
    staff: User


def seed(*, stdout) -> DemoPeople:
    owners = [_owner(*row) for row in OWNERS]
    travellers = [demo_user(email, first, last) for email, first, last in TRAVELLERS]
    staff = demo_staff()
    stdout.write(f"accounts: {len(owners)} owners, {len(travellers)} travellers and one staff member")
    recovery_code = RecoveryCodes(Authenticator.objects.get(
        user=staff, type=Authenticator.Type.RECOVERY_CODES)).get_unused_codes()[0]
    stdout.write(f"accounts: {staff.email} logs in with an authenticator app on the secret {DEMO_TOTP_SECRET} "
                 f"(or the recovery code {recovery_code})")
    return DemoPeople(owners=owners, travellers=travellers, staff=staff)


def demo_user(email: str, first: str, last: str, **extra) -> User:
    user, created = User.objects.get_or_create(email=email, defaults={"first_name": first, "last_name": last, **extra})
    if created:
        user.set_password(DEMO_PASSWORD)
        user.save()
    EmailAddress.objects.get_or_create(user=user, email=email, defaults={"verified": True, "primary": True})
    return user


def demo_staff() -> User:
    """Staff in every staff group, not a superuser, with TOTP and recovery codes activated."""
    staff = demo_user(*STAFF, is_staff=True)
    if staff.is_superuser:  # a database seeded before the staff groups existed
        staff.is_superuser = False
        staff.save(update_fields=["is_superuser"])
    staff.groups.add(*Group.objects.filter(name__in=GROUPS))
    if not Authenticator.objects.filter(user=staff, type=Authenticator.Type.TOTP).exists():
        TOTP.activate(staff, DEMO_TOTP_SECRET)
    RecoveryCodes.activate(staff)
    return staff


def _owner(email: str, first: str, last: str, phone: str, place: str, city: str, postal: str) -> User:
    owner = demo_user(email, first, last, phone=phone)
    OwnerProfile.objects.get_or_create(user=owner, defaults={
        "address_line1": place, "postal_code": postal, "city": city,
        "description": f"{first} fait vivre {place} et aime en raconter l'histoire.",
    })
    BillingAddress.objects.get_or_create(
        user=owner, defaults={"name": f"{first} {last}", "line1": place, "postal_code": postal, "city": city})
    return owner
