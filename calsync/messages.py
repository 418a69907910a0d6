"""The fetcher and the parser describe problems in English (they are also used by the
support command `calsync_preview`); owners read French or English pages. This maps
those sentences to translatable ones; anything unknown is shown as written."""
import re

from django.utils.translation import gettext_lazy as _

_KNOWN = [
    (r"The calendar server answered with an error \(HTTP (?P<status>\d+)\)\.",
     _("Le serveur du calendrier a répondu par une erreur (HTTP %(status)s).")),
    (r"The calendar server answered a redirect \(HTTP (?P<status>\d+)\) without a target\.",
     _("Le serveur du calendrier a répondu par une redirection sans destination (HTTP %(status)s).")),
    (r"The calendar server (took too long to answer|did not answer in time|is too slow)\.",
     _("Le serveur du calendrier a mis trop de temps à répondre.")),
    (r"The calendar server could not be reached\.", _("Le serveur du calendrier est injoignable.")),
    (r"The download of the calendar was interrupted\.", _("Le téléchargement du calendrier a été interrompu.")),
    (r"The secure connection to the calendar server failed.*",
     _("La connexion sécurisée au serveur du calendrier a échoué (problème de certificat).")),
    (r"The calendar is too large.*", _("Le calendrier est trop volumineux (plus de 5 Mo).")),
    (r"Too many redirects.*", _("Trop de redirections.")),
    (r"Only http:// and https:// calendar addresses are accepted\.",
     _("Seuls les liens http:// et https:// sont acceptés.")),
    (r"Only the standard ports.*", _("Seuls les ports standard (80 et 443) sont acceptés.")),
    # One sentence for a name that does not resolve and for a non-public address, so the
    # answer tells nothing about our network (calsync/fetching.py NOT_PUBLIC).
    (r"The calendar address does not lead to a public server\.|"
     r"The calendar address uses an unusual IP notation and was refused\.",
     _("Ce lien ne mène pas à un serveur public joignable : vérifiez-le.")),
    (r"The calendar address .*|Calendar addresses with a user name or password are not accepted\.",
     _("Ce lien iCal n'est pas valide.")),
    (r"The feed is empty\.", _("la réponse est vide")),
    (r"The feed is a web page \(HTML\), not a calendar\.",
     _("c'est une page web : le lien mène sans doute à une page de connexion")),
    (r"The feed is not an iCalendar file.*", _("ce n'est pas un fichier iCalendar")),
    (r"The calendar is incomplete.*", _("le fichier est incomplet, sans doute un téléchargement interrompu")),
    (r"The calendar could not be read\.", _("le fichier est illisible")),
    (r"The calendar nests components more than \d+ deep\.|The calendar has more than \d+ components\.|"
     r"The calendar repeats its events more than \d+ times\.|The calendar is too complex to be read in time\.",
     _("le fichier est trop complexe pour être lu (imbrications, répétitions ou taille hors limites)")),
]
_COMPILED = [(re.compile(pattern + r"\Z"), message) for pattern, message in _KNOWN]


def explain(text: str) -> str:
    """The owner-facing sentence for a fetcher/parser message."""
    for pattern, message in _COMPILED:
        found = pattern.match(text.strip())
        if found:
            return str(message) % found.groupdict() if found.groupdict() else str(message)
    return text
