"""Reads for the owner's dashboard (Réservations, Clients) and their exports.

Every list here is one query whatever its length: the offer, the domain and the traveller
come with `select_related`, the clients' counts with annotations."""
import json
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from django.db import connections
from django.db.models import BooleanField, Count, Field, Max, Q, QuerySet
from django.db.models.expressions import RawSQL
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext, pgettext_lazy

from accounts.models import User
from core.compiledsql import PAGE_LIMIT, PAGE_OFFSET, CompiledQuery, page_parameters

from .models import Booking, BookingStatus

PENDING_STATUSES = (BookingStatus.REQUESTED, BookingStatus.AWAITING_PAYMENT, BookingStatus.CHECKOUT)


class ListFilter:
    """The owner's sorting of bookings (FAQ "Mes réservations"); the values are URL slugs."""

    ALL = "toutes"
    UPCOMING = "a-venir"
    ONGOING = "en-cours"
    PENDING = "en-attente"
    PAST = "passees"
    REFUNDED = "remboursees"

    choices: tuple[tuple[str, Promise], ...] = (
        (ALL, pgettext_lazy("filtre", "Toutes")),
        (UPCOMING, pgettext_lazy("filtre", "À venir")),
        (ONGOING, pgettext_lazy("filtre", "En cours")),
        (PENDING, pgettext_lazy("filtre", "En attente")),
        (PAST, pgettext_lazy("filtre", "Passées")),
        (REFUNDED, pgettext_lazy("filtre", "Remboursées")),
    )

    @classmethod
    def clean(cls, value: str | None) -> str:
        """An unknown filter in the URL shows everything rather than an error."""
        return value if value in dict(cls.choices) else cls.ALL

    @classmethod
    def label(cls, value: str) -> Promise:
        return dict(cls.choices)[value]


def filter_condition(list_filter: str, *, today: date) -> Q:
    """The condition of each filter; `today` is the owner's day in Europe/Paris."""
    confirmed = Q(status=BookingStatus.CONFIRMED)
    return {
        ListFilter.ALL: Q(),
        ListFilter.UPCOMING: confirmed & Q(arrival__gt=today),
        ListFilter.ONGOING: confirmed & Q(arrival__lte=today, departure__gt=today),
        ListFilter.PENDING: Q(status__in=PENDING_STATUSES),
        ListFilter.PAST: confirmed & Q(departure__lte=today),
        ListFilter.REFUNDED: Q(refunded_amount__gt=0),
    }[list_filter]


# What comes first in each filter: what needs attention soonest.
FILTER_ORDERING = {
    ListFilter.ALL: ("-created_at", "-id"),
    ListFilter.UPCOMING: ("arrival", "id"),
    ListFilter.ONGOING: ("departure", "id"),
    ListFilter.PENDING: ("created_at", "id"),
    ListFilter.PAST: ("-arrival", "-id"),
    ListFilter.REFUNDED: ("-updated_at", "-id"),
}


def search_bookings(bookings: QuerySet[Booking], query: str) -> QuerySet[Booking]:
    """Each word must match the reference or the traveller's name, or their email where the
    page shows it (`contact_visible`: paid or confirmed). Searching hidden emails would let an
    owner rebuild an unpaid requester's address one yes/no search at a time."""
    email_shown = Q(status=BookingStatus.CONFIRMED) | Q(paid_at__isnull=False)
    for word in query.split()[:5]:
        bookings = bookings.filter(
            Q(reference__icontains=word) | Q(traveller__first_name__icontains=word)
            | Q(traveller__last_name__icontains=word) | (Q(traveller__email__icontains=word) & email_shown))
    return bookings


def owner_bookings(*, owner: User, list_filter: str = ListFilter.ALL, query: str = "",
                   today: date) -> QuerySet[Booking]:
    bookings = (Booking.objects.filter(owner=owner).filter(filter_condition(list_filter, today=today))
                .select_related("traveller", "unit__lodging__domain", "session__experience__domain")
                .order_by(*FILTER_ORDERING[list_filter]))
    return search_bookings(bookings, query.strip())


# The columns the list shows, read as plain values: building 25 bookings with their
# traveller, room, lodging, domain, session and experience as model instances cost more
# than the rest of the page (issue 14). `list_row()` gives them the booking's attributes
# that the row helpers below read (status, arrival, departure, guests…).
LIST_ROW_FIELDS = (
    "pk", "reference", "status", "arrival", "departure", "adults", "children", "total_price", "refunded_amount",
    "respond_by", "unit_id", "unit__name", "unit__lodging__title", "unit__lodging__domain__name", "session__start",
    "session__experience__title", "session__experience__domain__name", "traveller__first_name",
    "traveller__last_name", "traveller__email")


@dataclass(slots=True)
class ListBooking:
    """A booking of the list, from its values (`owner_booking_values`)."""
    pk: int
    reference: str
    status: str
    arrival: date
    departure: date
    guests: int
    total_price: object
    refunded_amount: object
    respond_by: datetime | None
    unit_id: int | None
    offer: str
    traveller: str


def owner_booking_values(bookings: QuerySet[Booking]) -> QuerySet:
    """The list's rows of these bookings, as tuples of LIST_ROW_FIELDS."""
    return bookings.select_related(None).values_list(*LIST_ROW_FIELDS)


def list_booking(values: tuple) -> ListBooking:
    (pk, reference, status, arrival, departure, adults, children, total_price, refunded_amount, respond_by, unit_id,
     unit_name, lodging_title, domain_name, session_start, experience_title, experience_domain_name, first_name,
     last_name, email) = values
    if unit_id:
        offer = lodging_title if unit_name == lodging_title else f"{lodging_title} / {unit_name}"
        offer = f"{domain_name} – {offer}"
    else:
        offer = (f"{experience_domain_name} – {experience_title} / "
                 f"{timezone.localtime(session_start):%d/%m/%Y %H:%M}")
    return ListBooking(pk=pk, reference=reference, status=status, arrival=arrival, departure=departure,
                       guests=adults + children, total_price=total_price, refunded_amount=refunded_amount,
                       respond_by=respond_by, unit_id=unit_id, offer=offer,
                       traveller=f"{first_name} {last_name}".strip() or email)


# --- The list's queries, built by the ORM once per process (issue 14) ----------------------

_OWNER, _DAY = -7_301_403, date(1901, 2, 3)  # sentinels: an owner id and a day found nowhere else
# What the filters hold whatever the owner and the day: their statuses, « remboursées »' 0.
_CONSTANTS = (BookingStatus.CONFIRMED, *PENDING_STATUSES, Decimal(0))


def _filter_counts_query(owner_id, today):
    # COUNT(owner_id), never null, not COUNT(id): booking_owner_list holds every column read here.
    aggregates = {key: Count("owner_id", filter=filter_condition(key, today=today)) for key, _label in ListFilter.choices}
    return (Booking.objects.filter(owner_id=owner_id).order_by().values("owner_id").annotate(**aggregates)
            .values_list(*aggregates))


FILTER_COUNTS = CompiledQuery(_filter_counts_query, sentinels=(_OWNER, _DAY), constants=_CONSTANTS)


def filter_counts(*, owner: User, today: date) -> dict[str, int]:
    """How many bookings each filter holds, in one query (shown on the filter tabs)."""
    rows = FILTER_COUNTS(owner.pk, today)
    return dict(zip((key for key, _label in ListFilter.choices), rows[0] if rows else (0,) * len(ListFilter.choices),
                    strict=True))


def _page_ids(owner_id, list_filter: str, today) -> tuple[str, tuple]:
    """The SQL of a page's ids in this filter's order, and its parameters (page sentinels)."""
    ids = (Booking.objects.filter(owner_id=owner_id).filter(filter_condition(list_filter, today=today))
           .order_by(*FILTER_ORDERING[list_filter]).values_list("pk")[PAGE_OFFSET:PAGE_OFFSET + PAGE_LIMIT])
    connection = connections["default"]
    sql, params = ids.query.get_compiler(using="default", connection=connection).as_sql()
    return page_parameters(sql, params, connection)


def _page_rows(list_filter: str, owner_id, today) -> QuerySet:
    """The rows of one page (the page sentinels' slice of ids), as values of LIST_ROW_FIELDS."""
    sql, params = _page_ids(owner_id, list_filter, today)
    if connections["default"].vendor == "postgresql":
        # `id = ANY(ARRAY(<ids>))`: PostgreSQL reads the ids first, then each row by its key.
        # As `id IN (<ids>)` it did not expect 25 rows and hash-joined every booking (30 ms).
        table = Booking._meta.db_table
        ids = RawSQL(f'"{table}"."id" = ANY(ARRAY({sql}))', params, output_field=BooleanField())
    else:
        ids = Q(pk__in=RawSQL(sql, params))
    return Booking.objects.filter(ids).order_by(*FILTER_ORDERING[list_filter]).values_list(*LIST_ROW_FIELDS)


def _page_rows_with_counts(list_filter: str, owner_id, today) -> QuerySet:
    """The same rows, each also carrying the filter tabs' counts as one array (an
    uncorrelated subquery, computed once for the statement; a JSON array on SQLite)."""
    connection = connections["default"]
    counts = _filter_counts_query(owner_id, today)
    sql, params = counts.query.get_compiler(using="default", connection=connection).as_sql()
    columns = ", ".join(connection.ops.quote_name(key) for key, _label in ListFilter.choices)
    array = f"ARRAY[{columns}]" if connection.vendor == "postgresql" else f"json_array({columns})"
    return _page_rows(list_filter, owner_id, today).annotate(
        tab_counts=RawSQL(f"SELECT {array} FROM ({sql}) AS tab_counts", params, output_field=Field()),
    ).values_list(*LIST_ROW_FIELDS, "tab_counts")


_PAGE_SENTINELS = (_OWNER, _DAY, PAGE_LIMIT, PAGE_OFFSET)
PAGE_ROWS = {key: CompiledQuery(lambda owner_id, today, _limit, _offset, key=key: _page_rows(key, owner_id, today),
                                sentinels=_PAGE_SENTINELS, constants=_CONSTANTS) for key, _label in ListFilter.choices}
PAGE_ROWS_WITH_COUNTS = {
    key: CompiledQuery(lambda owner_id, today, _limit, _offset, key=key: _page_rows_with_counts(key, owner_id, today),
                       sentinels=_PAGE_SENTINELS, constants=_CONSTANTS) for key, _label in ListFilter.choices}


def owner_booking_page_and_counts(*, owner: User, list_filter: str, today: date, offset: int,
                                  limit: int) -> tuple[list[tuple], dict[str, int] | None]:
    """One page's rows and the filter tabs' counts, in one statement. A page without rows
    (past the last, or an empty filter) gives no counts: ([], None)."""
    rows = PAGE_ROWS_WITH_COUNTS[list_filter](owner.pk, today, limit, offset)
    if not rows:
        return [], None
    counts = rows[0][-1]
    if isinstance(counts, str):  # SQLite's json_array
        counts = json.loads(counts)
    keys = [key for key, _label in ListFilter.choices]
    return [row[:-1] for row in rows], dict(zip(keys, counts, strict=True))


def owner_booking_page(*, owner: User, list_filter: str, today: date, offset: int, limit: int) -> list[tuple]:
    """The rows (LIST_ROW_FIELDS) of one page of this filter without a search, in one query
    built once per process: its ids past the offset on the sort's index, then those rows
    with their joins (what `DeferredJoinPaginator` does in two)."""
    return PAGE_ROWS[list_filter](owner.pk, today, limit, offset)


def owner_booking(*, owner: User, reference: str) -> QuerySet[Booking]:
    """The booking of this owner with this reference (empty for anybody else's)."""
    return Booking.objects.filter(owner=owner, reference=reference).select_related(
        "traveller", "unit__lodging__domain", "session__experience__domain")


# --- How a booking reads in a row ----------------------------------------------------------

@dataclass(frozen=True)
class RowState:
    code: str  # also the CSS modifier: status-<code>
    label: Promise


# The states of the first column's coloured buttons, in the legend's order.
ROW_STATES = (
    RowState("requested", pgettext_lazy("état de réservation", "Demande à valider")),
    RowState("awaiting_payment", pgettext_lazy("état de réservation", "En attente de paiement")),
    RowState("checkout", pgettext_lazy("état de réservation", "Paiement en cours")),
    RowState("upcoming", pgettext_lazy("état de réservation", "À venir")),
    RowState("ongoing", pgettext_lazy("état de réservation", "En cours")),
    RowState("past", pgettext_lazy("état de réservation", "Passée")),
    RowState("cancelled", pgettext_lazy("état de réservation", "Annulée")),
    RowState("refused", pgettext_lazy("état de réservation", "Refusée")),
    RowState("expired", pgettext_lazy("état de réservation", "Expirée")),
)
_STATES = {state.code: state for state in ROW_STATES}


def row_state(booking: Booking, *, today: date) -> RowState:
    """A confirmed booking reads as upcoming, ongoing or past; other statuses as themselves."""
    if booking.status != BookingStatus.CONFIRMED:
        return _STATES[booking.status]
    if booking.arrival > today:
        return _STATES["upcoming"]
    return _STATES["ongoing"] if booking.departure > today else _STATES["past"]


def offer_label(booking: Booking) -> str:
    """"Domaine – hébergement / chambre" or "Domaine – expérience / séance"."""
    if booking.unit_id:
        unit, lodging = booking.unit, booking.unit.lodging
        offer = lodging.title if unit.name == lodging.title else f"{lodging.title} / {unit.name}"
        return f"{lodging.domain.name} – {offer}"
    session = booking.session
    start = timezone.localtime(session.start)
    return f"{session.experience.domain.name} – {session.experience.title} / {start:%d/%m/%Y %H:%M}"


def traveller_name(user: User) -> str:
    return user.get_full_name() or user.email


def contact_visible(booking: Booking) -> bool:
    """The traveller's contact details are the owner's once the booking was paid."""
    return booking.status == BookingStatus.CONFIRMED or booking.paid_at is not None


def time_left(deadline: datetime | None, *, now: datetime) -> str:
    """What remains before a deadline, as "2 j 5 h" (or "45 min" in the last hour)."""
    if deadline is None:
        return ""
    seconds = int((deadline - now).total_seconds())
    if seconds <= 0:
        return gettext("délai dépassé")
    days, rest = divmod(seconds, 86400)
    hours, rest = divmod(rest, 3600)
    if days:
        return gettext("%(days)s j %(hours)s h") % {"days": days, "hours": hours}
    if hours:
        return gettext("%(hours)s h %(minutes)s min") % {"hours": hours, "minutes": rest // 60}
    return gettext("%(minutes)s min") % {"minutes": max(rest // 60, 1)}


# --- Clients -------------------------------------------------------------------------------

def owner_clients(*, owner: User, query: str = "") -> QuerySet[User]:
    """Travellers with at least one confirmed booking with this owner, with how many and
    their last stay, counted over this owner's confirmed bookings only."""
    # Filtering before annotating makes the counts use the same join: this owner's
    # confirmed bookings only, so another owner's bookings never add up here.
    clients = (User.objects.filter(trips__owner=owner, trips__status=BookingStatus.CONFIRMED)
               .annotate(confirmed_bookings=Count("trips"), last_arrival=Max("trips__arrival"))
               .order_by("-last_arrival", "last_name", "id"))
    for word in query.split()[:5]:
        clients = clients.filter(Q(first_name__icontains=word) | Q(last_name__icontains=word)
                                 | Q(email__icontains=word) | Q(phone__icontains=word))
    return clients


@dataclass(frozen=True, slots=True)
class ListClient:
    """A client of the list, from its values (`owner_client_page`), read as the table reads a User."""
    pk: int
    first_name: str
    last_name: str
    email: str
    phone: str
    confirmed_bookings: int
    last_arrival: date | None

    def get_full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()


CLIENT_FIELDS = ("pk", "first_name", "last_name", "email", "phone", "confirmed_bookings", "last_arrival")

_CLIENT_COUNT = CompiledQuery(
    lambda owner_id: (Booking.objects.filter(owner_id=owner_id, status=BookingStatus.CONFIRMED).order_by()
                      .values("owner_id").annotate(clients=Count("traveller_id", distinct=True))
                      .values_list("clients")),
    sentinels=(_OWNER,), constants=_CONSTANTS)
_CLIENT_PAGE = CompiledQuery(
    lambda owner_id, limit, offset: owner_clients(owner=User(pk=owner_id)).values_list(*CLIENT_FIELDS)[
        PAGE_OFFSET:PAGE_OFFSET + PAGE_LIMIT],
    sentinels=(_OWNER, PAGE_LIMIT, PAGE_OFFSET), constants=_CONSTANTS)


def owner_client_count(*, owner: User) -> int:
    """How many clients `owner_clients` lists without a search, in one query built once."""
    rows = _CLIENT_COUNT(owner.pk)
    return rows[0][0] if rows else 0


def owner_client_page(*, owner: User, offset: int, limit: int) -> list[ListClient]:
    """One page of `owner_clients` without a search, as plain values, in one query built once."""
    return [ListClient(*row) for row in _CLIENT_PAGE(owner.pk, limit, offset)]
