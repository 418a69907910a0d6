"""Forms of the travellers' site. The search form turns a query string into a validated
`SearchQuery`; every mistake becomes a friendly message, never an exception."""
import copy
import time
from datetime import date, timedelta
from decimal import Decimal
from functools import lru_cache

from django import forms
from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from domains.geography import Region
from domains.models import HeritageKind, MonumentProtection
from geo import places

from .models import ContactMessage, ContactSubject
from .search import SearchQuery

FILTER_FIELDS = ("q", "heritage_kind", "protection", "price_min", "price_max", "instant", "label", "amenity", "radius")
MAX_GUESTS = 30
MAX_NIGHTS = 60
MAX_PAGE = 500
# Every query-string key the search understands; anything else is reported and ignored.
SEARCH_KEYS = {"ou", "q", "kind", "region", "departement", "commune", "lat", "lng", "radius", "arrival", "departure", "day",
               "guests", "heritage_kind", "label", "protection", "price_min", "price_max", "instant", "amenity",
               "sort", "page"}



class _SharedFields(dict):
    """Form fields that every form of a class may use as they are: Django deep-copies a
    form's fields for each instance (the search form's 22 cost ~1.4 ms a page, issue 14),
    so that an instance may change its own. The search form changes none once its
    choices are set, so its instances share one copy per set of choices."""

    def __deepcopy__(self, memo) -> dict:
        return dict(self)


class SearchForm(forms.Form):
    # "Où": what the traveller typed or chose in the search bar. A suggestion fills region /
    # departement / commune (hidden); text typed without choosing is resolved in clean().
    ou = forms.CharField(label=_("Où"), required=False, max_length=120)
    kind = forms.ChoiceField(label=_("Je cherche"), required=False, initial="stay",
                             choices=[("stay", _("Un séjour")), ("experience", _("Une expérience"))])
    region = forms.ChoiceField(label=_("Région"), required=False, widget=forms.HiddenInput,
                               choices=[("", _("Toutes les régions"))] + list(Region.choices))
    departement = forms.RegexField(label=_("Département"), required=False, regex=r"^(\d{2,3}|2[AaBb])$",
                                   max_length=3, widget=forms.HiddenInput,
                                   error_messages={"invalid": _("Un numéro de département, par exemple 37 ou 2A.")})
    commune = forms.CharField(label=_("Commune"), required=False, max_length=120, widget=forms.HiddenInput)
    # Matched loosely (no case, accents or hyphens) against the names and communes: search.SearchQuery.text.
    q = forms.CharField(label=_("Nom du lieu ou commune"), required=False, max_length=120)
    lat = forms.DecimalField(label=_("Latitude"), required=False, min_value=-90, max_value=90, decimal_places=6,
                             widget=forms.HiddenInput)
    lng = forms.DecimalField(label=_("Longitude"), required=False, min_value=-180, max_value=180,
                             decimal_places=6, widget=forms.HiddenInput)
    radius = forms.IntegerField(label=_("Rayon autour du point (km)"), required=False, min_value=1, max_value=300)
    arrival = forms.DateField(label=_("Arrivée"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    departure = forms.DateField(label=_("Départ"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    day = forms.DateField(label=_("Jour de l'expérience"), required=False,
                          widget=forms.DateInput(attrs={"type": "date"}))
    guests = forms.IntegerField(label=_("Voyageurs"), required=False, min_value=1, max_value=MAX_GUESTS, initial=2,
                                error_messages={"max_value": _("Au-delà de %(limit_value)s voyageurs, écrivez-nous "
                                                               "depuis la page contact.")})
    heritage_kind = forms.ChoiceField(label=_("Type de lieu"), required=False,
                                      choices=[("", _("Tous les lieux"))] + list(HeritageKind.choices))
    label = forms.MultipleChoiceField(label=_("Labels et réseaux"), required=False,
                                      widget=forms.CheckboxSelectMultiple)
    protection = forms.ChoiceField(
        label=_("Monument historique vérifié"), required=False,
        choices=[("", _("Indifférent")), ("any", _("Classé ou inscrit")),
                 (MonumentProtection.CLASSE, _("Classé")), (MonumentProtection.INSCRIT, _("Inscrit"))])
    price_min = forms.DecimalField(label=_("Prix minimum (€)"), required=False, min_value=0, max_value=100000,
                                   decimal_places=2)
    price_max = forms.DecimalField(label=_("Prix maximum (€)"), required=False, min_value=0, max_value=100000,
                                   decimal_places=2)
    instant = forms.BooleanField(label=_("Réservation instantanée uniquement"), required=False)
    amenity = forms.MultipleChoiceField(label=_("Équipements"), required=False, widget=forms.CheckboxSelectMultiple)
    sort = forms.ChoiceField(label=_("Trier par"), required=False,
                             choices=[("price", _("Prix croissant")), ("relevance", _("Pertinence"))])
    page = forms.IntegerField(required=False, min_value=1, max_value=MAX_PAGE, widget=forms.HiddenInput,
                              error_messages={"max_value": _("Cette page de résultats n'existe pas."),
                                              "min_value": _("Cette page de résultats n'existe pas."),
                                              "invalid": _("Cette page de résultats n'existe pas.")})

    def __init__(self, *args, labels=(), amenities=(), today: date, **kwargs):
        self.base_fields = _shared_search_fields(tuple(labels), tuple(amenities))
        super().__init__(*args, **kwargs)
        self.today = today

    def clean(self):
        data = super().clean()
        typed = (data.get("ou") or "").strip()
        if typed and not (data.get("region") or data.get("departement") or data.get("commune")):
            place = places.resolve(typed)
            if place is None:
                data["commune"] = typed  # free text: the search matches names loosely
            elif place.type == "region":
                data["region"] = place.region
            elif place.type == "departement":
                data["departement"] = place.departement
            else:
                data["commune"], data["departement"] = place.name, place.departement
        arrival, departure = data.get("arrival"), data.get("departure")
        if bool(arrival) != bool(departure) and not self.errors.get("arrival") and not self.errors.get("departure"):
            self.add_error("departure" if arrival else "arrival",
                           _("Indiquez une date d'arrivée et une date de départ."))
        elif arrival and departure:
            if departure <= arrival:
                self.add_error("departure", _("La date de départ doit suivre la date d'arrivée."))
            elif (departure - arrival).days > MAX_NIGHTS:
                self.add_error("departure", _("Un séjour dure au plus %(n)s nuits.") % {"n": MAX_NIGHTS})
            if arrival < self.today:
                self.add_error("arrival", _("Ces dates sont passées."))  # bookings.rules.dates_problem's words
            elif arrival > self.today + timedelta(days=730):
                self.add_error("arrival", _("Les réservations ouvrent au plus deux ans à l'avance."))
        day = data.get("day")
        if day and (day < self.today or day > self.today + timedelta(days=730)):
            self.add_error("day", _("Choisissez un jour entre aujourd'hui et dans deux ans."))
        low, high = data.get("price_min"), data.get("price_max")
        if low is not None and high is not None and low > high:
            self.add_error("price_max", _("Le prix maximum doit dépasser le prix minimum."))
        if (data.get("lat") is None) != (data.get("lng") is None):
            self.add_error(None, _("Le point de recherche est incomplet."))
        return data

    def place_label(self) -> str:
        """The search bar's "Où" text on a results page, also for links that name only a
        region, a département or a commune."""
        data = self.cleaned_data if self.is_bound and hasattr(self, "cleaned_data") else {}
        if data.get("ou"):
            return data["ou"]
        return places.describe(region=data.get("region") or "", departement=(data.get("departement") or "").upper(),
                               commune=data.get("commune") or "")

    def active_filters(self) -> int:
        """How many of the filters behind « Filtres » are set (the toggle shows it)."""
        data = self.cleaned_data if self.is_bound and hasattr(self, "cleaned_data") else {}
        return sum(1 for name in FILTER_FIELDS if data.get(name) not in (None, "", [], (), False))

    def to_query(self) -> SearchQuery:
        data = self.cleaned_data
        near = None
        if data.get("lat") is not None and data.get("lng") is not None:
            near = (Decimal(data["lat"]), Decimal(data["lng"]), data.get("radius") or 30)
        return SearchQuery(
            kind=data.get("kind") or "stay", region=data.get("region") or "",
            departement=(data.get("departement") or "").upper(), commune=(data.get("commune") or "").strip(),
            near=near, arrival=data.get("arrival"), departure=data.get("departure"), day=data.get("day"),
            guests=data.get("guests") or 1, heritage_kind=data.get("heritage_kind") or "",
            labels=tuple(data.get("label") or ()), protection=data.get("protection") or "",
            price_min=data.get("price_min"), price_max=data.get("price_max"), instant_only=bool(data.get("instant")),
            amenities=tuple(data.get("amenity") or ()), sort=data.get("sort") or "price", page=data.get("page") or 1,
            text=" ".join((data.get("q") or "").split()))


# The contact form's trap for robots, an input people never see (public/contact.html,
# hidden by site.css `.contact-trap`): anything typed in it means a robot filled the form.
HONEYPOT = "site_web"
STARTED_SALT = "public.contact.started"
STARTED_MAX_AGE = 86400  # a form left open longer is sent again




@lru_cache(maxsize=16)
def _shared_search_fields(labels: tuple, amenities: tuple) -> _SharedFields:
    """The search form's fields with these filter choices (public.views._filter_choices: the
    labels and amenities staff keep; a change makes a new entry)."""
    fields = _SharedFields(copy.deepcopy(SearchForm.base_fields))
    fields["label"].choices = list(labels)
    fields["amenity"].choices = list(amenities)
    return fields

class ContactForm(forms.ModelForm):
    """Spam is refused without a CAPTCHA service: the honeypot above, and a signed time the
    form was shown (`started`), sent back and checked against CONTACT_MIN_FILL_SECONDS."""

    started = forms.CharField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = ContactMessage
        fields = ["subject", "name", "email", "booking_reference", "message"]
        widgets = {"message": forms.Textarea(attrs={"rows": 8})}
        help_texts = {"booking_reference": _("Si votre message concerne une réservation.")}

    def __init__(self, *args, now: float | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.now = time.time() if now is None else now
        self.fields["subject"].choices = [("", _("Choisissez un objet"))] + list(ContactSubject.choices)
        self.fields["started"].initial = signing.TimestampSigner(salt=STARTED_SALT).sign(str(int(self.now)))

    def clean_name(self):
        # One line: the name goes into the staff email's subject (public/services.py).
        return " ".join(self.cleaned_data["name"].split())

    def clean_started(self):
        minimum = settings.CONTACT_MIN_FILL_SECONDS
        if minimum is None:
            return ""
        try:
            shown = int(signing.TimestampSigner(salt=STARTED_SALT).unsign(
                self.cleaned_data.get("started") or "", max_age=STARTED_MAX_AGE))
        except (signing.BadSignature, ValueError):
            raise ValidationError(_("Ce formulaire a expiré : vérifiez votre message et envoyez-le à nouveau."),
                                  code="expired") from None
        if self.now - shown < minimum:
            raise ValidationError(_("Votre message est parti trop vite pour avoir été écrit : "
                                    "relisez-le et envoyez-le à nouveau."), code="too_fast")
        return ""

    def clean(self):
        cleaned = super().clean()
        if self.data.get(HONEYPOT):
            raise ValidationError(_("Ce message ressemble à un envoi automatique : il n'a pas été transmis."),
                                  code="spam")
        return cleaned
