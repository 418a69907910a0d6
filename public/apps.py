from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PublicConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "public"
    verbose_name = _("Site des voyageurs")

    def ready(self) -> None:
        # Any change a search page shows bumps the catalogue version (public/pagecache.py).
        from django.db.models.signals import post_delete, post_save

        from domains.models import Label
        from lodgings.models import Amenity

        from . import fragments, pagecache, views

        pagecache.connect_signals()
        # The search filters' choices, kept by each process a minute (public.views._filter_choices).
        for model in (Label, Amenity):
            post_save.connect(views.forget_filter_choices, sender=model, dispatch_uid=f"filter_choices_save_{model.__name__}")
            post_delete.connect(views.forget_filter_choices, sender=model,
                                dispatch_uid=f"filter_choices_delete_{model.__name__}")
        # The offer pages' fragments: every write they show bumps a token (public/fragments.py).
        fragments.connect_signals()
