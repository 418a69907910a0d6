from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from accounts.models import BillingAddress

pytestmark = pytest.mark.django_db


def image_bytes(fmt="JPEG", size=(640, 480), exif=False, mode="RGB") -> bytes:
    colour = {"1": 1, "RGBA": (0, 0, 0, 0)}.get(mode, "white")
    image = Image.new(mode, size, colour)
    buffer = BytesIO()
    kwargs = {}
    if exif:
        data = Image.Exif()
        data[0x010F] = "CameraMaker"  # Make
        data[0x8825] = {2: (48.0, 51.0, 24.0)}  # GPS latitude
        kwargs["exif"] = data.tobytes()
    image.save(buffer, format=fmt, **kwargs)
    return buffer.getvalue()


def profile_data(**overrides):
    return {"first_name": "Hélène", "last_name": "Duval", "phone": "06 12 34 56 78",
            "address_line1": "2 rue du Prieuré", "address_line2": "", "postal_code": "37000", "city": "Tours",
            "country": "FR", "description": "Gardienne du prieuré.", "channel_manager": "amenitiz",
            "channel_manager_other": "", **overrides}


def test_profile_edit_is_saved(owner_client, owner):
    response = owner_client.post(reverse("dashboard"), profile_data())
    assert response.status_code == 302
    owner.refresh_from_db()
    assert owner.phone == "+33612345678"
    assert owner.owner_profile.address_line1 == "2 rue du Prieuré"
    assert owner.owner_profile.channel_manager == "amenitiz"


def test_invalid_phone_is_refused_next_to_the_field(owner_client, owner):
    response = owner_client.post(reverse("dashboard"), profile_data(phone="12"))
    assert response.status_code == 200
    assert "numéro de téléphone n&#x27;est pas valide" in response.content.decode()
    owner.refresh_from_db()
    assert owner.owner_profile.address_line1 == "1 allée du Château"


def test_other_channel_manager_needs_a_name(owner_client):
    response = owner_client.post(reverse("dashboard"), profile_data(channel_manager="other"))
    assert "Indiquez le nom de votre channel manager" in response.content.decode()


def test_photo_is_reencoded_without_exif(owner_client, owner):
    upload = SimpleUploadedFile("moi.jpg", image_bytes(exif=True, size=(3000, 2000)), content_type="image/jpeg")
    response = owner_client.post(reverse("dashboard"), {**profile_data(), "photo": upload})
    assert response.status_code == 302
    owner.owner_profile.refresh_from_db()
    stored = Image.open(owner.owner_profile.photo.path)
    assert stored.format == "JPEG"
    assert max(stored.size) <= 800
    assert len(stored.getexif()) == 0


@pytest.mark.parametrize(("fmt", "content_type"), [("PNG", "image/png"), ("WEBP", "image/webp")])
def test_png_and_webp_are_stored_as_jpeg_on_white(owner_client, owner, fmt, content_type):
    transparent = image_bytes(fmt, size=(640, 480), mode="RGBA")  # fully transparent pixels
    upload = SimpleUploadedFile(f"moi.{fmt.lower()}", transparent, content_type=content_type)
    assert owner_client.post(reverse("dashboard"), {**profile_data(), "photo": upload}).status_code == 302
    owner.owner_profile.refresh_from_db()
    photo = owner.owner_profile.photo
    assert photo.name.endswith(".jpg")
    stored = Image.open(photo.path)
    assert (stored.format, stored.mode, stored.size) == ("JPEG", "RGB", (640, 480))
    assert all(channel > 250 for channel in stored.getpixel((320, 240)))  # transparency became white


def test_non_image_upload_is_refused(owner_client, owner):
    upload = SimpleUploadedFile("moi.jpg", b"%PDF-1.4 this is not an image", content_type="image/jpeg")
    response = owner_client.post(reverse("dashboard"), {**profile_data(), "photo": upload})
    assert response.status_code == 200
    assert "image" in response.content.decode().lower()
    owner.owner_profile.refresh_from_db()
    assert not owner.owner_profile.photo


def test_gif_is_refused(owner_client, owner):
    upload = SimpleUploadedFile("moi.gif", image_bytes("GIF", mode="P"), content_type="image/gif")
    response = owner_client.post(reverse("dashboard"), {**profile_data(), "photo": upload})
    assert response.status_code == 200
    owner.owner_profile.refresh_from_db()
    assert not owner.owner_profile.photo


def test_oversized_image_is_refused(owner_client, owner, settings):
    settings.IMAGE_UPLOAD_MAX_BYTES = 20_000
    upload = SimpleUploadedFile("big.png", image_bytes("PNG", size=(400, 400)) + b"\0" * 30_000, content_type="image/png")
    response = owner_client.post(reverse("dashboard"), {**profile_data(), "photo": upload})
    assert response.status_code == 200
    assert "le maximum est" in response.content.decode()
    owner.owner_profile.refresh_from_db()
    assert not owner.owner_profile.photo


def test_decompression_bomb_is_refused(owner_client, owner):
    # 12,000 × 12,000 one-bit pixels: a few kilobytes on disk, 144 megapixels once decoded.
    upload = SimpleUploadedFile("bomb.png", image_bytes("PNG", size=(12_000, 12_000), mode="1"), content_type="image/png")
    assert upload.size < 100_000
    response = owner_client.post(reverse("dashboard"), {**profile_data(), "photo": upload})
    assert response.status_code == 200
    owner.owner_profile.refresh_from_db()
    assert not owner.owner_profile.photo


def test_billing_address_create_then_edit(owner_client, owner):
    url = reverse("billing_address")
    assert "Aucune adresse de facturation" in owner_client.get(url).content.decode()
    data = {"name": "SCI du Prieuré", "line1": "2 rue du Prieuré", "line2": "", "postal_code": "37000",
            "city": "Tours", "country": "FR", "vat_number": "fr 12345678901"}
    assert owner_client.post(url, data).status_code == 302
    address = BillingAddress.objects.get(user=owner)
    assert address.vat_number == "FR12345678901"
    assert "SCI du Prieuré" in owner_client.get(url).content.decode()
    assert owner_client.post(url, {**data, "city": "Amboise"}).status_code == 302
    address.refresh_from_db()
    assert address.city == "Amboise" and BillingAddress.objects.filter(user=owner).count() == 1


def test_billing_address_errors_next_to_fields(owner_client, owner):
    response = owner_client.post(reverse("billing_address"), {"name": "", "line1": "", "postal_code": "", "city": "",
                                                             "country": "XX", "vat_number": "123"})
    content = response.content.decode()
    assert response.status_code == 200 and "Ce champ est obligatoire" in content
    assert "Un numéro de TVA commence" in content
    assert not BillingAddress.objects.exists()


def test_second_owner_cannot_read_or_change_first_owner_data(client, owner, other_owner):
    BillingAddress.objects.create(user=owner, name="SCI du Prieuré", line1="2 rue", postal_code="37000", city="Tours")
    client.force_login(other_owner)
    dashboard = client.get(reverse("dashboard")).content.decode()
    addresses = client.get(reverse("billing_address")).content.decode()
    assert "Hélène" not in dashboard and owner.email not in dashboard
    assert "SCI du Prieuré" not in addresses
    client.post(reverse("dashboard"), profile_data(address_line1="Piraté"))
    client.post(reverse("billing_address"), {"name": "Piraté", "line1": "x", "postal_code": "1", "city": "x", "country": "FR"})
    owner.owner_profile.refresh_from_db()
    assert owner.owner_profile.address_line1 == "1 allée du Château"
    assert BillingAddress.objects.get(user=owner).name == "SCI du Prieuré"
    # Staff pages are closed to owners.
    admin_url = reverse("admin:accounts_ownerprofile_change", args=[owner.owner_profile.pk])
    assert client.get(admin_url).status_code == 302
