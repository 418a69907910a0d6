from django.urls import path
from django.utils.translation import gettext_lazy as _

from . import views

urlpatterns = [
    path("proposer-votre-domaine/", views.owner_signup, name="owner_signup"),
    path("devenir-proprietaire/", views.become_owner, name="become_owner"),
    path("tableau-de-bord/", views.dashboard_general, name="dashboard"),
    path("mon-compte/", views.account_details, name="account_details"),
    path("mon-compte/adresses/", views.billing_address, name="billing_address"),
    # "Mon compte > Stripe Connect" is payouts' (payouts/urls.py): onboarding lives with the money.
    path("mon-compte/suppression/", views.account_delete, name="account_delete"),
    path("langue/", views.switch_language, name="switch_language"),
]

# "Avis" arrives with the reviews issue: an honest empty state until then.
urlpatterns.append(path(
    "tableau-de-bord/avis/",
    views.dashboard_placeholder(
        "reviews", _("Avis"),
        _("Aucun avis pour le moment. Les voyageurs pourront donner leur avis après leur séjour."),
    ),
    name="dashboard_reviews",
))
