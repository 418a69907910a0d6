"""Booking.service_end: when the service is over (UTC), the date the owner's earnings become
payable from (payouts/monthly.py). Existing rows are filled with the rule of
`bookings.models.service_end_of`, written out here because a migration must not import models."""
from datetime import UTC, datetime, time
from zoneinfo import ZoneInfo

from django.db import migrations, models

PARIS = ZoneInfo("Europe/Paris")


def fill_service_end(apps, schema_editor):
    Booking = apps.get_model("bookings", "Booking")
    for booking in Booking.objects.filter(service_end__isnull=True).select_related("session").iterator():
        if booking.kind == "experience":
            end = booking.session.end.astimezone(UTC)
        else:
            end = datetime.combine(booking.departure, time.min, tzinfo=PARIS).astimezone(UTC)
        Booking.objects.filter(pk=booking.pk).update(service_end=end)


class Migration(migrations.Migration):

    dependencies = [
        ("bookings", "0004_reminder_sent_at"),
        ("experiences", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="booking",
            name="service_end",
            field=models.DateTimeField(null=True, verbose_name="fin de la prestation"),
        ),
        migrations.RunPython(fill_service_end, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="booking",
            name="service_end",
            field=models.DateTimeField(verbose_name="fin de la prestation"),
        ),
        migrations.AddIndex(
            model_name="booking",
            index=models.Index(fields=["service_end"], name="booking_service_end"),
        ),
    ]
