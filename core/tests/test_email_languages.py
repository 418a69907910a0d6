"""Every email a booking's life sends — request, answer, payment, cancellation and refund,
session booking, review invitation and reminder, the owner's new-review notice — reaches
each person in their own language: no text of the other language, no HTML entity, money and
dates formatted for that language. Run with an English traveller and a French owner, then the
other way round, so a string left untranslated or rendered in the actor's language shows."""
import re
from datetime import timedelta

import pytest
from django.utils import timezone

from bookings import services as bookings
from bookings.models import Booking
from core.dates import today_in_paris
from payouts.tests.money import pay, refund
from reviews import services as reviews

pytestmark = pytest.mark.django_db
ENTITY = re.compile(r"&(#x?[0-9a-fA-F]+|[a-z]+);")
# Words and formats only one of the two languages uses (a whole word, case-insensitive).
FRENCH = re.compile(r"\b(vous|votre|vos|bonjour|merci|réservation|séjour|nuits?|voyageurs?|remboursé|"
                    r"annulée?|demande|hôte|propriétaire)\b|\d,\d\d\s*€", re.I)
ENGLISH = re.compile(r"\b(your|you|the|booking|stay|nights?|hello|thank|refund(ed)?|cancel(l)?ed|request|"
                     r"guests?|host|owner)\b|€\s?\d|\d\.\d\d\s*€", re.I)


def a_life_of_bookings(*, owner, traveller, unit, session, now) -> list:
    """A requested stay accepted and paid, then cancelled with a refund; an experience session
    booked, paid and reviewed, the owner answering."""
    today = today_in_paris(now)
    stay = bookings.request_stay(traveller=traveller, unit=unit, arrival=today + timedelta(days=40),
                                 departure=today + timedelta(days=43), adults=2, children=1, message="Bonjour !",
                                 now=now)
    bookings.accept(booking=stay, by=owner, now=now)
    pay(stay, now=now)
    stay.refresh_from_db()
    amount = bookings.cancel(booking=stay, by=traveller, now=now)
    if amount:
        refund(stay, int(amount * 100), now=now)

    visit = bookings.book_session(traveller=traveller, session=session, adults=2, children=0, now=now)
    if visit.status != "confirmed":
        visit.refresh_from_db()
        if visit.status == "requested":
            bookings.accept(booking=visit, by=owner, now=now)
        pay(visit, now=now)
    after = session.end + timedelta(days=1, hours=2)
    reviews.send_review_invitations(now=after)
    reviews.send_review_invitations(now=after + timedelta(days=8))  # the reminder
    review = reviews.write_review(booking=Booking.objects.get(pk=visit.pk), author=traveller,
                                  ratings={"rating": 5, "cleanliness": 4, "welcome": 5, "heritage": 5, "value": 4},
                                  text="Une visite passionnante.", now=after + timedelta(days=9))
    reviews.reply(review=review, by=owner, text="Merci pour votre visite !", now=after + timedelta(days=9, hours=1))
    return [stay, visit]


def check_languages(mailoutbox, people: dict) -> list[str]:
    problems, seen = [], set()
    for message in mailoutbox:
        (address,) = message.to
        if address not in people:
            continue
        language = people[address]
        seen.add(language)
        # What the person wrote (booking message, review, reply) is quoted as written: not ours to check.
        body = message.body
        for quoted in ("Bonjour !", "Une visite passionnante.", "Merci pour votre visite !"):
            body = body.replace(quoted, "")
        text = f"{message.subject}\n{body}"
        if ENTITY.search(text):
            problems.append(f"{address} «{message.subject}»: an HTML entity {ENTITY.search(text).group()}")
        other = ENGLISH if language == "fr" else FRENCH
        found = other.search(text)
        if found:
            start = max(found.start() - 40, 0)
            problems.append(f"{address} ({language}) «{message.subject}»: {found.group()!r} in "
                            f"…{text[start:found.end() + 40]!r}…")
    assert seen == set(people.values()), "each person received emails"
    return problems


@pytest.mark.parametrize("traveller_language,owner_language", [("en", "fr"), ("fr", "en")])
def test_every_email_is_in_its_recipients_language(owner, traveller, unit, session, mailoutbox,
                                                    django_capture_on_commit_callbacks, traveller_language,
                                                    owner_language, settings):
    settings.REVIEW_EMAILS_ENABLED = True
    traveller.language, owner.language = traveller_language, owner_language
    traveller.save(update_fields=["language"])
    owner.save(update_fields=["language"])
    with django_capture_on_commit_callbacks(execute=True):
        a_life_of_bookings(owner=owner, traveller=traveller, unit=unit, session=session, now=timezone.now())
    subjects = [message.subject for message in mailoutbox]
    assert len(subjects) >= 12, subjects  # the whole life was mailed: requests, payments, refund, reviews
    problems = check_languages(mailoutbox, {traveller.email: traveller_language, owner.email: owner_language})
    assert not problems, "\n".join(problems)

