from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Comptes")

    def ready(self):
        # After the sites app's own post_migrate, which creates the row (and resets the id
        # sequence, so staff can add a site later): sent for that app, ours runs second.
        from django.apps import apps

        from .site import sync_site_with_settings
        from .staff_groups import sync_staff_groups_after_migrate

        post_migrate.connect(sync_site_with_settings, sender=apps.get_app_config("sites"),
                             dispatch_uid="accounts.sync_site_with_settings")
        # Once per migrate (sender=self): the permissions of models added since join their group.
        post_migrate.connect(sync_staff_groups_after_migrate, sender=self, dispatch_uid="accounts.staff_groups")
