"""A lodging's page in a real browser (issue 16): it opens on a mosaic of photos whose
full-screen gallery is driven by the keyboard and gives the focus back; the booking box's
calendar disables the days that cannot be chosen (advance notice, arrival days, minimum stay,
occupied nights), prices the stay and leads to the checkout. The owner adds several photos
at once, drags them into order, picks a cover, and the page shows that cover first."""
import re
from datetime import date, timedelta
from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import Client
from django.utils import timezone
from PIL import Image
from playwright.sync_api import expect

from domains.photos import add_photo
from lodgings.models import LodgingPhoto

from .factories import listed_unit, make_domain, stay

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

COLOURS = [(150, 90, 60), (60, 110, 150), (90, 140, 70), (160, 60, 110), (70, 140, 130), (140, 130, 60)]


def jpeg(colour) -> bytes:
    buffer = BytesIO()
    Image.new("RGB", (900, 600), colour).save(buffer, "JPEG")
    return buffer.getvalue()


def log_in(page, live_server, user) -> None:
    client = Client()
    client.force_login(user)
    page.context.clear_cookies()
    page.context.add_cookies([{"name": "sessionid", "value": client.cookies["sessionid"].value,
                               "url": live_server.url}])


def first_monday_after(day: date) -> date:
    return day + timedelta(days=(7 - day.weekday()) % 7 or 7)


def show_month_of(box, day: date) -> None:
    """Click « Mois suivant » until the box's calendar shows `day`."""
    for _ in range(3):
        if box.locator(f'.bb-day[data-date="{day.isoformat()}"]').count():
            return
        box.get_by_role("button", name="Mois suivant").click()
    raise AssertionError(f"{day} never shown")


def test_traveller_opens_the_gallery_then_books_from_the_box(live_server, page, axe_check, owner, traveller):
    profile = owner.owner_profile
    profile.description = "Nous habitons le logis depuis trente ans et aimons raconter son histoire."
    profile.photo.save("portrait.jpg", SimpleUploadedFile("portrait.jpg", jpeg((120, 100, 90))), save=True)
    unit = listed_unit(owner, domain=make_domain(owner, name="Château de Montrésor"), title="La Tour du Guet",
                       price="120", cleaning_fee="45", min_nights=2, advance_notice_days=3, arrival_weekdays="123456",
                       booking_mode="instant")
    with transaction.atomic():  # the sizes are made on commit (eager worker in tests)
        for n, colour in enumerate(COLOURS, start=1):
            add_photo(offer=unit.lodging, upload=SimpleUploadedFile(f"p{n}.jpg", jpeg(colour), "image/jpeg"),
                      caption=f"Vue n° {n}")
    today = timezone.localdate()
    arrival = first_monday_after(today + timedelta(days=10))
    stay(unit, traveller, arrival + timedelta(days=7), arrival + timedelta(days=9))  # 2 nights a week later
    log_in(page, live_server, traveller)
    page.goto(f"{live_server.url}/hebergements/{unit.lodging.slug}/")

    # The photos first, then the gallery by keyboard.
    mosaic = page.locator(".mosaic .mosaic-link")
    expect(mosaic).to_have_count(5)
    expect(page.get_by_role("link", name="Voir les 6 photos")).to_be_visible()
    expect(page.get_by_role("heading", name="Votre hôte")).to_be_visible()
    expect(page.get_by_text("Nous habitons le logis depuis trente ans")).to_be_visible()
    axe_check(page, context="lodging page with its booking box")
    second = mosaic.nth(1)
    second.focus()
    page.keyboard.press("Enter")
    dialog = page.get_by_role("dialog", name="Galerie de photos")
    expect(dialog).to_be_visible()
    expect(dialog.locator(".gallery-counter")).to_have_text("Photo 2 sur 6")
    expect(dialog.locator(".gallery-caption")).to_have_text("Vue n° 2")
    expect(dialog.get_by_role("button", name="Fermer la galerie")).to_be_focused()
    page.keyboard.press("ArrowRight")
    expect(dialog.locator(".gallery-counter")).to_have_text("Photo 3 sur 6")
    page.keyboard.press("ArrowLeft")
    page.keyboard.press("ArrowLeft")
    page.keyboard.press("ArrowLeft")
    expect(dialog.locator(".gallery-counter")).to_have_text("Photo 6 sur 6")  # round the end
    for _ in range(4):  # Tab stays in the dialog
        page.keyboard.press("Tab")
        assert page.evaluate("document.activeElement.closest('dialog') !== null")
    axe_check(page, context="gallery open")
    page.keyboard.press("Escape")
    expect(dialog).to_be_hidden()
    expect(second).to_be_focused()

    # The booking box: days that cannot be chosen are disabled buttons.
    box = page.locator("#reserver")
    def day(d: date):
        return box.locator(f'.bb-day[data-date="{d.isoformat()}"]')
    expect(box.locator(".bb-status")).to_have_text("Choisissez votre date d’arrivée.")
    expect(day(today + timedelta(days=1))).to_be_disabled()  # 3 days' notice
    show_month_of(box, arrival)
    expect(day(arrival - timedelta(days=1))).to_be_disabled()  # no arrival on Sundays
    expect(day(arrival + timedelta(days=7))).to_be_disabled()  # occupied
    expect(day(arrival + timedelta(days=6))).to_be_disabled()  # its 2-night minimum runs into it
    # By keyboard: the arrows skip the days that cannot be chosen (the Sunday before).
    day(arrival).focus()
    page.keyboard.press("ArrowLeft")
    expect(day(arrival - timedelta(days=2))).to_be_focused()
    page.keyboard.press("ArrowRight")
    expect(day(arrival)).to_be_focused()
    page.keyboard.press("Enter")
    expect(box.locator(".bb-status")).to_have_text("Choisissez votre date de départ.")
    expect(day(arrival + timedelta(days=1))).to_be_disabled()  # 1 night < the minimum of 2
    show_month_of(box, arrival + timedelta(days=9))
    expect(day(arrival + timedelta(days=9))).to_be_disabled()  # across the occupied nights
    show_month_of(box, arrival + timedelta(days=3))
    box.get_by_label("Adultes").fill("2")
    day(arrival + timedelta(days=3)).click()
    breakdown = box.locator(".bb-breakdown")
    expect(breakdown).to_contain_text("3 nuits × 120,00")
    expect(breakdown).to_contain_text("Frais de ménage")
    expect(breakdown.locator(".total")).to_contain_text("405,00")
    axe_check(page, context="booking box with a stay priced")
    box.get_by_role("button", name="Réserver").click()
    expect(page).to_have_url(re.compile(
        rf"/reserver/sejour/{unit.pk}/\?arrival={arrival.isoformat()}&departure={(arrival + timedelta(days=3)).isoformat()}"
        r"&adults=2&children=0"))
    expect(page.get_by_text("405,00").first).to_be_visible()


SWIPE = """([from, to]) => {
  const dialog = document.querySelector('.gallery-dialog');
  const touch = x => new Touch({identifier: 1, target: dialog, clientX: x, clientY: 400});
  dialog.dispatchEvent(new TouchEvent('touchstart', {touches: [touch(from)], changedTouches: [touch(from)], bubbles: true}));
  dialog.dispatchEvent(new TouchEvent('touchend', {touches: [], changedTouches: [touch(to)], bubbles: true}));
}"""


def test_at_390_px_the_gallery_swipes_and_the_box_is_a_bottom_bar(live_server, page, axe_check, owner):
    unit = listed_unit(owner, title="Le Pigeonnier")
    with transaction.atomic():
        for n, colour in enumerate(COLOURS[:3], start=1):
            add_photo(offer=unit.lodging, upload=SimpleUploadedFile(f"p{n}.jpg", jpeg(colour), "image/jpeg"),
                      caption=f"Vue n° {n}")
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{live_server.url}/hebergements/{unit.lodging.slug}/")
    bar = page.locator(".bb-bar")
    expect(bar).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    axe_check(page, context="lodging at 390 px")
    page.get_by_role("link", name="Voir les 3 photos").click()
    counter = page.locator(".gallery-counter")
    expect(counter).to_have_text("Photo 1 sur 3")
    page.evaluate(SWIPE, [300, 80])  # a swipe to the left: the next photo
    expect(counter).to_have_text("Photo 2 sur 3")
    page.evaluate(SWIPE, [80, 300])
    expect(counter).to_have_text("Photo 1 sur 3")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.get_by_role("button", name="Fermer la galerie").click()
    expect(page.get_by_role("link", name="Voir les 3 photos")).to_be_focused()
    expect(page.locator("#reserver")).to_contain_text("Sur demande")
    bar.get_by_role("link", name="Demander").click()  # a request, as the lodging takes them
    expect(page).to_have_url(re.compile("#reserver$"))
    expect(page.locator("#reserver .bb-day").first).to_be_in_viewport()


def test_owner_uploads_several_photos_reorders_and_picks_the_cover(live_server, page, axe_check, owner):
    unit = listed_unit(owner, title="La Grange")
    lodging = unit.lodging
    log_in(page, live_server, owner)
    page.goto(f"{live_server.url}/tableau-de-bord/hebergements/{lodging.pk}/etape/photos/")
    files = [{"name": f"{name}.jpg", "mimeType": "image/jpeg", "buffer": jpeg(colour)}
             for name, colour in zip(("rouge", "bleu", "vert"), COLOURS, strict=False)]
    page.get_by_label("Photos", exact=True).set_input_files(files)
    expect(page.locator(".dropzone-files li")).to_have_text(["rouge.jpg", "bleu.jpg", "vert.jpg"])
    page.get_by_role("button", name="Ajouter les photos").click()
    expect(page.get_by_text("3 photos ajoutées.")).to_be_visible()
    rouge, bleu, vert = LodgingPhoto.objects.filter(lodging=lodging)
    items = page.locator(".photo-item")
    expect(items).to_have_count(3)

    # A file that is no image is refused by name; the good one beside it is added.
    page.get_by_label("Photos", exact=True).set_input_files([
        {"name": "devis.pdf", "mimeType": "application/pdf", "buffer": b"%PDF-1.4 not a photo"},
        {"name": "jaune.jpg", "mimeType": "image/jpeg", "buffer": jpeg(COLOURS[3])}])
    page.get_by_role("button", name="Ajouter les photos").click()
    expect(page.get_by_text("1 photo ajoutée.")).to_be_visible()
    expect(page.get_by_text("« devis.pdf » n'est pas ajoutée")).to_be_visible()
    axe_check(page, context="photos with a refused file")
    jaune = LodgingPhoto.objects.filter(lodging=lodging).order_by("-id").first()

    # Drag the third photo before the first: the new order is saved at once.
    # Both photos on screen (a drag cannot scroll), grabbed by the photo, not its caption fields.
    page.set_viewport_size({"width": 1280, "height": 2000})
    items.nth(2).drag_to(items.nth(0), source_position={"x": 30, "y": 30}, target_position={"x": 30, "y": 10})
    expect(page.get_by_text("Nouvel ordre enregistré.")).to_be_visible()
    assert list(LodgingPhoto.objects.filter(lodging=lodging).values_list("pk", flat=True)) == \
        [vert.pk, rouge.pk, bleu.pk, jaune.pk]
    # Without dragging: "Monter", then a cover.
    page.get_by_role("button", name="Monter 3").click()
    assert list(LodgingPhoto.objects.filter(lodging=lodging).values_list("pk", flat=True)) == \
        [vert.pk, bleu.pk, rouge.pk, jaune.pk]
    page.get_by_role("button", name="Choisir comme couverture : photo 4").click()
    expect(page.get_by_text("Photo de couverture choisie")).to_be_visible()
    expect(items.nth(0).get_by_text("Couverture")).to_be_visible()
    jaune.refresh_from_db()

    page.goto(f"{live_server.url}/hebergements/{lodging.slug}/")
    expect(page.locator(".mosaic-item").first.locator("img")).to_have_attribute("src", re.compile(
        re.escape(jaune.card.url)))
