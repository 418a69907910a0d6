"""A kind registered by the tests themselves: the owner's domains, each worth 12,50 €. It
proves the exports app works for any registered list, without depending on one client."""
from datetime import UTC, datetime
from decimal import Decimal

import pytest

from domains.models import Domain
from exports import registry
from exports.registry import Column, ExportKind

NOW = datetime(2027, 5, 3, 10, 0, tzinfo=UTC)


def places_kind(*, row=None) -> ExportKind:
    return ExportKind(
        name="test-domains", tab="domains", back_url="dashboard_domains",
        columns=(Column("Nom"), Column("Montant", "money", total=True)),
        parse_params=lambda query, today: {"q": query.get("q", ""), "today": today.isoformat()},
        queryset=lambda owner, params: Domain.objects.filter(owner=owner, name__icontains=params["q"]).order_by("name"),
        row=row or (lambda domain, params: [domain.name, Decimal("12.50")]),
        title=lambda params: "Domaines", filename=lambda params: f"domaines-{params['today']}",
        count_label=lambda n: f"{n} domaines")


@pytest.fixture
def domains_kind(monkeypatch):
    kind = places_kind()
    monkeypatch.setitem(registry._KINDS, kind.name, kind)
    return kind


@pytest.fixture
def places(owner, other_owner):
    for name, who in (("Abbaye de Fontdouce", owner), ("Moulin du Got", owner), ("Château d'Autrui", other_owner)):
        Domain.objects.create(owner=who, name=name, slug=name.lower().replace(" ", "-").replace("'", ""),
                              heritage_kind="chateau")
