"""Each unit's occupied nights as one datemultirange column (bookings/occupancy.py), on
PostgreSQL only: Django has no field for it and never reads or writes it, so the model
state does not change and SQLite (which has no ranges) has no such column."""
from django.db import migrations

# The rows' truth at the time of this migration (kept here as written).
FILL = """
UPDATE lodgings_unit AS u SET occupied = COALESCE((SELECT range_agg(nights) FROM (
    SELECT daterange(b.arrival, b.departure) AS nights FROM bookings_booking b
     WHERE b.unit_id = u.id AND b.status IN ('requested', 'awaiting_payment', 'checkout', 'confirmed')
    UNION ALL
    SELECT daterange(e.start, e."end") FROM bookings_externalblock e WHERE e.unit_id = u.id
    UNION ALL
    SELECT daterange(s.start, s."end") FROM lodgings_suspension s WHERE s.lodging_id = u.lodging_id
) AS taken), '{}')
"""


def add_column(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("ALTER TABLE lodgings_unit ADD COLUMN occupied datemultirange NOT NULL DEFAULT '{}'")
        schema_editor.execute(FILL)


def drop_column(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("ALTER TABLE lodgings_unit DROP COLUMN occupied")


class Migration(migrations.Migration):
    dependencies = [
        ("bookings", "0006_event_reason_code"),
        ("lodgings", "0006_search_keys"),
    ]

    operations = [migrations.RunPython(add_column, drop_column)]
