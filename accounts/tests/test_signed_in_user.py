"""Who is signed in, read cheaply (accounts/auth_backends.py, core/sessions.py; issue 14):
the same user, session and sign-outs as Django's own code, in fewer and lighter queries."""
from datetime import timedelta
from importlib import import_module

import pytest
from django.apps import apps
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore as DjangoSessionStore
from django.contrib.sessions.models import Session
from django.urls import reverse
from django.utils import timezone

from accounts.auth_backends import AuthenticationBackend, signed_in_user
from core.sessions import SessionStore

pytestmark = pytest.mark.django_db
migration = import_module("accounts.migrations.0004_session_backend_paths")


def test_the_signed_in_user_comes_with_their_owner_profile(owner, traveller, django_assert_num_queries):
    with django_assert_num_queries(1):
        user = signed_in_user(owner.pk)
        assert user.is_owner and user.owner_profile.pk == owner.owner_profile.pk
        assert user.owner_profile.user is user
    assert [getattr(user, f.attname) for f in user._meta.concrete_fields] == [
        getattr(owner, f.attname) for f in owner._meta.concrete_fields]
    with django_assert_num_queries(1):
        plain = signed_in_user(traveller.pk)
        assert not plain.is_owner and plain.email == traveller.email
    assert signed_in_user(traveller.pk + 1000) is None


def test_an_inactive_account_is_signed_out_as_with_django(traveller):
    traveller.is_active = False
    traveller.save()
    assert AuthenticationBackend().get_user(traveller.pk) is None


def test_a_signed_in_page_reads_session_and_user_in_two_queries(client, traveller, django_assert_num_queries):
    client.force_login(traveller)
    with django_assert_num_queries(2):  # the session, the user with their (absent) owner profile
        response = client.get("/bench-less-page-that-is-missing/")
    assert response.status_code in (301, 302, 404)
    response = client.get(reverse("trips"))
    assert response.status_code == 200 and response.context["user"] == traveller


def test_the_session_store_reads_what_djangos_wrote_and_forgets_expired_ones(traveller):
    written = DjangoSessionStore()
    written["colour"] = "bleu"
    written.save()
    assert SessionStore(written.session_key).load() == {"colour": "bleu"}

    Session.objects.filter(session_key=written.session_key).update(expire_date=timezone.now() - timedelta(seconds=1))
    expired = SessionStore(written.session_key)
    assert expired.load() == {} and expired.session_key is None
    assert SessionStore("not-a-key-at-all-0123456789").load() == {}
    assert SessionStore("short").load() == {}


def _session_of(user, backend: str) -> str:
    store = DjangoSessionStore()
    store[SESSION_KEY], store[BACKEND_SESSION_KEY] = str(user.pk), backend
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store.save()
    return store.session_key


def test_sessions_opened_before_the_upgrade_stay_signed_in(client, owner, settings):
    old = _session_of(owner, "allauth.account.auth_backends.AuthenticationBackend")
    untouched = DjangoSessionStore()
    untouched["colour"] = "vert"
    untouched.save()
    client.cookies[settings.SESSION_COOKIE_NAME] = old
    assert client.get(reverse("dashboard")).status_code == 302  # the old path: Django signs it out

    old = _session_of(owner, "allauth.account.auth_backends.AuthenticationBackend")
    admin = _session_of(owner, "django.contrib.auth.backends.ModelBackend")
    migration.forwards(apps, None)
    assert SessionStore(old).load()[BACKEND_SESSION_KEY] == "accounts.auth_backends.AuthenticationBackend"
    assert SessionStore(admin).load()[BACKEND_SESSION_KEY] == "accounts.auth_backends.ModelBackend"
    assert SessionStore(untouched.session_key).load() == {"colour": "vert"}
    client.cookies[settings.SESSION_COOKIE_NAME] = old
    assert client.get(reverse("dashboard")).status_code == 200

    migration.backwards(apps, None)
    assert SessionStore(old).load()[BACKEND_SESSION_KEY] == "allauth.account.auth_backends.AuthenticationBackend"
