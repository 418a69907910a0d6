from urllib.parse import urlencode

from allauth.account.views import SignupView
from django.contrib import admin, messages
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

from .decorators import owner_required
from .forms import AccountDetailsForm, BillingAddressForm, OwnerProfileForm
from .models import BillingAddress
from .services import make_owner


class OwnerSignupView(SignupView):
    """ "Proposer votre domaine": allauth's sign-up, flagged as an owner account."""

    template_name = "account/signup.html"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            return redirect("become_owner")
        return super().dispatch(request, *args, **kwargs)

    def get_initial(self):
        return {**super().get_initial(), "account_type": "owner"}

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "owner_signup": True}


owner_signup = OwnerSignupView.as_view()


@login_required
def become_owner(request):
    if request.user.is_owner:
        return redirect("dashboard")
    if request.method == "POST":
        make_owner(user=request.user)
        messages.success(request, _("Votre fiche propriétaire est créée : complétez-la pour proposer votre domaine."))
        return redirect("dashboard")
    return render(request, "accounts/become_owner.html")


@owner_required
def dashboard_general(request):
    """Tab "Général": the fiche propriétaire."""
    profile = request.user.owner_profile
    form = OwnerProfileForm(request.POST or None, request.FILES or None, instance=profile)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Votre fiche propriétaire est enregistrée."))
        return redirect("dashboard")
    return render(request, "accounts/dashboard_general.html", {"form": form, "profile": profile, "tab": "general"})


def dashboard_empty_tab(tab: str, title, empty_text):
    """A dashboard tab with nothing behind it (reviews do not exist): an empty state that says so."""

    @owner_required
    def view(request):
        return render(
            request,
            "accounts/dashboard_empty_tab.html",
            {"tab": tab, "title": title, "empty_text": empty_text},
        )

    return view


@login_required
def account_details(request):
    """ "Mon compte > Détails de mon compte"."""
    form = AccountDetailsForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        form.save()
        translation.activate(form.instance.language)
        messages.success(request, _("Vos informations sont enregistrées."))
        response = redirect("account_details")
        response.set_cookie("django_language", form.instance.language, samesite="Lax")
        return response
    return render(request, "accounts/account_details.html", {"form": form, "account_tab": "details"})


@login_required
def billing_address(request):
    """ "Mon compte > Adresses": create the billing address, or edit it."""
    address = BillingAddress.objects.filter(user=request.user).first()
    editing = request.GET.get("modifier") is not None or address is None or request.method == "POST"
    form = BillingAddressForm(request.POST or None, instance=address or BillingAddress(user=request.user))
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Votre adresse de facturation est enregistrée."))
        return redirect("billing_address")
    return render(
        request,
        "accounts/billing_address.html",
        {"form": form, "address": address, "editing": editing, "account_tab": "addresses"},
    )




def admin_login(request, extra_context=None):
    """`/admin/login/` is the site login (allauth's), so staff pass its rate limits
    (ACCOUNT_RATE_LIMITS, accounts/adapter.py) and its second factor: Django's own admin login
    form, which knows neither, is never served (docs/security.md)."""
    next_url = request.GET.get(REDIRECT_FIELD_NAME, "")
    if not url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()},
                                           require_https=request.is_secure()):
        next_url = reverse("admin:index")
    if request.user.is_authenticated:
        if request.user.is_active and request.user.is_staff:
            return redirect(next_url)  # accounts.middleware asks for TOTP first if it is missing
        return render(request, "accounts/admin_forbidden.html", {
            "title": _("Accès réservé à l'équipe"), "site_header": admin.site.site_header}, status=403)
    return redirect(f"{reverse('account_login')}?{urlencode({REDIRECT_FIELD_NAME: next_url})}")
