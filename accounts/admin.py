from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _

from .models import BillingAddress, OwnerProfile, User


class OwnerProfileInline(admin.StackedInline):
    model = OwnerProfile
    can_delete = False
    extra = 0


class BillingAddressInline(admin.StackedInline):
    model = BillingAddress
    can_delete = False
    extra = 0


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
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
class OwnerProfileAdmin(admin.ModelAdmin):
    list_display = ["user", "city", "channel_manager", "stripe_payouts_enabled", "created_at"]
    list_filter = ["channel_manager", "stripe_payouts_enabled"]
    search_fields = ["user__email", "user__last_name", "city"]
    list_select_related = ["user"]
    raw_id_fields = ["user"]
