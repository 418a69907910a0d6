"""Offer pages' content as cached fragments (docs/performance.md#offer-pages-fragments).

The content of the home, domain, lodging and experience pages (everything inside <main>,
the <title> and the SEO head) is rendered once and kept in the Django cache shared by every
process (Redis in production), `PUBLIC_FRAGMENT_SECONDS` at most (0: off). The frame around
it (the menu of the visitor, their messages, the language links) is rendered on every
request, so nothing of a visitor is ever in a fragment.

Key: the fragment's name (page kind), the language, the day in Paris, and the page's path
with its paging parameters. A fragment holds the version tokens it was made at: one per
domain, lodging, experience and owner it shows, plus "home" (the featured domains) and
"epoch" (labels, amenities: shared by every page). A write bumps the tokens of what it
touched (receivers below, and `domains.signals.content_changed` for the writes that send
no model signal); on the next request the fragment's tokens differ and it is rendered
again. A token is a random string, not a counter: an evicted token comes back as a new one,
never as an old value a stale fragment could match.

What changes with the hour stays out or bounds the fragment: an experience page's fragment
ends when its first listed session starts or a session enters the three months shown
(`until`); "today" (the lodging's calendar) is in the key through the day. Fragments hold
plain strings (SafeString, str), never lazy translations."""
import hashlib
import os
import time
from collections import OrderedDict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ObjectDoesNotExist
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.utils import timezone
from django.utils.translation import get_language

from core.dates import today_in_paris

TOKEN_PREFIX = "public:fragment-token:"
FRAGMENT_PREFIX = "public:fragment:"
EPOCH = "epoch"
HOME = "home"


def enabled() -> bool:
    return settings.PUBLIC_FRAGMENT_SECONDS > 0


# A fragment rendered this soon after a bump of one of its tokens is kept only this long: the
# bump happens at the write, before its transaction commits, and a page rendered meanwhile
# by another process still read the old rows (no on_commit callback: it would run before the
# writer's own, such as the photo resizing, and change their order).
SETTLE_SECONDS = 10


def _new_token(*, bumped: bool = True) -> str:
    """Random (never a value an evicted token had before), with the time of the bump (0 for
    a token made because it was missing: no write is pending)."""
    return f"{os.urandom(6).hex()}:{time.time() if bumped else 0:.0f}"


def _bumped_at(token: str) -> float:
    try:
        return float(token.rsplit(":", 1)[1])
    except (IndexError, ValueError):
        return 0.0


def domain(pk) -> str:
    return f"domain:{pk}"


def lodging(pk) -> str:
    return f"lodging:{pk}"


def experience(pk) -> str:
    return f"experience:{pk}"


def owner(pk) -> str:
    return f"owner:{pk}"


def bump(names: Iterable[str]) -> None:
    """New tokens for these names: every fragment made with the old ones is stale. At the
    write, not after the commit (as the catalogue version, public/pagecache.py): a page
    rendered by another process in the milliseconds before the commit may keep the old
    state until PUBLIC_FRAGMENT_SECONDS are up."""
    names = set(names)
    if names:
        cache.set_many({TOKEN_PREFIX + name: _new_token() for name in names}, None)


def tokens(names: Iterable[str]) -> dict[str, str]:
    names = list(names)
    found = cache.get_many([TOKEN_PREFIX + name for name in names])
    result, missing = {}, {}
    for name in names:
        token = found.get(TOKEN_PREFIX + name)
        if token is None:
            token = missing[TOKEN_PREFIX + name] = _new_token(bumped=False)
        result[name] = token
    if missing:
        cache.set_many(missing, None)
    return result


@dataclass
class Fragment:
    """What a page keeps: `parts` (plain strings and simple values) and the tokens of what
    it shows. `until`: a Unix time after which it is stale whatever the tokens."""
    parts: dict
    depends: list[str] = field(default_factory=list)
    until: float | None = None


def key(name: str, path: str) -> str:
    language = get_language() or settings.LANGUAGE_CODE
    digest = hashlib.sha256(path.encode()).hexdigest()[:32]
    return f"{FRAGMENT_PREFIX}{name}:{language}:{today_in_paris(timezone.now()).isoformat()}:{digest}"


def get_or_render(name: str, path: str, render: Callable[[], Fragment]) -> dict:
    """The parts of fragment `name` for `path` (the page's path and paging query), rendered
    by `render` when absent or stale. `render` may raise (Http404): nothing is kept."""
    if not enabled():
        return render().parts
    where = key(name, path)
    entry = _recent.get(where)
    if entry is None:
        entry = cache.get(where)
    if entry is not None:
        made_with, until, parts = entry
        if time.time() < until and tokens(made_with) == made_with:
            _remember(where, entry)
            return parts
        _recent.pop(where, None)
    fragment = render()
    # The tokens are read after the render (it names what it shows). A write committed
    # during the render, or not yet committed, bumped them just before: such a fragment is
    # kept SETTLE_SECONDS only.
    made_with = tokens([EPOCH, *fragment.depends])
    now = time.time()
    seconds = settings.PUBLIC_FRAGMENT_SECONDS
    if now - max(_bumped_at(token) for token in made_with.values()) < SETTLE_SECONDS:
        seconds = min(seconds, SETTLE_SECONDS)
    until = now + seconds if fragment.until is None else min(now + seconds, fragment.until)
    if until - now >= 1:
        entry = (made_with, until, fragment.parts)
        cache.set(where, entry, int(until - now))
        _remember(where, entry)
    return fragment.parts


# The fragments this process served last, as read from the cache: a hit then costs one
# round trip (the tokens, always read from the shared cache) instead of two and no
# unpickling. Only a copy: the tokens decide, so a stale copy is never served.
_recent: OrderedDict = OrderedDict()
RECENT_MAX = 200


def _remember(where: str, entry: tuple) -> None:
    _recent[where] = entry
    _recent.move_to_end(where)
    while len(_recent) > RECENT_MAX:
        _recent.popitem(last=False)


# --- What bumps what ----------------------------------------------------------------------------

def _changed(sender, domain_id=None, lodging_id=None, experience_id=None, owner_id=None, home=False,
             everything=False, **kwargs) -> None:
    names = []
    if domain_id is not None:
        names.append(domain(domain_id))
    if lodging_id is not None:
        names.append(lodging(lodging_id))
    if experience_id is not None:
        names.append(experience(experience_id))
    if owner_id is not None:
        names.append(owner(owner_id))
    if home:
        names.append(HOME)
    if everything:
        names.append(EPOCH)
    bump(names)


def _domain_saved(sender, instance, **kwargs) -> None:
    _changed(sender, domain_id=instance.pk, owner_id=None, home=True)


def _offer_saved(sender, instance, **kwargs) -> None:
    """A lodging or an experience: its page, its domain's page (the list shows it). A move
    to another domain also outdates the former one (`_loaded_domain_id`, set at load)."""
    key_name = "lodging_id" if sender._meta.model_name == "lodging" else "experience_id"
    _changed(sender, domain_id=instance.domain_id, **{key_name: instance.pk})
    before = getattr(instance, "_fragment_domain_id", None)
    if before is not None and before != instance.domain_id:
        _changed(sender, domain_id=before)


def _remember_domain(sender, instance, **kwargs) -> None:
    instance._fragment_domain_id = instance.__dict__.get("domain_id")


def _photo_saved(sender, instance, **kwargs) -> None:
    from domains.signals import photo_changed

    try:
        photo_changed(instance)
    except ObjectDoesNotExist:  # its offer deleted with it (a cascade): that delete bumps
        pass


def _unit_saved(sender, instance, **kwargs) -> None:
    from lodgings.models import Lodging

    lodging_id = instance.lodging_id
    if type(instance).lodging.is_cached(instance):
        domain_id = instance.lodging.domain_id
    else:
        domain_id = Lodging.objects.filter(pk=lodging_id).values_list("domain_id", flat=True).first()
    _changed(sender, domain_id=domain_id, lodging_id=lodging_id)


def _session_saved(sender, instance, **kwargs) -> None:
    _changed(sender, experience_id=instance.experience_id)


def _review_saved(sender, instance, **kwargs) -> None:
    _changed(sender, domain_id=instance.domain_id, lodging_id=instance.lodging_id,
             experience_id=instance.experience_id)


def _domain_label_saved(sender, instance, **kwargs) -> None:
    _changed(sender, domain_id=instance.domain_id)


def _user_saved(sender, instance, update_fields=None, **kwargs) -> None:
    """The host's name on their offers' pages; a login only writes last_login."""
    if update_fields is not None and set(update_fields) <= {"last_login", "password"}:
        return
    _changed(sender, owner_id=instance.pk)


def _owner_profile_saved(sender, instance, **kwargs) -> None:
    _changed(sender, owner_id=instance.user_id)


def _everything(sender, **kwargs) -> None:
    _changed(sender, everything=True)


def _amenities_changed(sender, instance, **kwargs) -> None:
    from lodgings.models import Lodging

    if isinstance(instance, Lodging):
        _changed(sender, lodging_id=instance.pk)
    else:  # from the amenity's side
        _changed(sender, everything=True)


def _status_changed(offer, now) -> None:
    from domains.signals import offer_changed

    offer_changed(offer)


def _both(receiver, model, name: str) -> None:
    post_save.connect(receiver, sender=model, dispatch_uid=f"fragments_save_{name}")
    post_delete.connect(receiver, sender=model, dispatch_uid=f"fragments_delete_{name}")


def connect_signals() -> None:
    """Every model an offer page reads from (the templates under public/templates/public/
    used by domain.html, lodging.html, experience.html and home.html)."""
    from django.db.models.signals import post_init

    from accounts.models import OwnerProfile, User
    from domains.models import Domain, DomainLabel, DomainPhoto, Label
    from domains.offer_types import register_offer_type
    from domains.signals import content_changed
    from experiences.models import Experience, ExperiencePhoto, Period, Session
    from lodgings.models import Amenity, Lodging, LodgingPhoto, Unit

    content_changed.connect(_changed, dispatch_uid="fragments_content_changed")
    _both(_domain_saved, Domain, "domain")
    for model in (Lodging, Experience):
        _both(_offer_saved, model, model.__name__)
        post_init.connect(_remember_domain, sender=model, dispatch_uid=f"fragments_init_{model.__name__}")
        # Moderation publishes and withdraws with a compare-and-set UPDATE (no signal).
    for model in (Domain, Lodging, Experience):
        register_offer_type(model, listener=_status_changed)
    for model in (DomainPhoto, LodgingPhoto, ExperiencePhoto):
        _both(_photo_saved, model, model.__name__)
    _both(_unit_saved, Unit, "unit")
    _both(_session_saved, Session, "session")
    _both(_session_saved, Period, "period")
    _both(_domain_label_saved, DomainLabel, "domainlabel")
    _both(_everything, Label, "label")
    _both(_everything, Amenity, "amenity")
    m2m_changed.connect(_amenities_changed, sender=Lodging.amenities.through, dispatch_uid="fragments_amenities")
    post_save.connect(_user_saved, sender=User, dispatch_uid="fragments_user")
    _both(_owner_profile_saved, OwnerProfile, "ownerprofile")
    from reviews.models import Review

    _both(_review_saved, Review, "review")
