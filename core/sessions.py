"""The site's session store: Django's database sessions, read with SQL compiled once.

Every signed-in request reads its session; the ORM's building of that one-row lookup cost
more CPU than the minimal view's whole page (~1.3 ms in one process, issue 14,
docs/performance.md "Owner lists"). Writing, expiry and every other path stay Django's."""
from datetime import UTC, datetime

from django.contrib.sessions.backends import db
from django.contrib.sessions.models import Session
from django.utils import timezone

from core.compiledsql import CompiledQuery

_SESSION_DATA = CompiledQuery(
    lambda key, now: Session.objects.filter(session_key=key, expire_date__gt=now).values_list("session_data"),
    sentinels=("~compiled-session-key~", datetime(1901, 2, 3, 4, 5, 6, tzinfo=UTC)))


class SessionStore(db.SessionStore):
    def load(self):
        key = self.session_key  # None when the cookie's key is not a valid one
        rows = _SESSION_DATA(key, timezone.now()) if key else []
        if not rows:
            self._session_key = None  # as Django's: a missing or expired session starts anew
            return {}
        return self.decode(rows[0][0])
