"""Account rules: becoming an owner, deleting an account."""
import logging
from datetime import datetime

from allauth.account.models import EmailAddress
from django.db import transaction

from .models import BillingAddress, OwnerProfile, User
from .signals import account_deleted

log = logging.getLogger(__name__)


def make_owner(*, user: User) -> OwnerProfile:
    """Give the user a fiche propriétaire (idempotent)."""
    profile, _created = OwnerProfile.objects.get_or_create(user=user)
    return profile


@transaction.atomic
def delete_account(*, user: User, now: datetime) -> None:
    """Self-service deletion: personal data erased, the row kept (anonymised) because
    bookings, invoices and payouts must stay attached to someone for accounting law."""
    profile = OwnerProfile.objects.filter(user=user).first()
    if profile is not None:
        if profile.photo:
            profile.photo.delete(save=False)
        OwnerProfile.objects.filter(pk=profile.pk).update(
            address_line1="", address_line2="", postal_code="", city="", photo="",
            description="", channel_manager_other="",
        )
    # The billing address is personal data; invoices already issued keep their own copy.
    BillingAddress.objects.filter(user=user).delete()
    EmailAddress.objects.filter(user=user).delete()
    user.email = f"deleted-{user.pk}@deleted.invalid"
    user.first_name = ""
    user.last_name = ""
    user.phone = ""
    user.is_active = False
    user.deleted_at = now
    user.set_unusable_password()
    user.save()
    account_deleted.send(sender=User, user=user, now=now)
    log.info("account %s deleted by its holder", user.pk)
