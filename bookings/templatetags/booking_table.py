"""`{% booking_table_rows rows reported %}`: the rows of the owner's bookings table, written
from Python.

The per-row template loop (three `{% url %}`, the date and money filters, two includes)
cost ~1.5 ms a row under load, 25 rows more than the rest of the page together (issue 14).
The markup is the template's, cell for cell; every value is escaped. A request to answer
keeps its template (`_request_actions.html`, with its CSRF-protected forms): there are few
on a page."""
from urllib.parse import quote

from django import template
from django.template.loader import get_template
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from accounts.templatetags.phones import phone
from core.escaping import escape
from core.links import url_for_each
from core.money import format_eur

from ..models import BookingStatus

register = template.Library()


@register.simple_tag(takes_context=True)
def booking_table_rows(context, rows, reported=()) -> str:
    links = url_for_each("dashboard_booking", [row.booking.reference for row in rows])
    refunded, details = escape(_("remboursée")), escape(_("Détails"))
    pill = None
    out = []
    for row in rows:
        booking = row.booking
        link = escape(links[booking.reference])
        reference = escape(booking.reference)
        state = f"{escape(str(row.state.label))}{f' · {refunded}' if booking.refunded_amount else ''}"
        dates = booking.arrival.strftime("%d/%m/%Y")
        if booking.unit_id:
            dates += f"<br>→ {booking.departure.strftime('%d/%m/%Y')}"
        traveller = escape(row.traveller)
        if booking.pk in reported:
            if pill is None:
                pill = get_template("reports/includes/reported_pill.html").render()
            traveller += f" {pill}"
        if booking.status == BookingStatus.REQUESTED:
            with context.push(row=row):
                actions = context.template.engine.get_template(
                    "bookings/dashboard/_request_actions.html").render(context)
        else:
            actions = f'<a href="{link}">{details}<span class="visually-hidden"> {reference}</span></a>'
        out.append(
            f'    <tr>\n'
            f'      <td><a class="status-pill status-{escape(row.state.code)}" href="{link}">{state}</a></td>\n'
            f'      <td><a href="{link}">{reference}</a></td>\n'
            f'      <td class="offer">{escape(row.offer)}</td>\n'
            f'      <td class="nowrap">{dates}</td>\n'
            f'      <td>{booking.guests}</td>\n'
            f'      <td class="num">{escape(format_eur(booking.total_price))}</td>\n'
            f'      <td>{traveller}</td>\n'
            f'      <td class="actions">{actions}</td>\n'
            f'    </tr>\n')
    return mark_safe("".join(out))


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
