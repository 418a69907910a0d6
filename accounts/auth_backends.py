"""The site's authentication backends: Django's and allauth's, with the signed-in user read
together with their fiche propriétaire, by SQL compiled once.

Every signed-in page asks who the user is and, in its header, whether they are an owner:
two ORM lookups that cost ~2.5 ms of CPU a page in one process, more than the minimal view's
whole page (issue 14, docs/performance.md "Owner lists"). Authentication itself (passwords,
email login, rate limits) is the parents' and unchanged.

Sessions store the path of the backend that logged the user in; migration
accounts/0004_session_backend_paths moved the sessions made before these classes."""
from allauth.account import auth_backends as allauth_backends
from django.contrib.auth import backends as django_backends

from core.compiledsql import CompiledQuery

from .models import OwnerProfile, User

_USER_FIELDS = [field.attname for field in User._meta.concrete_fields]
_PROFILE_FIELDS = [field.attname for field in OwnerProfile._meta.concrete_fields]
_USER_WITH_PROFILE = CompiledQuery(
    lambda user_id: User.objects.filter(pk=user_id).values_list(
        *_USER_FIELDS, *(f"owner_profile__{name}" for name in _PROFILE_FIELDS)),
    sentinels=(-7_301_402,))


def signed_in_user(user_id) -> User | None:
    """The user of a session, their owner profile (or its absence) already known, as
    `User.objects.select_related("owner_profile").get(pk=user_id)` would give it."""
    rows = _USER_WITH_PROFILE(user_id)
    if not rows:
        return None
    values, split = rows[0], len(_USER_FIELDS)
    user = User.from_db("default", _USER_FIELDS, values[:split])
    profile_values = values[split:]
    profile = (OwnerProfile.from_db("default", _PROFILE_FIELDS, profile_values)
               if profile_values[0] is not None else None)
    if profile is not None:
        User.owner_profile.related.field.set_cached_value(profile, user)
    User.owner_profile.related.set_cached_value(user, profile)
    return user


class _SignedInUser:
    def get_user(self, user_id):
        user = signed_in_user(user_id)
        return user if user is not None and self.user_can_authenticate(user) else None


class ModelBackend(_SignedInUser, django_backends.ModelBackend):
    """Login by email in the admin, as Django's."""


class AuthenticationBackend(_SignedInUser, allauth_backends.AuthenticationBackend):
    """allauth's login (email, rate limits, MFA), as allauth's."""
