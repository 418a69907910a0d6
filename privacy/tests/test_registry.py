"""Every model's personal-looking fields are classified in privacy/registry.py."""
from django.apps import apps

from privacy import registry


def personal_looking_fields() -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for model in apps.get_models():
        if model._meta.proxy:  # a proxy's rows are its concrete model's
            continue
        names = [f.name for f in model._meta.concrete_fields if registry.looks_personal(f)]
        if names:
            found[model._meta.label] = names
    return found


def test_every_model_with_a_personal_looking_field_is_in_the_registry():
    missing = [f"{label}.{name}" for label, names in personal_looking_fields().items() for name in names
               if registry.treatment_of(label, name) is None]
    assert missing == [], ("Classify these fields in privacy/registry.py (erase, pseudonymise, delete_row, "
                           f"accounting, kept_under_pseudonym, other_person or not_personal): {missing}")


def test_the_patterns_see_the_obvious_personal_fields():
    found = personal_looking_fields()
    for label, name in [("accounts.User", "email"), ("accounts.User", "phone"), ("accounts.OwnerProfile", "photo"),
                        ("accounts.BillingAddress", "line1"), ("bookings.Booking", "message"),
                        ("public.ContactMessage", "message"), ("vouchers.VoucherOrder", "buyer_name")]:
        assert name in found[label]


def test_the_registry_names_real_fields_and_known_treatments():
    for entry in registry.REGISTRY:
        model = apps.get_model(entry.model)
        for name, treatment in entry.fields.items():
            model._meta.get_field(name)  # FieldDoesNotExist: a renamed field left behind
            assert treatment in registry.TREATMENTS, (entry.model, name)
        assert entry.why
        removes = any(t in registry.REMOVED for t in entry.fields.values())
        assert not removes or entry.rows is not None or entry.by, f"{entry.model}: who erases it?"
