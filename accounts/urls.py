from django.urls import path
from django.utils.translation import gettext_lazy as _

from . import views

urlpatterns = [
    path("proposer-votre-domaine/", views.owner_signup, name="owner_signup"),
    path("devenir-proprietaire/", views.become_owner, name="become_owner"),
    path("tableau-de-bord/", views.dashboard_general, name="dashboard"),
    path("mon-compte/", views.account_details, name="account_details"),
    path("mon-compte/adresses/", views.billing_address, name="billing_address"),
    path("mon-compte/stripe-connect/", views.stripe_connect, name="stripe_connect"),
    path("mon-compte/suppression/", views.account_delete, name="account_delete"),
    path("langue/", views.switch_language, name="switch_language"),
]

# Tabs whose features arrive with later issues. Each app replaces its line when it lands.
placeholder_tabs = {
    "domains": path(
        "tableau-de-bord/domaines/",
        views.dashboard_placeholder(
            "domains", _("Domaines historiques"),
            _("Vous n'avez pas encore de domaine historique. L'ajout de domaines arrive très bientôt."),
        ),
        name="dashboard_domains",
    ),
    "bookings": path(
        "tableau-de-bord/reservations/",
        views.dashboard_placeholder(
            "bookings", _("Réservations"),
            _("Aucune réservation pour le moment. Elles apparaîtront ici dès vos premières demandes."),
        ),
        name="dashboard_bookings",
    ),
    "clients": path(
        "tableau-de-bord/clients/",
        views.dashboard_placeholder(
            "clients", _("Clients"),
            _("Aucun client pour le moment : les voyageurs de vos réservations confirmées apparaîtront ici."),
        ),
        name="dashboard_clients",
    ),
    "reviews": path(
        "tableau-de-bord/avis/",
        views.dashboard_placeholder(
            "reviews", _("Avis"),
            _("Aucun avis pour le moment. Les voyageurs pourront donner leur avis après leur séjour."),
        ),
        name="dashboard_reviews",
    ),
    "payments": path(
        "tableau-de-bord/paiements/",
        views.dashboard_placeholder(
            "payments", _("Paiements"),
            _("Aucun virement ni facture pour le moment. Vos virements mensuels et factures de commission apparaîtront ici."),
        ),
        name="dashboard_payments",
    ),
}
