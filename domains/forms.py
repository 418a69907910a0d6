import re

from django import forms
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from core.images import check_uploaded_image
from geo import places, postal

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
    """The address, entered once: the commune's suggestion (geo.places) fills département,
    region, INSEE code and postal code; the pin on the map (or the two numbers) the point."""

    class Meta:
        model = Domain
        fields = ["address_line", "commune", "postal_code", "departement", "region", "insee_code", "latitude",
                  "longitude"]
        help_texts = {"commune": _("Tapez les premières lettres et choisissez la commune : département, région, "
                                   "code INSEE et code postal se remplissent."),
                      "insee_code": _("Rempli par la suggestion de commune (différent du code postal)."),
                      "latitude": _("En degrés décimaux, par exemple 47.3281 : placez l'épingle sur la carte, ou "
                                    "tapez-la."),
                      "longitude": _("Par exemple 0.9963.")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("commune", "departement", "region"):
            self.fields[name].required = True
        self.fields["commune"].widget.attrs.update({
            "autocomplete": "off", "spellcheck": "false", "data-places": reverse("api_place_suggestions"),
            "data-places-types": "commune", "data-t-commune": "",
            "data-t-none": _("Aucune commune de ce nom"),
            "data-t-count": _("%(n)s suggestions : flèches haut et bas pour choisir")})

    def clean_departement(self):
        value = self.cleaned_data["departement"].strip().upper()
        if not DEPARTEMENT_RE.match(value):
            raise ValidationError(_("Indiquez le numéro du département : 37, 2A, 974…"))
        return value

    def clean_postal_code(self):
        return "".join(self.cleaned_data["postal_code"].split())

    def clean(self):
        cleaned = super().clean()
        if (cleaned.get("latitude") is None) != (cleaned.get("longitude") is None):
            self.add_error("longitude", _("Indiquez la latitude et la longitude, ou aucune des deux."))
        departement, name = cleaned.get("departement") or "", cleaned.get("commune") or ""
        insee = cleaned.get("insee_code") or ""
        if not insee and name and departement:
            # Typed without the suggestion (no JavaScript): the commune of that name there, if only one.
            named = places.communes_named(name, departement)
            if len(named) == 1:
                insee = cleaned["insee_code"] = named[0].insee
        commune = places.commune(insee) if insee else None
        if insee and "insee_code" not in self.errors:
            if commune is None:
                self.add_error("insee_code", _("Ce code INSEE n'est celui d'aucune commune."))
            elif departement and commune.departement != departement:
                self.add_error("insee_code", _("La commune %(commune)s (code %(code)s) n'est pas dans le département "
                                               "%(departement)s.") % {"commune": commune.name, "code": insee,
                                                                       "departement": departement})
            elif name and places.normalize(name) != commune.key:
                self.add_error("commune", _("Le code INSEE %(code)s est celui de %(commune)s : choisissez la commune "
                                            "dans la liste.") % {"code": insee, "commune": commune.name})
        postal_code = cleaned.get("postal_code") or ""
        if postal_code:
            problem = postal.postal_code_problem(postal_code, departement=departement,
                                                 insee=commune.insee if commune else "")
            if problem:
                self.add_error("postal_code", problem)
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


class MultipleImageInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleImageField(forms.FileField):
    """Several files in one input (Django's documented pattern): the list of uploads."""

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, (list, tuple)):
            return [single(item, initial) for item in data] if data else [single(None, initial)]
        return [single(data, initial)]


class PhotoForm(forms.Form):
    """One or several photos at once. Each file is checked on its own: the good ones are
    added, the others listed with their reason (`refused`), so one bad file never costs the
    owner the rest. More files than the offer has room for are refused together."""

    image = MultipleImageField(
        label=_("Photos"), help_text=_("JPEG, PNG ou WebP, 10 Mo au plus chacune. Choisissez-en plusieurs à la fois si vous voulez."),
        widget=MultipleImageInput(attrs={"accept": "image/jpeg,image/png,image/webp"}))
    caption = forms.CharField(label=_("Légende"), max_length=200, required=False,
                              help_text=_("Pour une seule photo ; les légendes se changent ensuite photo par photo."))
    caption_en = forms.CharField(label=_("Légende en anglais"), max_length=200, required=False, help_text=ENGLISH_HELP,
                                 widget=forms.TextInput(attrs=ENGLISH_FIELD_ATTRS))

    def __init__(self, *args, room: int, maximum: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.room, self.maximum = room, maximum
        self.refused: list[str] = []

    def clean_image(self):
        uploads = self.cleaned_data["image"]
        if len(uploads) > self.room:
            raise ValidationError(
                ngettext("Vous avez choisi %(chosen)s photos ; cette offre a encore de la place pour %(room)s photo "
                         "(%(max)s au plus).",
                         "Vous avez choisi %(chosen)s photos ; cette offre a encore de la place pour %(room)s photos "
                         "(%(max)s au plus).", self.room)
                % {"chosen": len(uploads), "room": self.room, "max": self.maximum}, code="too_many")
        accepted = []
        for upload in uploads:
            try:
                check_uploaded_image(upload)  # raises ValidationError with a message for the owner
            except ValidationError as error:
                self.refused.append(_("« %(name)s » n'est pas ajoutée : %(reason)s")
                                    % {"name": upload.name[:80], "reason": " ".join(error.messages)})
            else:
                accepted.append(upload)
        if not accepted:
            raise ValidationError(self.refused)
        return accepted


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
