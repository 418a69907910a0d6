"""What "Mes données" exports and what a deletion does, as two lists: one entry per kind of
data, in the order the ZIP shows them and the deletion runs them. An app added later (the
reports of travellers, …) adds its section and its step here, and its personal fields to
privacy/registry.py; privacy/services.py only walks the lists.

    EXPORT_SECTIONS.append(ExportSection("reports_made", _("Signalements faits"), reports_made))
    DELETION_STEPS.insert(DELETION_STEPS.index(apply_registry_step), DeletionStep("reports", erase_reports))
    DELETION_BLOCKERS.append(open_reports)  # only if something must block a deletion
"""
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from django.contrib.admin.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.contrib.sessions.models import Session as LoginSession
from django.db import models
from django.db.models import Q, TextField
from django.db.models.functions import Cast
from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import BillingAddress, OwnerProfile, User
from accounts.services import delete_account
from bookings import services as booking_services
from bookings.models import Booking, BookingStatus
from core.mail import absolute_url
from core.models import OutgoingEmail
from core.money import format_eur
from domains.models import Domain
from domains.moderation import OfferStatus
from domains.offer_types import offer_models, status_changed
from donations.models import DonationAllocation
from experiences.models import Session
from exports.models import ExportJob
from invoices.models import Invoice
from lodgings.models import Unit
from payouts import ledger
from payouts.models import (
    Dispute,
    DisputeStatus,
    LedgerTransaction,
    Payment,
    Payout,
    PayoutStatus,
    Refund,
    RefundStatus,
    TransactionKind,
)
from public.models import ContactMessage
from reports.services import reports_made_by
from reviews.models import RATING_FIELDS, Review
from reviews.selectors import author_name
from vouchers.models import VoucherOrder

from . import registry
from .models import DataExport

# --- The export ---------------------------------------------------------------------------

Row = dict[str, object]


@dataclass(frozen=True)
class ExportSection:
    name: str  # data.json's key and the CSV's file name (<name>.csv)
    title: Promise  # shown in the ZIP's LISEZMOI.txt and on the page
    rows: Callable[[User], list[Row]]


def _url(file) -> str:
    return absolute_url(file.url) if file else ""


def _when(value) -> str:
    return value.isoformat() if value else ""


def profile(user: User) -> list[Row]:
    row: Row = {"email": user.email, "first_name": user.first_name, "last_name": user.last_name,
                "phone": user.phone, "language": user.language, "date_joined": _when(user.date_joined),
                "last_login": _when(user.last_login), "is_owner": user.is_owner}
    owner_profile = OwnerProfile.objects.filter(user=user).first()
    if owner_profile is not None:
        row.update({"owner_address_line1": owner_profile.address_line1,
                    "owner_address_line2": owner_profile.address_line2,
                    "owner_postal_code": owner_profile.postal_code, "owner_city": owner_profile.city,
                    "owner_country": owner_profile.country, "owner_photo_url": _url(owner_profile.photo),
                    "owner_description": owner_profile.description,
                    "channel_manager": owner_profile.get_channel_manager_display(),
                    "channel_manager_other": owner_profile.channel_manager_other})
    return [row]


def addresses(user: User) -> list[Row]:
    from allauth.account.models import EmailAddress

    rows: list[Row] = [{"kind": "email", "value": address.email, "verified": address.verified,
                        "primary": address.primary} for address in EmailAddress.objects.filter(user=user)]
    billing = BillingAddress.objects.filter(user=user).first()
    if billing is not None:
        rows.append({"kind": "billing", "value": str(billing), "name": billing.name, "line1": billing.line1,
                     "line2": billing.line2, "postal_code": billing.postal_code, "city": billing.city,
                     "country": billing.country, "vat_number": billing.vat_number})
    return rows


def consents(user: User) -> list[Row]:
    return [
        {"consent": "review_emails", "label": str(User._meta.get_field("review_emails").verbose_name),
         "given": user.review_emails},
        {"consent": "news_emails", "label": str(User._meta.get_field("news_emails").verbose_name),
         "given": user.news_emails},
        {"consent": "transactional_emails", "label": _("E-mails de vos réservations, paiements et compte"),
         "given": True, "note": _("Toujours envoyés : ils font partie du service.")},
    ]


def offers(user: User) -> list[Row]:
    """Domains, lodgings and experiences, one row each, with their photos' addresses."""
    rows: list[Row] = []
    domains = Domain.objects.filter(owner=user).prefetch_related(
        "photos", "lodgings__photos", "lodgings__units", "experiences__photos").order_by("pk")
    for domain in domains:
        rows.append({"kind": "domain", "id": domain.pk, "name": domain.name, "status": domain.status,
                     "address": domain.address_line, "postal_code": domain.postal_code, "commune": domain.commune,
                     "description": domain.history, "photos": [_url(p.full) for p in domain.photos.all()]})
        for lodging in domain.lodgings.all():
            rows.append({"kind": "lodging", "id": lodging.pk, "name": lodging.title, "status": lodging.status,
                         "domain": domain.name, "description": lodging.description,
                         "units": [unit.name for unit in lodging.units.all()],
                         "photos": [_url(p.full) for p in lodging.photos.all()]})
        for experience in domain.experiences.all():
            rows.append({"kind": "experience", "id": experience.pk, "name": experience.title,
                         "status": experience.status, "domain": domain.name, "description": experience.description,
                         "photos": [_url(p.full) for p in experience.photos.all()]})
    return rows


def _booking_row(booking: Booking, *, as_owner: bool) -> Row:
    row: Row = {"reference": booking.reference, "offer": booking.title, "kind": booking.kind,
                "arrival": _when(booking.arrival), "departure": _when(booking.departure), "adults": booking.adults,
                "children": booking.children, "status": booking.status, "total_price": booking.total_price,
                "paid_by_card": booking.amount_paid, "paid_by_voucher": booking.voucher_amount,
                "refunded": booking.refunded_amount, "donation": booking.donation_amount or Decimal("0"),
                "traveller_message": booking.message, "owner_refusal_message": booking.refusal_reason,
                "created_at": _when(booking.created_at), "cancelled_at": _when(booking.cancelled_at)}
    if as_owner:
        # What the owner's « Réservations » already shows of the traveller, nothing more.
        row.update({"traveller": booking.traveller.get_full_name(), "commission": booking.commission_amount,
                    "owner_net": booking.owner_net})
    return row


def _bookings(**where):
    return (Booking.objects.filter(**where).select_related("traveller", "unit__lodging", "session__experience")
            .order_by("created_at"))


def trips(user: User) -> list[Row]:
    return [_booking_row(booking, as_owner=False) for booking in _bookings(traveller=user)]


def bookings_received(user: User) -> list[Row]:
    return [_booking_row(booking, as_owner=True) for booking in _bookings(owner=user)]


def _eur(cents: int | None) -> Decimal:
    return (Decimal(cents or 0) / 100).quantize(Decimal("0.01"))


def payments(user: User) -> list[Row]:
    rows: list[Row] = [{"kind": "payment", "booking": payment.booking.reference, "amount": _eur(payment.amount_cents),
                        "currency": payment.currency, "status": payment.status, "created_at": _when(payment.created_at)}
                       for payment in Payment.objects.filter(booking__traveller=user).select_related("booking")
                       .order_by("pk")]
    rows += [{"kind": "refund", "booking": refund.payment.booking.reference, "amount": _eur(refund.amount_cents),
              "status": refund.status, "created_at": _when(refund.created_at)}
             for refund in Refund.objects.filter(payment__booking__traveller=user).select_related("payment__booking")
             .order_by("pk")]
    return rows


def payouts(user: User) -> list[Row]:
    rows: list[Row] = [{"kind": "payout", "month": _when(payout.month), "status": payout.status,
                        "amount": _eur(payout.amount_cents), "sent_at": _when(payout.sent_at)}
                       for payout in Payout.objects.filter(owner=user).order_by("month")]
    rows += [{"kind": "invoice", "number": invoice.number, "month": _when(invoice.month),
              "issue_date": _when(invoice.issue_date), "buyer": invoice.buyer_name,
              "total_ttc": _eur(invoice.total_ttc_cents)}
             for invoice in Invoice.objects.filter(owner=user).order_by("sequence_number")]
    return rows


def _review_row(review: Review) -> Row:
    return {"booking": review.booking.reference, "offer": review.booking.title,
            "author": author_name(review.author), **{name: getattr(review, name) for name in RATING_FIELDS},
            "text": review.text, "status": review.status, "owner_reply": review.reply,
            "created_at": _when(review.created_at)}


def reviews_written(user: User) -> list[Row]:
    return [_review_row(review) for review in Review.objects.filter(author=user).select_related(
        "author", "booking__unit__lodging", "booking__session__experience").order_by("created_at")]


def reviews_received(user: User) -> list[Row]:
    return [_review_row(review) for review in Review.objects.filter(owner=user).select_related(
        "author", "booking__unit__lodging", "booking__session__experience").order_by("created_at")]


def contact_messages(user: User) -> list[Row]:
    return [{"sent_at": _when(message.created_at), "subject": message.get_subject_display(), "name": message.name,
             "email": message.email, "booking_reference": message.booking_reference, "message": message.message}
            for message in ContactMessage.objects.filter(Q(user=user) | Q(email__iexact=user.email))
            .order_by("created_at")]


def vouchers_and_donations(user: User) -> list[Row]:
    rows: list[Row] = [{"kind": "voucher", "reference": order.reference, "amount": _eur(order.amount_cents), "status": order.status, "buyer_name": order.buyer_name,
        "recipient_name": order.recipient_name, "message": order.message, "paid_at": _when(order.paid_at)}
        for order in VoucherOrder.objects.filter(Q(buyer=user) | Q(buyer_email__iexact=user.email)).order_by("pk")]
    allocations = (DonationAllocation.objects.filter(booking__traveller=user)
                   .select_related("booking", "foundation").order_by("booking_id", "foundation_id"))
    rows += [{"kind": "donation", "reference": allocation.booking.reference,
              "amount": allocation.booking.donation_amount or Decimal("0"),
              "foundation": allocation.foundation.name, "weight": allocation.weight} for allocation in allocations]
    return rows


EXPORT_SECTIONS: list[ExportSection] = [
    ExportSection("profile", gettext_lazy("Profil"), profile),
    ExportSection("addresses", gettext_lazy("Adresses"), addresses),
    ExportSection("consents", gettext_lazy("Consentements et préférences d'e-mails"), consents),
    ExportSection("offers", gettext_lazy("Domaines et offres (avec l'adresse des photos)"), offers),
    ExportSection("trips", gettext_lazy("Réservations en tant que voyageur"), trips),
    ExportSection("bookings_received", gettext_lazy("Réservations reçues en tant que propriétaire"),
                  bookings_received),
    ExportSection("payments", gettext_lazy("Paiements et remboursements"), payments),
    ExportSection("payouts", gettext_lazy("Virements et factures"), payouts),
    ExportSection("reviews_written", gettext_lazy("Avis écrits"), reviews_written),
    ExportSection("reviews_received", gettext_lazy("Avis reçus"), reviews_received),
    ExportSection("contact_messages", gettext_lazy("Messages envoyés par le formulaire de contact"),
                  contact_messages),
    ExportSection("vouchers_and_donations", gettext_lazy("Bons cadeaux achetés et dons"), vouchers_and_donations),
    ExportSection("reports_made", gettext_lazy("Signalements de voyageurs faits à l'équipe"), reports_made_by),
]


# --- Deletion: what refuses it ---------------------------------------------------------------

HELD_STATUSES = (BookingStatus.AWAITING_PAYMENT, BookingStatus.CHECKOUT, BookingStatus.CONFIRMED)


def open_bookings(user: User, now: datetime) -> list[str]:
    """A booking not yet ended, as traveller or owner (a request waiting for an answer does
    not count: the deletion refuses or cancels it)."""
    references = list(Booking.objects.filter(Q(traveller=user) | Q(owner=user), status__in=HELD_STATUSES,
                                             service_end__gt=now).order_by("service_end")
                      .values_list("reference", flat=True)[:10])
    if not references:
        return []
    return [_("Une réservation n'est pas terminée (%(references)s) : le compte pourra être supprimé après la fin "
              "du séjour ou de la séance, ou après son annulation.") % {"references": ", ".join(references)}]


def money_not_paid_out(user: User, now: datetime) -> list[str]:
    problems: list[str] = []
    ended_unposted = Booking.objects.filter(owner=user, status=BookingStatus.CONFIRMED, service_end__lte=now).exclude(
        pk__in=LedgerTransaction.objects.filter(kind=TransactionKind.BOOKING_ENDED, booking__owner=user)
        .values("booking_id"))
    balance = ledger.owner_balance(user.pk)
    if balance > 0 or ended_unposted.exists():
        problems.append(_("Des gains ne vous sont pas encore versés (%(amount)s) : ils partent avec le virement "
                          "mensuel du 1er ; supprimez votre compte ensuite.")
                        % {"amount": format_eur(Decimal(max(balance, 0)) / 100)})
    elif balance < 0:
        problems.append(_("Votre solde est débiteur de %(amount)s (un remboursement après un virement) : "
                          "contactez l'équipe pour le régler avant de supprimer votre compte.")
                        % {"amount": format_eur(Decimal(-balance) / 100)})
    if Payout.objects.filter(owner=user, status__in=(PayoutStatus.PENDING, PayoutStatus.WAITING_ONBOARDING,
                                                     PayoutStatus.HELD)).exists() and not problems:
        problems.append(_("Un virement vers votre compte est en cours ou en attente de Stripe Connect."))
    if Refund.objects.filter(payment__booking__traveller=user,
                             status__in=(RefundStatus.PENDING, RefundStatus.FAILED)).exists():
        problems.append(_("Un remboursement vous est dû et n'est pas encore effectué : votre compte pourra être "
                          "supprimé une fois l'argent reçu."))
    if Dispute.objects.filter(Q(payment__booking__traveller=user) | Q(payment__booking__owner=user),
                              status=DisputeStatus.OPEN).exists():
        problems.append(_("Un litige bancaire sur un paiement est en cours."))
    return problems


# Each returns the reasons (sentences) that refuse the deletion now; an empty list: none.
DELETION_BLOCKERS: list[Callable[[User, datetime], list[str]]] = [open_bookings, money_not_paid_out]


# --- Deletion: the steps, in one transaction --------------------------------------------------

@dataclass
class DeletionContext:
    user: User
    now: datetime
    email: str  # the address before erasure: the confirmation email goes there
    pseudonym: str
    deleted_email: str
    counts: dict[str, int]


@dataclass(frozen=True)
class DeletionStep:
    name: str
    run: Callable[[DeletionContext], None]


def refuse_pending_requests(ctx: DeletionContext) -> None:
    """Requests the owner has not answered: refused, the traveller told by email (bookings.emails.refused)."""
    refused = 0
    for booking in Booking.objects.filter(owner=ctx.user, status=BookingStatus.REQUESTED).select_related("traveller"):
        with translation.override(booking.traveller.language):
            reason = _("Le propriétaire a fermé son compte Alma Heritage et ne peut plus accueillir de voyageurs.")
        try:
            booking_services.refuse(booking=booking, by=ctx.user, reason=reason, now=ctx.now)
        except booking_services.BookingError:
            continue  # already lapsed: the deadline sweep expires it
        refused += 1
    ctx.counts["requests_refused"] = refused


def cancel_own_requests(ctx: DeletionContext) -> None:
    """The person's own requests still waiting for an owner: cancelled (nothing was paid)."""
    cancelled = 0
    for booking in Booking.objects.filter(traveller=ctx.user, status=BookingStatus.REQUESTED):
        booking.traveller = ctx.user  # the same object: erased by the time emails go, so none to them
        try:
            booking_services.cancel(booking=booking, by=ctx.user, now=ctx.now)
        except booking_services.BookingError:
            continue
        cancelled += 1
    ctx.counts["requests_cancelled"] = cancelled


def unpublish_offers(ctx: DeletionContext) -> None:
    """Every offer back to draft and every unit unbookable (the domains go to draft with
    accounts.signals.account_deleted; bookings.services refuses a deleted owner's offers too)."""
    withdrawn = 0
    for model, owner_path in offer_models().items():
        live = model.objects.filter(**{owner_path: ctx.user}).exclude(
            status__in=(OfferStatus.DRAFT, OfferStatus.REJECTED))
        for offer in live:
            model.objects.filter(pk=offer.pk).update(status=OfferStatus.DRAFT, submitted_at=None)
            offer.refresh_from_db()
            status_changed(offer, ctx.now)
            withdrawn += 1
    Unit.objects.filter(lodging__domain__owner=ctx.user, is_active=True).update(is_active=False)
    ctx.counts["offers_unpublished"] = withdrawn


def end_future_sessions(ctx: DeletionContext) -> None:
    ctx.counts["sessions_ended"] = Session.objects.filter(
        experience__domain__owner=ctx.user, start__gt=ctx.now, is_active=True).update(is_active=False)


def apply_registry(ctx: DeletionContext) -> None:
    """Every registry entry with a row finder: ERASE / PSEUDONYMISE in one UPDATE, DELETE_ROW deletes."""
    from django.apps import apps

    for entry in registry.REGISTRY:
        if entry.rows is None:
            continue
        model = apps.get_model(entry.model)
        rows = entry.rows(model, ctx.user)
        key = f"{entry.model}:{','.join(entry.fields)}"
        if any(treatment == registry.DELETE_ROW for treatment in entry.fields.values()):
            ctx.counts[key] = rows.delete()[0]
            continue
        values = {}
        for name, treatment in entry.fields.items():
            model_field = model._meta.get_field(name)
            if treatment == registry.ERASE:
                values[name] = None if model_field.null else ""
            elif treatment == registry.PSEUDONYMISE:
                values[name] = ctx.deleted_email if isinstance(model_field, models.EmailField) else ctx.pseudonym
        if values:
            ctx.counts[key] = rows.update(**values)


def delete_data_exports(ctx: DeletionContext) -> None:
    for export in DataExport.objects.filter(user=ctx.user):
        if export.file:
            export.file.delete(save=False)
    ctx.counts["data_exports"] = DataExport.objects.filter(user=ctx.user).delete()[0]


def delete_list_exports(ctx: DeletionContext) -> None:
    for job in ExportJob.objects.filter(owner=ctx.user):
        if job.file:
            job.file.delete(save=False)
    ctx.counts["list_exports"] = ExportJob.objects.filter(owner=ctx.user).delete()[0]


def pseudonymise_admin_history(ctx: DeletionContext) -> None:
    types = ContentType.objects.get_for_models(User, OwnerProfile, BillingAddress).values()
    ctx.counts["admin_log"] = LogEntry.objects.filter(
        Q(content_type__in=types, object_id=str(ctx.user.pk)) | Q(object_repr__icontains=ctx.email)
    ).update(object_repr=ctx.pseudonym)


def end_login_sessions(ctx: DeletionContext) -> None:
    """Every device is logged out: the database sessions naming the account are deleted (the
    request's own is flushed by the view). Reads each stored session once (expired ones too:
    they still name the account); deletions are rare."""
    pk = str(ctx.user.pk)
    ended = [session.pk for session in LoginSession.objects.iterator()
             if session.get_decoded().get("_auth_user_id") == pk]
    ctx.counts["login_sessions"] = LoginSession.objects.filter(pk__in=ended).delete()[0]


def erase_account(ctx: DeletionContext) -> None:
    """The account row itself (accounts.services.delete_account): names, phone, addresses and
    photo erased, email replaced, password unusable; its signal takes the domains offline."""
    delete_account(user=ctx.user, now=ctx.now)


def delete_sent_emails(ctx: DeletionContext) -> None:
    """The outbox's copies of emails sent to the person; one still waiting leaves first and is
    deleted by the next purge (privacy.services.purge_data_exports)."""
    ctx.counts["sent_emails"] = OutgoingEmail.objects.annotate(recipients=Cast("to", TextField())).filter(
        recipients__icontains=ctx.email, sent_at__isnull=False).delete()[0]


apply_registry_step = DeletionStep("registry", apply_registry)

DELETION_STEPS: list[DeletionStep] = [
    DeletionStep("refuse_pending_requests", refuse_pending_requests),
    DeletionStep("cancel_own_requests", cancel_own_requests),
    DeletionStep("unpublish_offers", unpublish_offers),
    DeletionStep("end_future_sessions", end_future_sessions),
    apply_registry_step,
    DeletionStep("data_exports", delete_data_exports),
    DeletionStep("list_exports", delete_list_exports),
    DeletionStep("admin_history", pseudonymise_admin_history),
    DeletionStep("login_sessions", end_login_sessions),
    DeletionStep("account", erase_account),
    DeletionStep("sent_emails", delete_sent_emails),
]
