from django.db import migrations

AMENITIES = [
    ("wifi", "Wi-Fi"), ("parking", "Parking"), ("parc", "Parc ou jardin"), ("piscine", "Piscine"),
    ("cheminee", "Cheminée"), ("cuisine", "Cuisine équipée"), ("lave-linge", "Lave-linge"),
    ("petit-dejeuner", "Petit-déjeuner inclus"), ("animaux", "Animaux acceptés"),
    ("recharge-vehicule", "Borne de recharge"), ("velos", "Vélos à disposition"),
    ("plain-pied", "Chambre de plain-pied"), ("chauffage", "Chauffage toute l'année"),
    ("linge", "Linge de maison fourni"), ("lit-bebe", "Lit bébé"),
]


def add(apps, schema_editor):
    Amenity = apps.get_model("lodgings", "Amenity")
    for code, name in AMENITIES:
        Amenity.objects.get_or_create(code=code, defaults={"name": name})


class Migration(migrations.Migration):
    dependencies = [("lodgings", "0001_initial")]
    operations = [migrations.RunPython(add, migrations.RunPython.noop)]
