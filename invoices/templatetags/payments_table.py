"""The owner's « Paiements » tab written from Python: `{% payments_content %}` (the page's
content block) with its tables (`payout_table_rows`, `loose_document_items`, `upcoming_table_rows`).

Through the template engine each payout row's three `{% url %}`, its `{% blocktranslate %}`,
the dates' filter and the documents' loop, and each upcoming row's link and two dates, cost
more than the rest of the page together (issue 14). The markup is the template's, cell for
cell (invoices/tests/test_payments_table.py renders the former template beside it); every
value is escaped; links are reversed once per table (core/links.py); a date is written once
per language (`long_date`), the page's fixed sentences once per language. The pages of
payouts keep their template (bookings/dashboard/_pagination.html), rendered only when there
are several."""
from functools import lru_cache

from django import template
from django.template import Context
from django.template.defaultfilters import floatformat
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _

from core.dates import long_date
from core.escaping import escape
from core.links import url_for_each
from core.money import format_cents

from ..selectors import PAYOUT_PILLS, PAYOUT_STATES
from ..statements import WITH_STATEMENT

register = template.Library()
_HELP = template.Engine.get_default().from_string('{% load help_tags %}{% help_link "versement-des-gains" %}')


@lru_cache(maxsize=4096)
def _long_date(language: str, time_zone: str, value) -> str:
    """`|long_date:"DATE_FORMAT"` of a date or an aware datetime, escaped, in `language` and
    `time_zone` (the active ones: the filter's expects_localtime converts a datetime to the
    current time zone)."""
    if hasattr(value, "hour"):
        value = timezone.localtime(value).date()
    return escape(long_date(value, "DATE_FORMAT"))


def written_date(value) -> str:
    return _long_date(get_language(), timezone.get_current_timezone_name(), value)


@lru_cache(maxsize=4096)
def _cents(language: str, cents: int) -> str:
    return escape(format_cents(cents))


def written_cents(cents: int) -> str:
    """`|eur_cents`, escaped, in the active language."""
    return _cents(get_language(), cents)


@lru_cache(maxsize=16)
def _labels(language: str) -> dict:
    return {
        "of": _("du %(date)s"),
        "states": {status: escape(str(label)) for status, label in PAYOUT_STATES.items()},
        "credit_note": _("Avoir"), "invoice": _("Facture"),  # `{% translate "…" %}`: not escaped
    }


def _document_links(documents, labels: dict) -> list[str]:
    links = url_for_each("invoice_pdf", [document.number for document in documents])
    return [f'<a href="{escape(links[document.number])}">'
            f'{labels["credit_note"] if document.is_credit_note else labels["invoice"]} {escape(document.number)}</a>'
            for document in documents]


@register.simple_tag
def payout_table_rows(payouts) -> str:
    """payouts: (pk, month, status, amount_cents, documents) of the page."""
    labels = _labels(get_language())
    ids = [payout[0] for payout in payouts]
    details, pdfs, csvs = (url_for_each(name, ids) for name in ("payout_detail", "payout_statement_pdf",
                                                                  "payout_statement_csv"))
    out = []
    for pk, month, status, amount_cents, documents in payouts:
        statement = (f'<a href="{escape(pdfs[pk])}">PDF</a> · <a href="{escape(csvs[pk])}">CSV</a>'
                     if status in WITH_STATEMENT else "—")
        attached = "<br>".join(_document_links(documents, labels)) if documents else "—"
        out.append(
            f'\n    <tr>\n'
            f'      <td><a href="{escape(details[pk])}">{labels["of"] % {"date": written_date(month)}}</a></td>\n'
            f'      <td><span class="status-pill {PAYOUT_PILLS[status]}">{labels["states"][status]}</span></td>\n'
            f'      <td class="num">{written_cents(amount_cents)}</td>\n'
            f'      <td>{statement}</td>\n'
            f'      <td>{attached}</td>\n'
            f'    </tr>\n'
            f'  ')
    return mark_safe("".join(out))


@register.simple_tag
def loose_document_items(documents) -> str:
    labels = _labels(get_language())
    return mark_safe("".join(
        f'<li>{link} — {written_date(document.issue_date)} — {written_cents(document.total_ttc_cents)}</li>'
        for document, link in zip(documents, _document_links(documents, labels), strict=True)))


@register.simple_tag
def upcoming_table_rows(upcoming) -> str:
    """upcoming: selectors.UpcomingRow."""
    links = url_for_each("dashboard_booking", [row.reference for row in upcoming])
    language, zone = get_language(), timezone.get_current_timezone_name()
    return mark_safe("".join(
        f'\n    <tr>\n'
        f'      <td><a href="{escape(links[row.reference])}">{escape(row.reference)}</a></td>\n'
        f'      <td>{escape(row.title)}</td>\n'
        f'      <td class="nowrap">{_long_date(language, zone, row.service_end)}</td>\n'
        f'      <td class="num">{_cents(language, row.net_cents)}</td>\n'
        f'      <td class="nowrap">{_long_date(language, zone, row.payable_on)}</td>\n'
        f'    </tr>\n'
        f'  ' for row in upcoming))


@lru_cache(maxsize=16)
def _page_labels(language: str, rate_stay, rate_experience) -> dict:
    """The tab's fixed markup and sentences in `language` (the active one), as the template's
    `{% translate "…" %}` writes them: not escaped (a literal is safe), the links escaped."""
    return {
        "title": _("Paiements"),
        "help": _HELP.render(Context()),  # through the engine: invoices does not import helpcentre
        "connect_title": _("Compte Stripe Connect"),
        "finish": _("Terminer mon inscription Stripe"), "link": _("Relier mon compte Stripe"),
        "stripe_connect": escape(reverse("stripe_connect")),
        "no_address": _("Vous n'avez pas renseigné d'adresse de facturation : vos factures de commission "
                               "sont émises sans adresse tant qu'elle manque."),
        "address": _("Renseigner mon adresse de facturation"),
        "billing_address": escape(reverse("billing_address")),
        "transfers": _("Virements"),
        "scrollable": _("Tableau, défilable horizontalement"),
        "payout_head": "".join(f'      <th scope="col"{cls}>{label}</th>\n' for cls, label in (
            ("", _("Versement")), ("", _("État")), (' class="num"', _("Montant")), ("", _("Relevé")),
            ("", _("Factures et avoirs")))),
        "no_payout": _("Aucun virement pour le moment. Le 1er de chaque mois, nous vous versons les gains "
                              "des séjours et expériences terminés le mois précédent ; le relevé et la facture de "
                              "commission apparaîtront ici."),
        "other_documents": _("Autres factures et avoirs"),
        "earned": _("Gagné, pas encore versé"),
        "rates": _("Vos gains sont versés le 1er du mois qui suit la fin du séjour ou de l'expérience, notre "
                   "commission (%(rate_stay)s %% sur les hébergements, %(rate_exp)s %% sur les expériences, frais "
                   "bancaires inclus) déjà déduite.") % {"rate_stay": escape(floatformat(rate_stay)),
                                                         "rate_exp": escape(floatformat(rate_experience))},
        "upcoming_head": "".join(f'      <th scope="col"{cls}>{label}</th>\n' for cls, label in (
            ("", _("Réservation")), ("", _("Offre")), ("", _("Fin de la prestation")),
            (' class="num"', _("Net pour vous")), ("", _("Versement prévu le")))),
        "no_upcoming": _("Aucun gain en attente : les réservations payées dont le séjour ou l'expérience "
                                "n'est pas terminé apparaîtront ici, avec la date de leur versement."),
        # Patterns, filled in below (outside the f-strings, where makemessages reads them).
        "before": _("À fournir avant le %(deadline)s."),
        "first_shown": _("Les %(shown)s premières sont affichées ; toutes figurent dans l'onglet « Réservations »."),
    }


def _connect_pill(connect) -> str:
    if connect.ready:
        return "status-confirmed"
    return "status-past" if connect.code == "none" else "status-awaiting_payment"


@register.simple_tag(takes_context=True)
def payments_content(context) -> str:
    """The content block of invoices/dashboard_payments.html, from the view's context."""
    rates = context["rates"]
    labels = _page_labels(get_language(), rates["stay"], rates["experience"])
    connect, account, page = context["connect"], context["account"], context["page"]
    requirements_count = context["requirements_count"]
    requirements = ""
    if requirements_count:
        waiting = ngettext("Stripe attend encore %(counter)s information.",
                           "Stripe attend encore %(counter)s informations.", requirements_count)
        deadline = (labels["before"] % {"deadline": written_date(account.requirements_deadline)}
                    if account.requirements_deadline else "")
        requirements = (f'\n    <p class="notice">{waiting % {"counter": requirements_count}}\n'
                        f'    {deadline}</p>\n  ')
    button = ""
    if not connect.ready:
        button = (f'\n    <p><a class="button" href="{labels["stripe_connect"]}">'
                  f'{labels["finish"] if account else labels["link"]}</a></p>\n  ')
    billing = ""
    if not context["has_billing_address"]:
        billing = (f'\n<p class="notice">{labels["no_address"]}\n'
                   f'  <a href="{labels["billing_address"]}">{labels["address"]}</a></p>\n')
    payouts = context["payouts"]
    if payouts:
        count = page.paginator.count
        caption = ngettext("%(counter)s versement mensuel", "%(counter)s versements mensuels", count)
        pages = "\n\n"  # what the include writes around nothing
        if page.has_other_pages():
            pages = context.template.engine.get_template("bookings/dashboard/_pagination.html").render(context)
        transfers = (
            f'\n<div class="table-wrap" tabindex="0" role="region" aria-label="{labels["scrollable"]}">\n'
            f'<table class="data payouts-table">\n'
            f'  <caption>{caption % {"counter": count}}</caption>\n'
            f'  <thead>\n    <tr>\n{labels["payout_head"]}    </tr>\n  </thead>\n'
            f'  <tbody>\n  {payout_table_rows(payouts)}\n  </tbody>\n</table>\n</div>\n'
            f'{pages}\n')
    else:
        transfers = f'\n<div class="empty-state"><p>{labels["no_payout"]}</p></div>\n'
    loose = context["loose_documents"]
    others = (f'\n<h2>{labels["other_documents"]}</h2>\n<ul>\n  {loose_document_items(loose)}\n</ul>\n'
              if loose else "")
    upcoming, upcoming_count = context["upcoming"], context["upcoming_count"]
    if upcoming:
        caption = ngettext("%(counter)s réservation en cours ou à venir", "%(counter)s réservations en cours ou à venir",
                           upcoming_count)
        more = (f'<p>{labels["first_shown"] % {"shown": len(upcoming)}}</p>'
                if upcoming_count > len(upcoming) else "")
        earned = (
            f'\n<p>{labels["rates"]}</p>\n'
            f'<div class="table-wrap" tabindex="0" role="region" aria-label="{labels["scrollable"]}">\n'
            f'<table class="data upcoming-table">\n'
            f'  <caption>{caption % {"counter": upcoming_count}}</caption>\n'
            f'  <thead>\n    <tr>\n{labels["upcoming_head"]}    </tr>\n  </thead>\n'
            f'  <tbody>\n  {upcoming_table_rows(upcoming)}\n  </tbody>\n</table>\n</div>\n'
            f'{more}\n')
    else:
        earned = f'\n<div class="empty-state"><p>{labels["no_upcoming"]}</p></div>\n'
    return mark_safe(
        f'\n<h1>{labels["title"]}</h1>{labels["help"]}\n\n'
        f'<section class="connect-state" aria-labelledby="connect-title">\n'
        f'  <h2 id="connect-title">{labels["connect_title"]}</h2>\n  \n'
        f'  <p><span class="status-pill {_connect_pill(connect)}">{escape(connect.label)}</span>\n'
        f'    {escape(connect.detail)}</p>\n'
        f'  {requirements}\n  {button}\n</section>\n\n'
        f'{billing}\n\n'
        f'<h2>{labels["transfers"]}</h2>\n{transfers}\n\n'
        f'{others}\n\n'
        f'<h2>{labels["earned"]}</h2>\n{earned}\n')
