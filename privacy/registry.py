"""Which fields of which models hold personal data, and what deleting an account does to each.

Every concrete model with a field whose name or type looks personal (PERSONAL_NAME_PARTS,
PERSONAL_TYPES) must be listed here, field by field; privacy/tests/test_registry.py fails
otherwise, so a new model or field is classified the day it is added. After a deletion the
same test reads every table in SQL and checks that no field treated ERASE, PSEUDONYMISE or
DELETE_ROW still holds the person's data.

`rows(model, user)` finds the person's rows of a model; privacy.sections.apply_registry
erases or pseudonymises those fields in one UPDATE per model (DELETE_ROW: the rows go).
Entries with `rows=None` are handled by a named deletion step (`by`)."""
import re
from collections.abc import Callable
from dataclasses import dataclass

from django.db import models
from django.db.models import Q

ERASE = "erase"  # emptied ("" / null / file deleted)
PSEUDONYMISE = "pseudonymise"  # replaced by the account's pseudonym (privacy.services.pseudonym)
DELETE_ROW = "delete_row"  # the person's rows are deleted
ACCOUNTING = "accounting"  # kept as is: an accounting record (10 years, Code de commerce L123-22)
KEPT_UNDER_PSEUDONYM = "kept_under_pseudonym"  # content about a place, kept but signed by the pseudonym
OTHER_PERSON = "other_person"  # someone else's data (a voucher's recipient): not the deleted person's
NOT_PERSONAL = "not_personal"  # matches the patterns, holds no person's data (an offer's title…)

TREATMENTS = (ERASE, PSEUDONYMISE, DELETE_ROW, ACCOUNTING, KEPT_UNDER_PSEUDONYM, OTHER_PERSON, NOT_PERSONAL)
REMOVED = (ERASE, PSEUDONYMISE, DELETE_ROW)  # the SQL check after a deletion covers these

# A field is "personal-looking" when a part of its name is one of these, or its type one of PERSONAL_TYPES.
PERSONAL_NAME_PARTS = {
    "email", "mail", "name", "phone", "address", "line1", "line2", "postal", "city", "street", "message", "text",
    "html", "description", "reason", "explanation", "reply", "answer", "note", "memo", "summary", "history", "ip",
    "photo", "image", "avatar", "picture", "repr", "session", "data", "url", "website", "error", "payload",
    "changes", "params", "caption", "recipient", "buyer", "birth", "iban",
}
PERSONAL_TYPES = (models.EmailField, models.FileField, models.GenericIPAddressField, models.TextField,
                  models.JSONField)


def looks_personal(model_field: models.Field) -> bool:
    if not model_field.concrete or model_field.is_relation:
        return False
    parts = set(re.split(r"_+", model_field.name.lower())) | {model_field.name.lower()}
    return isinstance(model_field, PERSONAL_TYPES) or bool(parts & PERSONAL_NAME_PARTS)


RowFinder = Callable[[type[models.Model], object], models.QuerySet]


def by(*paths: str) -> RowFinder:
    """The rows whose `path` (one of `paths`) is the person."""
    def rows(model, user):
        condition = Q()
        for path in paths:
            condition |= Q(**{path: user})
        return model._default_manager.filter(condition)
    return rows


@dataclass(frozen=True)
class Entry:
    model: str  # "app_label.ModelName"
    fields: dict[str, str]  # field name → treatment
    why: str  # one line a staff member or auditor reads (docs/privacy.md repeats the table)
    rows: RowFinder | None = None  # the person's rows, for the generic UPDATE/DELETE
    by: str = ""  # the deletion step that handles it when rows is None


def _all(*names: str, treatment: str) -> dict[str, str]:
    return dict.fromkeys(names, treatment)


REGISTRY: list[Entry] = [
    # --- The person themselves ---------------------------------------------------------------
    Entry("accounts.User",
          {"email": PSEUDONYMISE, "first_name": ERASE, "last_name": ERASE, "phone": ERASE, "password": ERASE},
          "the row stays (bookings and invoices point at it), emptied; the email becomes deleted-<id>@deleted.invalid",
          by="accounts.services.delete_account"),
    Entry("accounts.OwnerProfile",
          {**_all("address_line1", "address_line2", "postal_code", "city", "photo", "description",
                  "channel_manager_other", treatment=ERASE)},
          "the owner's address, photo and presentation are erased (the photo file too)",
          by="accounts.services.delete_account"),
    Entry("accounts.BillingAddress",
          _all("name", "line1", "line2", "postal_code", "city", "vat_number", treatment=DELETE_ROW),
          "deleted: issued invoices keep their own copy of the address", by="accounts.services.delete_account"),
    Entry("account.EmailAddress", {"email": DELETE_ROW}, "allauth's addresses of the account", rows=by("user")),
    Entry("mfa.Authenticator", {"data": DELETE_ROW}, "two-factor secrets and recovery codes", rows=by("user")),
    Entry("sessions.Session", {"session_data": DELETE_ROW, "session_key": DELETE_ROW},
          "the account's open logins (every device)", by="privacy.sections.end_login_sessions"),
    Entry("admin.LogEntry", {"object_repr": PSEUDONYMISE, "change_message": NOT_PERSONAL,
                                "object_id": NOT_PERSONAL},
          "staff's history of the account keeps the change, shown under the pseudonym",
          by="privacy.sections.pseudonymise_admin_history"),
    Entry("core.OutgoingEmail", _all("subject", "to", "reply_to", "text", "html", "attachments", treatment=DELETE_ROW),
          "the outbox's sent copies of emails to the person are deleted; unsent ones go first",
          by="privacy.sections.delete_sent_emails"),
    Entry("core.OutgoingEmail", {"from_email": NOT_PERSONAL, "last_error": NOT_PERSONAL},
          "the platform's sender address and the mail server's answer"),
    Entry("privacy.DataExport", {"file": DELETE_ROW, "error": DELETE_ROW},
          "the person's own ZIP files are deleted from disk", by="privacy.sections.delete_data_exports"),
    Entry("exports.ExportJob", {"file": DELETE_ROW, "params": DELETE_ROW, "error": DELETE_ROW},
          "an owner's list exports (their clients) are deleted from disk", by="privacy.sections.delete_list_exports"),

    # --- Offers (a deleted owner's go offline, their content stays attached to past bookings) --
    Entry("domains.Domain", {"address_line": ERASE},
          "the street address may be the owner's home: erased (commune and postal code stay for the tourist tax)",
          rows=by("owner")),
    Entry("domains.Domain",
          _all("name", "name_key", "commune_key", "history", "history_en", "rejection_reason", "wizard_step", "heritage_kind", "period", "postal_code",
               "commune", "departement", "region", "monument_protection", "merimee_reference", treatment=NOT_PERSONAL),
          "the place's description, offline since the owner left; past bookings still name it"),
    Entry("domains.DomainPhoto", _all("full", "card", "thumb", "social", "caption", "caption_en", treatment=NOT_PERSONAL),
          "photos of the place, not of people"),
    Entry("domains.Label", _all("name", "website", "description", treatment=NOT_PERSONAL), "heritage labels"),
    Entry("domains.LabelProposal", {"reason": ERASE},
          "the owner's note to staff", rows=by("owner")),
    Entry("domains.LabelProposal", _all("name", "website", "staff_answer", treatment=NOT_PERSONAL),
          "the proposed label's own name and site; staff's answer"),
    Entry("domains.DomainLabel", {"reference": NOT_PERSONAL}, "a label's reference number for the place"),
    Entry("domains.Revision", {"changes": NOT_PERSONAL, "rejection_reason": NOT_PERSONAL},
          "proposed edits of an offer's texts (the place, not the person)"),
    Entry("lodgings.Lodging",
          _all("title", "title_key", "description", "description_en", "accessibility_notes", "house_rules", "house_rules_en",
               "deposit_terms", "rejection_reason",
               "wizard_step", treatment=NOT_PERSONAL), "the offer's texts"),
    Entry("lodgings.Unit", _all("name", "beds", treatment=NOT_PERSONAL), "a unit's name"),
    Entry("lodgings.Suspension", {"reason": NOT_PERSONAL}, "why a lodging was suspended by staff"),
    Entry("lodgings.LodgingPhoto", _all("full", "card", "thumb", "social", "caption", "caption_en", treatment=NOT_PERSONAL),
          "photos of the place"),
    Entry("lodgings.Amenity", _all("name", "name_en", treatment=NOT_PERSONAL), "amenities"),
    Entry("experiences.Experience",
          _all("title", "title_key", "description", "description_en", "meeting_point", "rejection_reason", "wizard_step",
               treatment=NOT_PERSONAL),
          "the offer's texts"),
    Entry("experiences.Period", {"start_times": NOT_PERSONAL}, "session times"),
    Entry("experiences.ExperiencePhoto", _all("full", "card", "thumb", "social", "caption", "caption_en", treatment=NOT_PERSONAL),
          "photos of the place"),

    # --- Bookings and money (accounting: kept, under the pseudonym of the account row) ---------
    Entry("bookings.Booking", {"message": ERASE}, "the traveller's message to the owner", rows=by("traveller")),
    Entry("bookings.Booking", {"refusal_reason": ERASE}, "the owner's message to the traveller", rows=by("owner")),
    Entry("bookings.Booking", {"price_lines": ACCOUNTING}, "the price as charged"),
    Entry("bookings.BookingEvent", {"reason": ERASE}, "a message typed by the person (a refusal's copy)",
          rows=by("actor")),
    Entry("bookings.BookingEvent", {"reason_params": NOT_PERSONAL, "reason_code": NOT_PERSONAL},
          "the code, amounts and roles of an automatic event"),
    Entry("bookings.ExternalBlock", _all("summary", "uid", "source_name", treatment=DELETE_ROW),
          "imported calendars may name the owner's guests elsewhere: deleted with the feeds",
          rows=by("unit__lodging__domain__owner")),
    Entry("calsync.Feed", _all("url", "name", "last_error", "last_warnings", treatment=DELETE_ROW),
          "the owner's private calendar addresses on other platforms: deleted, so nothing is fetched again",
          rows=by("unit__lodging__domain__owner")),
    Entry("calsync.DoubleBookingAlert", {"block_summary": ERASE, "source_name": NOT_PERSONAL},
          "an imported block's summary", rows=by("unit__lodging__domain__owner")),
    Entry("payouts.Payment", {"error_message": ACCOUNTING}, "a payment's record"),
    Entry("payouts.Refund", {"error_message": ACCOUNTING, "reason": ACCOUNTING}, "a refund's record"),
    Entry("payouts.StripeEvent", {"payload_excerpt": ACCOUNTING, "problem": ACCOUNTING},
          "Stripe's notifications about payments (accounting evidence)"),
    Entry("payouts.ConnectedAccount", {"requirements_due": NOT_PERSONAL, "requirements_past_due": NOT_PERSONAL,
                                       "disabled_reason": NOT_PERSONAL},
          "what Stripe asks of the account (field names, no values)"),
    Entry("payouts.LedgerTransaction", {"memo": ACCOUNTING}, "the ledger (append-only)"),
    Entry("payouts.Payout", {"last_error": ACCOUNTING}, "a payout's record"),
    Entry("payouts.Dispute", {"reason": ACCOUNTING}, "a dispute's record"),
    Entry("invoices.Invoice",
          _all("buyer_name", "buyer_address", "buyer_vat_number", "seller", "reason", treatment=ACCOUNTING),
          "an issued invoice is never changed (CGI art. 289): kept 10 years as issued"),
    Entry("invoices.InvoiceLine", {"description": ACCOUNTING}, "an invoice's lines"),
    Entry("invoices.DocumentSequence", {"name": NOT_PERSONAL}, "a numbering sequence"),
    # A traveller report's texts and photos are about the traveller and written by the owner (and
    # staff): erased when either of them goes; the report itself stays, its people pseudonymised,
    # so the staff's record of what was decided remains (docs/reports.md).
    Entry("reports.TravellerReport", {"description": ERASE, "decision_text": ERASE},
          "an owner's report on a traveller and staff's decision", rows=by("owner", "traveller")),
    Entry("reports.ReportPhoto", {"image": ERASE}, "a report's photos (private storage)",
          rows=by("report__owner", "report__traveller")),
    Entry("reports.ReportNote", {"text": ERASE}, "staff's internal notes on a report",
          rows=by("report__owner", "report__traveller")),
    Entry("touristtax.Tariff", {"source": NOT_PERSONAL}, "where a tariff comes from"),
    Entry("touristtax.Commune", {"name": NOT_PERSONAL}, "a commune"),
    Entry("donations.Foundation", _all("name", "description", "website", treatment=NOT_PERSONAL), "a foundation"),
    Entry("vouchers.VoucherOrder", {"buyer_name": PSEUDONYMISE, "buyer_email": PSEUDONYMISE, "message": ERASE},
          "the sale stays (accounting), the buyer's name and address become the pseudonym",
          rows=lambda model, user: model._default_manager.filter(Q(buyer=user) | Q(buyer_email__iexact=user.email))),
    Entry("vouchers.VoucherOrder", {"recipient_name": OTHER_PERSON, "recipient_email": OTHER_PERSON,
                                    "recipient_language": OTHER_PERSON,
                                    "error_message": ACCOUNTING, "buyer_language": NOT_PERSONAL},
          "the recipient's name and address: theirs, needed to use the voucher; a language code"),
    Entry("vouchers.Voucher", {"message": ERASE},
          "the buyer's message on the voucher", rows=lambda model, user: model._default_manager.filter(
              Q(order__buyer=user) | Q(order__buyer_email__iexact=user.email))),
    Entry("vouchers.Voucher", {"recipient_name": OTHER_PERSON, "recipient_email": OTHER_PERSON,
                               "recipient_language": OTHER_PERSON,
                               "issue_reason": NOT_PERSONAL}, "the recipient's data; staff's reason"),
    Entry("vouchers.VoucherEvent", {"note": NOT_PERSONAL}, "staff's note on a voucher"),

    # --- Reviews --------------------------------------------------------------------------------
    Entry("reviews.Review", {"text": KEPT_UNDER_PSEUDONYM, "reply": KEPT_UNDER_PSEUDONYM},
          "the review speaks of the place: it stays, signed « Voyageur » (reviews.selectors.author_name)"),
    Entry("reviews.Review", {"hidden_reason": NOT_PERSONAL}, "staff's reason"),
    Entry("reviews.ReviewComplaint", {"explanation": ERASE}, "the owner's complaint text", rows=by("filed_by")),
    Entry("reviews.ReviewComplaint", {"reason": NOT_PERSONAL, "decision_reason": NOT_PERSONAL},
          "a reason from a list; staff's decision"),
    Entry("reviews.ReviewEvent", {"reason": NOT_PERSONAL}, "staff's history"),

    # --- Contact form ------------------------------------------------------------------------------
    Entry("public.ContactMessage", _all("name", "email", "message", "booking_reference", treatment=DELETE_ROW),
          "messages sent through the contact form, signed in or with the same address",
          rows=lambda model, user: model._default_manager.filter(Q(user=user) | Q(email__iexact=user.email))),
    Entry("public.ContactMessage", {"routed_to": NOT_PERSONAL}, "the team's address it went to"),
    Entry("public.Page", _all("title_fr", "title_en", "meta_description_fr", "meta_description_en", "body_fr",
                              "body_en", treatment=NOT_PERSONAL), "content pages"),

    # --- Platform tables ----------------------------------------------------------------------------
    Entry("auth.Permission", {"name": NOT_PERSONAL}, "Django's permissions"),
    Entry("auth.Group", {"name": NOT_PERSONAL}, "staff groups"),
    Entry("sites.Site", {"name": NOT_PERSONAL}, "the site"),
    Entry("operations.ScheduledJob", {"last_counts": NOT_PERSONAL, "last_error": NOT_PERSONAL},
          "periodic jobs' outcomes"),
    Entry("operations.JobRun", {"counts": NOT_PERSONAL, "error": NOT_PERSONAL}, "periodic jobs' outcomes"),
]


def entries_for(label: str) -> list[Entry]:
    return [entry for entry in REGISTRY if entry.model == label]


def treatment_of(label: str, field_name: str) -> str | None:
    for entry in entries_for(label):
        if field_name in entry.fields:
            return entry.fields[field_name]
    return None
