from django.db import migrations, models

ENGLISH = {
    "wifi": "Wi-Fi", "parking": "Parking", "parc": "Park or garden", "piscine": "Swimming pool",
    "cheminee": "Fireplace", "cuisine": "Equipped kitchen", "lave-linge": "Washing machine",
    "petit-dejeuner": "Breakfast included", "animaux": "Pets allowed", "recharge-vehicule": "EV charging point",
    "velos": "Bicycles available", "plain-pied": "Ground-floor room", "chauffage": "Heating all year round",
    "linge": "Bed and bath linen provided", "lit-bebe": "Baby cot",
}


def add_english(apps, schema_editor):
    Amenity = apps.get_model("lodgings", "Amenity")
    for code, name in ENGLISH.items():
        Amenity.objects.filter(code=code, name_en="").update(name_en=name)


class Migration(migrations.Migration):
    dependencies = [("lodgings", "0003_text_length_limits")]
    operations = [
        migrations.AddField(model_name="amenity", name="name_en",
                            field=models.CharField(blank=True, max_length=80, verbose_name="nom (anglais)")),
        migrations.RunPython(add_english, migrations.RunPython.noop),
    ]
