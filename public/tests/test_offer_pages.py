"""Offer pages as a marketplace shows them (issue 16), read without JavaScript: the mosaic's
links open the photos, « Votre hôte » shows the fiche, the booking box prices the dates asked
by its form and leads to the checkout, an experience's box lists the sessions with places;
the owner's « Soumettre » step frames a preview of the draft that books nothing."""
import re
from datetime import timedelta
from io import BytesIO

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone, translation
from PIL import Image

from domains.models import OfferStatus
from domains.photos import add_photo

from .factories import listed_unit, make_domain, make_experience, make_lodging, make_session, make_unit

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def own_media(settings, tmp_path):
    """Originals whose sizes are never made here stay "pending-…": keep them out of the shared
    media folder that test_photos.py inspects."""
    settings.MEDIA_ROOT = tmp_path


def jpeg(name="p.jpg") -> SimpleUploadedFile:
    buffer = BytesIO()
    Image.new("RGB", (300, 200), (120, 90, 60)).save(buffer, "JPEG")
    return SimpleUploadedFile(name, buffer.getvalue(), "image/jpeg")


def with_photos(offer, count: int, django_capture_on_commit_callbacks) -> list:
    with django_capture_on_commit_callbacks(execute=True):
        return [add_photo(offer=offer, upload=jpeg(), caption=f"Vue {n}") for n in range(1, count + 1)]


def test_the_page_opens_on_a_mosaic_of_five_linking_to_every_photo(client, owner, django_capture_on_commit_callbacks):
    unit = listed_unit(owner)
    added = with_photos(unit.lodging, 7, django_capture_on_commit_callbacks)
    for photo in added:
        photo.refresh_from_db()
    html = client.get(reverse("lodging_detail", args=[unit.lodging.slug])).content.decode()
    mosaic = re.findall(r'<a class="mosaic-link" href="([^"]+)"', html)
    assert mosaic == [photo.full.url for photo in added[:5]]  # without JavaScript, the links open the photos
    assert "Voir les 7 photos" in html
    assert [c for c in re.findall(r'data-caption="([^"]*)"', html)] == [f"Vue {n}" for n in range(1, 8)]
    assert html.index('class="gallery"') < html.index('id="reserver"')
    assert 'src="/static/public/gallery.js"' in html


def test_votre_hote_shows_the_owners_first_name_portrait_and_description(client, owner):
    profile = owner.owner_profile
    profile.description = "Restaurateurs de vitraux, nous vivons ici depuis 1998."
    profile.photo.save("portrait.jpg", jpeg(), save=True)
    unit = listed_unit(owner)
    for url in (reverse("lodging_detail", args=[unit.lodging.slug]),
                reverse("domain_detail", args=[unit.lodging.domain.slug]),
                reverse("experience_detail", args=[make_experience(unit.lodging.domain).slug])):
        html = client.get(url).content.decode()
        host = html[html.index('id="host-title"'):]
        assert "Votre hôte" in html and "Hélène" in host[:400] and "Duval" not in host[:400]
        assert "depuis 1998" in host and profile.photo.url in html


def test_the_booking_box_prices_the_dates_its_form_asks_and_leads_to_the_checkout(client, owner):
    unit = listed_unit(owner, price="100", cleaning_fee="30", min_nights=2, advance_notice_days=2,
                       arrival_weekdays="12345", booking_mode="instant")
    arrival = timezone.localdate() + timedelta(days=30)
    arrival += timedelta(days=-arrival.weekday())  # a Monday
    departure = arrival + timedelta(days=3)
    url = reverse("lodging_detail", args=[unit.lodging.slug])
    html = client.get(url).content.decode()
    box = html[html.index('id="reserver"') - 300:]
    # The rules the calendar disables days by.
    assert 'data-notice="2"' in box and 'data-min-nights="2"' in box and 'data-arrival-days="12345"' in box
    assert "Réservation instantanée" in box and "Annulation gratuite jusqu'à 14 jours avant l'arrivée." in box
    html = client.get(url, {"chambre": unit.pk, "arrivee": arrival.isoformat(), "depart": departure.isoformat(),
                            "adultes": "2", "enfants": "0"}).content.decode()
    box = html[html.index('id="reserver"'):]
    assert "3 nuits × 100,00" in box and "330,00" in box
    checkout = re.search(r'<form method="get" class="bb-checkout" action="([^"]+)">(.*?)</form>', box, re.S)
    assert checkout.group(1) == reverse("booking_start", args=[unit.pk])
    assert f'name="arrival" value="{arrival.isoformat()}"' in checkout.group(2)
    assert 'name="adults" value="2"' in checkout.group(2) and ">Réserver<" in checkout.group(2)
    response = client.get(checkout.group(1), {"arrival": arrival.isoformat(), "departure": departure.isoformat(),
                                              "adults": 2, "children": 0})
    assert response.status_code == 302  # the checkout asks to log in first, as before


def test_a_stay_the_rules_refuse_shows_why_and_no_button(client, owner):
    unit = listed_unit(owner, min_nights=3)
    arrival = timezone.localdate() + timedelta(days=20)
    html = client.get(reverse("lodging_detail", args=[unit.lodging.slug]),
                      {"chambre": unit.pk, "arrivee": arrival.isoformat(),
                       "depart": (arrival + timedelta(days=1)).isoformat()}).content.decode()
    box = html[html.index('id="reserver"'):]
    assert "Le séjour minimum est de 3 nuits." in box
    assert re.search(r'class="bb-checkout" action="[^"]*" hidden', box)
    assert ">Demander<" in box  # a request lodging asks, it does not book


def test_unreadable_dates_or_party_are_a_message_not_an_error(client, owner):
    unit = listed_unit(owner)
    url = reverse("lodging_detail", args=[unit.lodging.slug])
    response = client.get(url, {"chambre": unit.pk, "arrivee": "demain", "depart": "2027-01-02"})
    assert response.status_code == 200 and "Ces dates ne sont pas valables" in response.content.decode()
    arrival = timezone.localdate() + timedelta(days=20)
    response = client.get(url, {"chambre": unit.pk, "arrivee": arrival.isoformat(),
                                "depart": (arrival + timedelta(days=2)).isoformat(), "adultes": "beaucoup"})
    assert response.status_code == 200 and 'name="adults" value="1"' in response.content.decode()


def test_a_lodging_with_several_rooms_lets_the_box_choose_one(client, owner):
    lodging = make_lodging(make_domain(owner), kind="chambres_hotes")
    first, second = make_unit(lodging, name="La Bleue", price="90"), make_unit(lodging, name="La Rouge", price="110",
                                                                                adults=4)
    html = client.get(reverse("lodging_detail", args=[lodging.slug]), {"chambre": second.pk}).content.decode()
    select = re.search(r'<select id="bb-unit" name="chambre">(.*?)</select>', html, re.S).group(1)
    assert "La Bleue" in select and "La Rouge" in select
    assert "à partir de 90\u00a0€ la nuit" in html and 'id="bb-adults" name="adultes" min="1" max="4"' in html
    assert f'href="?chambre={first.pk}#reserver"' in html  # each room's calendar links to the box


def test_the_experience_box_lists_the_sessions_with_places_left(client, owner):
    experience = make_experience(make_domain(owner), booking_mode="instant")
    start = timezone.now().replace(microsecond=0) + timedelta(days=5)
    open_session = make_session(experience, start, capacity=8, taken=5)
    make_session(experience, start + timedelta(days=1), capacity=8, taken=8)  # full
    html = client.get(reverse("experience_detail", args=[experience.slug])).content.decode()
    box = html[html.index('id="reserver"'):html.index("</aside>")]
    assert "3 places restantes" in box and box.count('class="bb-session"') == 1
    assert reverse("booking_start_session", args=[open_session.pk]) in box


def test_the_submit_step_frames_a_preview_of_the_draft_that_books_nothing(owner_client, owner, client,
                                                                            other_owner):
    domain = make_domain(owner, status=OfferStatus.DRAFT)
    lodging = make_lodging(domain, status=OfferStatus.DRAFT, title="Le Fournil", description="Un four à pain de 1850.")
    make_unit(lodging)
    step = owner_client.get(reverse("lodging_wizard", kwargs={"pk": lodging.pk, "step": "soumettre"})).content.decode()
    preview_url = reverse("offer_preview", kwargs={"kind": "hebergement", "pk": lodging.pk})
    assert f'<iframe class="offer-preview-frame" src="{preview_url}"' in step
    response = owner_client.get(preview_url)
    html = response.content.decode()
    assert response.status_code == 200 and response["X-Frame-Options"] == "SAMEORIGIN"
    assert "Aperçu : votre offre telle que les voyageurs la verront" in html and "Le Fournil" in html
    assert "Un four à pain de 1850." in html and 'content="noindex"' in html
    assert "bb-checkout" not in html and "data-booking-box" not in html and "unit-calendar" not in html
    assert re.search(r'<button type="button" class="button" disabled>', html)
    assert client.get(reverse("lodging_detail", args=[lodging.slug])).status_code == 404  # still a draft
    for kind, offer in (("domaine", domain), ("experience", make_experience(domain, status=OfferStatus.DRAFT))):
        page = owner_client.get(reverse("offer_preview", kwargs={"kind": kind, "pk": offer.pk}))
        assert page.status_code == 200 and "Aperçu" in page.content.decode()
    client.force_login(other_owner)
    assert client.get(preview_url).status_code == 404
    assert client.get(reverse("offer_preview", kwargs={"kind": "moulin", "pk": lodging.pk})).status_code == 404


def test_a_published_offer_previews_its_pending_changes(owner_client, owner):
    from domains import moderation
    lodging = make_lodging(make_domain(owner), title="Le Logis")
    make_unit(lodging)
    moderation.record_revision(offer=lodging, values={"title": "Le Logis du Prieur"})
    html = owner_client.get(reverse("offer_preview", kwargs={"kind": "hebergement", "pk": lodging.pk})).content.decode()
    assert "Le Logis du Prieur" in html


def test_sessions_box_is_empty_state_without_sessions(client, owner):
    experience = make_experience(make_domain(owner))
    html = client.get(reverse("experience_detail", args=[experience.slug])).content.decode()
    box = html[html.index('id="reserver"'):html.index("</aside>")]
    assert "Aucune séance programmée" in box and "bb-bar" not in html


def test_the_box_gallery_and_host_read_in_english(client, owner, django_capture_on_commit_callbacks):
    unit = listed_unit(owner, price="120")
    with_photos(unit.lodging, 2, django_capture_on_commit_callbacks)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    with translation.override("en"):
        url = reverse("lodging_detail", args=[unit.lodging.slug])
    html = client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Your host" in html and "See the 2 photos" in html and "Photo {n} of {total}" in html
    assert "from 120.00\u00a0€ a night" in html or "from 120\u00a0€ a night" in html
    assert "On request: the owner answers within 3 days." in html and ">Request<" in html
    assert "Free cancellation up to 14 days before arrival." in html
    for french in ("Votre hôte", "Demander", "Dates du séjour", "Galerie de photos"):
        assert french not in html
