"""Staff permission groups (docs/security.md#staff-roles): what each part of the team may see
and change in the admin. Created by accounts/migrations/0002_staff_groups.py and completed after
every migrate (accounts/apps.py), so the permissions of a model added later join its group."""
from django.contrib.auth.management import create_permissions

MODERATION = "Modération"
BOOKINGS_AND_PAYMENTS = "Réservations et paiements"
REPORTS_AND_ACCOUNTS = "Signalements et comptes"

ALL_ACTIONS = ("view", "add", "change", "delete")
# group → {(app label, model name): actions}; a model's admin may still refuse some (read-only
# ledgers, invoices): the permission says what the group may ask, the admin what is possible.
GROUPS = {
    MODERATION: {
        **{("domains", model): ALL_ACTIONS for model in (
            "domain", "domainphoto", "domainlabel", "revision", "label", "labelproposal", "moderationqueue")},
        **{("lodgings", model): ALL_ACTIONS for model in ("lodging", "unit", "lodgingphoto", "suspension", "amenity")},
        **{("experiences", model): ALL_ACTIONS for model in ("experience", "period", "session", "experiencephoto")},
        **{("reviews", model): ALL_ACTIONS for model in ("review", "reviewcomplaint", "reviewevent", "offerrating")},
    },
    BOOKINGS_AND_PAYMENTS: {
        **{("bookings", model): ALL_ACTIONS for model in ("booking", "bookingevent", "externalblock")},
        **{("payouts", model): ALL_ACTIONS for model in (
            "payment", "refund", "dispute", "payout", "payoutline", "connectedaccount", "stripeevent",
            "ledgertransaction", "ledgerentry")},
        **{("invoices", model): ALL_ACTIONS for model in (
            "invoice", "invoiceline", "monthlynotice", "documentsequence")},
        **{("donations", model): ALL_ACTIONS for model in ("foundation", "donationallocation", "donationtransfer")},
        **{("calsync", model): ALL_ACTIONS for model in ("feed", "unitcalendar", "doublebookingalert")},
        **{("touristtax", model): ALL_ACTIONS for model in ("commune", "tariff", "bookingtax", "taxalert", "remittance")},
    },
    REPORTS_AND_ACCOUNTS: {
        ("accounts", "user"): ("view", "change"),
        ("accounts", "ownerprofile"): ALL_ACTIONS,
        ("accounts", "billingaddress"): ALL_ACTIONS,
        ("public", "contactmessage"): ALL_ACTIONS,
        ("core", "outgoingemail"): ALL_ACTIONS,
        # Traveller reports: the queue, notes, photos and history (reports/admin.py).
        **{("reports", model): ALL_ACTIONS for model in ("travellerreport", "reportphoto", "reportnote",
                                                          "reportevent")},
        # Support removes a lost authenticator app; the person then sets up a new one.
        ("mfa", "authenticator"): ("view", "delete"),
    },
}


def sync_staff_groups(apps, *, using: str = "default") -> None:
    """Create the groups and give them their permissions. Adds, never removes: a permission the
    team gave a group by hand stays. A model that does not exist (yet) is skipped."""
    for app_config in apps.get_app_configs():
        # A migration's app configs have no models module; create_permissions skips those.
        models_module = getattr(app_config, "models_module", None)
        app_config.models_module = True
        create_permissions(app_config, verbosity=0, using=using, apps=apps)
        app_config.models_module = models_module
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, models in GROUPS.items():
        group, _ = Group.objects.using(using).get_or_create(name=name)
        wanted = {(app, f"{action}_{model}") for (app, model), actions in models.items() for action in actions}
        permissions = [
            permission for permission in Permission.objects.using(using).filter(
                content_type__app_label__in={app for app, _ in wanted}).select_related("content_type")
            if (permission.content_type.app_label, permission.codename) in wanted]
        group.permissions.add(*permissions)


def sync_staff_groups_after_migrate(*, using: str = "default", apps=None, **_signal_kwargs) -> None:
    # `flush` (transactional tests) sends post_migrate without `apps`: the installed ones then.
    from django.apps import apps as installed_apps

    sync_staff_groups(apps or installed_apps, using=using)
