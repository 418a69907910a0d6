"""Sessions name the backend that logged their user in, and Django signs a session out when
that name is no longer among AUTHENTICATION_BACKENDS. The backends became the site's own
(accounts/auth_backends.py, issue 14): the sessions already open are renamed here, so that
nobody is signed out by the upgrade."""
from django.db import migrations

RENAMED = {
    "django.contrib.auth.backends.ModelBackend": "accounts.auth_backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend": "accounts.auth_backends.AuthenticationBackend",
}
BACKEND_SESSION_KEY = "_auth_user_backend"


def _rename(apps, renamed: dict) -> None:
    from django.contrib.sessions.backends.db import SessionStore

    Session = apps.get_model("sessions", "Session")
    store = SessionStore()
    changed = []
    for session in Session.objects.filter(session_data__isnull=False).iterator(chunk_size=2000):
        data = store.decode(session.session_data)  # {} when it no longer verifies: left alone
        if data.get(BACKEND_SESSION_KEY) in renamed:
            data[BACKEND_SESSION_KEY] = renamed[data[BACKEND_SESSION_KEY]]
            session.session_data = store.encode(data)
            changed.append(session)
        if len(changed) >= 2000:
            Session.objects.bulk_update(changed, ["session_data"])
            changed = []
    Session.objects.bulk_update(changed, ["session_data"])


def forwards(apps, schema_editor):
    _rename(apps, RENAMED)


def backwards(apps, schema_editor):
    _rename(apps, {new: old for old, new in RENAMED.items()})


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0003_email_preferences"),
        ("sessions", "0001_initial"),
    ]

    operations = [migrations.RunPython(forwards, backwards, elidable=True)]
