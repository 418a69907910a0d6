from django.urls import path

from . import views

urlpatterns = [
    path("proposer-votre-domaine/", views.owner_signup, name="owner_signup"),
    path("devenir-proprietaire/", views.become_owner, name="become_owner"),
    path("tableau-de-bord/", views.dashboard_general, name="dashboard"),
    path("mon-compte/", views.account_details, name="account_details"),
    path("mon-compte/adresses/", views.billing_address, name="billing_address"),
    # "Mon compte > Stripe Connect" is payouts' (payouts/urls.py): onboarding lives with the money.
    # "Mon compte > Mes données" and "Supprimer mon compte" are privacy's (privacy/urls.py).
]
# The dashboard's "Avis" tab is the reviews app's (reviews/urls.py).
