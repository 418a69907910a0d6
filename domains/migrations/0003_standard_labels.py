from django.db import migrations

LABELS = [
    ("Demeure Historique", "demeure-historique", "network", "https://www.demeure-historique.org/"),
    ("Vieilles Maisons Françaises (VMF)", "vmf", "network", "https://www.vmfpatrimoine.org/"),
    ("Bienvenue au château", "bienvenue-au-chateau", "network", ""),
    ("Gîtes de France", "gites-de-france", "label", "https://www.gites-de-france.com/"),
    ("Clévacances", "clevacances", "label", "https://www.clevacances.com/"),
    ("Fondation du patrimoine", "fondation-du-patrimoine", "network", "https://www.fondation-patrimoine.org/"),
    ("Maisons des Illustres", "maisons-des-illustres", "label", ""),
    ("Jardin remarquable", "jardin-remarquable", "label", ""),
    ("Qualité Tourisme", "qualite-tourisme", "label", ""),
    ("Accueil Vélo", "accueil-velo", "label", ""),
]


def add(apps, schema_editor):
    Label = apps.get_model("domains", "Label")
    for name, slug, kind, website in LABELS:
        Label.objects.get_or_create(slug=slug, defaults={"name": name, "kind": kind, "website": website})


class Migration(migrations.Migration):
    dependencies = [("domains", "0002_moderationqueue")]
    operations = [migrations.RunPython(add, migrations.RunPython.noop)]
