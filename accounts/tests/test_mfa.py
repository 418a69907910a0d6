"""Two-factor and staff roles as staff and travellers meet them (docs/security.md): no admin page
without an authenticator app, the code asked at every login, the three staff groups, the demo
staff member, and a log entry for what staff do in the admin."""
import io

import pytest
from allauth.mfa.models import Authenticator
from django.apps import apps as global_apps
from django.contrib import admin
from django.contrib.admin.models import LogEntry
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import timezone

from accounts import demo
from accounts.staff_groups import BOOKINGS_AND_PAYMENTS, GROUPS, MODERATION, REPORTS_AND_ACCOUNTS, sync_staff_groups
from conftest import PASSWORD, activate_totp, make_user, totp_code
from domains.models import OfferStatus
from domains.tests.factories import make_domain

pytestmark = pytest.mark.django_db
SETUP_URL = reverse("mfa_activate_totp")


def log_in(client, user, next_url="/admin/"):
    return client.post(f"{reverse('account_login')}?next={next_url}", {"login": user.email, "password": PASSWORD})


def confirm_password(client):
    """allauth asks for the password again before a second factor is set up or changed."""
    response = client.post(reverse("account_reauthenticate"), {"password": PASSWORD})
    assert response.status_code == 302


def admin_urls() -> list[str]:
    """The admin's index, every changelist and add page, and the custom pages."""
    urls = [reverse("admin:index"), reverse("admin:password_change"),
            reverse("admin:domains_moderationqueue_decide"), reverse("admin:payouts_payout_run"),
            reverse("admin:donations_report")]
    for model in admin.site._registry:
        opts = model._meta
        urls += [reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist"),
                 reverse(f"admin:{opts.app_label}_{opts.model_name}_add")]
    return urls


def staff_member(email="moderation@example.fr", *groups: str, totp=True):
    user = make_user(email, is_staff=True)
    user.groups.add(*Group.objects.filter(name__in=groups))
    return activate_totp(user) if totp else user


def test_a_staff_login_without_totp_never_reaches_an_admin_page(client, owner):
    staff = make_user("nouveau@example.fr", is_staff=True, is_superuser=True)
    domain = make_domain(owner)
    response = log_in(client, staff)
    assert response.status_code == 302 and response.url == "/admin/"  # logged in: no factor to ask yet
    for url in [*admin_urls(), reverse("admin:domains_domain_change", args=[domain.pk]), reverse("admin:login")]:
        for response in (client.get(url), client.post(url, {"action": "approve_selected"})):
            assert response.status_code == 302, url
            assert response.url.startswith(SETUP_URL), url
    chain = [url for url, _ in client.get(reverse("admin:login"), follow=True).redirect_chain]
    assert chain[0].startswith(SETUP_URL)
    confirm_password(client)
    setup = client.get(SETUP_URL)
    assert setup.status_code == 200 and setup.context["form"].secret in setup.content.decode()
    domain.refresh_from_db()
    assert domain.status == OfferStatus.DRAFT


def test_setting_up_totp_opens_the_admin(client):
    staff = make_user("nouveau@example.fr", is_staff=True, is_superuser=True)
    log_in(client, staff)
    confirm_password(client)
    secret = client.get(SETUP_URL).context["form"].secret
    response = client.post(SETUP_URL, {"code": totp_code(secret)})
    assert response.status_code == 302 and response.url == reverse("mfa_view_recovery_codes")
    assert Authenticator.objects.filter(user=staff, type=Authenticator.Type.RECOVERY_CODES).exists()
    assert client.get(reverse("admin:index")).status_code == 200


def test_the_admin_login_is_the_site_login(client, traveller):
    response = client.get(reverse("admin:login") + "?next=/admin/domains/domain/")
    assert response.status_code == 302
    assert response.url == reverse("account_login") + "?next=%2Fadmin%2Fdomains%2Fdomain%2F"
    # Only this site's addresses: a link to /admin/login/?next=elsewhere sends nobody elsewhere.
    response = client.get(reverse("admin:login") + "?next=https://evil.example/")
    assert response.url == reverse("account_login") + "?next=%2Fadmin%2F"
    # Anonymous on an admin page: to the login, never Django's own form.
    assert client.get("/admin/", follow=True).redirect_chain[-1][0].startswith(reverse("account_login"))
    client.force_login(traveller)
    response = client.get(reverse("admin:login"))
    assert response.status_code == 403 and "pas accès à l'administration" in response.content.decode()


def test_a_staff_login_with_totp_needs_the_code(client, staff):
    response = log_in(client, staff)
    assert response.status_code == 302 and response.url == reverse("mfa_authenticate")
    assert "_auth_user_id" not in client.session
    assert client.get("/admin/").url.startswith(reverse("admin:login"))  # not logged in yet
    wrong = client.post(reverse("mfa_authenticate"), {"code": "000000" if totp_code() != "000000" else "111111"})
    assert wrong.status_code == 200 and "_auth_user_id" not in client.session
    response = client.post(reverse("mfa_authenticate"), {"code": totp_code()})
    assert response.status_code == 302 and response.url == "/admin/"
    assert client.get("/admin/").status_code == 200


def test_a_recovery_code_replaces_a_lost_phone(client, staff):
    from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes

    code = RecoveryCodes(Authenticator.objects.get(user=staff, type=Authenticator.Type.RECOVERY_CODES)) \
        .get_unused_codes()[0]
    log_in(client, staff)
    assert client.post(reverse("mfa_authenticate"), {"code": code}).url == "/admin/"
    client.logout()
    log_in(client, staff)
    assert client.post(reverse("mfa_authenticate"), {"code": code}).status_code == 200  # used once only
    assert "_auth_user_id" not in client.session


def test_a_traveller_may_enable_totp_and_then_needs_it(client, traveller):
    client.post(reverse("account_login"), {"login": traveller.email, "password": PASSWORD})
    account = client.get(reverse("account_details")).content.decode()
    assert reverse("mfa_index") in account and "Double authentification" in account
    assert client.get(reverse("mfa_index")).status_code == 200
    assert client.get(SETUP_URL).url.startswith(reverse("account_reauthenticate"))
    confirm_password(client)
    secret = client.get(SETUP_URL).context["form"].secret
    assert client.post(SETUP_URL, {"code": totp_code(secret)}).status_code == 302
    client.logout()

    response = client.post(reverse("account_login"), {"login": traveller.email, "password": PASSWORD})
    assert response.url == reverse("mfa_authenticate") and "_auth_user_id" not in client.session
    response = client.post(reverse("mfa_authenticate"), {"code": totp_code(secret, offset=1)})
    assert response.status_code == 302 and client.session["_auth_user_id"] == str(traveller.pk)
    # Travellers still have no admin.
    assert client.get("/admin/").status_code == 302 and client.get(reverse("admin:login")).status_code == 403


def test_the_mfa_pages_speak_english_too(client, traveller):
    client.force_login(traveller)
    french = reverse("mfa_index")
    page = client.get(french.replace("/fr/", "/en/", 1)).content.decode()
    assert "Two-Factor Authentication" in page and "Two-factor authentication" in page  # allauth's, ours
    page = client.get(french).content.decode()
    assert "Authentification à deux facteurs" in page and "Double authentification" in page


def test_the_staff_groups_exist_with_their_permissions():
    def codenames(name):
        return {f"{p.content_type.app_label}.{p.codename}"
                for p in Group.objects.get(name=name).permissions.select_related("content_type")}

    moderation, bookings, accounts = codenames(MODERATION), codenames(BOOKINGS_AND_PAYMENTS), \
        codenames(REPORTS_AND_ACCOUNTS)
    assert {"domains.change_domain", "lodgings.change_lodging", "experiences.change_experience",
            "domains.change_revision", "domains.change_label", "domains.change_labelproposal",
            "domains.view_moderationqueue", "reviews.change_review", "reviews.change_reviewcomplaint"} <= moderation
    assert {"bookings.change_booking", "payouts.change_refund", "payouts.view_payment", "payouts.change_payout",
            "invoices.view_invoice", "donations.view_foundation", "donations.add_donationtransfer"} <= bookings
    assert {"accounts.change_user", "accounts.change_ownerprofile", "public.change_contactmessage",
            "core.view_outgoingemail", "mfa.delete_authenticator"} <= accounts
    assert "accounts.change_user" not in moderation and "bookings.change_booking" not in moderation
    assert "accounts.delete_user" not in accounts  # deletion is the person's own (RGPD), not the team's
    # Every name in the definition is a real permission: a typo would silently give nothing.
    wanted = {f"{app}.{action}_{model}" for models in GROUPS.values() for (app, model), actions in models.items()
              for action in actions}
    assert wanted == moderation | bookings | accounts
    sync_staff_groups(global_apps)  # after every migrate: idempotent
    assert Group.objects.filter(name__in=GROUPS).count() == 3 and codenames(MODERATION) == moderation


def test_staff_see_only_their_groups_part_of_the_admin(client):
    bookings_staff = staff_member("caisse@example.fr", BOOKINGS_AND_PAYMENTS)
    client.force_login(bookings_staff)
    assert client.get(reverse("admin:domains_domain_changelist")).status_code == 403
    assert client.get(reverse("admin:bookings_booking_changelist")).status_code == 200
    assert client.get(reverse("admin:accounts_user_changelist")).status_code == 403

    moderator = staff_member("moderation@example.fr", MODERATION)
    client.force_login(moderator)
    assert client.get(reverse("admin:domains_domain_changelist")).status_code == 200
    assert client.get(reverse("admin:reviews_reviewcomplaint_changelist")).status_code == 200
    assert client.get(reverse("admin:payouts_refund_changelist")).status_code == 403


def test_the_admins_own_pages_follow_the_groups_too(client):
    """The moderation queue, reports and PDFs are views of their own: any staff member could
    open them when only `admin_view` guarded them."""
    client.force_login(staff_member("caisse2@example.fr", BOOKINGS_AND_PAYMENTS))
    assert client.get(reverse("admin:domains_moderationqueue_changelist")).status_code == 403
    assert client.post(reverse("admin:domains_moderationqueue_decide"), {"item": "x"}).status_code == 403
    assert client.get(reverse("admin:donations_report")).status_code == 200
    client.force_login(staff_member("moderation2@example.fr", MODERATION))
    assert client.get(reverse("admin:domains_moderationqueue_changelist")).status_code == 200
    assert client.get(reverse("admin:donations_report")).status_code == 403


def test_the_accounts_group_cannot_hand_out_rights(client, traveller):
    client.force_login(staff_member("support@example.fr", REPORTS_AND_ACCOUNTS))
    page = client.get(reverse("admin:accounts_user_change", args=[traveller.pk]))
    assert page.status_code == 200
    assert 'name="is_superuser"' not in page.content.decode() and 'name="groups"' not in page.content.decode()


def test_the_demo_staff_member_is_no_superuser_and_has_totp():
    out = io.StringIO()
    demo.seed(stdout=out)
    staff = demo.seed(stdout=io.StringIO()).staff  # twice: idempotent
    assert staff.is_staff and not staff.is_superuser
    assert set(staff.groups.values_list("name", flat=True)) == set(GROUPS)
    totp = Authenticator.objects.get(user=staff, type=Authenticator.Type.TOTP).wrap()
    assert totp.validate_code(totp_code(demo.DEMO_TOTP_SECRET))
    assert demo.DEMO_TOTP_SECRET in out.getvalue()


def test_admin_actions_leave_a_log_entry(client, staff, owner):
    domain = make_domain(owner, status=OfferStatus.SUBMITTED, submitted_at=timezone.now())
    other = make_domain(owner, status=OfferStatus.SUBMITTED, submitted_at=timezone.now())
    client.force_login(staff)
    client.post(reverse("admin:domains_domain_changelist"),
                {"action": "approve_selected", "_selected_action": [domain.pk]})
    client.post(reverse("admin:domains_moderationqueue_decide"),
                {"item": f"domains.domain:{other.pk}", "decision": "reject", "reason": "Photos floues."})
    entries = {entry.object_id: entry.get_change_message() for entry in LogEntry.objects.filter(user=staff)}
    assert entries[str(domain.pk)] == "Validé et publié"
    other.refresh_from_db()
    assert other.status == OfferStatus.REJECTED
    assert entries[str(other.pk)] == "Refusé (file de modération) : Photos floues."
