from allauth.account.adapter import DefaultAccountAdapter
from allauth.core import context as allauth_context
from django.contrib.sites.shortcuts import get_current_site
from django.urls import reverse
from django.utils import translation

from core.clientip import client_ip
from core.mail import queue_message


class AccountAdapter(DefaultAccountAdapter):
    def save_user(self, request, user, form, commit=True):
        # Emails follow the language the person signed up in.
        user.language = translation.get_language() or "fr"
        return super().save_user(request, user, form, commit)

    def get_login_redirect_url(self, request):
        user = request.user
        if user.is_authenticated and user.is_owner:
            return reverse("dashboard")
        return super().get_login_redirect_url(request)

    def get_signup_redirect_url(self, request):
        return self.get_login_redirect_url(request)

    def send_mail(self, template_prefix, email, context):
        """Confirmation and password-reset emails go through the platform's queue
        (core/mail.py): a mail server that is down leaves them for the retry job."""
        request = allauth_context.request
        ctx = {"request": request, "email": email, "current_site": get_current_site(request), **context}
        queue_message(self.render_mail(template_prefix, email, ctx))

    def get_client_ip(self, request):
        """Every allauth rate limit keys on the same address as ours (core/clientip.py)."""
        return client_ip(request)

    def _get_login_attempts_cache_key(self, request, **credentials):
        """The per-account part of the failed-login limit counts per (address, account): one
        address failing on someone's account locks that address out of it, not the person
        everywhere. The per-address limit (`10/m/ip`) still bounds one address overall."""
        return f"{super()._get_login_attempts_cache_key(request, **credentials)}:{client_ip(request)}"
