from django.urls import path

from . import views

urlpatterns = [
    path("bons-cadeaux/", views.offer, name="voucher_offer"),
    path("bons-cadeaux/commande/<str:token>/", views.order_page, name="voucher_order"),
    path("bons-cadeaux/commande/<str:token>/retour/", views.order_return, name="voucher_order_return"),
    path("paiement/<str:reference>/bon-cadeau/", views.apply, name="voucher_apply"),
    path("paiement/<str:reference>/bon-cadeau/retirer/", views.remove, name="voucher_remove"),
    path("mes-bons-cadeaux/", views.my_vouchers, name="my_vouchers"),
]
