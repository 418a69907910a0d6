from django.urls import path

from . import views

urlpatterns = [
    path("tableau-de-bord/paiements/", views.dashboard_payments, name="dashboard_payments"),
    path("tableau-de-bord/paiements/versements/<int:pk>/", views.payout_detail, name="payout_detail"),
    path("tableau-de-bord/paiements/versements/<int:pk>/releve.pdf", views.payout_statement,
         {"extension": "pdf"}, name="payout_statement_pdf"),
    path("tableau-de-bord/paiements/versements/<int:pk>/releve.csv", views.payout_statement,
         {"extension": "csv"}, name="payout_statement_csv"),
    path("tableau-de-bord/paiements/factures/<str:number>.pdf", views.invoice_pdf, name="invoice_pdf"),
]
