"""The two admin maps in a real browser (Debian's chromium): the point picker beside a listing's
latitude/longitude, and the coverage report's map of areas. No tile is fetched from the internet
(the tile URL points at a path that does not exist): the maps must work without tile images."""

from __future__ import annotations

import pytest

from listings.models import ListingPage
from tests.browser import (  # also skips this module when chromium is missing
    chromium,  # noqa: F401 - fixture
    shot,
)

pytestmark = pytest.mark.browser


@pytest.fixture(autouse=True)
def offline_tiles(settings):
    settings.MAP_TILE_URL = "/static/no-tiles/{z}/{x}/{y}.png"


@pytest.fixture
def admin_page(live_server, chromium, site_tree, areas, django_user_model):
    django_user_model.objects.create_superuser("chief", "chief@example.jp", "pw-for-test")
    context = chromium.new_context(viewport={"width": 1280, "height": 900}, locale="ja-JP")
    page = context.new_page()
    page.goto(f"{live_server.url}/admin/login/")
    page.locator("#id_username").fill("chief")
    page.locator("#id_password").fill("pw-for-test")
    page.locator("button[type=submit]").click()
    page.wait_for_load_state()
    yield page
    context.close()


def _centre(box) -> tuple[float, float]:
    return box["x"] + box["width"] / 2, box["y"] + box["height"] / 2


def test_point_picker_sets_and_follows_the_coordinates(live_server, admin_page, areas):
    from tests.factories import make_listing

    listing = make_listing("ちずの居場所", area=areas.north_a_1, address="サンプル市みどり町1-2-3")
    assert listing.latitude is None
    page = admin_page
    page.goto(f"{live_server.url}/admin/pages/{listing.pk}/edit/")
    page.get_by_role("tab", name="場所と連絡先").click()
    page.locator("[data-point-picker][data-point-picker-ready=true]").wait_for()
    canvas = page.locator("[data-point-picker-canvas]")
    canvas.wait_for(state="visible")
    # The address is shown with the map, and follows the address field.
    assert "みどり町1-2-3" in page.locator("[data-point-picker-address]").inner_text()
    page.locator("#id_address").fill("サンプル市みどり町4-5")
    assert page.locator("[data-point-picker-address]").inner_text() == "サンプル市みどり町4-5"

    # A click on the map fills both fields.
    canvas.click(position={"x": 60, "y": 60})
    latitude = page.locator("#id_latitude")
    longitude = page.locator("#id_longitude")
    first = float(latitude.input_value()), float(longitude.input_value())
    assert -90 <= first[0] <= 90 and -180 <= first[1] <= 180
    # Another click further right and lower: east (larger longitude) and south (smaller latitude).
    canvas.click(position={"x": 300, "y": 200})
    second = float(latitude.input_value()), float(longitude.input_value())
    assert second[0] < first[0] and second[1] > first[1]
    marker = page.locator("[data-point-picker-canvas] .leaflet-marker-icon")
    assert marker.count() == 1

    # Typing coordinates moves the marker (the map pans to it: it ends at the map's centre).
    latitude.fill("35.7000")
    longitude.fill("139.6000")
    page.wait_for_function(
        """() => {
          const map = document.querySelector('[data-point-picker-canvas]');
          const canvas = map.getBoundingClientRect();
          const icon = map.querySelector('.leaflet-marker-icon').getBoundingClientRect();
          const x = icon.left + icon.width / 2, y = icon.bottom;
          return Math.abs(x - (canvas.left + canvas.width / 2)) < 3
            && Math.abs(y - (canvas.top + canvas.height / 2)) < 3;
        }"""
    )
    shot(page, "staffdesk-point-picker-1280")

    # Dragging the marker writes the new point; the fields are what is saved.
    icon = marker.bounding_box()
    x, y = icon["x"] + icon["width"] / 2, icon["y"] + icon["height"] - 2
    page.mouse.move(x, y)
    page.mouse.down()
    page.mouse.move(x + 40, y + 30, steps=5)
    page.mouse.up()
    dragged = float(latitude.input_value()), float(longitude.input_value())
    assert dragged[0] < 35.7 and dragged[1] > 139.6
    page.locator("button.action-save").first.click()
    page.wait_for_load_state()
    saved = ListingPage.objects.get(pk=listing.pk).get_latest_revision_as_object()
    assert (round(saved.latitude, 6), round(saved.longitude, 6)) == dragged


def test_coverage_map_shows_a_marker_per_area_and_the_empty_ones(live_server, admin_page, areas):
    from tests.factories import make_listing

    make_listing(area=areas.north_a_1, latitude=35.70, longitude=139.50)
    make_listing(area=areas.north_a, latitude=35.72, longitude=139.54)
    areas.south.latitude, areas.south.longitude = 35.65, 139.60
    areas.south.save()
    areas.south_a.latitude, areas.south_a.longitude = 35.66, 139.58
    areas.south_a.save()
    page = admin_page
    page.goto(f"{live_server.url}/admin/staff/coverage/")
    canvas = page.locator("[data-coverage-map-canvas]")
    canvas.wait_for(state="visible")
    markers = canvas.locator(".coverage-marker")
    # 地区 first: みどり小地区 (2, from its listings) and あおば小地区 (0, its own point);
    # ひかり小地区 has neither a point nor a listing: named under the map instead.
    markers.first.wait_for()
    assert markers.count() == 2
    north_a = canvas.locator(f'.coverage-marker[data-area="{areas.north_a.code}"]')
    assert north_a.inner_text() == "2" and "coverage-marker--empty" not in north_a.get_attribute(
        "class"
    )
    south_a = canvas.locator(f'.coverage-marker[data-area="{areas.south_a.code}"]')
    assert "coverage-marker--empty" in south_a.get_attribute("class")
    assert (
        page.get_by_text("位置がわからず地図に出ない地域").inner_text().endswith(areas.north_b.name)
    )
    shot(page, "staffdesk-coverage-map-1280")
    # Switching to 圏域 shows one marker per 圏域.
    page.get_by_label("圏域", exact=True).check()
    canvas.locator(f'.coverage-marker[data-area="{areas.north.code}"]').wait_for()
    assert markers.count() == 2
    assert canvas.locator(f'.coverage-marker[data-area="{areas.south.code}"]').inner_text() == "0"
    # The table is still there, with the same numbers.
    assert page.locator(f'tr[data-area="{areas.north.code}"] td').first.inner_text() == "2"


def test_an_area_gets_its_point_from_the_map_too(live_server, admin_page, areas):
    from listings.models import Area

    page = admin_page
    page.goto(f"{live_server.url}/admin/snippets/listings/area/edit/{areas.north_b.pk}/")
    page.locator("[data-point-picker][data-point-picker-ready=true]").wait_for()
    assert page.locator("#id_latitude").input_value() == ""
    page.locator("[data-point-picker-canvas]").click(position={"x": 100, "y": 100})
    latitude = float(page.locator("#id_latitude").input_value())
    longitude = float(page.locator("#id_longitude").input_value())
    page.locator("button[type=submit]").filter(has_text="保存").first.click()
    page.wait_for_load_state()
    area = Area.objects.get(pk=areas.north_b.pk)
    assert (round(area.latitude, 6), round(area.longitude, 6)) == (latitude, longitude)
