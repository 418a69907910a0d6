"""Issued invoices and their lines are never updated or deleted, even by raw SQL or a bulk
queryset call that bypasses the models (invoices.models.Immutable): on PostgreSQL a trigger
refuses it. (TRUNCATE, used by test flushes, fires no row trigger.) SQLite relies on the ORM."""
from django.db import migrations

TABLES = ["invoices_invoice", "invoices_invoiceline"]

CREATE_FUNCTION = """
CREATE OR REPLACE FUNCTION invoices_refuse_change() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION USING ERRCODE = 'restrict_violation',
        MESSAGE = 'issued invoices are immutable (' || TG_OP || ' on ' || TG_TABLE_NAME || '): issue a credit note';
END;
$$ LANGUAGE plpgsql;
"""


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(CREATE_FUNCTION)
    for table in TABLES:
        schema_editor.execute(f"CREATE TRIGGER {table}_immutable BEFORE UPDATE OR DELETE ON {table} "
                              f"FOR EACH ROW EXECUTE FUNCTION invoices_refuse_change()")


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table in TABLES:
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_immutable ON {table}")
    schema_editor.execute("DROP FUNCTION IF EXISTS invoices_refuse_change()")


class Migration(migrations.Migration):
    dependencies = [("invoices", "0001_initial")]
    operations = [migrations.RunPython(forwards, backwards)]
