"""Demo communes and tariffs for `seed_demo` (docs/tourist-tax.md#where-the-figures-come-from).

Two grids are published figures (Saumur Val de Loire's non-classified rate and cap, Beaulieu's
2024 grid); the other demo communes get one illustrative grid, labelled as such in `source`:
staff replace it with each commune's délibération and check every grid once a year."""
from datetime import date
from decimal import Decimal

from .models import Commune, Tariff

D = Decimal
DEMO_SOURCE = "Chiffres de démonstration (barème type, pas la délibération de la commune)"
# category -> per person per night (classified) | (rate %, cap or None) for "non_classe"
DEMO_GRID = {"1": D("0.80"), "chambres_hotes": D("0.80"), "2": D("0.90"), "3": D("1.20"), "4": D("1.70"),
             "5": D("2.50"), "non_classe": (D("5"), None)}

# INSEE code, name, département, grid, source, valid from
COMMUNES = [
    ("49328", "Saumur", "49", {**DEMO_GRID, "non_classe": (D("5"), D("4.60"))},
     "Saumur Val de Loire, conseil communautaire du 11 mai 2023 : 5 % pour les non classés, plafond 4,60 € "
     "(le-kiosque.org) ; autres catégories : chiffres de démonstration", date(2024, 1, 1)),
    ("07029", "Beaulieu", "07", {"5": D("2.30"), "4": D("1.65"), "3": D("1.10"), "2": D("0.80"), "1": D("0.70"),
                                 "chambres_hotes": D("0.70"), "non_classe": (D("4.4"), D("3.75"))},
     "Tarifs 2024 publiés par la commune de Beaulieu (Ardèche), intramuros.org/beaulieu07", date(2024, 1, 1)),
    ("29190", "Plouescat", "29", DEMO_GRID, DEMO_SOURCE, date(2025, 1, 1)),
    ("46229", "Prudhomat", "46", DEMO_GRID, DEMO_SOURCE, date(2025, 1, 1)),
    ("14070", "Beuvron-en-Auge", "14", DEMO_GRID, DEMO_SOURCE, date(2025, 1, 1)),
    ("86274", "Les Trois-Moutiers", "86", DEMO_GRID, DEMO_SOURCE, date(2025, 1, 1)),
    ("21054", "Beaune", "21", DEMO_GRID, DEMO_SOURCE, date(2025, 1, 1)),
    ("13100", "Saint-Rémy-de-Provence", "13", DEMO_GRID, DEMO_SOURCE, date(2025, 1, 1)),
    ("66044", "Casteil", "66", DEMO_GRID, DEMO_SOURCE, date(2025, 1, 1)),
    ("69137", "Montmelas-Saint-Sorlin", "69", DEMO_GRID, DEMO_SOURCE, date(2025, 1, 1)),
    # Montoire-sur-le-Loir (41149) is left without a tariff: its stays show the staff's
    # "tarif manquant" flag.
]


def seed(*, stdout) -> None:
    made = 0
    for code, name, departement, grid, source, valid_from in COMMUNES:
        commune, created = Commune.objects.get_or_create(insee_code=code,
                                                         defaults={"name": name, "departement": departement})
        if not created:
            continue
        for category, value in grid.items():
            if category == "non_classe":
                rate, cap = value
                Tariff.objects.create(commune=commune, category=category, valid_from=valid_from, rate_percent=rate,
                                      cap=cap, source=source)
            else:
                Tariff.objects.create(commune=commune, category=category, valid_from=valid_from,
                                      per_person_night=value, source=source)
        made += 1
    stdout.write(f"touristtax: {made} commune(s) with tariffs created")
