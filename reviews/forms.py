"""Review forms: ratings 1–5 as radio buttons, plain texts with a length limit. Rules
(who, when) are the services'; forms only check the shape of the input."""
from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from .models import TEXT_MAX, ComplaintReason

STARS = [(n, str(n)) for n in range(1, 6)]


def _stars(label, help_text=""):
    return forms.TypedChoiceField(label=label, choices=STARS, coerce=int, widget=forms.RadioSelect,
                                  help_text=help_text, error_messages={
                                      "invalid_choice": _("Choisissez une note de 1 à 5."),
                                      "required": _("Choisissez une note de 1 à 5.")})


class PlainTextField(forms.CharField):
    """Browsers send line breaks as CRLF: count them as one character, as they are stored."""

    def to_python(self, value):
        value = super().to_python(value)
        return value.replace("\r\n", "\n") if value else value


def _text(label, help_text=""):
    return PlainTextField(label=label, max_length=TEXT_MAX, widget=forms.Textarea(attrs={"rows": 6}),
                           help_text=help_text, strip=True)


class ReviewForm(forms.Form):
    rating = _stars(_("Note globale"), _("1 : décevant · 5 : exceptionnel"))
    cleanliness = _stars(_("Propreté"))
    welcome = _stars(pgettext_lazy("note", "Accueil"))
    heritage = _stars(_("Intérêt patrimonial"))
    value = _stars(_("Rapport qualité-prix"))
    text = _text(_("Votre avis"), _("Texte simple, 2 000 caractères au plus. Il sera publié avec votre prénom "
                                    "et l'initiale de votre nom."))

    def ratings(self) -> dict:
        return {name: self.cleaned_data[name] for name in ("rating", "cleanliness", "welcome", "heritage", "value")}


class ReplyForm(forms.Form):
    reply = _text(_("Votre réponse publique"), _("Publiée sous l'avis. Vous pourrez la corriger pendant 48 heures."))


class ComplaintForm(forms.Form):
    reason = forms.ChoiceField(label=_("Motif"), choices=[("", "—"), *ComplaintReason.choices])
    explanation = _text(_("Explication"), _("Ce que l'équipe doit savoir pour examiner l'avis (2 000 caractères "
                                            "au plus)."))

