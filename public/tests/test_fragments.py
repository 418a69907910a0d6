"""The offer pages' content as cached fragments (public/fragments.py), turned on here (the
test settings keep them off, so the other page tests and their query counts measure the
page as rendered): a second visit costs no query, and every kind of change a page shows
appears on the next visit, whatever path wrote it; nothing of a visitor is ever shared."""
from datetime import UTC, date, datetime, timedelta
from io import BytesIO

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import translation
from PIL import Image

from accounts.models import OwnerProfile
from bookings import services as bookings
from domains.labels import set_domain_labels
from domains.models import DomainLabel, Label, OfferStatus
from domains.moderation import withdraw_deleted_owners_offers
from domains.photos import add_photo, delete_photo, make_variants
from experiences.models import Period
from experiences.services import generate_sessions
from lodgings.models import Amenity
from lodgings.services import refresh_search_columns
from public import fragments

from .factories import make_domain, make_experience, make_lodging, make_session, make_unit

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_now")]
NOW = datetime(2027, 4, 1, 8, 0, tzinfo=UTC)  # frozen_now


@pytest.fixture(autouse=True)
def fragments_on(settings):
    settings.PUBLIC_FRAGMENT_SECONDS = 600
    fragments._recent.clear()
    yield
    fragments._recent.clear()


@pytest.fixture
def offer(owner):
    domain = make_domain(owner, name="Prieuré de Vauclair")
    lodging = make_lodging(domain, title="La Grange")
    unit = make_unit(lodging, price="95", name="Chambre des moines")
    experience = make_experience(domain, title="Atelier enluminure", price="35")
    session = make_session(experience, NOW + timedelta(days=3), capacity=8, taken=2)
    return {"domain": domain, "lodging": lodging, "unit": unit, "experience": experience, "session": session}


def page(client, name, slug=None, **params):
    path = reverse(name, args=[slug] if slug else [])
    return client.get(path, params).content.decode()


def pages(client, offer) -> dict[str, str]:
    return {"home": page(client, "home"),
            "domain": page(client, "domain_detail", offer["domain"].slug),
            "lodging": page(client, "lodging_detail", offer["lodging"].slug),
            "experience": page(client, "experience_detail", offer["experience"].slug)}


def jpeg() -> SimpleUploadedFile:
    buffer = BytesIO()
    Image.new("RGB", (900, 600), (140, 90, 60)).save(buffer, "JPEG")
    return SimpleUploadedFile("facade.jpg", buffer.getvalue(), "image/jpeg")


def test_a_second_visit_is_served_from_the_fragment_without_a_query(client, offer, django_assert_num_queries):
    first = pages(client, offer)
    with django_assert_num_queries(0):
        again = pages(client, offer)
    assert again == first
    assert "Prieuré de Vauclair" in again["home"] and "La Grange" in again["domain"]
    assert "Chambre des moines" in again["lodging"] and "6 places restantes" in again["experience"]


def test_edits_through_the_models_show_at_once(client, offer, owner):
    pages(client, offer)
    domain, lodging, unit, experience = offer["domain"], offer["lodging"], offer["unit"], offer["experience"]
    domain.name = "Prieuré de Vauclair-le-Haut"
    domain.save()
    lodging.title = "La Grange aux dîmes"
    lodging.save()
    unit.nightly_price = 111
    unit.save()
    experience.min_participants = 3
    experience.save()
    seen = pages(client, offer)
    assert "Prieuré de Vauclair-le-Haut" in seen["home"]
    assert "La Grange aux dîmes" in seen["domain"] and "111" in seen["domain"]
    assert "Prieuré de Vauclair-le-Haut" in seen["lodging"] and "111" in seen["lodging"]
    assert "3 participants au moins par réservation" in seen["experience"]


def test_a_session_booked_added_or_edited_shows_at_once(client, offer, traveller):
    experience, session = offer["experience"], offer["session"]
    assert "6 places restantes" in page(client, "experience_detail", experience.slug)
    bookings.book_session(traveller=traveller, session=session, adults=2, children=0, now=NOW)  # an UPDATE
    assert "4 places restantes" in page(client, "experience_detail", experience.slug)
    Period.objects.create(experience=experience, start_date=date(2027, 4, 10), end_date=date(2027, 4, 10),
                          weekdays="1234567", start_times=["15:00"])
    generate_sessions(experience=experience, today=date(2027, 4, 1))  # a bulk_create
    assert "samedi 10 avril 2027" in page(client, "experience_detail", experience.slug)
    session.refresh_from_db()
    session.capacity = 12
    session.save()
    assert "8 places restantes" in page(client, "experience_detail", experience.slug)


def test_a_session_that_starts_leaves_the_page_the_same_day(client, offer):
    experience = offer["experience"]
    make_session(experience, NOW + timedelta(hours=2), capacity=5)
    assert "5 places restantes" in page(client, "experience_detail", experience.slug)
    with time_machine.travel(NOW + timedelta(hours=3), tick=False):
        html = page(client, "experience_detail", experience.slug)
    assert "5 places restantes" not in html and "6 places restantes" in html


def test_the_lodging_calendar_moves_to_the_next_day(client, offer):
    assert 'data-today="2027-04-01"' in page(client, "lodging_detail", offer["lodging"].slug)
    with time_machine.travel(NOW + timedelta(days=1), tick=False):
        assert 'data-today="2027-04-02"' in page(client, "lodging_detail", offer["lodging"].slug)


def test_rooms_withdrawn_by_an_update_and_amenities_show_at_once(client, offer):
    lodging, unit = offer["lodging"], offer["unit"]
    other = make_unit(lodging, price="70", name="Chambre de l'abbé")
    assert "Chambre de l'abbé" in page(client, "lodging_detail", lodging.slug).replace("&#x27;", "'")
    type(other).objects.filter(pk=other.pk).update(is_active=False)
    refresh_search_columns(lodging=lodging)  # the owner's "withdraw": UPDATEs only
    html = page(client, "lodging_detail", lodging.slug).replace("&#x27;", "'")
    assert "Chambre de l'abbé" not in html and unit.name in html
    amenity = Amenity.objects.create(code="piscine-test", name="Piscine chauffée")
    lodging.amenities.add(amenity)
    assert "Piscine chauffée" in page(client, "lodging_detail", lodging.slug)
    amenity.name = "Piscine couverte"
    amenity.save()
    assert "Piscine couverte" in page(client, "lodging_detail", lodging.slug)


def test_photos_show_a_placeholder_until_their_sizes_are_written_then_the_sizes(
        client, offer, django_capture_on_commit_callbacks):
    domain = offer["domain"]
    with django_capture_on_commit_callbacks(execute=False):
        photo = add_photo(offer=domain, upload=jpeg(), caption="La façade")
    html = page(client, "domain_detail", domain.slug)
    assert "img/photo-pending.svg" in html and photo.full.url not in html
    assert "img/photo-pending.svg" in page(client, "home")
    make_variants(photo=photo)  # the worker: an UPDATE of the sizes
    photo.refresh_from_db()
    html = page(client, "domain_detail", domain.slug)
    assert photo.card.url in html and photo.social.url in html and "photo-pending" not in html
    assert photo.card.url in page(client, "home")
    card = photo.card.url
    delete_photo(photo=photo)
    html = page(client, "domain_detail", domain.slug)
    assert card not in html and "La façade" not in html


def test_an_offer_photo_shows_on_its_page_and_its_domain_page(client, offer, django_capture_on_commit_callbacks):
    lodging = offer["lodging"]
    pages(client, offer)
    with django_capture_on_commit_callbacks(execute=True):
        photo = add_photo(offer=lodging, upload=jpeg(), caption="La grange au soleil")
    photo.refresh_from_db()
    assert photo.is_ready
    assert photo.card.url in page(client, "lodging_detail", lodging.slug)
    assert photo.card.url in page(client, "domain_detail", offer["domain"].slug)


def test_the_host_and_labels_show_at_once(client, offer, owner, staff):
    domain = offer["domain"]
    pages(client, offer)
    owner.first_name = "Aliénor"
    owner.save()
    profile, _created = OwnerProfile.objects.get_or_create(user=owner)
    profile.description = "Je restaure le prieuré depuis vingt ans."
    profile.save()
    label = Label.objects.create(name="Vieilles pierres", slug="vieilles-pierres-test")
    set_domain_labels(domain=domain, labels=[label])  # a bulk_create
    DomainLabel.objects.filter(domain=domain).update(verified=True)
    from domains.signals import content_changed
    content_changed.send(sender=DomainLabel, domain_id=domain.pk)  # as the admin's action does
    for html in (page(client, "domain_detail", domain.slug), page(client, "lodging_detail", offer["lodging"].slug),
                 page(client, "experience_detail", offer["experience"].slug)):
        assert "Aliénor" in html and "Je restaure le prieuré depuis vingt ans." in html
    assert "Vieilles pierres" in page(client, "domain_detail", domain.slug)
    label.name = "Pierres anciennes"
    label.save()
    assert "Pierres anciennes" in page(client, "lodging_detail", offer["lodging"].slug)


def test_the_admin_verify_action_shows_the_badges(client, offer, admin_user):
    domain = offer["domain"]
    domain.monument_protection = "inscrit"
    domain.save()
    assert "Monument historique inscrit" not in page(client, "domain_detail", domain.slug)
    admin = Client()
    admin.force_login(admin_user)
    admin.post(reverse("admin:domains_domain_changelist"),
               {"action": "verify_credentials", "_selected_action": [domain.pk]})
    assert "Monument historique inscrit" in page(client, "domain_detail", domain.slug)


def test_a_withdrawn_offer_is_404_at_once(client, offer, owner):
    pages(client, offer)
    withdraw_deleted_owners_offers(user=owner, now=NOW)  # moderation's UPDATE of the status
    assert client.get(reverse("domain_detail", args=[offer["domain"].slug])).status_code == 404
    assert client.get(reverse("lodging_detail", args=[offer["lodging"].slug])).status_code == 404
    assert "Prieuré de Vauclair" not in page(client, "home")


def test_a_lodging_unpublished_by_its_status_leaves_its_domain_page(client, offer):
    lodging = offer["lodging"]
    assert "La Grange" in page(client, "domain_detail", offer["domain"].slug)
    type(lodging).objects.filter(pk=lodging.pk).update(status=OfferStatus.DRAFT)
    from domains.moderation import status_changed
    lodging.refresh_from_db()
    status_changed(lodging, NOW)  # what moderation's transitions call after their UPDATE
    assert "La Grange" not in page(client, "domain_detail", offer["domain"].slug)
    assert client.get(reverse("lodging_detail", args=[lodging.slug])).status_code == 404


def test_reviews_written_answered_and_hidden_show_at_once(client, offer, traveller, staff):
    from bookings.tests.dashboard_factories import make_booking
    from reviews import services as reviews
    from reviews.tests.conftest import RATINGS

    unit = offer["unit"]
    after = datetime(2027, 5, 12, 10, 0, tzinfo=UTC)
    with time_machine.travel(after, tick=False):
        booking = make_booking(traveller=traveller, unit=unit, arrival="2027-05-09", departure="2027-05-11",
                               reference="AH-FRAG1")
        assert "Pas encore d'avis" in page(client, "lodging_detail", unit.lodging.slug).replace("&#x27;", "'")
        review = reviews.write_review(booking=booking, author=traveller, ratings=RATINGS,
                                      text="Un séjour merveilleux.", now=after)
        assert "Un séjour merveilleux." in page(client, "lodging_detail", unit.lodging.slug)
        assert "Un séjour merveilleux." in page(client, "domain_detail", unit.lodging.domain.slug)
        reviews.reply(review=review, by=unit.lodging.domain.owner, text="Merci, revenez vite !", now=after)
        assert "Merci, revenez vite !" in page(client, "lodging_detail", unit.lodging.slug)
        reviews.hide_review(review=review, by=staff, reason="Signalé", now=after)
        assert "Un séjour merveilleux." not in page(client, "lodging_detail", unit.lodging.slug)


def test_each_language_has_its_own_fragment(client, owner):
    domain = make_domain(owner, history="Fondé en 1134.", history_en="Founded in 1134.")
    lodging = make_lodging(domain, title="La Grange", title_en="The Barn")
    make_unit(lodging)
    for _round in range(2):
        with translation.override("en"):
            english = client.get(reverse("lodging_detail", args=[lodging.slug])).content.decode()
        with translation.override("fr"):
            french = client.get(reverse("lodging_detail", args=[lodging.slug])).content.decode()
        assert "<h1>The Barn</h1>" in english and '<html lang="en">' in english
        assert "<h1>La Grange</h1>" in french and '<html lang="fr">' in french


def test_a_visitor_never_sees_another_visitors_menu(offer, owner, traveller):
    logged_in, anonymous, other = Client(), Client(), Client()
    logged_in.force_login(owner)
    other.force_login(traveller)
    for first in (logged_in, anonymous):  # whoever fills the fragment first
        fragments._recent.clear()
        from django.core.cache import cache
        cache.clear()
        first.get(reverse("domain_detail", args=[offer["domain"].slug]))
        seen = {name: c.get(reverse("domain_detail", args=[offer["domain"].slug])).content.decode()
                for name, c in (("owner", logged_in), ("anonymous", anonymous), ("traveller", other))}
        assert "Tableau de bord" in seen["owner"] and "Déconnexion" in seen["owner"]
        assert "Tableau de bord" not in seen["anonymous"] and "Déconnexion" not in seen["anonymous"]
        assert "csrfmiddlewaretoken" not in seen["anonymous"]
        assert "Tableau de bord" not in seen["traveller"] and "Mes voyages" in seen["traveller"]
        tokens = [html.split('name="csrfmiddlewaretoken" value="', 1)[1].split('"', 1)[0]
                  for html in (seen["owner"], seen["traveller"])]
        assert tokens[0] != tokens[1]


def test_a_page_with_dates_picked_is_the_visitors_own(client, offer):
    unit = offer["unit"]
    page(client, "lodging_detail", unit.lodging.slug)
    html = page(client, "lodging_detail", unit.lodging.slug, chambre=unit.pk, arrivee="2027-05-03",
                depart="2027-05-05")
    assert "Du 3 mai au 5 mai 2027" in html
    assert "Du 3 mai au 5 mai 2027" not in page(client, "lodging_detail", unit.lodging.slug)


def test_an_evicted_token_outdates_the_fragments_made_with_it(client, offer):
    from django.core.cache import cache

    domain = offer["domain"]
    page(client, "domain_detail", domain.slug)
    type(domain).objects.filter(pk=domain.pk).update(name="Renommé sans signal")
    cache.delete(fragments.TOKEN_PREFIX + fragments.domain(domain.pk))
    assert "Renommé sans signal" in page(client, "domain_detail", domain.slug)


def test_a_page_rendered_just_after_a_write_is_kept_only_a_few_seconds(client, offer):
    """The bump happens at the write, before its commit: a page rendered meanwhile by another
    process read the old rows, so what is rendered within SETTLE_SECONDS of a bump is kept
    that long only."""
    domain = offer["domain"]
    domain.name = "Prieuré renommé"
    domain.save()  # bumps its token now
    type(domain).objects.filter(pk=domain.pk).update(name="Prieuré de Vauclair")  # as if not yet committed
    assert "Prieuré de Vauclair" in page(client, "domain_detail", domain.slug)
    type(domain).objects.filter(pk=domain.pk).update(name="Prieuré renommé")  # the commit, seen late
    with time_machine.travel(NOW + timedelta(seconds=fragments.SETTLE_SECONDS + 1), tick=False):
        assert "Prieuré renommé" in page(client, "domain_detail", domain.slug)
