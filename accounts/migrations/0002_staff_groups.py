"""The staff permission groups (accounts/staff_groups.py, docs/security.md#staff-roles)."""
from django.db import migrations


def create_staff_groups(apps, schema_editor):
    from accounts.staff_groups import sync_staff_groups

    sync_staff_groups(apps, using=schema_editor.connection.alias)


def delete_staff_groups(apps, schema_editor):
    from accounts.staff_groups import GROUPS

    apps.get_model("auth", "Group").objects.using(schema_editor.connection.alias).filter(name__in=GROUPS).delete()


class Migration(migrations.Migration):
    # The apps whose models the groups name, so their permissions can be created here.
    dependencies = [
        ("accounts", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("mfa", "0003_authenticator_type_uniq"),
        ("core", "0002_outgoing_email_attachments"),
        ("domains", "0005_text_length_limits"),
        ("lodgings", "0003_text_length_limits"),
        ("experiences", "0002_text_length_limits"),
        ("bookings", "0006_event_reason_code"),
        ("payouts", "0005_amount_mismatch_unprocessable_events"),
        ("invoices", "0002_refuse_changes_on_postgresql"),
        ("donations", "0003_text_length_limits"),
        ("calsync", "0001_initial"),
        ("reviews", "0001_initial"),
        ("public", "0004_text_length_limits"),
    ]

    operations = [migrations.RunPython(create_staff_groups, delete_staff_groups)]
