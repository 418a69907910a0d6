"""Two live stays of one unit never overlap: a PostgreSQL exclusion constraint on
(unit, [arrival, departure)). SQLite has no such constraint; there, bookings are written in
IMMEDIATE transactions that serialise the availability check and the insert."""
from django.db import migrations

LIVE = "('requested', 'awaiting_payment', 'checkout', 'confirmed')"


class PostgresOnly(migrations.RunSQL):
    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            super().database_forwards(app_label, schema_editor, from_state, to_state)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            super().database_backwards(app_label, schema_editor, from_state, to_state)


class Migration(migrations.Migration):
    dependencies = [("bookings", "0002_initial")]

    operations = [
        PostgresOnly("CREATE EXTENSION IF NOT EXISTS btree_gist", reverse_sql=migrations.RunSQL.noop),
        PostgresOnly(
            f"""ALTER TABLE bookings_booking ADD CONSTRAINT booking_live_stays_never_overlap
                EXCLUDE USING gist (unit_id WITH =, daterange(arrival, departure, '[)') WITH &&)
                WHERE (unit_id IS NOT NULL AND status IN {LIVE})""",
            reverse_sql="ALTER TABLE bookings_booking DROP CONSTRAINT booking_live_stays_never_overlap",
        ),
    ]
