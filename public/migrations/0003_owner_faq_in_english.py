from django.db import migrations


def fill_english_owner_faq(apps, schema_editor):
    """Databases seeded before the English owner FAQ existed get it, unless staff wrote one."""
    from public.content import SEED_DIR

    text = (SEED_DIR / "faq-proprietaires.en.txt").read_text(encoding="utf-8").strip()
    apps.get_model("public", "Page").objects.filter(slug="faq-proprietaires", body_en="").update(body_en=text)


class Migration(migrations.Migration):
    dependencies = [("public", "0002_seed_content_pages")]

    operations = [migrations.RunPython(fill_english_owner_faq, migrations.RunPython.noop)]
