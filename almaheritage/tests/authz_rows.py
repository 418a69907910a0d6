"""The authorization matrix's rows (docs/security.md#authorization-matrix): one line per URL of
the project that takes an id, a slug or a token; test_authorization_matrix.py requests each with
GET and POST as each of the seven people below, in the world of authz_world.py.

A row: row(URL name, the world's attributes that fill the URL (or 'literals'), get="7 cells", post="7 cells"),
optionally group= (the staff group that "staff+" belongs to; the URL's app's by default),
data= (a function world → the POST's fields), query= (the GET's query string), label= (a second row for the same URL) and
secret= (world attributes whose text no answer may show to anyone but the traveller and the
owner: a private note, a phone number, another owner's booking).

The columns, in order:
    anon    nobody logged in
    trav    the traveller who made the bookings (Lucie)
    trav2   another traveller (Marc)
    own2    another owner (Armand, with his own domain and offers)
    owner   the owner of everything the rows point at (Hélène)
    staff   a staff member (authenticator app set up) in no group
    staff+  a staff member in the row's group only

A cell is an HTTP status ("200", "404", "405"…), a class ("2xx", "3xx", "4xx"), or
    login   a redirect to the login page
    owner   a redirect to "become an owner" (someone logged in who is not an owner)

Reading the matrix: "404" where someone asks for what is not theirs (it does not say the object
exists), "405" for a method the URL does not take, whoever asks."""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from accounts.staff_groups import BOOKINGS_AND_PAYMENTS, MODERATION, REPORTS_AND_ACCOUNTS

ACTORS = ("anonymous", "traveller", "other_traveller", "other_owner", "owner", "staff", "staff_in_group")

# The group "staff+" is in when a row names none: the one that looks after the URL's objects.
APP_GROUPS = {
    "domains": MODERATION, "lodgings": MODERATION, "experiences": MODERATION, "reviews": MODERATION,
    "public": REPORTS_AND_ACCOUNTS, "accounts": REPORTS_AND_ACCOUNTS, "reports": REPORTS_AND_ACCOUNTS,
}


@dataclass(frozen=True)
class Row:
    name: str
    args: tuple[str, ...]
    get: tuple[str, ...]
    post: tuple[str, ...]
    group: str
    data: Callable | None = None
    label: str = ""
    secrets: tuple[str, ...] = ()
    query: str = ""

    @property
    def id(self) -> str:
        return f"{self.name}[{self.label}]" if self.label else self.name


def row(name: str, args: str, *, get: str, post: str, group: str = "", data: Callable | None = None,
        label: str = "", secret: str = "", query: str = "") -> Row:
    app = name.split(":")[-1].split("_")[0]
    cells = {method: tuple(text.split()) for method, text in (("get", get), ("post", post))}
    for method, values in cells.items():
        assert len(values) == len(ACTORS), f"{name} {method}: {len(values)} cells for {len(ACTORS)} columns"
    return Row(name=name, args=tuple(args.split()), get=cells["get"], post=cells["post"],
               group=group or APP_GROUPS.get(app, BOOKINGS_AND_PAYMENTS), data=data, label=label,
               secrets=tuple(secret.split()), query=query)


PAY, MOD = BOOKINGS_AND_PAYMENTS, MODERATION

ROWS = [
    # row(URL name, world attributes,
    #            anon  trav  trav2 own2  owner staff staff+
    # --- Public pages: anyone reads a published offer; a draft is its owner's (wizard) only.
    # The owner's preview of an offer at « Soumettre » (public/preview.py): its owner only.
    row("offer_preview", "'domaine' mine.draft_domain.pk",
         get="login owner owner 404   200   owner owner",
        post="login owner owner 404   200   owner owner"),
    row("offer_preview", "'hebergement' lodging.pk", label="lodging",
         get="login owner owner 404   200   owner owner",
        post="login owner owner 404   200   owner owner"),
    row("offer_preview", "'experience' experience.pk", label="experience",
         get="login owner owner 404   200   owner owner",
        post="login owner owner 404   200   owner owner"),
    row("offer_preview", "'chateau' domain.pk", label="unknown kind",
         get="login owner owner 404   404   owner owner",
        post="login owner owner 404   404   owner owner"),
    row("domain_detail", "domain.slug", secret="owner.phone owner.email suspension.reason",
         get="200   200   200   200   200   200   200",
        post="200   200   200   200   200   200   200"),
    row("domain_detail", "mine.draft_domain.slug", label="draft",
         get="404   404   404   404   404   404   404",
        post="404   404   404   404   404   404   404"),
    row("lodging_detail", "lodging.slug", secret="owner.phone owner.email suspension.reason",
         get="200   200   200   200   200   200   200",
        post="200   200   200   200   200   200   200"),
    row("experience_detail", "experience.slug",
         get="200   200   200   200   200   200   200",
        post="200   200   200   200   200   200   200"),
    row("page_detail", "page.slug",
         get="200   200   200   200   200   200   200",
        post="200   200   200   200   200   200   200"),
    row("api_unit_availability", "unit.pk", query="start=2030-06-01&end=2030-07-01",
         get="200   200   200   200   200   200   200",
        post="405   405   405   405   405   405   405"),
    row("api_unit_availability", "mine.draft_unit.pk", query="start=2030-06-01&end=2030-07-01", label="draft",
         get="404   404   404   404   404   404   404",
        post="405   405   405   405   405   405   405"),
    row("api_unit_quote", "unit.pk", query="arrival=2030-06-03&departure=2030-06-06&adults=2",
         get="200   200   200   200   200   200   200",
        post="405   405   405   405   405   405   405"),
    row("api_unit_quote", "mine.draft_unit.pk", query="arrival=2030-06-03&departure=2030-06-06", label="draft",
         get="404   404   404   404   404   404   404",
        post="405   405   405   405   405   405   405"),
    row("booking_start", "mine.draft_unit.pk", label="draft",
         get="login 404   404   404   404   404   404",
        post="login 404   404   404   404   404   404"),
    row("ical_export", "calendar.token",
         get="200   200   200   200   200   200   200",
        post="405   405   405   405   405   405   405"),
    row("ical_export", "'not-the-token'", label="wrong token",
         get="404   404   404   404   404   404   404",
        post="405   405   405   405   405   405   405"),
    # --- Booking and paying (the traveller's)
    row("booking_start", "unit.pk",
         get="login 200   200   200   200   200   200",
        post="login 400   400   400   400   400   400"),
    row("booking_start_session", "session.pk",
         get="login 200   200   200   200   200   200",
        post="login 400   400   400   400   400   400"),
    row("trip_detail", "stay.reference",
         get="login 200   404   404   404   404   404",
        post="login 200   404   404   404   404   404"),
    row("trip_cancel", "stay.reference",
         get="login 200   404   404   404   404   404",
        post="login 302   404   404   404   404   404"),
    row("trip_calendar", "stay.reference",
         get="login 200   404   404   404   404   404",
        post="login 200   404   404   404   404   404"),
    row("payment_page", "awaiting.reference",
         get="login 200   404   404   404   404   404",
        post="login 200   404   404   404   404   404"),
    row("payment_return", "awaiting.reference",
         get="login 302   404   404   404   404   404",
        post="login 302   404   404   404   404   404"),
    row("payment_without_card", "awaiting.reference",
         get="login 405   405   405   405   405   405",
        post="login 302   404   404   404   404   404"),
    row("voucher_apply", "awaiting.reference",
         get="login 405   405   405   405   405   405",
        post="login 302   404   404   404   404   404"),
    row("voucher_remove", "awaiting.reference",
         get="login 405   405   405   405   405   405",
        post="login 302   404   404   404   404   404"),
    row("voucher_order", "voucher_order.access_token",
         get="200   200   200   200   200   200   200",
        post="200   200   200   200   200   200   200"),
    row("voucher_order_return", "voucher_order.access_token",
         get="302   302   302   302   302   302   302",
        post="302   302   302   302   302   302   302"),
    row("voucher_order", "'not-the-token'", label="wrong token",
         get="404   404   404   404   404   404   404",
        post="404   404   404   404   404   404   404"),
    row("review_write", "past_stay.reference",
         get="login 302   404   404   404   404   404",
        post="login 302   404   404   404   404   404"),
    row("review_edit", "review.pk",
         get="login 200   404   404   404   404   404",
        post="login 400   404   404   404   404   404"),
    # --- The owner's dashboard: offers
    row("domain_continue", "domain.pk",
         get="login owner owner 404   302   owner owner",
        post="login owner owner 404   302   owner owner"),
    row("domain_wizard", "domain.pk 'infos'",
         get="login owner owner 404   200   owner owner",
        post="login owner owner 404   200   owner owner"),
    row("lodging_list", "domain.pk",
         get="login owner owner 404   200   owner owner",
        post="login owner owner 404   200   owner owner"),
    row("lodging_add", "domain.pk",
         get="login owner owner 404   200   owner owner",
        post="login owner owner 404   200   owner owner"),
    row("lodging_continue", "lodging.pk",
         get="login owner owner 404   302   owner owner",
        post="login owner owner 404   302   owner owner"),
    row("lodging_wizard", "lodging.pk 'description'",
         get="login owner owner 404   200   owner owner",
        post="login owner owner 404   200   owner owner"),
    row("lodging_suspensions", "lodging.pk",
         get="login owner owner 404   200   owner owner",
        post="login owner owner 404   200   owner owner"),
    row("lodging_suspension_delete", "lodging.pk suspension.pk",
         get="login owner owner 404   405   owner owner",
        post="login owner owner 404   302   owner owner"),
    row("lodging_suspension_delete", "theirs.lodging.pk suspension.pk", label="mixed ids",
         get="login owner owner 404   404   owner owner",
        post="login owner owner 404   404   owner owner"),
    row("experience_list", "domain.pk",
         get="login owner owner 404   200   owner owner",
        post="login owner owner 404   200   owner owner"),
    row("experience_add", "domain.pk",
         get="login owner owner 404   200   owner owner",
        post="login owner owner 404   200   owner owner"),
    row("experience_continue", "experience.pk",
         get="login owner owner 404   302   owner owner",
        post="login owner owner 404   302   owner owner"),
    row("experience_wizard", "experience.pk 'periode'",
         get="login owner owner 404   200   owner owner",
        post="login owner owner 404   200   owner owner"),
    # --- The owner's dashboard: calendars
    row("calsync_unit_feeds", "unit.pk",
         get="login owner owner 404   200   owner owner",
        post="login owner owner 404   200   owner owner"),
    row("calsync_feed_sync", "unit.pk feed.pk",
         get="login owner owner 405   405   owner owner",
        post="login owner owner 404   302   owner owner"),
    row("calsync_feed_delete", "unit.pk feed.pk",
         get="login owner owner 405   405   owner owner",
        post="login owner owner 404   302   owner owner"),
    # Another owner's unit with this owner's feed: the feed must belong to the unit in the URL.
    row("calsync_feed_sync", "theirs.unit.pk feed.pk", label="mixed ids",
         get="login owner owner 405   405   owner owner",
        post="login owner owner 404   404   owner owner"),
    row("calsync_feed_delete", "theirs.unit.pk feed.pk", label="mixed ids",
         get="login owner owner 405   405   owner owner",
        post="login owner owner 404   404   owner owner"),
    row("calsync_regenerate", "unit.pk",
         get="login owner owner 405   405   owner owner",
        post="login owner owner 404   302   owner owner"),
    row("calsync_lodging_rooms", "lodging.pk",
         get="login owner owner 404   302   owner owner",
        post="login owner owner 404   302   owner owner"),
    row("calsync_domain", "domain.pk",
         get="login owner owner 404   200   owner owner",
        post="login owner owner 404   200   owner owner"),
    row("calsync_alert_resolve", "alert.pk",
         get="login owner owner 405   405   owner owner",
        post="login owner owner 404   302   owner owner"),
    # --- The owner's dashboard: bookings, reviews, exports, money
    row("dashboard_booking", "stay.reference",
         get="login owner owner 404   200   owner owner",
        post="405   405   405   405   405   405   405"),
    row("dashboard_booking_accept", "request.reference",
         get="405   405   405   405   405   405   405",
        post="login owner owner 404   302   owner owner"),
    row("dashboard_booking_refuse", "request.reference",
         get="405   405   405   405   405   405   405",
        post="login owner owner 404   302   owner owner"),
    row("dashboard_booking_cancel", "stay.reference",
         get="login owner owner 404   200   owner owner",
        post="login owner owner 404   302   owner owner"),
    row("dashboard_review", "review.pk",
         get="login owner owner 404   200   owner owner",
        post="login owner owner 404   200   owner owner"),
    row("dashboard_review_reply", "review.pk",
         get="405   405   405   405   405   405   405",
        post="login owner owner 404   400   owner owner"),
    row("dashboard_review_complaint", "review.pk",
         get="405   405   405   405   405   405   405",
        post="login owner owner 404   400   owner owner"),
    row("export_list", "'bookings' 'csv'", secret="stay.reference traveller.last_name",
         get="405   405   405   405   405   405   405",
        post="login owner owner 200   200   owner owner"),
    row("export_job", "export.pk",
         get="login owner owner 404   200   owner owner",
        post="405   405   405   405   405   405   405"),
    row("export_job_status", "export.pk",
         get="login owner owner 404   200   owner owner",
        post="405   405   405   405   405   405   405"),
    row("export_download", "export.pk",
         get="login owner owner 404   200   owner owner",
        post="405   405   405   405   405   405   405"),
    # --- Traveller reports: the reporting owner's, and staff's in « Signalements et comptes »
    # (the past stay's report is open: filing a second one is refused with the page, 400)
    row("report_new", "past_stay.reference",
         get="login owner owner 404   200   owner owner",
        post="login owner owner 404   400   owner owner"),
    row("dashboard_report", "report.pk", secret="report.description",
         get="login owner owner 404   200   owner owner",
        post="405   405   405   405   405   405   405"),
    row("admin:reports_travellerreport_photo", "report.pk report_photo.pk",
         get="login login login login login 403   200",
        post="login login login login login 403   200"),
    # --- « Mon compte > Mes données »: a person's own ZIP, for that person only
    row("data_export_status", "data_export.pk",
         get="login 404   404   404   200   404   404",
        post="405   405   405   405   405   405   405"),
    row("download_data_export", "data_export.pk", secret="owner.last_name",
         get="login 404   404   404   200   404   404",
        post="405   405   405   405   405   405   405"),
    row("payout_detail", "payout.pk",
         get="login owner owner 404   200   owner owner",
        post="login owner owner 404   200   owner owner"),
    row("payout_statement_pdf", "payout.pk",
         get="login owner owner 404   200   owner owner",
        post="login owner owner 404   200   owner owner"),
    row("payout_statement_csv", "payout.pk",
         get="login owner owner 404   200   owner owner",
        post="login owner owner 404   200   owner owner"),
    row("invoice_pdf", "invoice.number",
         get="login owner owner 404   200   owner owner",
        post="login owner owner 404   200   owner owner"),
    # --- The project's own admin views (Django's ModelAdmin views are ruled out, see the test)
    row("admin:invoices_invoice_pdf", "invoice.pk",
         get="login login login login login 403   200",
        post="login login login login login 403   200"),
    row("admin:touristtax_declaration", "commune.pk",
         get="login login login login login 403   200",
        post="login login login login login 403   200"),
]
