"""The VAT rule of commission invoices (docs/invoices.md). The commission is TTC (it is what
the platform keeps from the traveller's payment); the invoice shows it split:
HT = TTC / (1 + rate), rounded half-up to the cent with the project's one rounding
(core.money.round_money), and VAT = TTC − HT. Each line is split on its own and the totals
are the sums of the lines, so the document always adds up, line by line and in total."""
from dataclasses import dataclass
from decimal import Decimal

from core.money import from_cents, round_money, to_cents


@dataclass(frozen=True)
class Split:
    ht_cents: int
    vat_cents: int
    ttc_cents: int


def split_ttc(ttc_cents: int, *, rate: Decimal) -> Split:
    ht_cents = to_cents(round_money(from_cents(ttc_cents) / (1 + rate)))
    return Split(ht_cents=ht_cents, vat_cents=ttc_cents - ht_cents, ttc_cents=ttc_cents)


def total(splits: list[Split]) -> Split:
    return Split(ht_cents=sum(s.ht_cents for s in splits), vat_cents=sum(s.vat_cents for s in splits),
                 ttc_cents=sum(s.ttc_cents for s in splits))
