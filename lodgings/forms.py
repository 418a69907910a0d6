from django import forms
from django.core.exceptions import ValidationError
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from domains.forms import ENGLISH_FIELD_ATTRS, ENGLISH_HELP, WeekdaysField

from .models import Amenity, Lodging, LodgingKind, Suspension, Unit, insee_code_validator
from .services import validate_suspension


class LodgingCreateForm(forms.ModelForm):
    class Meta:
        model = Lodging
        fields = ["kind", "title", "description"]
        widgets = {"kind": forms.RadioSelect, "description": forms.Textarea(attrs={"rows": 8})}
        help_texts = {"kind": _("Un gîte se loue en entier ; des chambres d'hôtes se réservent chambre par chambre.")}


class LodgingDescriptionForm(forms.ModelForm):
    class Meta:
        model = Lodging
        fields = ["title", "description", "title_en", "description_en"]
        widgets = {"description": forms.Textarea(attrs={"rows": 8}),
                   "title_en": forms.TextInput(attrs=ENGLISH_FIELD_ATTRS),
                   "description_en": forms.Textarea(attrs={"rows": 8, **ENGLISH_FIELD_ATTRS})}
        help_texts = {"title_en": ENGLISH_HELP, "description_en": ENGLISH_HELP}


class UnitForm(forms.ModelForm):
    class Meta:
        model = Unit
        fields = ["name", "adults_capacity", "children_capacity", "beds", "nightly_price"]
        help_texts = {"name": _("Par exemple : Chambre de la Tour.")}


class BaseUnitFormSet(forms.BaseInlineFormSet):
    def add_fields(self, form, index):
        super().add_fields(form, index)
        if "DELETE" in form.fields:
            form.fields["DELETE"].label = _("Supprimer cette chambre")
    def clean(self):
        super().clean()
        kept = [f for f in self.forms if f.has_changed() or f.instance.pk]
        kept = [f for f in kept if not (self.can_delete and self._should_delete_form(f))]
        if self.instance.kind == LodgingKind.GITE and len(kept) > 1:
            raise ValidationError(_("Un gîte se loue en entier : une seule unité."))
        if not kept:
            raise ValidationError(_("Ajoutez au moins une chambre ou le gîte."))


MAX_ROOMS = 50


def max_units(lodging: Lodging) -> int:
    """A gîte is one unit; chambres d'hôtes up to MAX_ROOMS rooms (also the posted-count cap)."""
    return 1 if lodging.kind == LodgingKind.GITE else MAX_ROOMS


def unit_formset(lodging: Lodging, *, data=None, extra: int = 0):
    has_units = lodging.pk and lodging.units.exists()
    formset_class = forms.inlineformset_factory(
        Lodging, Unit, form=UnitForm, formset=BaseUnitFormSet, can_delete=True,
        extra=0 if has_units else 1, max_num=max_units(lodging), absolute_max=max_units(lodging))
    formset = formset_class(data, instance=lodging, prefix="units")
    return formset


class UnitPriceForm(forms.ModelForm):
    class Meta:
        model = Unit
        fields = ["nightly_price"]


UnitPriceFormSet = forms.modelformset_factory(Unit, form=UnitPriceForm, extra=0, max_num=MAX_ROOMS,
                                               absolute_max=MAX_ROOMS)


class LodgingPriceForm(forms.ModelForm):
    class Meta:
        model = Lodging
        fields = ["cleaning_fee"]
        help_texts = {"cleaning_fee": _("Facultatif, ajouté une fois par séjour.")}


class LodgingAmenitiesForm(forms.ModelForm):
    amenities = forms.ModelMultipleChoiceField(label=_("Équipements"), queryset=Amenity.objects.all(),
                                               required=False,
                                               widget=forms.CheckboxSelectMultiple(attrs={"class": "inline-choices"}))

    class Meta:
        model = Lodging
        fields = ["amenities", "accessibility_notes"]
        widgets = {"accessibility_notes": forms.Textarea(attrs={"rows": 4})}


class LodgingOptionForm(forms.ModelForm):
    """Step "Option": booking mode, cancellation, deposit, rules, days and times."""

    arrival_weekdays = WeekdaysField(label=_("Jours d'arrivée possibles"))
    departure_weekdays = WeekdaysField(label=_("Jours de départ possibles"))

    class Meta:
        model = Lodging
        fields = ["booking_mode", "full_refund_days", "late_refund_percent", "deposit_amount", "deposit_terms",
                  "house_rules", "house_rules_en", "arrival_weekdays", "departure_weekdays", "checkin_time", "checkout_time",
                  "min_nights", "max_nights", "advance_notice_days"]
        widgets = {
            "booking_mode": forms.RadioSelect,
            "house_rules": forms.Textarea(attrs={"rows": 4}),
            "house_rules_en": forms.Textarea(attrs={"rows": 4, **ENGLISH_FIELD_ATTRS}),
            "checkin_time": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
            "checkout_time": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        }
        help_texts = {
            "booking_mode": _("« Soumises à confirmation » : vous avez 3 jours pour accepter chaque demande. "
                              "« Instantanées » : le voyageur paie et réserve aussitôt."),
            "full_refund_days": _("Avant ce délai, un voyageur qui annule est remboursé à 100 %."),
            "house_rules_en": ENGLISH_HELP,
        }

    fieldsets = [
        (_("Réservations"), ["booking_mode", "advance_notice_days"]),
        (_("Annulations"), ["full_refund_days", "late_refund_percent"]),
        (_("Séjours"), ["min_nights", "max_nights", "arrival_weekdays", "departure_weekdays", "checkin_time",
                        "checkout_time"]),
        (_("Dépôt de garantie et règlement intérieur"), ["deposit_amount", "deposit_terms", "house_rules",
                                                                  "house_rules_en"]),
    ]

    def grouped(self):
        return [(title, [self[name] for name in names]) for title, names in self.fieldsets]

    def clean(self):
        cleaned = super().clean()
        low, high = cleaned.get("min_nights"), cleaned.get("max_nights")
        if low and high and high < low:
            self.add_error("max_nights", _("Le maximum de nuits doit être au moins égal au minimum."))
        return cleaned


class LodgingTouristTaxForm(forms.ModelForm):
    """Step "Taxe de séjour": the commune, the classification, who collects the tax."""

    # Longer than a code on the form: "2a 004" or "49 328" typed with a space is still one.
    commune_insee = forms.CharField(label=capfirst(Lodging._meta.get_field("commune_insee").verbose_name),
                                    max_length=12, required=False,
                                    help_text=Lodging._meta.get_field("commune_insee").help_text,
                                    widget=forms.TextInput(attrs={"autocomplete": "off", "size": 6}))

    class Meta:
        model = Lodging
        fields = ["commune_insee", "tax_classification", "host_is_professional"]

    def clean_commune_insee(self) -> str:
        code = "".join(self.cleaned_data.get("commune_insee", "").split()).upper()
        if code:
            insee_code_validator(code)
        return code

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("tax_classification") == "chambres_hotes" and self.instance.kind != LodgingKind.CHAMBRES_HOTES:
            self.add_error("tax_classification", _("Le classement « chambres d'hôtes » est réservé aux chambres "
                                                   "d'hôtes ; un gîte est un meublé de tourisme."))
        return cleaned


class SuspensionForm(forms.ModelForm):
    class Meta:
        model = Suspension
        fields = ["start", "end", "reason"]
        widgets = {"start": forms.DateInput(attrs={"type": "date"}), "end": forms.DateInput(attrs={"type": "date"})}
        help_texts = {"end": _("Le jour de fin est de nouveau réservable (première nuit libre).")}

    def __init__(self, *args, today, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today

    def clean(self):
        cleaned = super().clean()
        try:
            validate_suspension(start=cleaned.get("start"), end=cleaned.get("end"), today=self.today)
        except ValidationError as error:
            for field, messages in error.message_dict.items():
                self.add_error(field, messages)
        return cleaned

    def _post_clean(self):
        # The model's check constraint repeats our own message; skip the duplicate.
        pass
