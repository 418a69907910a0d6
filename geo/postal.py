"""French postal codes: five digits whose first two are the département's (20 for both
Corsican départements, the three digits 971…976 overseas). A few communes have a postal
code of a neighbouring département (Claret, 04, is 05110): with the commune's INSEE code,
its official postal codes are accepted too."""
import re

from django.utils.translation import gettext as _

from . import places

POSTAL_CODE = re.compile(r"^\d{5}$")


def departement_prefix(departement: str) -> str:
    if departement in ("2A", "2B"):
        return "20"
    return departement if departement.startswith("97") else departement[:2]


def postal_code_problem(postal_code: str, *, departement: str, insee: str = "") -> str | None:
    """None when the postal code fits, else the sentence to show beside the field."""
    if not POSTAL_CODE.match(postal_code):
        return _("Un code postal a cinq chiffres, par exemple 41800.")
    commune = places.commune(insee) if insee else None
    if commune and postal_code in commune.postal_codes:
        return None
    if departement and not postal_code.startswith(departement_prefix(departement)):
        return _("Ce code postal n'est pas celui du département %(departement)s : il commence par %(prefix)s.") % {
            "departement": departement, "prefix": departement_prefix(departement)}
    return None
