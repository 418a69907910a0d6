"""The traveller's payment page, its return page, and Stripe's webhook. Views are thin:
the rules are in services.py (payments), refunds.py and webhooks.py."""
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from bookings.models import Booking, BookingStatus
from bookings.services import BookingError
from core.money import from_cents

from . import services, webhooks
from . import stripe_adapter as stripe
from .models import Payment, PaymentStatus


def _my_booking(request, reference: str) -> Booking:
    """The traveller's own booking; anybody else's is a 404."""
    return get_object_or_404(Booking.objects.select_related("unit__lodging", "session__experience"),
                             reference=reference, traveller=request.user)


# The card errors Stripe.js reports, by code, in the page's language (Stripe's own message is
# English whatever the page, and the local Stripe server's always is); unknown codes get the last.
CARD_ERRORS = {
    "card_declined": gettext_lazy("Votre banque a refusé la carte. Essayez une autre carte ou contactez votre banque."),
    "insufficient_funds": gettext_lazy("Fonds insuffisants sur cette carte."),
    "expired_card": gettext_lazy("Cette carte a expiré."),
    "incorrect_cvc": gettext_lazy("Le code de sécurité (CVC) est incorrect."),
    "incorrect_number": gettext_lazy("Le numéro de carte est incorrect."),
    "invalid_number": gettext_lazy("Le numéro de carte est incorrect."),
    "invalid_expiry_month": gettext_lazy("La date d'expiration est incorrecte."),
    "invalid_expiry_year": gettext_lazy("La date d'expiration est incorrecte."),
    "incomplete_number": gettext_lazy("Le numéro de carte est incomplet."),
    "authentication_required": gettext_lazy("Votre banque demande une authentification : réessayez et validez-la."),
    "processing_error": gettext_lazy("Une erreur est survenue pendant le paiement. Réessayez dans un instant."),
    "payment_intent_unexpected_state": gettext_lazy("Ce paiement est déjà traité : rechargez la page."),
    "": gettext_lazy("Le paiement n'a pas abouti. Vérifiez la carte ou essayez-en une autre."),
}


@login_required
@never_cache  # the back button after paying asks again, and a paid booking leads to its trip
def payment_page(request, reference: str):
    booking = _my_booking(request, reference)
    if booking.status == BookingStatus.CONFIRMED:  # paid already: show how it went
        paid_here = booking.payments.filter(status=PaymentStatus.SUCCEEDED).exists()
        return redirect("payment_return" if paid_here else "trip_detail", booking.reference)
    try:
        checkout = services.start_payment(booking=booking, now=timezone.now())
    except BookingError as error:
        return _unavailable(request, booking, error.message, status=409)
    except services.PaymentError as error:
        return _unavailable(request, booking, error.message, status=503)
    if checkout.payment.status in (PaymentStatus.SUCCEEDED, PaymentStatus.PROCESSING):
        return redirect("payment_return", booking.reference)
    return render(request, "payouts/payment_page.html", {
        "booking": booking, "payment": checkout.payment, "client_secret": checkout.intent.client_secret,
        "amount_due": from_cents(checkout.payment.amount_cents),
        "publishable_key": settings.STRIPE_PUBLISHABLE_KEY, "stripe_js_url": settings.STRIPE_JS_URL,
        "return_url": reverse("payment_return", args=[booking.reference]),
        "card_errors": {code: str(message) for code, message in CARD_ERRORS.items()},
    })


def _unavailable(request, booking: Booking, message, *, status: int):
    return render(request, "payouts/payment_unavailable.html", {"booking": booking, "message": message},
                  status=status)


@login_required
def payment_return(request, reference: str):
    """Where Stripe.js sends the traveller: ask Stripe now, so the result shows at once
    (the webhook does the same work again, harmlessly)."""
    booking = _my_booking(request, reference)
    payments = booking.payments.exclude(stripe_payment_intent_id=None)
    payment = (payments.filter(stripe_payment_intent_id=request.GET.get("payment_intent", "")).first()
               or payments.filter(status=PaymentStatus.SUCCEEDED, is_duplicate=False,
                                                              amount_mismatch=False).first() or payments.first())
    if payment is None:  # never started paying here (or paid otherwise)
        payable = booking.status in (BookingStatus.AWAITING_PAYMENT, BookingStatus.CHECKOUT)
        return redirect("payment_page" if payable else "trip_detail", booking.reference)
    if not (payment.status == PaymentStatus.SUCCEEDED and _settled(booking, payment)):
        try:
            payment = services.sync_payment(payment=payment, now=timezone.now())
        except services.PaymentError as error:
            return _unavailable(request, booking, error.message, status=503)
    if payment.status == PaymentStatus.FAILED:
        messages.error(request, payment.error_message or _declined())
        return redirect("payment_page", booking.reference)
    if payment.status not in (PaymentStatus.SUCCEEDED, PaymentStatus.PROCESSING):
        return redirect("payment_page", booking.reference)  # no card was confirmed yet
    booking.refresh_from_db()
    return render(request, "payouts/payment_result.html", {
        "booking": booking, "payment": payment, "outcome": _outcome(booking, payment),
        "amount": from_cents(payment.amount_cents),
    })


def _declined() -> str:
    return _("Le paiement n'a pas abouti. Vérifiez votre carte ou essayez-en une autre.")


def _settled(booking: Booking, payment: Payment) -> bool:
    """Nothing left to do for this success: the booking counts it, or it is being refunded."""
    return (booking.status == BookingStatus.CONFIRMED and payment.counts_for_booking) or payment.refunds.exists()


def _outcome(booking: Booking, payment: Payment) -> str:
    if payment.status != PaymentStatus.SUCCEEDED:
        return "pending"
    if payment.amount_mismatch:
        return "mismatch"
    if payment.is_duplicate:
        return "duplicate"
    return "confirmed" if booking.status == BookingStatus.CONFIRMED else "refunded"


@csrf_exempt
@require_POST
def stripe_webhook(request):
    try:
        event = stripe.verify_event(request.body, request.headers.get("Stripe-Signature", ""))
    except stripe.BadSignature:
        return HttpResponseBadRequest("bad signature")
    except stripe.UnreadableEvent as error:  # signed, so Stripe's: answered 200, kept for staff
        webhooks.record_unreadable(payload=request.body, problem=f"pas du JSON : {error}", now=timezone.now())
        return HttpResponse(status=200)
    try:
        webhooks.handle_event(event=event, now=timezone.now())
    except stripe.StripeUnavailable:
        return HttpResponse("Stripe unavailable, send it again later", status=503)  # Stripe retries
    return HttpResponse(status=200)
