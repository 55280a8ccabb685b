"""Networks: their pages, the overview by pillar, and the search filter."""

import pytest
from django.http import QueryDict
from django.urls import reverse

from community.models import Network, NetworkMember, Pillar
from listings.vocabulary import Kind, Tier
from search.engines import get_engine
from search.params import InvalidParams, parse_search_params
from tests.factories import make_listing

pytestmark = pytest.mark.django_db


@pytest.fixture
def network(areas):
    hub = make_listing("北部ほっとネット窓口", kind=Kind.WINDOW, area=areas.north_a)
    south_hub = make_listing("南部ほっとネット窓口", kind=Kind.WINDOW, area=areas.south_a)
    city_wide = make_listing(
        "丸ごと相談窓口", kind=Kind.WINDOW, area=areas.north_b, service_tier=Tier.CITY
    )
    make_listing("ネットワーク外の食堂", kind=Kind.KODOMO_SHOKUDO, area=areas.north_a)
    network = Network.objects.create(
        code="hotnet", name="ほっとネット", summary="相談を受け止めます。", pillar=Pillar.CONSULT
    )
    for order, (page, role) in enumerate([(hub, "窓口"), (south_hub, "窓口"), (city_wide, "")]):
        NetworkMember.objects.create(network=network, listing=page, role=role, sort_order=order)
    return network


def test_network_page_lists_members_and_narrows_by_area(client, network):
    url = reverse("community:network_detail", args=["hotnet"])
    everywhere = client.get(url).content.decode()
    assert "北部ほっとネット窓口" in everywhere and "南部ほっとネット窓口" in everywhere
    assert "ネットワーク外の食堂" not in everywhere

    north = client.get(url, {"area": "north-a"}).content.decode()
    assert "北部ほっとネット窓口" in north
    assert "丸ごと相談窓口" in north  # city-wide: serves every area
    assert "南部ほっとネット窓口" not in north

    bad = client.get(url, {"area": "nowhere"})
    assert bad.status_code == 400
    assert "地域" in bad.content.decode()


def test_overview_groups_networks_by_pillar_and_explains_tiers(client, network):
    Network.objects.create(
        code="sasaeai", name="ささえあいネットワーク", summary="見守り", pillar=Pillar.COMMUNITY
    )
    html = client.get(reverse("community:network_index")).content.decode()
    assert html.index("ほっとネット") < html.index("ささえあいネットワーク")
    assert 'id="tiers"' in html
    assert "北部ほっとネット窓口" in html
    assert client.get(reverse("community:network_detail", args=["none"])).status_code == 404


def test_search_filters_by_network(network):
    get_engine().rebuild()
    params = parse_search_params(QueryDict("network=hotnet"))
    found = {h.listing_id for h in get_engine().search(params).hits}
    assert found == set(network.members.values_list("listing_id", flat=True))

    with pytest.raises(InvalidParams) as invalid:
        parse_search_params(QueryDict("network=nothing"))
    assert invalid.value.errors[0].parameter == "network"


def test_search_page_keeps_and_shows_the_network_filter(client, network):
    get_engine().rebuild()
    response = client.get(reverse("search"), {"network": "hotnet"})
    html = response.content.decode()
    assert response.status_code == 200
    assert 'name="network" value="hotnet"' in html
    assert "ほっとネット" in html
    assert "ネットワーク外の食堂" not in html
    assert client.get(reverse("search"), {"network": "zzz"}).status_code == 400
