from django.urls import path

from . import connect_views, views

urlpatterns = [
    path("paiement/<str:reference>/", views.payment_page, name="payment_page"),
    path("paiement/<str:reference>/retour/", views.payment_return, name="payment_return"),
    path("paiement/<str:reference>/sans-carte/", views.payment_without_card, name="payment_without_card"),
    path("mon-compte/stripe-connect/", connect_views.stripe_connect, name="stripe_connect"),
    path("mon-compte/stripe-connect/inscription/", connect_views.stripe_connect_start, name="stripe_connect_start"),
    path("mon-compte/stripe-connect/retour/", connect_views.stripe_connect_return, name="stripe_connect_return"),
    path("mon-compte/stripe-connect/nouveau-lien/", connect_views.stripe_connect_refresh,
         name="stripe_connect_refresh"),
    path("mon-compte/stripe-connect/tableau-de-bord-stripe/", connect_views.stripe_express_dashboard,
         name="stripe_express_dashboard"),
]

# Outside the language prefix: Stripe posts to this fixed address.
unprefixed_urlpatterns = [
    path("stripe/webhook/", views.stripe_webhook, name="stripe_webhook"),
]
