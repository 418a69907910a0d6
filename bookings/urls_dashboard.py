"""The owner's "Réservations" and "Clients" tabs."""
from django.urls import path
from django.utils.translation import gettext_lazy as _

from accounts.views import dashboard_placeholder

urlpatterns = [
    path(
        "tableau-de-bord/reservations/",
        dashboard_placeholder(
            "bookings", _("Réservations"),
            _("Aucune réservation pour le moment. Elles apparaîtront ici dès vos premières demandes."),
        ),
        name="dashboard_bookings",
    ),
    path(
        "tableau-de-bord/clients/",
        dashboard_placeholder(
            "clients", _("Clients"),
            _("Aucun client pour le moment : les voyageurs de vos réservations confirmées apparaîtront ici."),
        ),
        name="dashboard_clients",
    ),
]
