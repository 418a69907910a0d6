import phonenumbers
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


def normalise_phone(raw: str, *, default_region: str = "FR") -> str:
    """Return the number in E.164 (+33612345678) or raise ValidationError."""
    raw = raw.strip()
    if not raw:
        return ""
    try:
        number = phonenumbers.parse(raw, default_region)
    except phonenumbers.NumberParseException:
        number = None
    if number is None or not phonenumbers.is_valid_number(number):
        raise ValidationError(
            _("Ce numéro de téléphone n'est pas valide (exemple : 06 12 34 56 78 ou +33 6 12 34 56 78)."),
            code="invalid_phone",
        )
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)

