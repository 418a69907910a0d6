from django.urls import path

from . import views

urlpatterns = [
    path("tableau-de-bord/unites/<int:unit_id>/ical/", views.unit_feeds, name="calsync_unit_feeds"),
    path("tableau-de-bord/unites/<int:unit_id>/ical/<int:feed_id>/synchroniser/", views.feed_sync,
         name="calsync_feed_sync"),
    path("tableau-de-bord/unites/<int:unit_id>/ical/<int:feed_id>/supprimer/", views.feed_delete,
         name="calsync_feed_delete"),
    path("tableau-de-bord/unites/<int:unit_id>/ical/regenerer/", views.regenerate_link, name="calsync_regenerate"),
    path("tableau-de-bord/hebergements/<int:lodging_id>/ical/", views.lodging_rooms, name="calsync_lodging_rooms"),
    path("tableau-de-bord/domaines/<int:domain_id>/calendrier/", views.domain_calendar, name="calsync_domain"),
    path("tableau-de-bord/double-reservations/<int:alert_id>/traitee/", views.alert_resolve,
         name="calsync_alert_resolve"),
]

# Outside the language prefix: the feed address is given to other platforms and must not move.
unprefixed_urlpatterns = [
    path("ical/<slug:token>.ics", views.ical_export, name="ical_export"),
]
