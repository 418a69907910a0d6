"""One world of objects for the authorization matrix (test_authorization_matrix.py): two owners
with everything an owner has, two travellers, staff with and without each group. Built once per
test module through the real services where a service exists (bookings, payments, ledger,
payouts, invoices, reviews), so the rows test the objects people really have.

Everything in a row's `args` ("stay.reference", "payout.pk") is an attribute path in `World`."""
from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from accounts.models import User
from accounts.staff_groups import GROUPS
from bookings import services as bookings
from bookings.models import Booking
from calsync.models import DoubleBookingAlert, Feed, UnitCalendar
from conftest import activate_totp, make_user
from core.dates import paris_midnight
from domains.models import Domain, OfferStatus
from domains.photos import add_photo
from experiences.models import Experience, Period, Session
from exports.models import ExportJob, ExportStatus
from invoices.models import Invoice
from invoices.monthly import issue_invoices
from invoices.tests.conftest import at, billing_address, month_of, paid_stay, pay_month, ready_account
from lodgings.models import Lodging, Suspension, Unit
from lodgings.services import refresh_search_columns
from payouts import ledger
from payouts.models import Payment, PaymentStatus, Payout
from privacy import services as privacy
from privacy.models import DataExport
from public.models import Page
from reports.models import ReportPhoto, TravellerReport
from reports.services import file_report
from reviews import services as reviews
from reviews.models import Review
from touristtax.models import Commune
from vouchers.models import OrderStatus, VoucherOrder

PUBLISHED = OfferStatus.PUBLISHED


@dataclass
class Offers:
    domain: Domain
    draft_domain: Domain
    lodging: Lodging
    unit: Unit
    draft_unit: Unit  # in a lodging not published yet
    experience: Experience
    period: Period
    session: Session
    domain_photo: object  # DomainPhoto, LodgingPhoto, ExperiencePhoto (domains.models.OfferPhoto)
    lodging_photo: object
    experience_photo: object


@dataclass
class World:
    """The matrix's columns are `actors`; everything else is what the rows point at (owner A's)."""

    anonymous: None
    traveller: User
    other_traveller: User
    other_owner: User
    owner: User
    staff: User  # is_staff, authenticator app, no group
    staff_in: dict[str, User]  # group name → a staff member in that group only
    mine: Offers  # the owner's
    theirs: Offers  # the other owner's
    stay: Booking  # the traveller's confirmed stay, in 30 days
    request: Booking  # the traveller's request, unanswered
    awaiting: Booking  # accepted, awaiting the traveller's payment
    past_stay: Booking  # ended five weeks ago, paid out, invoiced, reviewed
    session_booking: Booking  # the traveller's confirmed place at the owner's workshop
    review: Review
    payout: Payout
    invoice: Invoice
    feed: Feed
    calendar: UnitCalendar
    alert: DoubleBookingAlert
    suspension: Suspension
    export: ExportJob
    data_export: DataExport  # the owner's « Mes données » ZIP, ready
    report: TravellerReport  # the owner's report on the traveller of the past stay, with a photo
    report_photo: ReportPhoto
    voucher_order: VoucherOrder
    commune: Commune
    page: Page

    @property
    def domain(self) -> Domain:
        return self.mine.domain

    @property
    def lodging(self) -> Lodging:
        return self.mine.lodging

    @property
    def unit(self) -> Unit:
        return self.mine.unit

    @property
    def experience(self) -> Experience:
        return self.mine.experience

    @property
    def session(self) -> Session:
        return self.mine.session

    def resolve(self, path: str):
        if path[0] in "'\"":  # a literal: a wizard step, an export's kind
            return path[1:-1]
        value = self
        for part in path.split("."):
            value = getattr(value, part)
        return value


def _offers(owner: User, key: str, *, commune: str) -> Offers:
    domain = Domain.objects.create(owner=owner, name=f"Domaine {key}", slug=f"domaine-{key}", heritage_kind="chateau",
                                   commune=commune, departement="37", status=PUBLISHED)
    draft = Domain.objects.create(owner=owner, name=f"Brouillon {key}", slug=f"brouillon-{key}",
                                  heritage_kind="moulin", status=OfferStatus.DRAFT)
    lodging = Lodging.objects.create(domain=domain, kind="gite", title=f"Le Logis {key}", slug=f"logis-{key}",
                                     status=PUBLISHED, cleaning_fee=Decimal("40.00"), min_nights=2, max_nights=14,
                                     advance_notice_days=1, booking_mode="request", full_refund_days=14,
                                     late_refund_percent=50)
    unit = Unit.objects.create(lodging=lodging, name=f"Le Logis {key}", nightly_price=Decimal("120.00"),
                               adults_capacity=4, children_capacity=2)
    refresh_search_columns(lodging=lodging)  # what the lodging's wizard does: search and the API list it
    draft_lodging = Lodging.objects.create(domain=domain, kind="gite", title=f"Le Fournil {key}",
                                           slug=f"fournil-{key}", status=OfferStatus.DRAFT)
    draft_unit = Unit.objects.create(lodging=draft_lodging, name=f"Le Fournil {key}", nightly_price=Decimal("90.00"),
                                     adults_capacity=2, children_capacity=0)
    experience = Experience.objects.create(domain=domain, title=f"Atelier {key}", slug=f"atelier-{key}",
                                           category="workshop", capacity=10, price_per_person=Decimal("45.00"),
                                           booking_mode="instant", full_refund_hours=48, late_refund_percent=0,
                                           status=PUBLISHED)
    today = timezone.localdate()
    period = Period.objects.create(experience=experience, start_date=today, end_date=today + timedelta(days=90),
                                   weekdays="6", start_times=["15:00"])
    start = paris_midnight(today + timedelta(days=20)) + timedelta(hours=15)
    session = Session.objects.create(experience=experience, start=start, end=start + timedelta(hours=2), capacity=10)
    photos = [add_photo(offer=offer, upload=_picture(f"{key}-{n}"), caption=f"Photo {key} {n}")
              for n, offer in enumerate((domain, lodging, experience))]
    return Offers(domain, draft, lodging, unit, draft_unit, experience, period, session, *photos)


def _picture(name: str) -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (1200, 800), (150, 120, 90)).save(buffer, "JPEG")
    return SimpleUploadedFile(f"{name}.jpg", buffer.getvalue(), content_type="image/jpeg")


def build_world() -> World:
    now = timezone.now()
    today = timezone.localdate()
    traveller = make_user("lucie@example.fr", first_name="Lucie", last_name="Bernard")
    other_traveller = make_user("marc@example.fr", first_name="Marc", last_name="Petit")
    owner = make_user("helene@example.fr", owner=True, first_name="Hélène", last_name="Duval", phone="+33612345678")
    other_owner = make_user("armand@example.fr", owner=True, first_name="Armand", last_name="Castel")
    staff = activate_totp(make_user("equipe@example.fr", is_staff=True))
    staff_in = {}
    for n, name in enumerate(GROUPS):
        member = activate_totp(make_user(f"equipe{n}@example.fr", is_staff=True))
        member.groups.add(Group.objects.get(name=name))
        staff_in[name] = member

    mine, theirs = _offers(owner, "a", commune="Amboise"), _offers(other_owner, "b", commune="Tours")
    unit = mine.unit

    # The past stay: paid a month ahead, ended, paid out on the 1st after it, invoiced, reviewed.
    past_stay = paid_stay(unit=unit, traveller=traveller, arrival=today - timedelta(days=40))
    billing_address(owner)
    ready_account(owner)
    month = month_of(past_stay)
    payout = pay_month(owner, month, transfer_id="tr_matrice")
    invoice = issue_invoices(month=month, now=at(month, 7)).invoices[0]
    review = reviews.write_review(booking=past_stay, author=traveller, text="Un séjour magnifique.", now=now,
                                  ratings={"rating": 5, "cleanliness": 5, "welcome": 5, "heritage": 5, "value": 4})

    stay = paid_stay(unit=unit, traveller=traveller, arrival=today + timedelta(days=30))
    request = bookings.request_stay(traveller=traveller, unit=unit, arrival=today + timedelta(days=50),
                                    departure=today + timedelta(days=53), adults=2, children=0, now=now)
    awaiting = bookings.request_stay(traveller=traveller, unit=unit, arrival=today + timedelta(days=70),
                                     departure=today + timedelta(days=73), adults=2, children=0, now=now)
    bookings.accept(booking=awaiting, by=owner, now=now)
    awaiting.refresh_from_db()

    session_booking = bookings.book_session(traveller=traveller, session=mine.session, adults=2, children=0, now=now)
    payment = Payment.objects.create(booking=session_booking, amount_cents=9000, status=PaymentStatus.SUCCEEDED,
                                     stripe_payment_intent_id=f"pi_{session_booking.reference}", succeeded_at=now)
    assert bookings.confirm_payment(booking=session_booking, amount_paid=Decimal("90.00"), now=now)
    ledger.post_payment(payment=payment, now=now)
    session_booking.refresh_from_db()

    feed = Feed.objects.create(unit=unit, platform="airbnb", name="Airbnb", url="https://www.airbnb.fr/calendar/ical/1.ics")
    calendar, _ = UnitCalendar.objects.get_or_create(unit=unit)
    alert = DoubleBookingAlert.objects.create(unit=unit, booking=stay, feed=feed, source_name="Airbnb",
                                              block_start=stay.arrival, block_end=stay.departure, detected_at=now)
    suspension = Suspension.objects.create(lodging=mine.lodging, start=today + timedelta(days=100),
                                           end=today + timedelta(days=107), reason="Motif privé : dégât des eaux")
    export = ExportJob.objects.create(owner=owner, kind="bookings", format="csv", status=ExportStatus.DONE,
                                      progress=100, row_count=1, created_at=now, finished_at=now)
    export.file.save("reservations.csv", ContentFile("Réservation\r\nA\r\n".encode()), save=True)
    data_export = privacy.build_export(export_id=privacy.request_export(user=owner, now=now).pk, now=now)
    report = file_report(booking=past_stay, by=owner, category="damage", photos=[_picture("vase")], now=now,
                         description="Un vase brisé, caché dans un placard.")
    voucher_order = VoucherOrder.objects.create(
        reference="BCMATRICE", access_token="jeton-de-la-commande-de-bon-cadeau", buyer=traveller,
        buyer_name="Lucie Bernard", buyer_email=traveller.email, recipient_name="Paul", recipient_email="paul@example.fr",
        amount_cents=10000, status=OrderStatus.PAID, paid_at=now)
    commune = Commune.objects.create(insee_code="37003", name="Amboise", departement="37")
    page = Page.objects.create(slug="a-propos", title_fr="À propos", body_fr="Alma Heritage.")
    return World(
        anonymous=None, traveller=traveller, other_traveller=other_traveller, other_owner=other_owner, owner=owner,
        staff=staff, staff_in=staff_in, mine=mine, theirs=theirs, stay=stay, request=request, awaiting=awaiting,
        past_stay=past_stay, session_booking=session_booking, review=review, payout=payout, invoice=invoice,
        feed=feed, calendar=calendar, alert=alert, suspension=suspension, export=export, data_export=data_export, report=report,
        report_photo=report.photos.get(),
        voucher_order=voucher_order, commune=commune, page=page)
