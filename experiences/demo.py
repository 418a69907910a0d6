"""Demo experiences for `seed_demo` (`demo_data` app): visits, workshops, tastings… in every status,
each with a period, on the demo domains just created (`domains.demo`); the published ones get
their sessions generated."""
from datetime import datetime, timedelta
from decimal import Decimal

from django.utils import timezone

from domains.demo import moderation_values
from domains.models import Domain, OfferStatus
from domains.slugs import unique_slug

from .models import Experience, Period
from .services import generate_sessions

P, S, D = OfferStatus.PUBLISHED, OfferStatus.SUBMITTED, OfferStatus.DRAFT

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


def seed(*, domains: list[Domain], now: datetime, stdout) -> None:
    made = 0
    for domain in domains:
        for row in EXPERIENCES.get(domain.name, []):
            _seed_experience(domain, row, now=now)
            made += 1
    stdout.write(f"experiences: {made} demo experience(s) created")


def _seed_experience(domain: Domain, row, *, now: datetime) -> None:
    title, category, status, minutes, capacity, price, weekdays, times, months = row
    experience = Experience.objects.create(
        domain=domain, title=title, slug=unique_slug(Experience, title), category=category, wizard_step="photos",
        description=f"{title} à {domain.name}, guidé par les propriétaires.", duration_minutes=minutes,
        capacity=capacity, price_per_person=Decimal(price), languages="fr,en", meeting_point="Cour d'honneur",
        **moderation_values(status, now))
    today = timezone.localdate(now)
    Period.objects.create(experience=experience, start_date=today + timedelta(days=3),
                          end_date=today + timedelta(days=30 * months), weekdays=weekdays, start_times=times)
    if status == P:
        generate_sessions(experience=experience, today=today)
