"""Demo offers for `seed_demo`: ~15 French heritage domains across regions, their gîtes and
chambres d'hôtes, experiences with periods and generated sessions, in every status.
Idempotent: a domain whose slug exists is left as it is."""
from datetime import timedelta
from decimal import Decimal
from io import BytesIO

from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone
from PIL import Image, ImageDraw

from experiences.models import Experience, Period
from experiences.services import generate_sessions
from lodgings.models import Amenity, Lodging, Unit
from lodgings.services import refresh_search_columns

from .models import Domain, DomainLabel, Label, Revision
from .moderation import OfferStatus
from .services import add_photo, record_revision, submit_revision, unique_slug

User = get_user_model()
P, S, D, R = OfferStatus.PUBLISHED, OfferStatus.SUBMITTED, OfferStatus.DRAFT, OfferStatus.REJECTED
OWNERS = ["helene@demo.almaheritage.fr", "armand@demo.almaheritage.fr", "margot@demo.almaheritage.fr"]

# name, kind, period, commune, postal code, département, region, lat, lon, protection, Mérimée, labels,
# owner index, status, colour, history
DOMAINS = [
    ("Manoir de Kervoas", "manoir", "XVIe siècle", "Plouescat", "29430", "29", "bretagne", "48.6576", "-4.1699",
     "inscrit", "PA29000101", ["demeure-historique", "gites-de-france"], 0, P, (92, 110, 88),
     "Bâti en granit par une famille d'armateurs, le manoir domine la baie de Kernic depuis 1570."),
    ("Château de Castelnau-Bretenoux", "chateau", "XIIIe–XVIIe siècles", "Prudhomat", "46130", "46", "occitanie",
     "44.8667", "1.8372", "classe", "PA46000102", ["demeure-historique", "vmf", "bienvenue-au-chateau"], 1, P,
     (160, 82, 45), "Forteresse de grès rouge surveillant la Dordogne, remaniée en demeure à la Renaissance."),
    ("Moulin de la Roche", "moulin", "XVIIIe siècle", "Saumur", "49400", "49", "pays-de-la-loire", "47.2600",
     "-0.0769", "", "", ["gites-de-france"], 2, P, (120, 140, 160),
     "Moulin à eau sur le Thouet, il a moulu le blé des coteaux jusqu'en 1952 ; sa roue tourne encore."),
    ("Prieuré Saint-Gilles", "prieure", "XIIe siècle", "Montoire-sur-le-Loir", "41800", "41", "centre-val-de-loire",
     "47.7527", "0.8655", "classe", "PA41000103", ["vmf"], 1, P, (180, 160, 120),
     "Ancien prieuré bénédictin aux fresques romanes, sur la route des pèlerins de Compostelle."),
    ("Abbaye de Fontcaude", "abbaye", "XIIe siècle", "Cazedarnes", "34460", "34", "occitanie", "43.4167",
     "3.0500", "inscrit", "PA34000104", ["fondation-du-patrimoine"], 1, P, (200, 170, 110),
     "Abbaye prémontrée relevée de ses ruines par une association de passionnés, au cœur du Saint-Chinianais."),
    ("Ferme du Clos Normand", "ferme", "XVIIe siècle", "Beuvron-en-Auge", "14430", "14", "normandie", "49.1856",
     "-0.0464", "", "", ["gites-de-france", "clevacances"], 2, P, (140, 90, 70),
     "Colombages, pressoir à cidre et vergers de haute tige : une ferme du Pays d'Auge restée dans la famille."),
    ("Château de la Motte-Chandeniers", "chateau", "XVe siècle", "Les Trois-Moutiers", "86120", "86",
     "nouvelle-aquitaine", "47.0600", "-0.0450", "inscrit", "PA86000105", ["demeure-historique"], 0, P,
     (110, 120, 90), "Ses douves et sa tour d'angle racontent cinq siècles de guerres et de fêtes poitevines."),
    ("Maison de maître des Tilleuls", "maison_de_maitre", "XIXe siècle", "Beaune", "21200", "21",
     "bourgogne-franche-comte", "47.0260", "4.8400", "", "", ["bienvenue-au-chateau"], 2, P, (150, 120, 150),
     "Demeure de négociant en vins, caves voûtées et parc à la française au pied de la Côte."),
    ("Château d'Aulteribe", "chateau", "XVe siècle", "Sermentizon", "63120", "63", "auvergne-rhone-alpes",
     "45.7667", "3.4833", "classe", "PA63000106", ["vmf"], 1, S, (90, 90, 120),
     "Château fort devenu demeure romantique, avec son mobilier d'époque et sa vue sur le Livradois."),
    ("Manoir de Saint-Antoine", "manoir", "XVIIe siècle", "Rochefort-en-Terre", "56220", "56", "bretagne",
     "47.6990", "-2.3380", "", "", [], 0, S, (100, 130, 110),
     "Manoir de schiste au cœur d'une petite cité de caractère, jardins en terrasses."),
    ("Bastide des Oliviers", "other", "XVIIIe siècle", "Saint-Rémy-de-Provence", "13210", "13",
     "provence-alpes-cote-d-azur", "43.7890", "4.8310", "", "", ["gites-de-france"], 2, D, (190, 170, 120),
     "Bastide provençale entourée d'oliviers centenaires, au pied des Alpilles."),
    ("Moulin de Brocéliande", "moulin", "XVe siècle", "Paimpont", "35380", "35", "bretagne", "48.0180",
     "-2.1710", "", "", [], 0, D, (70, 110, 80), "Moulin à foulon au bord de l'étang, près de l'abbaye."),
    ("Château de Villesavin", "chateau", "XVIe siècle", "Tour-en-Sologne", "41250", "41", "centre-val-de-loire",
     "47.5380", "1.5060", "classe", "PA41000107", ["demeure-historique"], 1, R, (160, 150, 130),
     "Bâti par le trésorier de François Ier pendant le chantier de Chambord."),
    ("Abbaye de Saint-Martin-du-Canigou", "abbaye", "XIe siècle", "Casteil", "66820", "66", "occitanie",
     "42.5280", "2.3960", "classe", "PA66000108", ["fondation-du-patrimoine"], 2, P, (130, 120, 100),
     "Perchée à 1 055 m sur un éperon du Canigou, l'abbaye romane accueille des retraites depuis mille ans."),
    ("Château de Montmelas", "chateau", "XIIIe siècle", "Montmelas-Saint-Sorlin", "69640", "69",
     "auvergne-rhone-alpes", "46.0190", "4.6030", "inscrit", "PA69000109", ["vmf", "bienvenue-au-chateau"], 0, P,
     (170, 110, 90), "Silhouette crénelée au-dessus des vignes du Beaujolais, restaurée au XIXe siècle."),
]

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

# domain name → experiences: (title, category, status, minutes, capacity, price, weekdays, times, months)
EXPERIENCES = {
    "Château de Castelnau-Bretenoux": [("Visite aux chandelles", "visit", P, 90, 20, "18", "56", ["20:30"], 6)],
    "Moulin de la Roche": [("Atelier farine et pain au levain", "workshop", P, 150, 8, "45", "67", ["10:00"], 5)],
    "Prieuré Saint-Gilles": [("Les fresques romanes racontées", "visit", P, 60, 15, "9", "3567",
                              ["11:00", "15:00"], 4)],
    "Ferme du Clos Normand": [("Dégustation de cidres et calvados", "tasting", P, 90, 12, "22", "67",
                               ["15:00", "17:00"], 6)],
    "Maison de maître des Tilleuls": [("Cours de cuisine bourguignonne", "cooking", P, 180, 6, "85", "6",
                                       ["10:00"], 3),
                                      ("Concert de clavecin dans le salon", "concert", S, 75, 30, "25", "6",
                                       ["18:00"], 2)],
    "Abbaye de Fontcaude": [("Chantier de restauration bénévole", "restoration", P, 240, 10, "0", "6", ["09:00"], 4)],
    "Château de Montmelas": [("Dégustation de beaujolais au cuvage", "tasting", D, 90, 14, "20", "67", ["16:00"], 3)],
}


def seed(*, stdout) -> None:
    owners = {user.email: user for user in User.objects.filter(email__in=OWNERS)}
    if len(owners) < len(OWNERS):
        stdout.write("domains: demo owners missing, nothing to add")
        return
    made = 0
    for row in DOMAINS:
        if not Domain.objects.filter(name=row[0]).exists():
            with transaction.atomic():
                _seed_domain(row, owner=owners[OWNERS[row[12]]])
            made += 1
    stdout.write(f"domains: {made} demo domain(s) created")


def _seed_domain(row, *, owner) -> None:
    (name, kind, period, commune, postal, dept, region, lat, lon, protection, merimee, labels, _owner, status,
     colour, history) = row
    now = timezone.now()
    domain = Domain.objects.create(
        owner=owner, name=name, slug=unique_slug(Domain, name), heritage_kind=kind, period=period, history=history,
        address_line="", postal_code=postal, commune=commune, departement=dept, region=region,
        latitude=Decimal(lat), longitude=Decimal(lon), monument_protection=protection, merimee_reference=merimee,
        monument_verified=status == P and bool(protection), wizard_step="photos", **_moderation(status, now))
    for slug in labels:
        label = Label.objects.filter(slug=slug).first()
        if label:
            DomainLabel.objects.create(domain=domain, label=label, verified=status == P)
    add_photo(offer=domain, upload=_picture(colour, name), caption=f"{name}, vu du parc")
    for lodging_row in LODGINGS.get(name, []):
        _seed_lodging(domain, lodging_row, colour=colour, now=now)
    for experience_row in EXPERIENCES.get(name, []):
        _seed_experience(domain, experience_row, now=now)
    if name == "Prieuré Saint-Gilles":  # a published domain with changes waiting for staff
        revision = record_revision(offer=domain, values={"history": history + " Les vitraux ont été restaurés en 2024."})
        submit_revision(revision=revision, now=now - timedelta(days=4))
        Revision.objects.filter(pk=revision.pk).update(submitted_at=now - timedelta(days=4))


def _moderation(status: str, now) -> dict:
    values = {"status": status}
    if status in (S, P, R):
        values["submitted_at"] = now - timedelta(days=5 if status == S else 20)
    if status in (P, R):
        values["reviewed_at"] = now - timedelta(days=18)
    if status == P:
        values["published_at"] = now - timedelta(days=18)
    if status == R:
        values["rejection_reason"] = ("Les photos ne montrent pas les chambres proposées : ajoutez-en au moins une "
                                      "par chambre, puis soumettez de nouveau.")
    return values


def _seed_lodging(domain, row, *, colour, now) -> None:
    kind, title, status, rooms = row
    lodging = Lodging.objects.create(
        domain=domain, kind=kind, title=title, slug=unique_slug(Lodging, title), wizard_step="photos",
        description=f"{title} : le calme de {domain.name}, des murs chargés d'histoire et le confort d'aujourd'hui.",
        accessibility_notes="Escalier en pierre à vis, pas d'ascenseur. Chauffage d'octobre à avril.",
        cleaning_fee=Decimal("40") if kind == "gite" else Decimal("0"), min_nights=2 if kind == "gite" else 1,
        booking_mode="instant" if len(title) % 2 else "request", deposit_amount=Decimal("300") if kind == "gite"
        else Decimal("0"), deposit_terms="Chèque remis à l'arrivée, rendu au départ." if kind == "gite" else "",
        house_rules="Merci de respecter le calme du lieu après 22 h.", **_moderation(status, now))
    lodging.amenities.set(Amenity.objects.filter(code__in=["wifi", "parking", "parc", "linge"]))
    for position, (room, adults, children, price) in enumerate(rooms):
        Unit.objects.create(lodging=lodging, name=room, position=position, adults_capacity=adults,
                            children_capacity=children, beds="1 lit double 160" if adults == 2 else "Lits simples",
                            nightly_price=Decimal(price))
    add_photo(offer=lodging, upload=_picture(tuple(min(c + 30, 255) for c in colour), title), caption=title)
    refresh_search_columns(lodging=lodging)


def _seed_experience(domain, row, *, now) -> None:
    title, category, status, minutes, capacity, price, weekdays, times, months = row
    experience = Experience.objects.create(
        domain=domain, title=title, slug=unique_slug(Experience, title), category=category, wizard_step="photos",
        description=f"{title} à {domain.name}, guidé par les propriétaires.", duration_minutes=minutes,
        capacity=capacity, price_per_person=Decimal(price), languages="fr,en", meeting_point="Cour d'honneur",
        **_moderation(status, now))
    today = timezone.localdate(now)
    Period.objects.create(experience=experience, start_date=today + timedelta(days=3),
                          end_date=today + timedelta(days=30 * months), weekdays=weekdays, start_times=times)
    if status == P:
        generate_sessions(experience=experience, today=today)


def _picture(colour, text: str) -> SimpleUploadedFile:
    """A plain demo picture: a coloured field with a lighter band, no camera needed."""
    image = Image.new("RGB", (1600, 1000), colour)
    ImageDraw.Draw(image).rectangle([0, 700, 1600, 1000], fill=tuple(min(c + 60, 255) for c in colour))
    buffer = BytesIO()
    image.save(buffer, "JPEG", quality=80)
    return SimpleUploadedFile(f"{text[:20]}.jpg", buffer.getvalue(), content_type="image/jpeg")
