from django.urls import path
from django.utils.translation import gettext_lazy as _

from accounts.views import dashboard_placeholder

from . import views

urlpatterns = [
    path("paiement/<str:reference>/", views.payment_page, name="payment_page"),
    path("paiement/<str:reference>/retour/", views.payment_return, name="payment_return"),
    path("stripe/webhook/", views.stripe_webhook, name="stripe_webhook"),
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
