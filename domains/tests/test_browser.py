"""The owner's whole journey in a browser (FAQ steps): a domain, a chambres d'hôtes with two
rooms, an experience on Saturdays and Sundays at 15:00 and 17:00, submitted; then staff
approve them in admin and they are published. axe-core checks each wizard page."""
from datetime import timedelta
from io import BytesIO

import pytest
from django.test import Client
from django.utils import timezone
from PIL import Image
from playwright.sync_api import expect

from domains.models import Domain, Label, OfferStatus
from experiences.models import Experience, Session
from lodgings.models import Amenity, Lodging

from .factories import make_domain, make_lodging

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def log_in(page, live_server, user) -> None:
    client = Client()
    client.force_login(user)
    page.context.clear_cookies()
    page.context.add_cookies([{"name": "sessionid", "value": client.cookies["sessionid"].value,
                               "url": live_server.url}])


def next_step(page, axe_check, context: str) -> None:
    axe_check(page, context=context)
    page.get_by_role("button", name="Enregistrer et continuer").click()


def test_owner_creates_offers_and_staff_publish_them(live_server, page, axe_check, owner, staff):
    # Rows of data migrations do not survive other transactional tests' flushes: make sure.
    Label.objects.get_or_create(slug="demeure-historique", defaults={"name": "Demeure Historique"})
    Amenity.objects.get_or_create(code="wifi", defaults={"name": "Wi-Fi"})
    log_in(page, live_server, owner)
    page.goto(live_server.url + "/fr/tableau-de-bord/")
    page.get_by_role("link", name="Domaines historiques").click()
    expect(page.get_by_text("Vous n'avez pas encore de domaine historique.")).to_be_visible()
    axe_check(page, context="empty domain table")
    page.get_by_role("main").get_by_role("link", name="Ajouter", exact=True).click()

    page.get_by_label("Nom du domaine").fill("Prieuré de Saint-Cosme")
    page.get_by_label("Type de lieu").select_option("prieure")
    page.get_by_label("Siècle ou époque").fill("XIe siècle")
    page.get_by_label("Histoire du lieu", exact=True).fill("Ronsard y fut prieur et y repose.")
    next_step(page, axe_check, "domain: infos")
    expect(page.get_by_text("Étape 2 sur 5")).to_be_visible()
    page.get_by_label("Commune").fill("La Riche")
    page.get_by_label("Département").fill("37")
    page.get_by_label("Région").select_option("centre-val-de-loire")
    next_step(page, axe_check, "domain: address")
    page.get_by_label("Protection au titre des monuments historiques").select_option("classe")
    page.get_by_label("Référence Mérimée").fill("PA00097869")
    page.get_by_label("Demeure Historique").check()
    next_step(page, axe_check, "domain: labels")
    axe_check(page, context="domain: photos")
    page.get_by_role("button", name="Continuer").click()
    axe_check(page, context="domain: submit")
    page.get_by_role("button", name="Soumettre").click()
    expect(page.get_by_text("Votre offre est soumise")).to_be_visible()
    axe_check(page, context="domain table")

    page.get_by_role("link", name="Hébergements de Prieuré de Saint-Cosme").click()
    axe_check(page, context="empty lodging list")
    page.get_by_role("main").get_by_role("link", name="Ajouter", exact=True).click()
    page.get_by_label("Chambres d'hôtes").check()
    page.get_by_label("Titre", exact=True).fill("Les chambres du Prieur")
    page.get_by_label("Description", exact=True).fill("Deux chambres ouvrant sur la roseraie.")
    next_step(page, axe_check, "lodging: description")
    first = page.get_by_role("group", name="Chambre 1")
    first.get_by_label("Nom").fill("Chambre Ronsard")
    first.get_by_label("Prix par nuit").fill("120")
    page.get_by_role("button", name="Ajouter une chambre").click()
    second = page.get_by_role("group", name="Chambre 2")
    expect(first.get_by_label("Nom")).to_have_value("Chambre Ronsard")
    second.get_by_label("Nom").fill("Chambre Cassandre")
    second.get_by_label("Adultes").fill("2")
    second.get_by_label("Enfants").fill("1")
    second.get_by_label("Prix par nuit").fill("135")
    next_step(page, axe_check, "lodging: rooms")
    next_step(page, axe_check, "lodging: prices")
    page.get_by_label("Wi-Fi").check()
    page.get_by_label("Accessibilité").fill("Escalier à vis, pas d'ascenseur.")
    next_step(page, axe_check, "lodging: amenities")
    page.get_by_label("Instantanées").check()
    next_step(page, axe_check, "lodging: option")
    page.get_by_label("Code INSEE de la commune").fill("37 195")
    page.get_by_label("Classement").select_option(label="Chambres d'hôtes")
    next_step(page, axe_check, "lodging: tourist tax")
    page.get_by_role("button", name="Continuer").click()
    page.get_by_role("button", name="Soumettre").click()
    expect(page.get_by_text("Votre offre est soumise")).to_be_visible()
    expect(page.get_by_role("cell", name="Chambre Ronsard (120,00 €) Chambre Cassandre (135,00 €)")).to_be_visible()
    axe_check(page, context="lodging list")

    page.get_by_role("navigation", name="Tableau de bord").get_by_role("link", name="Domaines historiques").click()
    page.get_by_role("link", name="Expériences de Prieuré de Saint-Cosme").click()
    page.get_by_role("main").get_by_role("link", name="Ajouter", exact=True).click()
    page.get_by_label("Titre", exact=True).fill("Atelier de roses anciennes")
    page.get_by_label("Catégorie").select_option("workshop")
    page.get_by_label("Description", exact=True).fill("Bouturer les roses du prieuré avec le jardinier.")
    next_step(page, axe_check, "experience: description")
    start = timezone.localdate() + timedelta(days=10)
    page.get_by_label("Durée (minutes)").fill("90")
    page.get_by_label("Du", exact=True).fill(start.isoformat())
    page.get_by_label("Au", exact=True).fill((start + timedelta(days=60)).isoformat())
    page.get_by_label("Samedi").check()
    page.get_by_label("Dimanche").check()
    page.get_by_label("Créneau 1 (heure de début)").fill("15:00")
    page.get_by_role("button", name="Ajouter un créneau").click()
    page.get_by_label("Créneau 2 (heure de début)").fill("17:00")
    expect(page.get_by_label("Samedi")).to_be_checked()
    next_step(page, axe_check, "experience: periods")
    page.get_by_label("Prix par personne").fill("30")
    next_step(page, axe_check, "experience: prices")
    next_step(page, axe_check, "experience: conditions")
    page.get_by_role("button", name="Continuer").click()
    page.get_by_role("button", name="Soumettre").click()
    expect(page.get_by_text("Votre offre est soumise")).to_be_visible()

    log_in(page, live_server, staff)
    page.goto(live_server.url + "/admin/domains/moderationqueue/")
    expect(page.get_by_role("link", name="Atelier de roses anciennes")).to_be_visible()
    for path in ("domains/domain", "lodgings/lodging", "experiences/experience"):
        page.goto(f"{live_server.url}/admin/{path}/")
        page.locator("#action-toggle").check()
        page.locator("select[name=action]").select_option("approve_selected")
        page.locator("button[name=index]").click()
        expect(page.get_by_text("Publié :").first).to_be_visible()

    assert Domain.objects.get().status == OfferStatus.PUBLISHED
    lodging = Lodging.objects.get()
    assert lodging.status == OfferStatus.PUBLISHED and lodging.booking_mode == "instant"
    assert list(lodging.units.filter(is_listed=True).values_list("name", flat=True)) == [
        "Chambre Ronsard", "Chambre Cassandre"]
    experience = Experience.objects.get()
    assert experience.status == OfferStatus.PUBLISHED
    period = experience.periods.get()
    assert (period.weekdays, period.start_times) == ("67", ["15:00", "17:00"])
    sessions = Session.objects.filter(experience=experience)
    assert sessions.count() > 0 and {s.start.astimezone(timezone.get_current_timezone()).strftime("%H:%M")
                                     for s in sessions} == {"15:00", "17:00"}
    assert {s.start.astimezone(timezone.get_current_timezone()).isoweekday() for s in sessions} == {6, 7}


def test_owner_photos_suspension_and_label_proposal_pages(live_server, page, axe_check, owner):
    domain = make_domain(owner)
    lodging = make_lodging(domain, kind="gite", rooms=1, title="Le Pigeonnier")
    log_in(page, live_server, owner)
    page.goto(f"{live_server.url}/tableau-de-bord/domaines/{domain.pk}/etape/photos/")
    buffer = BytesIO()
    Image.new("RGB", (2400, 1600), (120, 80, 60)).save(buffer, "JPEG")
    page.get_by_label("Photos", exact=True).set_input_files(
        files=[{"name": "facade.jpg", "mimeType": "image/jpeg", "buffer": buffer.getvalue()}])
    page.get_by_label("Légende", exact=True).fill("La façade au couchant")
    page.get_by_role("button", name="Ajouter les photos").click()
    expect(page.get_by_role("img", name="La façade au couchant")).to_be_visible()
    axe_check(page, context="photos with one photo")

    page.goto(f"{live_server.url}/tableau-de-bord/domaines/{domain.pk}/hebergements/")
    page.get_by_role("link", name="Suspendre la visibilité de Le Pigeonnier").click()
    start = timezone.localdate() + timedelta(days=5)
    page.get_by_label("Du", exact=True).fill((start + timedelta(days=3)).isoformat())
    page.get_by_label("Au (exclu)").fill(start.isoformat())
    page.get_by_role("button", name="Suspendre sur ces dates").click()
    expect(page.get_by_text("La date de fin doit être après la date de début.")).to_be_visible()
    axe_check(page, context="suspension error")
    page.get_by_label("Du", exact=True).fill(start.isoformat())
    page.get_by_label("Au (exclu)").fill((start + timedelta(days=7)).isoformat())
    page.get_by_label("Motif (privé)").fill("Réfection de la toiture")
    page.get_by_role("button", name="Suspendre sur ces dates").click()
    expect(page.get_by_role("cell", name="Réfection de la toiture")).to_be_visible()
    axe_check(page, context="suspensions list")
    assert lodging.suspensions.count() == 1

    page.goto(f"{live_server.url}/tableau-de-bord/domaines/")
    page.get_by_role("link", name="Un label ou un réseau manque ? Proposez-le").click()
    page.get_by_label("Nom du label ou du réseau").fill("Sites et Cités remarquables")
    page.get_by_label("Pourquoi l'ajouter ?").fill("Notre commune en est membre depuis 2015.")
    page.get_by_role("button", name="Envoyer ma proposition").click()
    expect(page.get_by_text("L'équipe étudie votre proposition")).to_be_visible()
    axe_check(page, context="label proposal")

    page.get_by_role("link", name="English").click()
    page.goto(f"{live_server.url}/tableau-de-bord/domaines/{domain.pk}/etape/adresse/")
    expect(page.get_by_text("Step 2 of 5")).to_be_visible()
    expect(page.get_by_role("heading", name="Address and location")).to_be_visible()
    axe_check(page, context="wizard in English")
