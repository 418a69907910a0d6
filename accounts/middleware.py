"""Staff open no admin page before their authenticator app is activated (docs/security.md).

One place for the rule: every request under the admin's prefix, whatever view answers it. A
staff member with TOTP has passed it at login, because every login goes through allauth's flow
(`/admin/login/` is the site login: accounts.views.admin_login) and its MFA stage."""
from urllib.parse import urlencode

from allauth.mfa.models import Authenticator
from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _


def needs_totp_setup(user) -> bool:
    """A staff account without an activated authenticator app."""
    return (user.is_authenticated and user.is_active and user.is_staff
            and not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists())


class StaffTwoFactorMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        admin_prefix = reverse("admin:index")
        if (request.path.startswith(admin_prefix) and request.path != reverse("admin:logout")
                and needs_totp_setup(request.user)):
            messages.warning(request, _(
                "L'administration demande la double authentification : activez une application "
                "d'authentification pour continuer."))
            setup_url = reverse("mfa_activate_totp")
            return redirect(f"{setup_url}?{urlencode({'next': request.get_full_path()})}")
        return self.get_response(request)
