"""Travellers' booking pages (the owner's tabs are in urls_dashboard.py)."""
from django.urls import path

from . import views

urlpatterns = [
    path("reserver/sejour/<int:unit_id>/", views.booking_start, name="booking_start"),
    path("reserver/seance/<int:session_id>/", views.booking_start_session, name="booking_start_session"),
    path("mes-voyages/", views.trips, name="trips"),
    path("mes-voyages/<str:reference>/", views.trip_detail, name="trip_detail"),
    path("mes-voyages/<str:reference>/annuler/", views.trip_cancel, name="trip_cancel"),
    path("mes-voyages/<str:reference>/agenda.ics", views.trip_calendar, name="trip_calendar"),
]
