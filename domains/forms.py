import re

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from core.images import check_uploaded_image

from .models import Domain, Label, LabelProposal, validate_merimee

WEEKDAYS = [("1", _("Lundi")), ("2", _("Mardi")), ("3", _("Mercredi")), ("4", _("Jeudi")),
            ("5", _("Vendredi")), ("6", _("Samedi")), ("7", _("Dimanche"))]
DEPARTEMENT_RE = re.compile(r"^(0[1-9]|[1-8]\d|9[0-5]|2[AB]|97[1-6])$")


class WeekdaysField(forms.MultipleChoiceField):
    """ISO weekdays as checkboxes, stored as a string ("67" = Saturday and Sunday)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("widget", forms.CheckboxSelectMultiple(attrs={"class": "inline-choices"}))
        kwargs.setdefault("choices", WEEKDAYS)
        kwargs.setdefault("error_messages", {"required": _("Cochez au moins un jour de la semaine.")})
        super().__init__(**kwargs)

    def prepare_value(self, value):
        return list(value) if isinstance(value, str) else value

    def clean(self, value):
        return "".join(sorted(set(super().clean(value))))

    def has_changed(self, initial, data):
        return "".join(sorted(set(data or []))) != "".join(sorted(set(self.prepare_value(initial) or [])))


# Every English offer text is optional: English pages show the French text until it is given.
ENGLISH_HELP = _("Facultatif. Affiché sur les pages en anglais ; sans lui, elles montrent le texte français.")
ENGLISH_FIELD_ATTRS = {"lang": "en"}


class DomainInfoForm(forms.ModelForm):
    class Meta:
        model = Domain
        fields = ["name", "heritage_kind", "period", "history", "history_en"]
        widgets = {"history": forms.Textarea(attrs={"rows": 8}), "history_en": forms.Textarea(attrs={"rows": 8})}
        help_texts = {"history": _("Qui l'a bâti, ce qui s'y est passé, ce que le voyageur y ressentira."),
                      "history_en": ENGLISH_HELP}


class DomainAddressForm(forms.ModelForm):
    class Meta:
        model = Domain
        fields = ["address_line", "postal_code", "commune", "departement", "region", "latitude", "longitude"]
        help_texts = {"latitude": _("En degrés décimaux, par exemple 47.3281 (facultatif, pour la carte)."),
                      "longitude": _("Par exemple 0.9963.")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("commune", "departement", "region"):
            self.fields[name].required = True

    def clean_departement(self):
        value = self.cleaned_data["departement"].strip().upper()
        if not DEPARTEMENT_RE.match(value):
            raise ValidationError(_("Indiquez le numéro du département : 37, 2A, 974…"))
        return value

    def clean(self):
        cleaned = super().clean()
        if (cleaned.get("latitude") is None) != (cleaned.get("longitude") is None):
            self.add_error("longitude", _("Indiquez la latitude et la longitude, ou aucune des deux."))
        return cleaned


class DomainLabelsForm(forms.ModelForm):
    labels = forms.ModelMultipleChoiceField(
        label=_("Labels et réseaux"), queryset=Label.objects.filter(is_active=True), required=False,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "inline-choices"}),
        help_text=_("L'équipe vérifie chaque adhésion avant d'afficher son badge."))

    class Meta:
        model = Domain
        fields = ["monument_protection", "merimee_reference"]
        help_texts = {"merimee_reference": _("Sur la base Mérimée (POP) : PA suivi de 8 chiffres, par exemple PA00097151.")}

    def clean_merimee_reference(self):
        value = self.cleaned_data["merimee_reference"].strip().upper().replace(" ", "")
        validate_merimee(value)
        return value

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("monument_protection") and not cleaned.get("merimee_reference") \
                and "merimee_reference" not in self.errors:
            self.add_error("merimee_reference", _("Indiquez la référence Mérimée du monument."))
        if cleaned.get("merimee_reference") and not cleaned.get("monument_protection"):
            self.add_error("monument_protection", _("Précisez si le monument est classé ou inscrit."))
        return cleaned


class PhotoForm(forms.Form):
    image = forms.FileField(label=_("Photo"), help_text=_("JPEG, PNG ou WebP, 10 Mo au plus."),
                            widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}))
    caption = forms.CharField(label=_("Légende"), max_length=200, required=False)
    caption_en = forms.CharField(label=_("Légende en anglais"), max_length=200, required=False, help_text=ENGLISH_HELP,
                                 widget=forms.TextInput(attrs=ENGLISH_FIELD_ATTRS))

    def clean_image(self):
        upload = self.cleaned_data["image"]
        check_uploaded_image(upload)  # raises ValidationError with a message for the owner
        return upload


class LabelProposalForm(forms.ModelForm):
    website = forms.URLField(label=_("Site web"), required=False, assume_scheme="https")

    class Meta:
        model = LabelProposal
        fields = ["name", "website", "reason"]
        widgets = {"reason": forms.Textarea(attrs={"rows": 4})}


class ReasonForm(forms.Form):
    """Staff's reason for a refusal, shown to the owner."""

    reason = forms.CharField(label=_("Motif du refus (envoyé au propriétaire)"), widget=forms.Textarea(attrs={"rows": 5}),
                             max_length=4000)
