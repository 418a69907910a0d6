"""The owner is paid the net of the full price: the part gift vouchers paid reaches them in
the next monthly payout as a "complément bon cadeau" line, to the cent, on the statement (page
data, CSV and PDF); the ledger balances."""
import subprocess
from datetime import date

import pytest

from bookings import services as bookings
from invoices.statements import statement_csv, statement_pdf
from payouts import ledger, monthly
from payouts import services as payments
from payouts.models import LedgerAccount, Payout, PayoutLine, PayoutLineKind, PayoutStatus
from payouts.statements import statement_rows, statement_totals
from payouts.tests.money import BOOKED_AT, another_unit, onboarded, paid_stay, paris, pay, session_between
from vouchers import checkout

pytestmark = pytest.mark.django_db
NOV = date(2026, 11, 1)


def test_the_voucher_part_is_paid_as_a_complement_to_the_cent(owner, unit, session, traveller, stripe_server,
                                                              give_voucher):
    account = onboarded(owner, stripe_server)
    voucher, code = give_voucher(43333, now=BOOKED_AT)  # 433,33 €
    # A: 28–31 Oct, 400 €, paid entirely by the voucher.
    whole = bookings.request_stay(traveller=traveller, unit=unit, arrival=date(2026, 10, 28),
                                  departure=date(2026, 10, 31), adults=2, children=0, now=BOOKED_AT)
    bookings.accept(booking=whole, by=owner, now=BOOKED_AT)
    checkout.apply_code(booking=whole, typed=code, user=traveller, now=BOOKED_AT)
    assert payments.confirm_without_card(booking=whole, now=BOOKED_AT)
    # B: a session 31 Oct 18–20 h, 2 × 45 € = 90 €: 33,33 € by the voucher, 56,67 € by card.
    held = bookings.book_session(traveller=traveller, adults=2, children=0, now=BOOKED_AT,
                                 session=session_between(session, paris(2026, 10, 31, 18), paris(2026, 10, 31, 20)))
    checkout.apply_code(booking=held, typed=code, user=traveller, now=BOOKED_AT)
    part = pay(held, now=BOOKED_AT)
    assert str(part.voucher_amount) == "33.33" and str(part.amount_paid) == "56.67"
    # An ordinary card booking beside them: 2 nights × 120 € + 40 € = 280 €, net 243,60 €.
    plain = paid_stay(another_unit(unit, "Chambre 2"), traveller, date(2026, 10, 28), date(2026, 10, 30))

    monthly.run_payouts(month=NOV, now=paris(2026, 11, 1, 6))

    payout = Payout.objects.get(owner=owner, month=NOV)
    assert payout.status == PayoutStatus.SENT
    # A: 400 € − 13 % = 348 €, all of it complement. B: 90 € − 15 % = 76,50 €, of which the
    # net of 33,33 € (33,33 − 5,00 = 28,33 €) is the complement and 48,17 € the card's.
    assert payout.amount_cents == 34800 + 7650 + 24360
    assert [t["amount"] for t in stripe_server.transfers(destination=account.stripe_account_id)] == [66810]
    lines = {(line.booking.reference, line.kind): line.amount_cents for line in PayoutLine.objects.filter(payout=payout)}
    assert lines == {(whole.reference, PayoutLineKind.VOUCHER_COMPLEMENT): 34800,
                     (held.reference, PayoutLineKind.EARNING): 4817,
                     (held.reference, PayoutLineKind.VOUCHER_COMPLEMENT): 2833,
                     (plain.reference, PayoutLineKind.EARNING): 24360}
    rows = {row.booking_reference: row for row in statement_rows(payout)}
    assert (rows[whole.reference].kept_cents, rows[whole.reference].commission_cents) == (40000, 5200)
    assert (rows[whole.reference].net_cents, rows[whole.reference].voucher_complement_cents) == (0, 34800)
    assert (rows[held.reference].kept_cents, rows[held.reference].commission_cents) == (9000, 1350)
    assert (rows[held.reference].net_cents, rows[held.reference].voucher_complement_cents) == (4817, 2833)
    totals = statement_totals(payout)
    assert (totals.voucher_complement_cents, totals.amount_cents) == (37633, 66810)
    csv = statement_csv(payout).decode()
    assert "Complément bon cadeau" in csv and "376,33" in csv and "348,00" in csv
    text = subprocess.run(["pdftotext", "-layout", "-", "-"], input=statement_pdf(payout), capture_output=True,
                          check=True).stdout.decode()
    assert "Complément bon cadeau" in text.replace("\n", " ") or "Complément" in text
    assert "376,33" in text and "668,10" in text
    # The ledger: balanced, the voucher liability what is left of the voucher (0 €: 433,33 € used).
    assert not ledger.unbalanced_transactions().exists()
    balances = ledger.account_balances()
    assert balances.get(LedgerAccount.VOUCHER_LIABILITY, 0) == 0
    voucher.refresh_from_db()
    assert voucher.balance_cents == 0
