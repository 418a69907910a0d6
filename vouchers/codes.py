"""Voucher codes: 16 characters from an alphabet without 0/O, 1/I/L (about 79 bits), shown as
four groups (ABCD-EFGH-JKMN-PQRS), typed in any case with or without dashes or spaces.
Only their HMAC-SHA256 under settings.VOUCHER_CODE_KEY is stored: a copy of the database
alone gives no usable code, and no lookup by a guessable value."""
import hashlib
import hmac
import re
import secrets

from django.conf import settings

ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
LENGTH = 16
GROUP = 4
_SEPARATORS = re.compile(r"[\s\-_.]+")


def new_code() -> str:
    raw = "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))
    return "-".join(raw[i:i + GROUP] for i in range(0, LENGTH, GROUP))


def normalize(typed: str) -> str | None:
    """The code as stored (upper case, no separators), or None when it cannot be one."""
    code = _SEPARATORS.sub("", (typed or "")[:64]).upper()
    if len(code) != LENGTH or any(char not in ALPHABET for char in code):
        return None
    return code


def code_hash(code: str) -> str:
    """The HMAC of a normalized code (what the database keeps)."""
    return hmac.new(settings.VOUCHER_CODE_KEY.encode(), code.encode(), hashlib.sha256).hexdigest()


def hash_of_typed(typed: str) -> str | None:
    code = normalize(typed)
    return code_hash(code) if code else None
