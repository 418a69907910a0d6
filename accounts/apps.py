from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Comptes")

    def ready(self):
        from .site import sync_site_with_settings
        from .staff_groups import sync_staff_groups_after_migrate

        # After the sites app's own post_migrate (which creates example.com): any sender.
        post_migrate.connect(sync_site_with_settings, dispatch_uid="accounts.sync_site_with_settings")
        # Once per migrate (sender=self): the permissions of models added since join their group.
        post_migrate.connect(sync_staff_groups_after_migrate, sender=self, dispatch_uid="accounts.staff_groups")
