from allauth.account.admin import EmailAddressAdmin as AllauthEmailAddressAdmin
from allauth.account.models import EmailAddress
from allauth.mfa.admin import AuthenticatorAdmin as AllauthAuthenticatorAdmin
from allauth.mfa.models import Authenticator
from django.contrib import admin
from django.contrib.auth.admin import GroupAdmin as DjangoGroupAdmin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.models import Group
from django.contrib.sites.admin import SiteAdmin as DjangoSiteAdmin
from django.contrib.sites.models import Site
from django.utils.translation import gettext_lazy as _

from core import admin_base as base

from .models import BillingAddress, OwnerProfile, User


class OwnerProfileInline(base.StackedInline):
    model = OwnerProfile
    can_delete = False
    extra = 0


class BillingAddressInline(base.StackedInline):
    model = BillingAddress
    can_delete = False
    extra = 0


@admin.register(User)
class UserAdmin(base.AdminGuard, DjangoUserAdmin):
    ordering = ["email"]
    list_display = ["email", "first_name", "last_name", "is_owner_display", "is_staff", "is_active", "date_joined"]
    list_filter = ["is_staff", "is_active", "language"]
    search_fields = ["email", "first_name", "last_name", "phone"]
    inlines = [OwnerProfileInline, BillingAddressInline]
    list_select_related = ["owner_profile"]
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        (_("Identité"), {"fields": ("first_name", "last_name", "phone", "language")}),
        (_("Droits"), {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")}),
        (_("Dates"), {"fields": ("last_login", "date_joined", "deleted_at")}),
    )
    add_fieldsets = ((None, {"classes": ("wide",), "fields": ("email", "password1", "password2")}),)

    def get_readonly_fields(self, request, obj=None):
        # "Signalements et comptes" may edit accounts, not hand out rights: only a superuser does.
        rights = () if request.user.is_superuser else ("is_staff", "is_superuser", "groups", "user_permissions")
        return (*super().get_readonly_fields(request, obj), *rights)

    @admin.display(boolean=True, description=_("propriétaire"))
    def is_owner_display(self, user: User) -> bool:
        return hasattr(user, "owner_profile")


@admin.register(OwnerProfile)
class OwnerProfileAdmin(base.ModelAdmin):
    list_display = ["user", "city", "channel_manager", "stripe_payouts_enabled", "created_at"]
    list_filter = ["channel_manager", "stripe_payouts_enabled"]
    search_fields = ["user__email", "user__last_name", "city"]
    list_select_related = ["user"]
    raw_id_fields = ["user"]


# The third-party admins, registered again over the project's admin base (core/admin_base.py):
# a group posted with a huge permission id, or an email address with a made-up user id, gave
# a 500. Their own options stay as their packages define them.
for model, package_admin in ((Group, DjangoGroupAdmin), (EmailAddress, AllauthEmailAddressAdmin),
                             (Site, DjangoSiteAdmin), (Authenticator, AllauthAuthenticatorAdmin)):
    admin.site.unregister(model)
    admin.site.register(model, type(package_admin.__name__, (base.AdminGuard, package_admin), {"__module__": __name__}))
# Support finds a lost authenticator by person and type; its date filters took naive dates (a warning).
admin.site._registry[Authenticator].list_filter = ("type",)
