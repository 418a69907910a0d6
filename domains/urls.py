from django.urls import path
from django.utils.translation import gettext_lazy as _

from accounts.views import dashboard_placeholder

urlpatterns = [
    path(
        "tableau-de-bord/domaines/",
        dashboard_placeholder(
            "domains", _("Domaines historiques"),
            _("Vous n'avez pas encore de domaine historique. L'ajout de domaines arrive très bientôt."),
        ),
        name="dashboard_domains",
    ),
]
