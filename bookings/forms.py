"""Traveller booking forms. They only parse and pre-check; the price and the final check
are the services' (a forged price or status in POST data is simply not a field here)."""
from datetime import datetime

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from accounts.forms import PhoneField
from experiences.models import Session
from lodgings.models import Unit

from .availability import own_live_stay, unit_is_free
from .models import Booking
from .pricing import Quote, describe_lines, session_price, stay_price, stay_tax, tax_line
from .services import BookingError, DatesUnavailable, check_session, check_stay

UNAVAILABLE = "dates_unavailable"


class _BookingForm(forms.Form):
    # No min_value: "at least one adult" is a rule (bookings.rules.party_problem), answered
    # in its own words; the browser's min="1" only spares a round trip.
    adults = forms.IntegerField(label=_("Adultes"), max_value=99, initial=2,
                                widget=forms.NumberInput(attrs={"min": 1}))
    children = forms.IntegerField(label=_("Enfants"), min_value=0, max_value=99, initial=0)
    # Kept on the traveller's account (User.phone), not on the booking: one number to keep up to
    # date and to erase, which the next booking starts from and the owner's Clients tab reads.
    phone = PhoneField(label=_("Votre téléphone"), max_length=32,
                       widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}),
                       help_text=_("Pour que votre hôte puisse vous joindre au sujet de cette réservation "
                                   "(par exemple 06 12 34 56 78 ou +44 20 7946 0958). Il est enregistré "
                                   "dans votre compte."))
    message = forms.CharField(label=_("Message au propriétaire"), required=False, max_length=3000,
                              widget=forms.Textarea(attrs={"rows": 4}),
                              help_text=_("Présentez-vous et dites ce qui vous amène : le propriétaire répond sous "
                                          "3 jours."))

    def __init__(self, *args, user, now: datetime, **kwargs):
        super().__init__(*args, **kwargs)
        self.user, self.now = user, now
        self.fields["phone"].initial = getattr(user, "phone", "")
        self.quote: Quote | None = None
        # The traveller's own live booking that holds these dates (another tab, an earlier
        # visit): the page offers to resume it rather than only saying "no longer available".
        self.own_booking: Booking | None = None
        self.tax = None  # the stay's taxe de séjour (touristtax.TaxQuote); experiences have none

    @property
    def quote_lines(self) -> list[dict]:
        return describe_lines(self.quote.lines) + tax_line(self.tax) if self.quote else []

    @property
    def quote_total(self):
        """What the traveller will pay: the price plus the taxe de séjour Alma Heritage collects."""
        return self.quote.total + (self.tax.collected if self.tax else 0) if self.quote else None

    def for_price_only(self) -> None:
        """A price preview (the offer page's link, "Calculer le prix") books nothing: it does
        not ask for the phone number yet."""
        self.fields["phone"].required = False

    def keep_phone(self) -> None:
        """The number given at booking becomes the account's (the owner reads it there)."""
        phone = self.cleaned_data.get("phone")
        if phone and phone != self.user.phone:
            self.user.phone = phone
            self.user.save(update_fields=["phone"])

    def can_check_rules(self) -> bool:
        """The dates and party parsed: the booking rules answer even when the phone is missing."""
        return not any(name != "phone" for name in self.errors)

    def refuse(self, error: BookingError) -> None:
        code = UNAVAILABLE if isinstance(error, DatesUnavailable) else "booking"
        raise ValidationError(error.message, code=code)


class StayBookingForm(_BookingForm):
    arrival = forms.DateField(label=_("Arrivée"), widget=forms.DateInput(attrs={"type": "date"}))
    departure = forms.DateField(label=_("Départ"), widget=forms.DateInput(attrs={"type": "date"}))
    field_order = ["arrival", "departure", "adults", "children", "phone", "message"]

    def __init__(self, *args, unit: Unit, **kwargs):
        super().__init__(*args, **kwargs)
        self.unit = unit
        if unit.lodging.booking_mode != "request":
            del self.fields["message"]

    def clean(self):
        data = super().clean()
        if not self.can_check_rules():
            return data
        try:
            check_stay(traveller=self.user, unit=self.unit, arrival=data["arrival"], departure=data["departure"],
                       adults=data["adults"], children=data["children"], now=self.now)
            if not unit_is_free(self.unit, data["arrival"], data["departure"]):
                self.own_booking = own_live_stay(traveller=self.user, unit=self.unit, arrival=data["arrival"],
                                                 departure=data["departure"])
                raise DatesUnavailable()
        except BookingError as error:
            self.refuse(error)
        self.quote = stay_price(self.unit, data["arrival"], data["departure"])
        self.tax = stay_tax(self.unit, data["arrival"], data["departure"], data["adults"], data["children"])
        return data


class SessionBookingForm(_BookingForm):
    def __init__(self, *args, session: Session, **kwargs):
        super().__init__(*args, **kwargs)
        self.session = session
        self.fields["adults"].initial = 1
        if session.experience.booking_mode != "request":
            del self.fields["message"]

    def clean(self):
        data = super().clean()
        if not self.can_check_rules():
            return data
        try:
            check_session(traveller=self.user, session=self.session, adults=data["adults"],
                          children=data["children"], now=self.now)
        except BookingError as error:
            self.refuse(error)
        self.quote = session_price(self.session, data["adults"], data["children"])
        return data
