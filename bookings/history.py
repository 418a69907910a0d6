"""A booking's history lines are written once and read by people in different languages (the
traveller in English, the owner in French, staff). So an event stores what happened as a code
with its facts (`reason_code`, `reason_params`), rendered in the reader's language when shown;
`reason` keeps free text (an owner's refusal message) and lines written before codes."""
from decimal import Decimal

from django.utils.translation import gettext_lazy as _

from core.money import format_eur

REASONS = {
    "payment_received": _("Paiement reçu"),
    "payment_refused": _("Paiement reçu mais refusé : %(why)s"),
    "payment_refused_dates": _("Paiement reçu mais refusé : les dates ne sont plus disponibles"),
    "cancelled_by": _("Annulée par : %(who)s"),
    "refund": _("Remboursement de %(amount)s"),
    "no_answer": _("Pas de réponse dans le délai"),
    "no_payment": _("Pas de paiement dans le délai"),
    "checkout_lapsed": _("Paiement non terminé à temps"),
    "replaced": _("Remplacée par une nouvelle réservation"),
}


def _facts_for_reader(params: dict) -> dict:
    from .models import CancelledBy

    facts = dict(params)
    if "amount" in facts:
        facts["amount"] = format_eur(Decimal(facts["amount"]))
    if "who" in facts:
        facts["who"] = CancelledBy(facts["who"]).label
    return facts


def reason_text(code: str, params: dict | None, fallback: str = "") -> str:
    """The line in the active language; free text (or an unknown code) as written."""
    message = REASONS.get(code)
    if message is None:
        return fallback
    return str(message) % _facts_for_reader(params) if params else str(message)
