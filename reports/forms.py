"""The owner's report form: a category, a plain-text description with a length limit, up to
five photos checked like every upload (core.images). Rules (whose booking, one open report)
are the services'."""
from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from core.images import check_uploaded_image

from .models import MAX_PHOTOS, TEXT_MAX, ReportCategory


class PhotosInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class PhotosField(forms.FileField):
    """Several files in one input: each checked cheaply here (weight, format, pixels), the
    re-encoding is the service's."""

    widget = PhotosInput

    def clean(self, data, initial=None):
        files = [file for file in (data if isinstance(data, list | tuple) else [data]) if file]
        if len(files) > MAX_PHOTOS:
            raise ValidationError(_("%(n)s photos au plus : vous en avez joint %(count)s.")
                                  % {"n": MAX_PHOTOS, "count": len(files)}, code="too_many")
        cleaned = [super(PhotosField, self).clean(file, initial) for file in files]
        for position, upload in enumerate(cleaned, start=1):
            try:
                check_uploaded_image(upload)
            except ValidationError as error:
                raise ValidationError(_("Photo %(n)s (%(name)s) : %(error)s")
                                      % {"n": position, "name": upload.name[:80], "error": error.messages[0]},
                                      code=error.code) from None
        return cleaned


class PlainTextField(forms.CharField):
    """Browsers send line breaks as CRLF: count them as one character, as they are stored."""

    def to_python(self, value):
        value = super().to_python(value)
        return value.replace("\r\n", "\n") if value else value


class ReportForm(forms.Form):
    category = forms.ChoiceField(label=_("Catégorie"), choices=[("", "—"), *ReportCategory.choices])
    description = PlainTextField(
        label=_("Description"), max_length=TEXT_MAX, widget=forms.Textarea(attrs={"rows": 8}), strip=True,
        help_text=_("Ce qui s'est passé, quand, ce que vous avez constaté (2 000 caractères au plus). Seule "
                    "l'équipe le lit."))
    photos = PhotosField(
        label=_("Photos (facultatif)"), required=False,
        widget=PhotosInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
        help_text=_("5 photos au plus, JPEG, PNG ou WebP, 10 Mo chacune. Seule l'équipe les voit."))
