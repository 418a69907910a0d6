"""What people see: the traveller's form and "Mes avis", the owner's "Avis" tab, the public
pages and search cards; someone else's booking or review is a 404; bad input never a 500."""
import re
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest
import time_machine
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from bookings.tests.dashboard_factories import make_booking
from conftest import make_user
from public.tests.factories import listed_unit
from reviews import services
from reviews.models import ComplaintStatus, Review, ReviewAction, ReviewComplaint, ReviewStatus

from .conftest import AFTER, RATINGS, form_data

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def clock():
    with time_machine.travel(AFTER, tick=False):
        yield


@pytest.fixture(autouse=True)
def fresh_cache():
    cache.clear()
    yield
    cache.clear()


def write(booking, *, text="Très bien.", **ratings):
    return services.write_review(booking=booking, author=booking.traveller, ratings={**RATINGS, **ratings},
                                 text=text, now=AFTER)


# --- The traveller ---------------------------------------------------------------------------

def test_the_traveller_reviews_from_the_invitation_link(client, stay, mailoutbox, django_capture_on_commit_callbacks):
    client.force_login(stay.traveller)
    url = reverse("review_write", args=[stay.reference])
    assert client.get(url).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, form_data())
    assert response.status_code == 302 and response.url == reverse("my_reviews")
    review = Review.objects.get(booking=stay)
    assert review.rating == 4 and review.heritage == 5
    owner_mail = next(m for m in mailoutbox if stay.owner.email in m.to)
    assert "Nouvel avis" in owner_mail.subject and reverse("dashboard_review", args=[review.pk]) in owner_mail.body
    mine = client.get(reverse("my_reviews")).content.decode()
    assert "Un séjour merveilleux dans le prieuré." in mine and reverse("review_edit", args=[review.pk]) in mine
    assert client.get(url).url == reverse("review_edit", args=[review.pk])  # the link again: edit, not a second one
    trip = client.get(reverse("trip_detail", args=[stay.reference])).content.decode()
    assert "Modifier mon avis" in trip
    assert reverse("my_reviews") in client.get(reverse("trips")).content.decode()


def test_my_reviews_lists_what_is_waiting_for_a_review(client, stay):
    client.force_login(stay.traveller)
    page = client.get(reverse("my_reviews")).content.decode()
    assert reverse("review_write", args=[stay.reference]) in page
    assert "Donner mon avis" in client.get(reverse("trip_detail", args=[stay.reference])).content.decode()


def test_too_early_shows_why_and_refuses_the_post(client, traveller, unit):
    booking = make_booking(traveller=traveller, unit=unit, arrival="2027-06-01", departure="2027-06-03")
    client.force_login(traveller)
    url = reverse("review_write", args=[booking.reference])
    assert "une fois votre séjour" in client.get(url).content.decode()
    assert client.post(url, form_data()).status_code == 400
    assert not Review.objects.exists()


@pytest.mark.parametrize("field, value", [("rating", "0"), ("rating", "6"), ("welcome", "abc"), ("value", ""),
                                          ("text", "x" * 2001), ("text", "")])
def test_bad_input_is_a_form_error(client, stay, field, value):
    client.force_login(stay.traveller)
    response = client.post(reverse("review_write", args=[stay.reference]), form_data(**{field: value}))
    assert response.status_code == 400
    assert 'class="errorlist' in response.content.decode()
    assert not Review.objects.exists()


def test_the_traveller_edits_within_48_hours_then_not(client, stay):
    review = write(stay)
    client.force_login(stay.traveller)
    url = reverse("review_edit", args=[review.pk])
    assert client.post(url, form_data(rating="2", text="Moins bien.")).status_code == 302
    review.refresh_from_db()
    assert (review.rating, review.text, review.edited_at) == (2, "Moins bien.", AFTER)
    with time_machine.travel(AFTER + timedelta(hours=49), tick=False):
        assert "48 heures" in client.get(url).content.decode()
        assert client.post(url, form_data(rating="5")).status_code == 400
    review.refresh_from_db()
    assert review.rating == 2


def test_someone_elses_booking_or_review_is_a_404(client, stay, other_traveller, owner):
    review = write(stay)
    for user in (other_traveller, owner):
        client.force_login(user)
        assert client.get(reverse("review_write", args=[stay.reference])).status_code == 404
        assert client.post(reverse("review_write", args=[stay.reference]), form_data()).status_code == 404
        assert client.get(reverse("review_edit", args=[review.pk])).status_code == 404
        assert client.post(reverse("review_edit", args=[review.pk]), form_data()).status_code == 404
    client.logout()
    assert client.get(reverse("review_write", args=[stay.reference])).status_code == 302  # to the login


# --- The owner --------------------------------------------------------------------------------

def test_another_owner_gets_404_on_every_review_page(client, stay, other_owner):
    review = write(stay)
    client.force_login(other_owner)
    assert client.get(reverse("dashboard_review", args=[review.pk])).status_code == 404
    assert client.post(reverse("dashboard_review_reply", args=[review.pk]), {"reply": "x"}).status_code == 404
    assert client.post(reverse("dashboard_review_complaint", args=[review.pk]),
                       {"reason": "other", "explanation": "x"}).status_code == 404
    assert "Très bien." not in client.get(reverse("dashboard_reviews")).content.decode()
    review.refresh_from_db()
    assert review.reply == "" and not ReviewComplaint.objects.exists()


def test_the_owner_replies_once_from_the_tab(owner_client, stay):
    review = write(stay)
    url = reverse("dashboard_review_reply", args=[review.pk])
    assert owner_client.post(url, {"reply": "Merci <b>Lucie</b> !"}).status_code == 302
    with time_machine.travel(AFTER + timedelta(hours=49), tick=False):
        response = owner_client.post(url, {"reply": "Autre réponse"})
        assert response.status_code == 400 and "déjà répondu" in response.content.decode()
    review.refresh_from_db()
    assert review.reply == "Merci <b>Lucie</b> !"
    page = owner_client.get(reverse("lodging_detail", args=[stay.unit.lodging.slug])).content.decode()
    assert "Merci &lt;b&gt;Lucie&lt;/b&gt; !" in page


def test_a_huge_reply_is_a_form_error(owner_client, stay):
    review = write(stay)
    response = owner_client.post(reverse("dashboard_review_reply", args=[review.pk]), {"reply": "x" * 5000})
    assert response.status_code == 400 and not Review.objects.get(pk=review.pk).reply


def test_the_avis_tab_lists_unanswered_first_and_filters_by_offer(owner_client, owner, traveller, unit, experience):
    from bookings.tests.dashboard_factories import make_session

    answered = write(make_booking(traveller=traveller, unit=unit, arrival="2027-05-01", departure="2027-05-03"),
                     text="AVIS-REPONDU")
    services.reply(review=answered, by=owner, text="Merci", now=AFTER)
    newest = write(make_booking(traveller=traveller, unit=unit, arrival="2027-05-05", departure="2027-05-07"),
                   text="AVIS-SANS-REPONSE")
    session = make_session(owner, start=datetime(2027, 5, 2, 13, 0, tzinfo=UTC))
    workshop = write(make_booking(traveller=traveller, session=session), text="AVIS-SEANCE")
    page = owner_client.get(reverse("dashboard_reviews")).content.decode()
    # Unanswered first, newest first among them (same minute: the last written first).
    assert page.index("AVIS-SEANCE") < page.index("AVIS-SANS-REPONSE") < page.index("AVIS-REPONDU")
    only = owner_client.get(reverse("dashboard_reviews"), {"offre": f"experience-{session.experience_id}"})
    assert "AVIS-SEANCE" in only.content.decode() and "AVIS-SANS-REPONSE" not in only.content.decode()
    assert owner_client.get(reverse("dashboard_reviews"), {"offre": "lodging-x'; drop"}).status_code == 200
    assert {newest, workshop}


def test_the_avis_tab_runs_a_fixed_number_of_queries(owner_client, owner, unit):
    def reviews(n):
        for _i in range(n):
            traveller = make_user(f"t{Review.objects.count()}@example.org", first_name="Anne", last_name="Roy")
            start = date(2027, 4, 1) + timedelta(days=2 * Review.objects.count())
            review = write(make_booking(traveller=traveller, unit=unit, arrival=start,
                                        departure=start + timedelta(days=2)))
            if _i % 2:
                services.reply(review=review, by=owner, text="Merci", now=AFTER)

    reviews(2)
    owner_client.get(reverse("dashboard_reviews"))
    with CaptureQueriesContext(connection) as few:
        owner_client.get(reverse("dashboard_reviews"))
    reviews(14)
    with CaptureQueriesContext(connection) as many:
        response = owner_client.get(reverse("dashboard_reviews"))
    assert response.content.decode().count('class="review"') == 16
    assert len(many) == len(few)


def test_complaint_workflow_end_to_end(owner_client, client, stay, owner, staff, mailoutbox, settings,
                                       django_capture_on_commit_callbacks):
    review = write(stay, text="Séjour horrible, propriétaire malhonnête.", rating=1)
    url = reverse("dashboard_review_complaint", args=[review.pk])
    assert owner_client.post(url, {"reason": "nonsense", "explanation": "x"}).status_code == 400  # not in the list
    with django_capture_on_commit_callbacks(execute=True):
        assert owner_client.post(url, {"reason": "false_facts",
                                       "explanation": "Le voyageur n'a jamais signalé de problème."}).status_code == 302
    complaint = ReviewComplaint.objects.get(review=review)
    staff_mail = next(m for m in mailoutbox if settings.STAFF_INBOX_REVIEWS in m.to)
    assert "Réclamation avis" in staff_mail.subject and "jamais signalé" in staff_mail.body
    assert owner_client.post(url, {"reason": "other", "explanation": "Encore"}).status_code == 400  # once

    # Staff's queue in admin: the open complaint, then the decision with a reason.
    client.force_login(staff)
    queue = client.get(reverse("admin:reviews_reviewcomplaint_changelist")).content.decode()
    assert stay.reference in queue
    change = reverse("admin:reviews_reviewcomplaint_change", args=[complaint.pk])
    assert client.post(change, {"decision": "hide", "decision_text": ""}).status_code == 200  # a reason is required
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(change, {"decision": "hide", "decision_text": "Accusation sans fondement."}).status_code == 302
    complaint.refresh_from_db()
    review.refresh_from_db()
    assert (complaint.status, complaint.decided_by, complaint.decided_at) == (ComplaintStatus.HIDDEN, staff, AFTER)
    assert review.status == ReviewStatus.HIDDEN
    assert {tuple(m.to) for m in mailoutbox} == {(owner.email,), (stay.traveller.email,)}
    assert all("Accusation sans fondement." in m.body for m in mailoutbox)
    event = review.events.get(action=ReviewAction.HIDDEN)
    assert (event.actor, event.reason, event.created_at) == (staff, "Accusation sans fondement.", AFTER)
    assert "Accusation sans fondement." in client.get(reverse("admin:reviews_review_change", args=[review.pk])).content.decode()

    page = client.get(reverse("lodging_detail", args=[stay.unit.lodging.slug])).content.decode()
    assert "propriétaire malhonnête" not in page and "Pas encore d'avis" in page
    # Decided: the decision cannot be taken twice.
    assert services.can_complain(review=review) is False
    with pytest.raises(services.ReviewError):
        services.decide_complaint(complaint=complaint, by=staff, hide=False, reason="Non", now=AFTER)


def test_staff_keep_a_review(stay, owner, staff, mailoutbox, django_capture_on_commit_callbacks):
    review = write(stay)
    complaint = services.file_complaint(review=review, by=owner, reason="other", explanation="Je conteste",
                                        now=AFTER)
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.decide_complaint(complaint=complaint, by=staff, hide=False, reason="Avis conforme aux règles.",
                                  now=AFTER)
    review.refresh_from_db()
    assert review.status == ReviewStatus.VISIBLE
    assert len(mailoutbox) == 2 and all("maintient" in m.body for m in mailoutbox)


# --- Public pages and search -------------------------------------------------------------------

def test_the_public_pages_show_averages_and_reviews_escaped(client, stay, other_traveller, unit):
    write(stay, text="<script>alert('x')</script>\nDeuxième ligne " + "m" * 300, rating=5, cleanliness=4)
    second = make_booking(traveller=other_traveller, unit=unit, arrival="2027-05-01", departure="2027-05-03")
    write(second, text="Correct.", rating=4, cleanliness=3)
    lodging = unit.lodging
    for url in (reverse("lodging_detail", args=[lodging.slug]), reverse("domain_detail", args=[lodging.domain.slug])):
        page = client.get(url).content.decode()
        assert "4,5 / 5" in page and "2 avis" in page and "3,5 / 5" in page  # overall, count, propreté
        assert "<script>alert" not in page and "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;<br>Deuxième" in page
        assert page.index("Correct.") < page.index("Deuxième ligne")  # newest first
        assert "Lucie B." in page and "lucie@example.fr" not in page


def test_an_experience_page_shows_its_reviews(client, traveller, owner):
    from bookings.tests.dashboard_factories import make_session

    session = make_session(owner, start=datetime(2027, 5, 2, 13, 0, tzinfo=UTC))
    write(make_booking(traveller=traveller, session=session), text="Atelier passionnant", rating=5)
    page = client.get(reverse("experience_detail", args=[session.experience.slug])).content.decode()
    assert "Atelier passionnant" in page and "5,0 / 5" in page


def test_public_reviews_are_paginated(client, unit):
    for i in range(12):
        traveller = make_user(f"p{i}@example.org", first_name="Paul", last_name="Nom")
        start = date(2027, 4, 1) + timedelta(days=2 * i)
        booking = make_booking(traveller=traveller, unit=unit, arrival=start, departure=start + timedelta(days=2))
        services.write_review(booking=booking, author=traveller, ratings=RATINGS, text=f"Avis numéro {i:02d}",
                              now=AFTER + timedelta(minutes=i))
    url = reverse("lodging_detail", args=[unit.lodging.slug])
    first = client.get(url).content.decode()
    assert "Avis numéro 11" in first and "Avis numéro 01" not in first and "12 avis" in first
    second = client.get(url, {"avis": "2"}).content.decode()
    assert "Avis numéro 01" in second and "Avis numéro 11" not in second
    assert client.get(url, {"avis": "abc"}).status_code == 200


def test_search_cards_show_the_rating_in_a_fixed_number_of_queries(client, owner):
    travellers = [make_user(f"s{i}@example.org", first_name="Sam") for i in range(3)]

    def reviewed_units(n):
        for i in range(n):
            unit = listed_unit(owner, price=str(100 + i))
            for j, traveller in enumerate(travellers[:2]):
                start = date(2027, 4, 1) + timedelta(days=3 * j)
                write(make_booking(traveller=traveller, unit=unit, arrival=start, departure=start + timedelta(days=2)),
                      rating=5 - j)

    params = {"region": "centre-val-de-loire", "arrival": "2027-06-03", "departure": "2027-06-05", "guests": "2"}
    reviewed_units(2)
    client.get(reverse("search"), params)
    cache.clear()
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("search"), params)
    reviewed_units(10)
    cache.clear()
    with CaptureQueriesContext(connection) as many:
        response = client.get(reverse("search"), params)
    html = response.content.decode()
    assert html.count('class="result-card"') == 12
    assert html.count("4,5 / 5 · 2 avis") == 12
    assert len(many) == len(few)


def test_a_hidden_review_leaves_the_card(client, owner, staff, traveller):
    unit = listed_unit(owner)
    review = write(make_booking(traveller=traveller, unit=unit, arrival="2027-05-01", departure="2027-05-03"))
    services.hide_review(review=review, by=staff, reason="Hors sujet", now=AFTER)
    html = client.get(reverse("search"), {"region": "centre-val-de-loire"}).content.decode()
    assert 'class="result-card"' in html and "avis" not in html.split('class="result-list"')[1].split("</ol>")[0]
    assert Decimal("0") == Decimal(unit.lodging.rating.count)


def test_an_offer_page_with_many_reviews_runs_a_fixed_number_of_queries(client, unit):
    def add(n):
        for _i in range(n):
            i = Review.objects.count()
            traveller = make_user(f"q{i}@example.org", first_name="Zoé", last_name="Martin")
            start = date(2027, 4, 1) + timedelta(days=2 * i)
            write(make_booking(traveller=traveller, unit=unit, arrival=start, departure=start + timedelta(days=2)))

    url = reverse("lodging_detail", args=[unit.lodging.slug])
    add(1)
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    add(11)
    with CaptureQueriesContext(connection) as many:
        page = client.get(url).content.decode()
    assert page.count('class="review"') == 10 and "12 avis" in page
    assert len(many) == len(few)


def test_staff_hide_a_review_from_its_admin_page(client, stay, staff, mailoutbox,
                                                 django_capture_on_commit_callbacks):
    review = write(stay)
    client.force_login(staff)
    url = reverse("admin:reviews_review_change", args=[review.pk])

    def post(**data):
        # The history inline's management form, as the browser sends it.
        inline = dict(re.findall(r'name="(events-[\w-]+)"[^>]*value="([^"]*)"', client.get(url).content.decode()))
        return client.post(url, {**inline, **data})

    assert post(decision="hide", decision_text=" ").status_code == 200  # no reason: refused
    with django_capture_on_commit_callbacks(execute=True):
        assert post(decision="hide", decision_text="Données personnelles").status_code == 302
    review.refresh_from_db()
    assert (review.status, review.hidden_reason) == (ReviewStatus.HIDDEN, "Données personnelles")
    assert {m.to[0] for m in mailoutbox} == {stay.owner.email, stay.traveller.email}
    assert post(decision="show", decision_text="Erreur de notre part").status_code == 302
    review.refresh_from_db()
    assert review.status == ReviewStatus.VISIBLE
    assert review.events.last().actor == staff


@pytest.fixture
def back_to_french():
    yield
    translation.activate("fr")  # the English request's language would outlive this test


def test_the_pages_speak_english_too(client, stay, back_to_french):
    write(stay)
    client.cookies["django_language"] = "en"
    page = client.get(reverse("lodging_detail", args=[stay.unit.lodging.slug]).replace("/fr/", "/en/", 1)).content.decode()
    assert "Travellers' reviews" in page and "<dt>Welcome</dt>" in page and "4.0 / 5</strong> · 1 review" in page and "Heritage interest" in page
