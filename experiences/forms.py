import re
from datetime import date

from django import forms
from django.utils.translation import gettext_lazy as _

from domains.forms import ENGLISH_FIELD_ATTRS, ENGLISH_HELP, WeekdaysField

from .models import Experience, Period


class ExperienceDescriptionForm(forms.ModelForm):
    class Meta:
        model = Experience
        fields = ["title", "category", "description", "title_en", "description_en", "languages", "meeting_point"]
        widgets = {"description": forms.Textarea(attrs={"rows": 8}),
                   "title_en": forms.TextInput(attrs=ENGLISH_FIELD_ATTRS),
                   "description_en": forms.Textarea(attrs={"rows": 8, **ENGLISH_FIELD_ATTRS})}
        help_texts = {"title_en": ENGLISH_HELP, "description_en": ENGLISH_HELP}

    def clean_languages(self):
        codes = [c.strip().lower() for c in self.cleaned_data["languages"].split(",") if c.strip()]
        if not codes or any(not re.fullmatch(r"[a-z]{2}", code) for code in codes):
            raise forms.ValidationError(_("Indiquez des codes de langue à deux lettres séparés par des virgules : fr,en."))
        return ",".join(dict.fromkeys(codes))


class ExperienceDurationForm(forms.ModelForm):
    class Meta:
        model = Experience
        fields = ["duration_minutes"]
        help_texts = {"duration_minutes": _("Par exemple 90 pour une heure et demie.")}


# What an experience may hold, also the caps on the counts a browser posts (domains/wizard.py).
MAX_PERIODS = 30
MAX_SLOTS = 24  # start times in one period: one an hour


class PeriodForm(forms.ModelForm):
    """A date range, weekdays and start times. Slots are fields slot_0…slot_n so the
    "Ajouter un créneau" button works without JavaScript."""

    weekdays = WeekdaysField(label=_("Jours de la semaine"))

    class Meta:
        model = Period
        fields = ["start_date", "end_date", "weekdays"]
        widgets = {"start_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
                   "end_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}

    def __init__(self, *args, today: date, extra_slots: int = 0, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today
        if self.is_bound:
            pattern = re.compile(rf"^{re.escape(self.prefix)}-slot_(\d+)$")
            indexes = [int(m.group(1)) for key in self.data if (m := pattern.match(key))]
            count = min(max(indexes) + 1 if indexes else 0, MAX_SLOTS)  # slot_999999 posted: not a million fields
        else:
            count = len(self.instance.start_times or [])
        existing = self.instance.start_times or []
        for i in range(min(max(count, 1) + extra_slots, MAX_SLOTS)):
            self.fields[f"slot_{i}"] = forms.TimeField(
                label=_("Créneau %(n)s (heure de début)") % {"n": i + 1}, required=False,
                initial=existing[i] if i < len(existing) else None,
                widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"))

    @property
    def slot_fields(self):
        return [self[name] for name in self.fields if name.startswith("slot_")]

    def clean(self):
        cleaned = super().clean()
        times = sorted({value.strftime("%H:%M") for name, value in cleaned.items()
                        if name.startswith("slot_") and value})
        if not times and not any(f"slot_{i}" in self.errors for i in range(len(self.fields))):
            self.add_error("slot_0", _("Ajoutez au moins un créneau (heure de début)."))
        cleaned["start_times"] = times
        start, end = cleaned.get("start_date"), cleaned.get("end_date")
        if start and end and end < start:
            self.add_error("end_date", _("La date de fin doit être après la date de début."))
        elif end and end < self.today and self.has_changed():
            self.add_error("end_date", _("Cette période est déjà passée : choisissez des dates à venir."))
        return cleaned

    def _post_clean(self):
        super()._post_clean()
        self.instance.start_times = self.cleaned_data.get("start_times", [])

    def validate_unique(self):
        pass


class BasePeriodFormSet(forms.BaseInlineFormSet):
    def __init__(self, *args, today: date, add_slot_to: str = "", **kwargs):
        self.today, self.add_slot_to = today, add_slot_to
        super().__init__(*args, **kwargs)

    def add_fields(self, form, index):
        super().add_fields(form, index)
        if "DELETE" in form.fields:
            form.fields["DELETE"].label = _("Supprimer cette période")

    def get_form_kwargs(self, index):
        prefix = self.add_prefix(index) if index is not None else ""
        return {**super().get_form_kwargs(index), "today": self.today,
                "extra_slots": 1 if prefix and prefix == self.add_slot_to else 0}

    @property
    def empty_form(self):
        form = self.form(auto_id=self.auto_id, prefix=self.add_prefix("__prefix__"), empty_permitted=True,
                         use_required_attribute=False, renderer=self.renderer, today=self.today)
        self.add_fields(form, None)
        return form


def period_formset(experience: Experience, *, data=None, today: date, add_slot_to: str = ""):
    has_periods = experience.periods.exists()
    formset_class = forms.inlineformset_factory(Experience, Period, form=PeriodForm, formset=BasePeriodFormSet,
                                                can_delete=True, extra=0 if has_periods else 1,
                                                max_num=MAX_PERIODS, absolute_max=MAX_PERIODS)
    return formset_class(data, instance=experience, prefix="periods", today=today, add_slot_to=add_slot_to)


class ExperiencePriceForm(forms.ModelForm):
    class Meta:
        model = Experience
        fields = ["capacity", "min_participants", "price_per_person", "child_price"]
        help_texts = {"child_price": _("Facultatif : laissez vide si les enfants paient le prix adulte.")}

    def clean(self):
        cleaned = super().clean()
        low, high = cleaned.get("min_participants"), cleaned.get("capacity")
        if low and high and low > high:
            self.add_error("min_participants", _("Le minimum de participants ne peut dépasser les places par séance."))
        return cleaned


class ExperienceConditionsForm(forms.ModelForm):
    """Step "Conditions > Annulations"."""

    class Meta:
        model = Experience
        fields = ["booking_mode", "full_refund_hours", "late_refund_percent"]
        widgets = {"booking_mode": forms.RadioSelect}
        help_texts = {"full_refund_hours": _("Avant ce délai, un participant qui annule est remboursé à 100 %.")}

    fieldsets = [(_("Réservations"), ["booking_mode"]), (_("Annulations"), ["full_refund_hours", "late_refund_percent"])]

    def grouped(self):
        return [(title, [self[name] for name in names]) for title, names in self.fieldsets]
