from django.urls import path
from django.utils.translation import gettext_lazy as _

from accounts.views import dashboard_placeholder

urlpatterns = [
    path(
        "tableau-de-bord/paiements/",
        dashboard_placeholder(
            "payments", _("Paiements"),
            _("Aucun virement ni facture pour le moment. Vos virements mensuels et factures de commission "
              "apparaîtront ici."),
        ),
        name="dashboard_payments",
    ),
]
