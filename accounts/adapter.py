from allauth.account.adapter import DefaultAccountAdapter
from django.urls import reverse
from django.utils import translation


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
