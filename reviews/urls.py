"""Review pages. Included before bookings.urls: "mes-voyages/avis/" would otherwise be read
as a booking reference by "mes-voyages/<reference>/"."""
from django.urls import path

from . import views

urlpatterns = [
    path("mes-voyages/avis/", views.my_reviews, name="my_reviews"),
    path("mes-voyages/avis/<int:pk>/", views.review_edit, name="review_edit"),
    path("mes-voyages/<str:reference>/avis/", views.review_write, name="review_write"),
    path("tableau-de-bord/avis/", views.dashboard_reviews, name="dashboard_reviews"),
    path("tableau-de-bord/avis/<int:pk>/", views.dashboard_review, name="dashboard_review"),
    path("tableau-de-bord/avis/<int:pk>/repondre/", views.dashboard_review_reply, name="dashboard_review_reply"),
    path("tableau-de-bord/avis/<int:pk>/reclamation/", views.dashboard_review_complaint,
         name="dashboard_review_complaint"),
]
