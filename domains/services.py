"""Changes to a domain itself: its creation and what blocks its submission. The moderation
workflow, labels, photos and slugs each have their own module."""
from datetime import date
from typing import Any

from django.utils.translation import gettext as _

from accounts.models import User

from .models import Domain
from .slugs import unique_slug


def create_domain(*, owner: User, values: dict[str, Any]) -> Domain:
    domain = Domain(owner=owner, **values)
    domain.slug = unique_slug(Domain, domain.name)
    domain.full_clean()
    domain.save()
    return domain


def submission_problems(domain: Domain, today: date) -> list[str]:
    """What the owner must still write before staff can validate the domain."""
    problems = []
    if not domain.history.strip():
        problems.append(_("Racontez l'histoire du lieu (étape « Informations »)."))
    if not (domain.commune and domain.region and domain.departement):
        problems.append(_("Indiquez la commune, le département et la région (étape « Adresse et localisation »)."))
    if domain.monument_protection and not domain.merimee_reference:
        problems.append(_("Indiquez la référence Mérimée du monument historique (étape « Labels et protections »)."))
    return problems
