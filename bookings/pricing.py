"""Prices, computed on the server from the offer at booking time and frozen on the booking.

A price is a list of lines (`code`, `quantity`, `unit_price`, `amount`) stored as JSON with
amounts as strings, so the breakdown can be shown in any language later. Money is Decimal
with two places, rounded half-up in one place: `core.money.round_money`."""
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from core.money import format_eur, round_money
from experiences.models import Session
from lodgings.models import Unit
from touristtax import services as tourist_tax


@dataclass(frozen=True)
class Quote:
    total: Decimal
    lines: list[dict]


def _line(code: str, quantity: int, unit_price: Decimal) -> dict:
    return {"code": code, "quantity": quantity, "unit_price": str(round_money(unit_price)),
            "amount": str(round_money(unit_price * quantity))}


def _quote(lines: list[dict]) -> Quote:
    return Quote(total=round_money(sum((Decimal(line["amount"]) for line in lines), Decimal("0"))), lines=lines)


def stay_price(unit: Unit, arrival: date, departure: date) -> Quote:
    """Nights × the unit's nightly price, plus the lodging's cleaning fee."""
    return price_of_nights(unit.nightly_price, unit.lodging.cleaning_fee, (departure - arrival).days)


def price_of_nights(nightly_price: Decimal, cleaning_fee: Decimal, nights: int) -> Quote:
    """stay_price from the two prices themselves: the search cards have them as columns and
    print 20 totals a page, without building a Unit and a Lodging for each (issue 14)."""
    lines = [_line("nights", nights, nightly_price)]
    if cleaning_fee > 0:
        lines.append(_line("cleaning", 1, cleaning_fee))
    return _quote(lines)


def stay_tax(unit: Unit, arrival: date, departure: date, adults: int, children: int) -> tourist_tax.TaxQuote:
    """The taxe de séjour of the stay (touristtax): outside the price above, so outside the
    commission base and the owner's net; the traveller pays it with the booking."""
    return tourist_tax.quote_stay(lodging=unit.lodging, nightly_price=unit.nightly_price, arrival=arrival,
                                  departure=departure, adults=adults, children=children)


def tax_line(tax) -> list[dict]:
    """The breakdown's "Taxe de séjour" line (a quote or a booking's frozen tax), or nothing:
    {"label", "amount"} like `describe_lines`, amount None (and a "note") when the host collects it."""
    described = tourist_tax.describe(tax)
    if described is None:
        return []
    label = f"{described['label']} ({described['detail']})" if described["amount"] is not None else described["label"]
    return [{"label": label, "amount": described["amount"],
             "note": described["detail"] if described["amount"] is None else ""}]


def session_price(session: Session, adults: int, children: int) -> Quote:
    """Persons × the price per person; children at the child price when the owner set one."""
    experience = session.experience
    if experience.child_price is None:
        return _quote([_line("persons", adults + children, experience.price_per_person)])
    lines = [_line("adults", adults, experience.price_per_person)]
    if children:
        lines.append(_line("children", children, experience.child_price))
    return _quote(lines)


def describe_lines(lines: list[dict]) -> list[dict]:
    """Each stored line with a label in the active language and its amount as Decimal."""
    described = []
    for line in lines:
        qty, price = line["quantity"], format_eur(line["unit_price"])
        label = {
            "nights": ngettext("%(n)s nuit × %(price)s", "%(n)s nuits × %(price)s", qty),
            "cleaning": _("Frais de ménage"),
            "persons": ngettext("%(n)s personne × %(price)s", "%(n)s personnes × %(price)s", qty),
            "adults": ngettext("%(n)s adulte × %(price)s", "%(n)s adultes × %(price)s", qty),
            "children": ngettext("%(n)s enfant × %(price)s", "%(n)s enfants × %(price)s", qty),
        }.get(line["code"], line["code"])
        described.append({"label": label % {"n": qty, "price": price}, "amount": Decimal(line["amount"])})
    return described


@dataclass(frozen=True)
class CommissionSplit:
    rate: Decimal
    commission: Decimal
    owner_net: Decimal
    donation: Decimal


def commission_rate(kind: str) -> Decimal:
    """The rate in force now (settings); frozen on the booking when it is paid."""
    return Decimal(settings.COMMISSION_RATE_LODGING if kind == "stay" else settings.COMMISSION_RATE_EXPERIENCE)


def commission_split(*, total: Decimal, kind: str, rate: Decimal | None = None) -> CommissionSplit:
    """docs/product.md#money: our commission on the booking price (bank fees included), the owner's
    net, and the donation share (taken from our commission, not from the owner). `rate`: the
    one frozen on the booking when it was paid (payouts splits the amount kept with it)."""
    rate = commission_rate(kind) if rate is None else Decimal(rate)
    commission = round_money(total * rate)
    donation = min(round_money(total * settings.DONATION_SHARE_OF_BOOKING), commission)
    return CommissionSplit(rate=rate, commission=commission, owner_net=total - commission, donation=donation)
