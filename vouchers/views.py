"""Gift-voucher pages: buying one (public), its payment and receipt, the code field of the
booking payment page, and the traveller's vouchers. Views parse and call sales / checkout."""
import logging

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from bookings.models import Booking
from bookings.services import BookingError
from core import ratelimit
from core.clientip import client_ip
from core.money import format_eur, from_cents
from core.seo import for_page as seo_for_page
from payouts.views import CARD_ERRORS

from . import checkout, sales
from .forms import VoucherCodeForm, VoucherPurchaseForm
from .models import OrderStatus, Voucher, VoucherOrder

log = logging.getLogger(__name__)


def offer(request):
    now = timezone.now()
    initial = {}
    if request.user.is_authenticated:
        initial = {"buyer_name": request.user.get_full_name(), "buyer_email": request.user.email}
    form = VoucherPurchaseForm(request.POST or None, now=now, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            order = sales.create_order(
                amount_cents=data["amount_cents"], buyer_name=data["buyer_name"], buyer_email=data["buyer_email"],
                recipient_name=data["recipient_name"], recipient_email=data["recipient_email"],
                recipient_language=data["recipient_language"], message=data["message"],
                deliver_on=data["deliver_on"], buyer=request.user if request.user.is_authenticated else None,
                buyer_language=get_language() or settings.LANGUAGE_CODE, now=now)
        except sales.SaleError as error:
            form.add_error(None, error.message)
        else:
            return redirect("voucher_order", order.access_token)
    return render(request, "vouchers/offer.html", {
        "form": form, "min": settings.VOUCHER_MIN_AMOUNT, "max": settings.VOUCHER_MAX_AMOUNT,
        "validity_days": settings.VOUCHER_VALIDITY_DAYS,
        "seo": seo_for_page(request, title=_("Offrir un bon cadeau"), description=_(
            "Offrez un séjour ou une expérience au cœur du patrimoine : un bon cadeau valable sur tout "
            "Alma Heritage."))}, status=400 if form.errors else 200)


def _order(token: str) -> VoucherOrder:
    return get_object_or_404(VoucherOrder, access_token=token)


def order_page(request, token: str):
    """Pay the order (the card Element), or its receipt once paid."""
    order = _order(token)
    if order.status in (OrderStatus.PAID, OrderStatus.MISMATCH):
        return render(request, "vouchers/order_done.html", {"order": order,
                                                             "amount": from_cents(order.amount_cents)})
    try:
        intent = sales.start_payment(order=order)
    except sales.SaleError as error:
        return render(request, "vouchers/order_unavailable.html", {"order": order, "message": error.message},
                      status=503)
    if intent.status in ("succeeded", "processing"):
        return redirect("voucher_order_return", order.access_token)
    return render(request, "vouchers/order_payment.html", {
        "order": order, "amount": from_cents(order.amount_cents), "client_secret": intent.client_secret,
        "publishable_key": settings.STRIPE_PUBLISHABLE_KEY, "stripe_js_url": settings.STRIPE_JS_URL,
        "return_url": reverse("voucher_order_return", args=[order.access_token]),
        "card_errors": {code: str(message) for code, message in CARD_ERRORS.items()},  # the card Element's, translated
    })


def order_return(request, token: str):
    order = _order(token)
    try:
        order = sales.sync_order(order=order, now=timezone.now())
    except sales.SaleError as error:
        return render(request, "vouchers/order_unavailable.html", {"order": order, "message": error.message},
                      status=503)
    if order.status == OrderStatus.FAILED:
        messages.error(request, _("Le paiement n'a pas abouti : aucun bon cadeau n'a été émis. %(why)s")
                       % {"why": order.error_message})
        return redirect("voucher_order", order.access_token)
    if order.status == OrderStatus.PENDING:
        return redirect("voucher_order", order.access_token)
    return redirect("voucher_order", order.access_token)


# --- The code field of the booking payment page ----------------------------------------------------

def _my_booking(request, reference: str) -> Booking:
    return get_object_or_404(Booking, reference=reference, traveller=request.user)


def _attempt_allowed(request) -> bool:
    """VOUCHER_CODE_ATTEMPTS_PER_HOUR per session and per address (core/ratelimit.py)."""
    if not request.session.session_key:
        request.session.save()
    limit = settings.VOUCHER_CODE_ATTEMPTS_PER_HOUR
    by_address = ratelimit.allow(f"voucher:ip:{client_ip(request)}", limit=limit, period=3600)
    by_session = ratelimit.allow(f"voucher:session:{request.session.session_key}", limit=limit, period=3600)
    return by_address and by_session


@login_required
@require_POST
def apply(request, reference: str):
    booking = _my_booking(request, reference)
    form = VoucherCodeForm(request.POST)
    if not _attempt_allowed(request):
        log.warning("voucher code attempts over the limit: user %s, address %s", request.user.pk, client_ip(request))
        messages.error(request, _("Trop d'essais de code. Réessayez dans une heure."))
        return redirect("payment_page", booking.reference)
    if not form.is_valid():
        messages.error(request, str(checkout.GENERIC))
        return redirect("payment_page", booking.reference)
    try:
        use = checkout.apply_code(booking=booking, typed=form.cleaned_data["code"], user=request.user,
                                  now=timezone.now())
    except checkout.VoucherError as error:
        log.warning("voucher code refused for %s: user %s, address %s (%s)", booking.reference, request.user.pk,
                    client_ip(request), error.message)
        messages.error(request, error.message)
    except BookingError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Bon cadeau appliqué : %(amount)s payés avec le bon.")
                         % {"amount": format_eur(from_cents(use.amount_cents))})
    return redirect("payment_page", booking.reference)


@login_required
@require_POST
def remove(request, reference: str):
    booking = _my_booking(request, reference)
    try:
        checkout.remove_codes(booking=booking, now=timezone.now())
    except checkout.VoucherError as error:
        messages.error(request, error.message)
    return redirect("payment_page", booking.reference)


@login_required
def my_vouchers(request):
    """"Mes voyages > Bons cadeaux": received (matched by email) and bought."""
    email = request.user.email
    vouchers = (Voucher.objects.filter(Q(recipient_email__iexact=email) | Q(order__buyer=request.user)
                                       | Q(order__buyer_email__iexact=email))
                .select_related("order").order_by("-created_at")[:200])
    received = [v for v in vouchers if v.recipient_email.lower() == email.lower()]
    bought = [v for v in vouchers if v not in received]
    return render(request, "vouchers/my_vouchers.html", {"received": received, "bought": bought,
                                                         "now": timezone.now()})
