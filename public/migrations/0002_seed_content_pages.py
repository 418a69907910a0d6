from django.db import migrations


def seed_pages(apps, schema_editor):
    from public.content import ensure_pages

    ensure_pages(apps.get_model("public", "Page"))


class Migration(migrations.Migration):
    dependencies = [("public", "0001_initial")]

    operations = [migrations.RunPython(seed_pages, migrations.RunPython.noop)]
