from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Feed


class FeedForm(forms.ModelForm):
    url = forms.CharField(label=_("Lien iCal"), max_length=2048,
                          help_text=_("Le lien d'export fourni par l'autre plateforme (il se termine souvent par .ics)."),
                          widget=forms.URLInput(attrs={"placeholder": "https://", "autocomplete": "off"}))

    class Meta:
        model = Feed
        fields = ["platform", "name", "url"]

    def clean_url(self) -> str:
        url = self.cleaned_data["url"].strip()
        if url.lower().startswith("webcal://"):  # Apple/Google "subscribe" links mean https
            url = "https://" + url[len("webcal://"):]
        if not url.lower().startswith(("http://", "https://")):
            raise forms.ValidationError(_("Collez un lien qui commence par https:// (ou http://)."))
        forms.URLField(assume_scheme="https").clean(url)
        return url
