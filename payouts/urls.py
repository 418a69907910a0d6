from django.urls import path

from . import views

urlpatterns = [
    path("paiement/<str:reference>/", views.payment_page, name="payment_page"),
    path("paiement/<str:reference>/retour/", views.payment_return, name="payment_return"),
    path("stripe/webhook/", views.stripe_webhook, name="stripe_webhook"),
]
