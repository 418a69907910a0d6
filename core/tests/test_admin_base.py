"""The admin's base classes (core/admin_base.py): hostile parameters give a form error or the
admin's "invalid lookup" page, never a 500. The fuzz test (almaheritage/tests/test_fuzz.py,
slow) sends hostile values everywhere; these are the classes it found, fast."""
from __future__ import annotations

import pytest
from django.contrib import admin
from django.contrib.auth.models import Group
from django.test import RequestFactory
from django.urls import reverse

from bookings.models import Booking
from core.admin_base import AdminGuard, InputGuard
from domains.models import Domain, Label

HUGE = "99999999999999999999"


@pytest.fixture
def staff_client(client, staff):
    client.force_login(staff)
    return client


def test_every_admin_and_inline_uses_the_base():
    """A new admin made from Django's own classes would bring the 500s back."""
    request = RequestFactory().get("/admin/")
    missing = []
    for model, model_admin in admin.site._registry.items():
        if not isinstance(model_admin, AdminGuard):
            missing.append(f"{model._meta.label}: {type(model_admin).__name__}")
        missing += [f"{model._meta.label} inline {inline.__name__}" for inline in model_admin.get_inlines(request, None)
                    if not issubclass(inline, InputGuard)]
    assert not missing, "derive from core.admin_base (ModelAdmin, TabularInline, StackedInline, AdminGuard):\n" + \
        "\n".join(missing)


def test_an_admin_that_may_add_shows_every_required_field(staff):
    """Adding with a required relation missing from the form was an IntegrityError on save
    (label proposals, export jobs): either the add form has the field or adding is refused."""
    request = RequestFactory().get("/admin/")
    request.user = staff
    gaps = []
    for model, model_admin in admin.site._registry.items():
        if not model_admin.has_add_permission(request):
            continue
        form_fields = set(model_admin.get_form(request, None).base_fields)
        for field in model._meta.concrete_fields:
            # Text fields left out are saved empty; a relation or a number left out cannot be.
            needed = not (field.null or field.get_default() is not None or field.primary_key
                          or getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False))
            if needed and field.name not in form_fields and field.name not in _set_by_save_model(model_admin):
                gaps.append(f"{model._meta.label}.{field.name}")
    assert not gaps, "required but not in the add form (refuse add, or show the field):\n" + "\n".join(gaps)


def _set_by_save_model(model_admin) -> set[str]:
    """Fields an admin's save_model fills itself (DonationTransfer.recorded_by)."""
    return set(getattr(model_admin, "set_on_save", ()))


@pytest.mark.parametrize("query", [{"arrival__year": HUGE}, {"arrival__year": "9999", "arrival__month": "12"},
                                   {"arrival__year": "9999"}, {"arrival__year": "2027", "arrival__month": HUGE},
                                   {"arrival__year": "0", "arrival__month": "0"}])
def test_out_of_range_date_hierarchy_is_an_invalid_lookup(staff_client, query):
    response = staff_client.get(reverse("admin:bookings_booking_changelist"), query)
    assert response.status_code == 302
    assert response["Location"].endswith("?e=1")


def test_date_filters_of_other_changelists_too(staff_client):
    for name, field in (("admin:experiences_session_changelist", "start"),
                        ("admin:public_contactmessage_changelist", "created_at"),
                        ("admin:lodgings_suspension_changelist", "start")):
        response = staff_client.get(reverse(name), {f"{field}__year": HUGE, f"{field}__gte": "9999-99-99"})
        assert response.status_code == 302, name


@pytest.mark.parametrize("owner", ["abc", HUGE, "-1"])
def test_a_foreign_key_that_is_not_an_id_is_a_form_error(staff_client, owner):
    response = staff_client.post(reverse("admin:domains_domain_add"), {"owner": owner, "name": "Manoir"})
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["owner"]
    assert not Domain.objects.exists()


def test_initial_values_in_the_query_string_that_are_not_ids(staff_client):
    for name, key in (("admin:domains_domain_add", "owner"), ("admin:lodgings_lodging_add", "domain"),
                      ("admin:experiences_session_add", "experience"), ("admin:auth_group_add", "permissions")):
        for value in ("abc", HUGE):
            assert staff_client.get(reverse(name), {key: value}).status_code == 200, (name, value)


def test_a_huge_many_to_many_id_is_a_form_error(staff_client):
    response = staff_client.post(reverse("admin:auth_group_add"), {"name": "Groupe d'essai", "permissions": [HUGE]})
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["permissions"]
    assert not Group.objects.filter(name="Groupe d'essai").exists()  # the staff groups exist from migrate


def test_an_action_on_ids_that_are_not_ids_changes_nothing(staff_client):
    label = Label.objects.create(name="Réseau d'essai", slug="reseau-d-essai")
    for ids in ("abc", HUGE, ["abc", HUGE]):  # nothing usable: "Items must be selected…"
        response = staff_client.post(reverse("admin:domains_label_changelist"),
                                     {"action": "delete_selected", "_selected_action": ids, "index": "0"})
        assert response.status_code == 302
    response = staff_client.post(reverse("admin:domains_label_changelist"),  # the usable id is kept
                                 {"action": "delete_selected", "_selected_action": [str(label.pk), "abc"],
                                  "index": "0"})
    assert response.status_code == 200
    assert list(response.context["queryset"]) == [label]  # the confirmation page, for that one
    assert Label.objects.filter(pk=label.pk).exists()


def test_records_staff_must_not_make_by_hand_have_no_add_page(staff_client):
    for name in ("admin:domains_labelproposal_add", "admin:exports_exportjob_add", "admin:bookings_booking_add"):
        assert staff_client.get(reverse(name)).status_code == 403, name
        assert staff_client.post(reverse(name), {}).status_code == 403, name
    assert not Booking.objects.exists()


@pytest.mark.parametrize("month", ["99999999999999999999-12", "9999-12", "1-1", "0-1", "2026-13", "A" * 300])
def test_month_parameters_of_the_admins_own_views(staff_client, month):
    """date() stops at years 1 and 9999 and overflows on a 20-digit year: the donation report
    shows its default month, the payout run says the month is invalid."""
    for file_format in ("", "csv", "pdf"):
        response = staff_client.get(reverse("admin:donations_report"), {"mois": month, "format": file_format})
        assert response.status_code == 200, file_format
    response = staff_client.post(reverse("admin:payouts_payout_run"), {"month": month}, follow=True)
    assert "Mois invalide" in response.content.decode()
