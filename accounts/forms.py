from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from core.images import clean_uploaded_image

from .models import BillingAddress, OwnerProfile
from .phone import normalise_phone
from .services import make_owner

User = get_user_model()

PROFILE_PHOTO_MAX_SIDE = 800


class SignupExtraForm(forms.Form):
    """Extra fields of allauth's sign-up form (ACCOUNT_SIGNUP_FORM_CLASS)."""

    first_name = forms.CharField(label=_("Prénom"), max_length=150)
    last_name = forms.CharField(label=pgettext_lazy("nom de famille", "Nom"), max_length=150)
    account_type = forms.ChoiceField(
        choices=[("traveller", _("Voyageur")), ("owner", _("Propriétaire"))],
        initial="traveller",
        widget=forms.HiddenInput,
    )

    def signup(self, request, user) -> None:
        user.first_name = self.cleaned_data["first_name"]
        user.last_name = self.cleaned_data["last_name"]
        user.save(update_fields=["first_name", "last_name"])
        if self.cleaned_data["account_type"] == "owner":
            make_owner(user=user)


class PhoneField(forms.CharField):
    def clean(self, value):
        return normalise_phone(super().clean(value) or "")


class OwnerProfileForm(forms.ModelForm):
    """The fiche propriétaire, tab "Général" of the dashboard."""

    first_name = forms.CharField(label=_("Prénom"), max_length=150)
    last_name = forms.CharField(label=pgettext_lazy("nom de famille", "Nom"), max_length=150)
    phone = PhoneField(
        label=_("Téléphone"),
        max_length=32,
        help_text=_("Visible uniquement par l'équipe Alma Heritage et vos voyageurs confirmés."),
    )

    class Meta:
        model = OwnerProfile
        fields = [
            "address_line1",
            "address_line2",
            "postal_code",
            "city",
            "country",
            "photo",
            "description",
            "channel_manager",
            "channel_manager_other",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 6}),
            "photo": forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
        }
        help_texts = {
            "photo": _("JPEG, PNG ou WebP, 10 Mo au plus."),
            "description": _("Présentez-vous aux voyageurs : votre histoire avec le domaine, ce que vous aimez partager."),
            "channel_manager": _("L'outil qui gère déjà vos calendriers, s'il y en a un."),
        }

    field_order = ["first_name", "last_name", "phone"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        user = self.instance.user
        self.fields["first_name"].initial = user.first_name
        self.fields["last_name"].initial = user.last_name
        self.fields["phone"].initial = user.phone
        for name in ("address_line1", "postal_code", "city"):
            self.fields[name].required = True

    def clean_photo(self):
        photo = self.cleaned_data.get("photo")
        # Only a new upload has a content type; an unchanged photo is the stored file.
        if photo and hasattr(photo, "content_type"):
            return clean_uploaded_image(photo, max_side=PROFILE_PHOTO_MAX_SIDE, name="photo")
        return photo

    def clean_postal_code(self):
        return self.cleaned_data["postal_code"].strip().upper()

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("channel_manager") == "other" and not cleaned.get("channel_manager_other"):
            self.add_error("channel_manager_other", _("Indiquez le nom de votre channel manager."))
        return cleaned

    def save(self, commit: bool = True):
        profile = super().save(commit=False)
        user = profile.user
        user.first_name = self.cleaned_data["first_name"]
        user.last_name = self.cleaned_data["last_name"]
        user.phone = self.cleaned_data["phone"]
        if commit:
            user.save(update_fields=["first_name", "last_name", "phone"])
            profile.save()
        return profile


class AccountDetailsForm(forms.ModelForm):
    phone = PhoneField(label=_("Téléphone"), max_length=32, required=False)

    class Meta:
        model = User
        fields = ["first_name", "last_name", "phone", "language", "review_emails", "news_emails"]
        labels = {"first_name": _("Prénom"), "last_name": pgettext_lazy("nom de famille", "Nom"), "language": _("Langue des e-mails"),
                  "review_emails": _("Recevoir les invitations et rappels à donner un avis"),
                  "news_emails": _("Recevoir les nouvelles d'Alma Heritage")}
        help_texts = {"news_emails": _("Les e-mails de vos réservations, paiements et compte sont toujours envoyés.")}


class BillingAddressForm(forms.ModelForm):
    class Meta:
        model = BillingAddress
        fields = ["name", "line1", "line2", "postal_code", "city", "country", "vat_number"]

    def clean_vat_number(self):
        vat = self.cleaned_data["vat_number"].replace(" ", "").upper()
        if vat and not (len(vat) >= 4 and vat[:2].isalpha() and vat[2:].isalnum()):
            raise forms.ValidationError(_("Un numéro de TVA commence par le code du pays, par exemple FR12345678901."))
        return vat


class AccountDeletionForm(forms.Form):
    password = forms.CharField(label=_("Mot de passe actuel"), widget=forms.PasswordInput)
    confirm = forms.BooleanField(
        label=_("Je comprends que mes données personnelles seront effacées et que mon compte ne pourra pas être restauré.")
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_password(self):
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError(_("Mot de passe incorrect."))
        return password
