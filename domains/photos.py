"""Photos of offers: checked like the profile photo and resized once, at upload, into the
few sizes pages use, so no page ships a camera-size image."""
from django.db import models
from django.utils.translation import gettext_lazy as _

# name → longest side in pixels (social: Open Graph preview).
PHOTO_SIZES = {"full": 1600, "card": 640, "thumb": 240, "social": 1200}


class OfferPhoto(models.Model):
    full = models.ImageField(_("photo"), upload_to="photos/%Y/%m/")
    card = models.ImageField(upload_to="photos/%Y/%m/", blank=True)
    thumb = models.ImageField(upload_to="photos/%Y/%m/", blank=True)
    social = models.ImageField(upload_to="photos/%Y/%m/", blank=True)
    caption = models.CharField(_("légende"), max_length=200, blank=True)
    position = models.PositiveSmallIntegerField(_("ordre"), default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        abstract = True
        ordering = ["position", "id"]
