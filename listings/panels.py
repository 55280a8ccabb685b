"""Admin panels for listings: a map to pick a place's point (beside 緯度・経度)."""

from __future__ import annotations

from django.conf import settings
from django.db.models import Avg
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import Panel

# Where the map opens when neither the listing nor its area has a point and no listing has one.
FALLBACK_CENTRE = (35.681, 139.767)


class MapPointPanel(Panel):
    """A Leaflet map under the latitude/longitude fields (a listing's, an area's): click the map
    or drag the marker to set them; typing in the fields moves the marker. The fields stay the
    source of truth (the map only writes into them), so keyboard users and pages without
    JavaScript lose nothing. static/js/point-picker.js does the work; Leaflet is the vendored
    copy, tiles from settings. ``address``: the field shown above the map ("" for none)."""

    def __init__(self, latitude="latitude", longitude="longitude", address="address", **kwargs):
        kwargs.setdefault("heading", _("地図で位置を選ぶ"))
        super().__init__(**kwargs)
        self.latitude = latitude
        self.longitude = longitude
        self.address = address

    def clone_kwargs(self):
        kwargs = super().clone_kwargs()
        kwargs.update(latitude=self.latitude, longitude=self.longitude, address=self.address)
        return kwargs

    class BoundPanel(Panel.BoundPanel):
        template_name = "listings/admin/map_point_panel.html"

        class Media:
            css = {"all": ["vendor/leaflet/leaflet.css"]}
            js = ["vendor/leaflet/leaflet.js", "js/point-picker.js"]

        def _field_id(self, name: str) -> str:
            return self.form[name].id_for_label if name and name in self.form.fields else ""

        def centre(self) -> tuple[float, float, bool]:
            """Where the map opens, and whether that is the listing's own point."""
            instance = self.instance
            latitude = getattr(instance, self.panel.latitude, None)
            longitude = getattr(instance, self.panel.longitude, None)
            if latitude is not None and longitude is not None:
                return latitude, longitude, True
            area = getattr(instance, "location_area", None)
            if area is not None and area.latitude is not None and area.longitude is not None:
                return area.latitude, area.longitude, False
            lat, lng = self.panel.latitude, self.panel.longitude
            mean = (
                type(instance)
                .objects.filter(**{f"{lat}__isnull": False, f"{lng}__isnull": False})
                .aggregate(lat=Avg(lat), lng=Avg(lng))
            )
            if mean["lat"] is not None:
                return mean["lat"], mean["lng"], False
            return (*FALLBACK_CENTRE, False)

        def get_context_data(self, parent_context=None):
            context = super().get_context_data(parent_context)
            latitude, longitude, own = self.centre()
            context.update(
                latitude_id=self._field_id(self.panel.latitude),
                longitude_id=self._field_id(self.panel.longitude),
                address_id=self._field_id(self.panel.address),
                address=(self.panel.address and getattr(self.instance, self.panel.address, ""))
                or "",
                centre=f"{latitude:.6f},{longitude:.6f}",
                own_point=own,
                tile_url=settings.MAP_TILE_URL,
                attribution=settings.MAP_TILE_ATTRIBUTION,
            )
            return context
