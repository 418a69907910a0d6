from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from accounts.decorators import owner_required
from core.seo import for_page as seo_for_page

from . import entries


def _help_page(request: HttpRequest, guide: str, template: str, **context) -> HttpResponse:
    return render(request, template, {"sections": entries.current_sections(guide), "guide": guide, **context})


@owner_required
def owner_help(request: HttpRequest) -> HttpResponse:
    return _help_page(request, "owner", "helpcentre/owner_help.html", tab="help",
                      title=_("Aide aux propriétaires"))


def traveller_help(request: HttpRequest) -> HttpResponse:
    title = _("Aide aux voyageurs")
    return _help_page(request, "traveller", "helpcentre/traveller_help.html", title=title, seo=seo_for_page(
        request, title=title, description=_("Réserver, payer, annuler, donner son avis : les réponses aux "
                                            "questions des voyageurs d'Alma Heritage.")))
