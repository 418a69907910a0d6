"""The two foundations named in the FAQ, equal shares. Bookings that ended before this app
existed get the same equal weights, so every donation in the ledger is divided."""
from django.db import migrations

FOUNDATIONS = [
    ("Fondation Mérimée", "https://www.fondation-merimee.fr",
     "Soutient la restauration des monuments historiques privés ouverts au public."),
    ("La Sauvegarde de l'Art Français", "https://www.sauvegardeartfrancais.fr",
     "Depuis 1921, aide à sauver les églises rurales et les objets d'art des petites communes."),
]


def seed(apps, schema_editor):
    Foundation = apps.get_model("donations", "Foundation")
    DonationAllocation = apps.get_model("donations", "DonationAllocation")
    LedgerTransaction = apps.get_model("payouts", "LedgerTransaction")
    foundations = [Foundation.objects.get_or_create(name=name, defaults={"website": website, "description": text,
                                                                         "weight": 1})[0]
                   for name, website, text in FOUNDATIONS]
    ended = LedgerTransaction.objects.filter(kind="booking_ended", entries__account="donation_payable")
    for booking_id, occurred_at in ended.values_list("booking_id", "occurred_at").distinct():
        DonationAllocation.objects.bulk_create(
            [DonationAllocation(booking_id=booking_id, foundation=f, weight=1, created_at=occurred_at)
             for f in foundations], ignore_conflicts=True)


class Migration(migrations.Migration):
    dependencies = [("donations", "0001_initial"), ("payouts", "0004_ledger_connect_payouts")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
