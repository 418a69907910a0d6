"""The owner dashboard's lists as export kinds (`exports.registry`), registered from
`BookingsConfig.ready()`: "Réservations" (the current filter and search) and "Clients". The
rows come from `bookings.selectors`, the same reads the pages use."""
from datetime import date

from django.http import QueryDict
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from exports.registry import Column, ExportKind

from . import selectors
from .selectors import ListFilter


def _search(query: QueryDict) -> str:
    return query.get("q", "").strip()[:100]


# --- Réservations -----------------------------------------------------------------------------

def booking_params(query: QueryDict, today: date) -> dict:
    # "today" is frozen with the request, so a worker writes the very list the owner saw.
    return {"filter": ListFilter.clean(query.get("filtre")), "q": _search(query), "today": today.isoformat()}


def booking_queryset(owner, params: dict):
    return selectors.owner_bookings(owner=owner, list_filter=params["filter"], query=params["q"],
                                    today=date.fromisoformat(params["today"]))


def booking_row(booking, params: dict) -> list:
    today = date.fromisoformat(params["today"])
    return [str(selectors.row_state(booking, today=today).label), booking.reference, selectors.offer_label(booking),
            booking.arrival, booking.departure, booking.guests, booking.total_price, booking.refunded_amount,
            selectors.traveller_name(booking.traveller)]


def booking_title(params: dict) -> str:
    title, list_filter, query = _("Réservations"), ListFilter.clean(params.get("filter")), params.get("q")
    if list_filter != ListFilter.ALL:
        title = f"{title} – {ListFilter.label(list_filter)}"
    return f"{title} – « {query} »" if query else title


def booking_filename(params: dict) -> str:
    name = _("reservations")  # outside the f-string, where makemessages reads it
    return slugify(f"{name} {params['filter']} {params['today']}")


BOOKINGS = ExportKind(
    name="bookings",
    tab="bookings",
    back_url="dashboard_bookings",
    columns=(
        Column(gettext_lazy("Statut")),
        Column(gettext_lazy("Référence")),
        Column(gettext_lazy("Offre"), width=55),
        Column(gettext_lazy("Arrivée"), "date"),
        Column(gettext_lazy("Départ"), "date"),
        Column(gettext_lazy("Voyageurs"), "int", total=True),
        Column(gettext_lazy("Total"), "money", total=True),
        Column(gettext_lazy("Remboursé"), "money", total=True),
        Column(gettext_lazy("Voyageur")),
    ),
    parse_params=booking_params,
    queryset=booking_queryset,
    row=booking_row,
    title=booking_title,
    filename=booking_filename,
    count_label=lambda n: ngettext("%(n)s réservation", "%(n)s réservations", n) % {"n": n},
)


# --- Clients ------------------------------------------------------------------------------------

def client_params(query: QueryDict, today: date) -> dict:
    return {"q": _search(query), "today": today.isoformat()}


def client_row(client, params: dict) -> list:
    return [client.get_full_name(), client.email, client.phone, client.confirmed_bookings, client.last_arrival]


def client_title(params: dict) -> str:
    title = _("Clients")
    return f"{title} – « {params['q']} »" if params.get("q") else title


CLIENTS = ExportKind(
    name="clients",
    tab="clients",
    back_url="dashboard_clients",
    columns=(
        Column(gettext_lazy("Nom")),
        Column(gettext_lazy("Courriel"), width=30),
        Column(gettext_lazy("Téléphone")),
        Column(gettext_lazy("Réservations confirmées"), "int", total=True),
        Column(gettext_lazy("Dernier séjour"), "date"),
    ),
    parse_params=client_params,
    queryset=lambda owner, params: selectors.owner_clients(owner=owner, query=params["q"]),
    row=client_row,
    title=client_title,
    filename=lambda params: slugify(_("clients") + f" {params['today']}"),
    count_label=lambda n: ngettext("%(n)s client", "%(n)s clients", n) % {"n": n},
)
