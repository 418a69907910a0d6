"""Demo lodgings for `seed_demo` (`demo_data` app): gîtes and chambres d'hôtes with their rooms,
in every status, on the demo domains just created (`domains.demo`)."""
from datetime import datetime
from decimal import Decimal

from domains.demo import domain_colour, moderation_values
from domains.demo_pictures import demo_picture
from domains.models import Domain, OfferStatus
from domains.photos import add_photo
from domains.slugs import unique_slug

from .models import Amenity, Lodging, Unit
from .services import refresh_search_columns

P, S, D, R = OfferStatus.PUBLISHED, OfferStatus.SUBMITTED, OfferStatus.DRAFT, OfferStatus.REJECTED

# domain name → lodgings: (kind, title, status, [(room, adults, children, price)])
LODGINGS = {
    "Manoir de Kervoas": [("chambres_hotes", "Les chambres du manoir", P,
                           [("Chambre de l'Armateur", 2, 0, "125"), ("Chambre de la Baie", 2, 1, "140"),
                            ("Chambre du Pigeonnier", 2, 0, "110")])],
    "Château de Castelnau-Bretenoux": [("chambres_hotes", "Chambres de la Tour", P,
                                        [("Chambre du Sénéchal", 2, 0, "180"), ("Chambre Renaissance", 2, 2, "210")]),
                                       ("gite", "Gîte de la Basse-cour", D, [("Gîte de la Basse-cour", 6, 2, "260")])],
    "Moulin de la Roche": [("gite", "Le Moulin entier", P, [("Le Moulin", 6, 2, "240")])],
    "Prieuré Saint-Gilles": [("chambres_hotes", "Cellules du prieur", P,
                              [("Cellule Saint-Benoît", 2, 0, "95"), ("Cellule Sainte-Scholastique", 1, 0, "75")])],
    "Ferme du Clos Normand": [("gite", "Le Pressoir", P, [("Le Pressoir", 4, 2, "150")]),
                              ("chambres_hotes", "Chambres du Verger", S, [("Chambre Calvados", 2, 0, "90")])],
    "Château de la Motte-Chandeniers": [("gite", "Le Logis des Douves", P, [("Logis des Douves", 8, 2, "390")])],
    "Maison de maître des Tilleuls": [("chambres_hotes", "Chambres du Négociant", P,
                                       [("Chambre Pommard", 2, 0, "160"), ("Chambre Volnay", 2, 1, "170")])],
    "Château d'Aulteribe": [("chambres_hotes", "Appartements du château", S, [("Chambre de la Marquise", 2, 0, "190")])],
    "Bastide des Oliviers": [("gite", "Le Mas", D, [("Le Mas", 6, 0, "280")])],
    "Château de Villesavin": [("chambres_hotes", "Chambres du Trésorier", R, [("Chambre François Ier", 2, 0, "200")])],
    "Abbaye de Saint-Martin-du-Canigou": [("chambres_hotes", "Hôtellerie de l'abbaye", P,
                                           [("Cellule Oliba", 1, 0, "65"), ("Cellule Guifred", 2, 0, "85")])],
    "Château de Montmelas": [("gite", "La Conciergerie", P, [("La Conciergerie", 4, 1, "170")])],
}


# Taxe de séjour: the commune's INSEE code of each demo domain (Code officiel géographique;
# touristtax/demo.py seeds their tariffs), and the classification of the gîtes (chambres
# d'hôtes are classified "chambres d'hôtes"). The abbey's host is a professional.
COMMUNE_INSEE = {
    "Manoir de Kervoas": "29190", "Château de Castelnau-Bretenoux": "46229", "Moulin de la Roche": "49328",
    "Prieuré Saint-Gilles": "41149", "Ferme du Clos Normand": "14070", "Château de la Motte-Chandeniers": "86274",
    "Maison de maître des Tilleuls": "21054", "Château d'Aulteribe": "63422", "Bastide des Oliviers": "13100",
    "Château de Villesavin": "41262", "Abbaye de Saint-Martin-du-Canigou": "66044",
    "Château de Montmelas": "69137",
}
GITE_CLASSIFICATION = {"Gîte de la Basse-cour": "2", "Le Moulin entier": "non_classe", "Le Pressoir": "3",
                       "Le Logis des Douves": "4", "Le Mas": "3", "La Conciergerie": "non_classe"}
PROFESSIONAL_HOSTS = {"Hôtellerie de l'abbaye"}


def seed(*, domains: list[Domain], now: datetime, stdout) -> None:
    made = 0
    for domain in domains:
        for row in LODGINGS.get(domain.name, []):
            _seed_lodging(domain, row, now=now)
            made += 1
    stdout.write(f"lodgings: {made} demo lodging(s) created")


def _seed_lodging(domain: Domain, row, *, now: datetime) -> None:
    kind, title, status, rooms = row
    lodging = Lodging.objects.create(
        domain=domain, kind=kind, title=title, slug=unique_slug(Lodging, title), wizard_step="photos",
        description=f"{title} : le calme de {domain.name}, des murs chargés d'histoire et le confort d'aujourd'hui.",
        accessibility_notes="Escalier en pierre à vis, pas d'ascenseur. Chauffage d'octobre à avril.",
        cleaning_fee=Decimal("40") if kind == "gite" else Decimal("0"), min_nights=2 if kind == "gite" else 1,
        booking_mode="instant" if len(title) % 2 else "request", deposit_amount=Decimal("300") if kind == "gite"
        else Decimal("0"), deposit_terms="Chèque remis à l'arrivée, rendu au départ." if kind == "gite" else "",
        house_rules="Merci de respecter le calme du lieu après 22 h.",
        house_rules_en="Please keep the place quiet after 10 pm.",
        # Gîtes have an English description; chambres d'hôtes show the French on English pages.
        description_en=(f"{title}: the calm of {domain.name}, walls steeped in history and today's comforts."
                        if kind == "gite" else ""),
        commune_insee=COMMUNE_INSEE.get(domain.name, ""),
        tax_classification="chambres_hotes" if kind == "chambres_hotes" else GITE_CLASSIFICATION.get(title, "non_classe"),
        host_is_professional=title in PROFESSIONAL_HOSTS, **moderation_values(status, now))
    lodging.amenities.set(Amenity.objects.filter(code__in=["wifi", "parking", "parc", "linge"]))
    for position, (room, adults, children, price) in enumerate(rooms):
        Unit.objects.create(lodging=lodging, name=room, position=position, adults_capacity=adults,
                            children_capacity=children, beds="1 lit double 160" if adults == 2 else "Lits simples",
                            nightly_price=Decimal(price))
    lighter = tuple(min(c + 30, 255) for c in domain_colour(domain))
    add_photo(offer=lodging, upload=demo_picture(lighter, title, kind="room"), caption=title)
    refresh_search_columns(lodging=lodging)
