"""Demo domains for `seed_demo` (`demo_data` app): 15 French heritage places across regions, in
every status, one with changes waiting for staff. Idempotent: a domain whose name exists is
left as it is. The offers' apps seed their lodgings and experiences on the domains created
here, with the helpers below (pictures, moderation dates)."""
from datetime import datetime, timedelta
from decimal import Decimal

from accounts.models import User

from .demo_pictures import demo_picture
from .models import Domain, DomainLabel, Label, OfferStatus, Revision
from .moderation import record_revision, submit_revision
from .photos import add_photo
from .slugs import unique_slug

P, S, D, R = OfferStatus.PUBLISHED, OfferStatus.SUBMITTED, OfferStatus.DRAFT, OfferStatus.REJECTED

# name, kind, period, commune, postal code, département, region, lat, lon, protection, Mérimée, labels,
# owner index (in the owners passed to `seed`), status, colour, history
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

def seed(*, owners: list[User], now: datetime, stdout) -> list[Domain]:
    """The demo domains not there yet, created now; returns them for the offers' seeders."""
    created = [_seed_domain(row, owner=owners[row[12]], now=now) for row in DOMAINS
               if not Domain.objects.filter(name=row[0]).exists()]
    stdout.write(f"domains: {len(created)} demo domain(s) created")
    return created


def _seed_domain(row, *, owner: User, now: datetime) -> Domain:
    (name, kind, period, commune, postal, dept, region, lat, lon, protection, merimee, labels, _owner, status,
     colour, history) = row
    domain = Domain.objects.create(
        owner=owner, name=name, slug=unique_slug(Domain, name), heritage_kind=kind, period=period, history=history,
        address_line="", postal_code=postal, commune=commune, departement=dept, region=region,
        latitude=Decimal(lat), longitude=Decimal(lon), monument_protection=protection, merimee_reference=merimee,
        monument_verified=status == P and bool(protection), wizard_step="photos", **moderation_values(status, now))
    for slug in labels:
        label = Label.objects.filter(slug=slug).first()
        if label:
            DomainLabel.objects.create(domain=domain, label=label, verified=status == P)
    add_photo(offer=domain, upload=demo_picture(colour, name, kind=kind), caption=f"{name}, vu du parc")
    if name == "Prieuré Saint-Gilles":  # a published domain with changes waiting for staff
        revision = record_revision(offer=domain, values={"history": history + " Les vitraux ont été restaurés en 2024."})
        submit_revision(revision=revision, now=now - timedelta(days=4))
        Revision.objects.filter(pk=revision.pk).update(submitted_at=now - timedelta(days=4))
    return domain


def domain_colour(domain: Domain) -> tuple[int, int, int]:
    """The colour of the domain's demo picture; its offers' pictures are lighter shades of it."""
    return next((row[14] for row in DOMAINS if row[0] == domain.name), (128, 128, 128))


def moderation_values(status: str, now: datetime) -> dict:
    """The moderation dates of a demo offer in `status`, as if it had gone through the queue."""
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


