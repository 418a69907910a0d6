"""Offers ready for tests: a complete domain, lodging, experience in any status."""
from datetime import date, timedelta
from decimal import Decimal
from itertools import count

from domains.models import Domain, HeritageKind, OfferStatus
from experiences.models import Category, Experience, Period
from lodgings.models import Lodging, LodgingKind, Unit

_seq = count(1)


def make_domain(owner, *, status=OfferStatus.DRAFT, **extra) -> Domain:
    n = next(_seq)
    values = {"name": f"Château de Test {n}", "slug": f"chateau-test-{n}", "heritage_kind": HeritageKind.CHATEAU,
              "history": "Bâti au XVIe siècle.", "commune": "Amboise", "departement": "37",
              "region": "centre-val-de-loire", "status": status, "wizard_step": "photos", **extra}
    return Domain.objects.create(owner=owner, **values)


def make_lodging(domain, *, status=OfferStatus.DRAFT, kind=LodgingKind.CHAMBRES_HOTES, rooms=2, **extra) -> Lodging:
    n = next(_seq)
    lodging = Lodging.objects.create(domain=domain, kind=kind, title=extra.pop("title", f"Chambres {n}"),
                                     slug=f"chambres-{n}", description="De belles chambres.", status=status, **extra)
    for i in range(rooms):
        Unit.objects.create(lodging=lodging, name=f"Chambre {i + 1}", nightly_price=Decimal("120.00"), position=i)
    return lodging


def make_experience(domain, *, status=OfferStatus.DRAFT, period=True, today=None, **extra) -> Experience:
    n = next(_seq)
    experience = Experience.objects.create(domain=domain, title=f"Atelier {n}", slug=f"atelier-{n}",
                                           description="Un atelier.", category=Category.WORKSHOP,
                                           price_per_person=Decimal("35.00"), status=status, **extra)
    if period:
        start = (today or date.today()) + timedelta(days=7)  # noqa: DTZ011
        Period.objects.create(experience=experience, start_date=start, end_date=start + timedelta(days=30),
                              weekdays="67", start_times=["15:00", "17:00"])
    return experience
