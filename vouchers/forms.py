"""The "Offrir un bon cadeau" form: it parses; the limits are the rules' (vouchers.sales)."""
from datetime import datetime
from decimal import Decimal

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from core.money import to_cents

from .sales import amount_problem, delivery_problem

OTHER = "other"


class VoucherPurchaseForm(forms.Form):
    amount_choice = forms.ChoiceField(label=_("Montant"), widget=forms.RadioSelect)
    custom_amount = forms.DecimalField(label=_("Autre montant (en euros)"), required=False, max_digits=7,
                                       decimal_places=2, min_value=Decimal("0.01"))
    buyer_name = forms.CharField(label=_("Votre nom"), max_length=150)
    buyer_email = forms.EmailField(label=_("Votre e-mail (pour le reçu)"))
    recipient_name = forms.CharField(label=_("Nom du bénéficiaire"), max_length=150)
    recipient_email = forms.EmailField(label=_("E-mail du bénéficiaire"))
    recipient_language = forms.ChoiceField(label=_("Langue du bon et de l'e-mail"),
                                           choices=[("fr", "Français"), ("en", "English")], initial="fr")
    message = forms.CharField(label=_("Votre message (facultatif)"), required=False, max_length=600,
                              widget=forms.Textarea(attrs={"rows": 4}))
    when = forms.ChoiceField(label=_("Envoi"), widget=forms.RadioSelect, initial="now",
                             choices=[("now", _("Maintenant")), ("date", _("À une date choisie"))])
    deliver_on = forms.DateField(label=_("Date d'envoi"), required=False,
                                 widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, now: datetime, **kwargs):
        super().__init__(*args, **kwargs)
        self.now = now
        presets = [(str(amount), f"{amount} €") for amount in settings.VOUCHER_PRESET_AMOUNTS]
        self.fields["amount_choice"].choices = [*presets, (OTHER, _("Autre montant"))]
        self.fields["amount_choice"].initial = presets[1][0] if len(presets) > 1 else OTHER
        self.fields["custom_amount"].help_text = _("Entre %(low)s € et %(high)s €.") % {
            "low": settings.VOUCHER_MIN_AMOUNT, "high": settings.VOUCHER_MAX_AMOUNT}

    def clean(self):
        data = super().clean()
        choice = data.get("amount_choice")
        if choice == OTHER:
            amount = data.get("custom_amount")
            if amount is None:
                if "custom_amount" not in self.errors:
                    self.add_error("custom_amount", _("Indiquez le montant du bon."))
                return data
        elif choice:
            amount = Decimal(choice)
        else:
            return data
        data["amount_cents"] = to_cents(amount)
        if problem := amount_problem(data["amount_cents"]):
            self.add_error("custom_amount" if choice == OTHER else "amount_choice", problem)
        if data.get("when") == "date":
            if data.get("deliver_on") is None:
                if "deliver_on" not in self.errors:
                    self.add_error("deliver_on", _("Choisissez la date d'envoi."))
            elif problem := delivery_problem(data["deliver_on"], now=self.now):
                self.add_error("deliver_on", problem)
        else:
            data["deliver_on"] = None
        return data


class VoucherCodeForm(forms.Form):
    code = forms.CharField(label=_("Code du bon cadeau"), max_length=64,
                           widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false",
                                                         "autocapitalize": "characters"}))
