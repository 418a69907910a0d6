"""Demo report: the owner of a demo stay that ended reports a stain on a rug, with one photo,
so the staff queue in admin has a new report to work. Runs after the reviews' seeder, whose
past stays it uses (idempotent)."""
from io import BytesIO

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from bookings.demo import DEMO_TRAVELLERS
from bookings.models import Booking, BookingStatus

from . import services
from .models import TravellerReport


def _photo() -> SimpleUploadedFile:
    image, buffer = Image.new("RGB", (800, 600), (176, 120, 84)), BytesIO()
    image.paste((92, 60, 40), (300, 220, 520, 380))  # the stain
    image.save(buffer, "JPEG", quality=85)
    return SimpleUploadedFile("tapis.jpg", buffer.getvalue(), "image/jpeg")


def seed(*, stdout) -> None:
    now = timezone.now()
    if TravellerReport.objects.filter(traveller__email__in=DEMO_TRAVELLERS).exists():
        stdout.write("reports: nothing to add")
        return
    booking = (Booking.objects.filter(traveller__email__in=DEMO_TRAVELLERS, status=BookingStatus.CONFIRMED,
                                      service_end__lt=now).select_related("owner").order_by("service_end").first())
    if booking is None:
        stdout.write("reports: no ended stay to report")
        return
    services.file_report(booking=booking, by=booking.owner, category="damage",
                         description="Une grande tache de vin sur le tapis ancien du salon, découverte au départ. "
                                     "Le voyageur dit ne pas l'avoir vue.", photos=[_photo()], now=now)
    stdout.write(f"reports: 1 report on {booking.reference} in the staff queue")
