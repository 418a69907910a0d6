"""The owner's "Réservations" and "Clients" tabs."""
from django.urls import path

from . import dashboard_views as views

urlpatterns = [
    path("tableau-de-bord/reservations/", views.bookings_list, name="dashboard_bookings"),
    path("tableau-de-bord/reservations/<str:reference>/", views.booking_detail, name="dashboard_booking"),
    path("tableau-de-bord/reservations/<str:reference>/accepter/", views.booking_accept,
         name="dashboard_booking_accept"),
    path("tableau-de-bord/reservations/<str:reference>/refuser/", views.booking_refuse,
         name="dashboard_booking_refuse"),
    path("tableau-de-bord/reservations/<str:reference>/annuler/", views.booking_cancel,
         name="dashboard_booking_cancel"),
    path("tableau-de-bord/clients/", views.clients_list, name="dashboard_clients"),
]
