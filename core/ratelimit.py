"""A fixed-window counter in Django's cache (Redis in production, almaheritage/settings/
production.py), for limits allauth does not cover (the contact form, public/views.py)."""
from django.core.cache import cache


def allow(key: str, *, limit: int, period: int) -> bool:
    """Count one use of `key`; False once more than `limit` happened in the current window."""
    key = f"ratelimit:{key}"
    cache.add(key, 0, timeout=period)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=period)
        count = 1
    return count <= limit
