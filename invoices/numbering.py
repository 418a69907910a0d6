"""Invoice numbers: one continuous sequence shared by invoices and credit notes (French rule:
chronological, no gap, no duplicate; a credit note may share the invoices' sequence). The
number reads "AH-2026-000123": the prefix (setting INVOICE_NUMBER_PREFIX), the year of issue
(for the reader), and the position in the sequence, which never restarts."""
from datetime import date

from django.conf import settings
from django.db import transaction

from .models import DocumentSequence

SEQUENCE = "commission"


def lock_sequence() -> DocumentSequence:
    """Lock the counter row for the rest of the caller's transaction. Every issuer comes
    through here first, so issuing documents is serialised: what the caller checks and writes
    after this call, nobody else is writing at the same time. The row is created on first use
    (an insert that ignores a concurrent twin), so an emptied database still numbers from 1."""
    assert transaction.get_connection().in_atomic_block, "take the number in the issuing transaction"
    DocumentSequence.objects.bulk_create([DocumentSequence(name=SEQUENCE)], ignore_conflicts=True)
    return DocumentSequence.objects.select_for_update().get(name=SEQUENCE)


def take_next(sequence: DocumentSequence, *, issued_on: date) -> tuple[int, str]:
    """The next number, counted in the locked row (rolled back with the caller if it fails)."""
    sequence.last_number += 1
    sequence.save(update_fields=["last_number"])
    return sequence.last_number, format_number(sequence.last_number, issued_on=issued_on)


def format_number(position: int, *, issued_on: date) -> str:
    return f"{settings.INVOICE_NUMBER_PREFIX}-{issued_on.year}-{position:06d}"
