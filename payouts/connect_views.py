"""Mon compte > Stripe Connect: the owner's connected account, its state in words, the way to
Stripe's onboarding (a fresh Account Link each time) and to the Express dashboard."""
from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from accounts.decorators import owner_required

from . import connect, ledger
from . import stripe_adapter as stripe
from .models import ConnectedAccount

STRIPE_DOWN = _("Stripe ne répond pas pour le moment. Réessayez dans quelques minutes.")


def _account(request) -> ConnectedAccount | None:
    return ConnectedAccount.objects.filter(owner=request.user).first()


@owner_required
def stripe_connect(request):
    account = _account(request)
    return render(request, "payouts/stripe_connect.html", {
        "account": account, "state": connect.state_of(account), "account_tab": "stripe",
        "due": connect.requirements_in_words(account.requirements_due if account else []),
        "past_due": connect.requirements_in_words(account.requirements_past_due if account else []),
        "balance_cents": ledger.owner_balance(request.user.pk),
    })


def _to_onboarding(request, account: ConnectedAccount):
    url = connect.onboarding_url(
        account=account, refresh_url=request.build_absolute_uri(reverse("stripe_connect_refresh")),
        return_url=request.build_absolute_uri(reverse("stripe_connect_return")))
    return redirect(url)


@require_POST
@owner_required
def stripe_connect_start(request):
    """Create the account the first time, then off to Stripe's onboarding."""
    try:
        return _to_onboarding(request, connect.open_account(owner=request.user))
    except stripe.StripeUnavailable:
        messages.error(request, STRIPE_DOWN)
        return redirect("stripe_connect")


@owner_required
def stripe_connect_refresh(request):
    """Stripe sends the owner here when the link expired or was used: a fresh one."""
    account = _account(request)
    if account is None:
        return redirect("stripe_connect")
    try:
        return _to_onboarding(request, account)
    except stripe.StripeUnavailable:
        messages.error(request, STRIPE_DOWN)
        return redirect("stripe_connect")


@owner_required
def stripe_connect_return(request):
    """Back from Stripe: that proves nothing, so ask Stripe how the account is now."""
    account = _account(request)
    if account is not None:
        try:
            account = connect.refresh(account=account)
        except stripe.StripeUnavailable:
            messages.warning(request, _("Stripe ne nous a pas encore répondu : l'état affiché sera mis à jour "
                                        "dans quelques minutes."))
            return redirect("stripe_connect")
        if connect.state_of(account).ready:
            messages.success(request, _("Votre compte Stripe est prêt à recevoir vos gains."))
        else:
            messages.info(request, _("Votre compte Stripe n'est pas encore prêt : voir ci-dessous ce qui manque."))
    return redirect("stripe_connect")


@require_POST
@owner_required
def stripe_express_dashboard(request):
    account = _account(request)
    if account is None or not account.details_submitted:
        return redirect("stripe_connect")
    try:
        return redirect(connect.dashboard_url(account=account))
    except stripe.StripeUnavailable:
        messages.error(request, STRIPE_DOWN)
        return redirect("stripe_connect")
