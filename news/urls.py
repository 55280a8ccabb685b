from django.urls import path

from . import sitemaps, views

app_name = "news"
urlpatterns = [
    path("calendar/", views.calendar_view, name="calendar"),
    path("calendar.ics", views.calendar_ics, name="calendar_ics"),
    path("calendar/events/<int:page_id>.ics", views.event_ics, name="event_ics"),
    path("calendar/listings/<int:page_id>.ics", views.listing_ics, name="listing_ics"),
    path("feeds/news/", views.news_feed, name="news_feed"),
    path("feeds/news/atom/", views.news_feed, {"atom": True}, name="news_atom"),
    path("feeds/listings/", views.listings_feed, name="listings_feed"),
    path("feeds/listings/atom/", views.listings_feed, {"atom": True}, name="listings_atom"),
]

# Outside the "news" namespace: the names every site has.
site_urlpatterns = [
    path("sitemap.xml", sitemaps.sitemap, name="sitemap"),
    path("robots.txt", views.robots_txt, name="robots_txt"),
]
