"""What staff read in the admin: French section names (not "Bookings" from the app label),
a row named by what it is (not "LodgingPhoto object (16)"), and the platform's title."""
import pytest
from django.apps import apps
from django.conf import settings
from django.db import models
from django.urls import reverse

from conftest import activate_totp

PLATFORM_APPS = [config for config in apps.get_app_configs()
                 if not config.name.startswith(("django.", "allauth", "csp", "django_")) and
                 (settings.BASE_DIR / config.label).is_dir() and config.label != "devtools"]


def test_every_app_of_the_platform_has_a_french_section_name():
    unnamed = [config.label for config in PLATFORM_APPS if str(config.verbose_name) == config.label.title()]
    assert PLATFORM_APPS and not unnamed, unnamed


def test_every_model_of_the_platform_says_what_it_is():
    nameless = [f"{model._meta.app_label}.{model.__name__}" for config in PLATFORM_APPS
                for model in config.get_models() if model.__str__ is models.Model.__str__]
    assert not nameless, nameless


@pytest.mark.django_db
def test_the_admin_is_titled_alma_heritage(client, django_user_model):
    staff = django_user_model.objects.create_superuser(email="chef@example.fr", password="x-Secret-42")
    client.force_login(activate_totp(staff))  # the admin asks staff for their authenticator app first
    html = client.get(reverse("admin:index")).content.decode()
    assert "Alma Heritage — administration" in html and "Django" not in html.split("<body")[1].split("<footer")[0]
    assert "Réservations" in html and "Hébergements" in html


# Written by the platform itself, never typed by a person: no length to promise.
MACHINE_TEXT = {"core.OutgoingEmail.text", "core.OutgoingEmail.html", "core.OutgoingEmail.last_error",
                "exports.ExportJob.error", "calsync.Feed.last_error", "payouts.StripeEvent.payload_excerpt",
                "invoices.Invoice.buyer_address"}


def test_every_text_a_person_types_has_a_maximum_length():
    """A 220,000-character description was saved and a 100,000-character message made a page
    28,620 px wide: each text field says how long it may be, and its forms enforce it."""
    unbounded = [f"{model._meta.label}.{field.name}" for config in PLATFORM_APPS for model in config.get_models()
                 for field in model._meta.get_fields()
                 if isinstance(field, models.TextField) and field.max_length is None]
    assert set(unbounded) <= MACHINE_TEXT, sorted(set(unbounded) - MACHINE_TEXT)
