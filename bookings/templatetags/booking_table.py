"""`{% booking_table_rows rows reported %}`: the rows of the owner's bookings table, written
from Python.

The per-row template loop (three `{% url %}`, the date and money filters, two includes)
cost ~1.5 ms a row under load, 25 rows more than the rest of the page together (issue 14).
The markup is the template's, cell for cell; every value is escaped. A request to answer
is `_request_actions.html` written from Python too (its forms carry the page's CSRF token,
as `{% csrf_token %}` writes it); the booking page keeps the template."""
from functools import lru_cache
from html import escape as html_escape
from urllib.parse import quote

from django import template
from django.template.loader import get_template
from django.urls import reverse
from django.utils import timezone
from django.utils.dates import MONTHS_AP
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from accounts.templatetags.phones import phone
from core.escaping import escape
from core.links import url_for_each
from core.money import NBSP, _grouped, _separators

from ..models import BookingStatus
from ..selectors import ROW_STATES

register = template.Library()
EURO = NBSP + "€"  # format_eur's unit


@lru_cache(maxsize=4)
def _row_labels(language: str) -> tuple:
    """The rows' fixed words in this language, escaped; the states' labels by code."""
    return (escape(_("remboursée")), escape(_("Détails")),
            {state.code: escape(str(state.label)) for state in ROW_STATES})


@register.simple_tag(takes_context=True)
def booking_table_rows(context, rows, reported=()) -> str:
    links = url_for_each("dashboard_booking", [row.booking.reference for row in rows])
    language = get_language()
    refunded, details, states = _row_labels(language)
    separators = _separators(language)  # format_eur's, once for the table (markup-free: digits, separators)
    pill = None
    answer = None  # what the requests' forms share (CSRF token, where to come back)
    out = []
    # The row's texts are plain str (values or the row helpers'), escaped as `escape` would.
    for row in rows:
        booking = row.booking
        link = html_escape(links[booking.reference])
        reference = html_escape(booking.reference)
        state = f"{states[row.state.code]}{f' · {refunded}' if booking.refunded_amount else ''}"
        dates = booking.arrival.strftime("%d/%m/%Y")
        if booking.unit_id:
            dates += f"<br>→ {booking.departure.strftime('%d/%m/%Y')}"
        traveller = html_escape(row.traveller)
        if booking.pk in reported:
            if pill is None:
                pill = get_template("reports/includes/reported_pill.html").render()
            traveller += f" {pill}"
        if booking.status == BookingStatus.REQUESTED:
            if answer is None:
                answer = _answer_parts(context, [row.booking.reference for row in rows
                                                 if row.booking.status == BookingStatus.REQUESTED])
            actions = request_actions(row, answer)
        else:
            actions = f'<a href="{link}">{details}<span class="visually-hidden"> {reference}</span></a>'
        out.append(
            f'    <tr>\n'
            f'      <td><a class="status-pill status-{row.state.code}" href="{link}">{state}</a></td>\n'
            f'      <td><a href="{link}">{reference}</a></td>\n'
            f'      <td class="offer">{html_escape(row.offer)}</td>\n'
            f'      <td class="nowrap">{dates}</td>\n'
            f'      <td>{booking.guests}</td>\n'
            f'      <td class="num">{_grouped(booking.total_price, 2, *separators)}{EURO}</td>\n'
            f'      <td>{traveller}</td>\n'
            f'      <td class="actions">{actions}</td>\n'
            f'    </tr>\n')
    return mark_safe("".join(out))


def _csrf_input(context) -> str:
    """What `{% csrf_token %}` writes in this context."""
    token = context.get("csrf_token")
    if not token or token == "NOTPROVIDED":
        return ""
    return f'<input type="hidden" name="csrfmiddlewaretoken" value="{escape(token)}">'


@lru_cache(maxsize=4)
def _answer_labels(language: str) -> tuple:
    return (escape(_("avant le")), escape(_("Accepter")), escape(_("Refuser")),
            escape(_("Motif du refus (facultatif)")), escape(_("Refuser la demande")),
            _("Reste %(left)s"), _("Accepter la demande %(reference)s"), _("Refuser la demande %(reference)s"),
            {month: str(name) for month, name in MONTHS_AP.items()})


def _answer_parts(context, references) -> tuple:
    request = context.get("request")
    back = escape(request.get_full_path()) if request is not None else ""
    return (_csrf_input(context), back, url_for_each("dashboard_booking_accept", references),
            url_for_each("dashboard_booking_refuse", references), _answer_labels(get_language()),
            timezone.get_current_timezone())


def request_actions(row, answer) -> str:
    """bookings/dashboard/_request_actions.html for this row: accept (✓) and refuse (✗,
    optional reason), both POST with the page's CSRF token."""
    csrf, back, accept_urls, refuse_urls, labels, zone = answer
    before, accept, refuse, reason, refuse_request, left_format, accept_format, refuse_format, months = labels
    booking = row.booking
    reference = escape(booking.reference)
    deadline = ""
    if booking.respond_by:  # `|date:"j N H:i"` in the page's time zone
        local = booking.respond_by.astimezone(zone)
        deadline = f"{local.day} {months[local.month]} {local:%H:%M}"
    left = left_format % {"left": escape(row.time_left)}
    accept_label = accept_format % {"reference": reference}
    refuse_label = refuse_format % {"reference": reference}
    return (
        f'\n\n<div class="request-actions">\n'
        f'  <p class="time-left">{left}\n'
        f'    <small>({before} {escape(deadline)})</small></p>\n'
        f'  <form method="post" action="{escape(accept_urls[booking.reference])}" class="inline-form">\n'
        f'    {csrf}<input type="hidden" name="next" value="{back}">\n'
        f'    <button type="submit" class="icon-button icon-accept" title="{accept}"\n'
        f'            aria-label="{accept_label}"><span aria-hidden="true">✓</span></button>\n'
        f'  </form>\n'
        f'  <details class="refuse-box">\n'
        f'    <summary class="icon-button icon-refuse" title="{refuse}"\n'
        f'             aria-label="{refuse_label}"><span aria-hidden="true">✗</span></summary>\n'
        f'    <form method="post" action="{escape(refuse_urls[booking.reference])}">\n'
        f'      {csrf}<input type="hidden" name="next" value="{back}">\n'
        f'      <label for="refuse-reason-{reference}">{reason}</label>\n'
        f'      <textarea id="refuse-reason-{reference}" name="reason" rows="3" maxlength="2000"></textarea>\n'
        f'      <button type="submit" class="button button-small button-danger">{refuse_request}</button>\n'
        f'    </form>\n'
        f'  </details>\n'
        f'</div>\n')


@register.simple_tag
def client_table_rows(clients) -> str:
    """The « Clients » table's rows (the template's markup, every value escaped)."""
    bookings_url = escape(reverse("dashboard_bookings"))
    of = escape(_("réservations de"))
    out = []
    for client in clients:
        email = escape(client.email)
        number = (f'<a href="tel:{escape(client.phone)}">{escape(phone(client.phone))}</a>' if client.phone
                  else "—")
        last = client.last_arrival.strftime("%d/%m/%Y") if client.last_arrival else ""
        out.append(
            f'    <tr>\n'
            f'      <td>{escape(client.get_full_name()) or "—"}</td>\n'
            f'      <td><a href="mailto:{email}">{email}</a></td>\n'
            f'      <td>{number}</td>\n'
            f'      <td class="num"><a href="{bookings_url}?q={escape(quote(client.email, safe="/"))}">'
            f'{client.confirmed_bookings}<span class="visually-hidden"> {of} {email}</span></a></td>\n'
            f'      <td>{last}</td>\n'
            f'    </tr>\n')
    return mark_safe("".join(out))
