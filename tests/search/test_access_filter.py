"""The access filter on the search page: a filter group without JavaScript, kept in the URL,
shown as a removable chip, and a bad value named next to its group."""

import pytest
from django.http import QueryDict
from django.urls import reverse

from consult.models import WindowProfile
from listings.vocabulary import Kind
from search.engines import get_engine
from search.params import describe_filters, parse_search_params
from tests.factories import make_listing

pytestmark = pytest.mark.django_db


@pytest.fixture
def windows(areas):
    signing = make_listing("手話で話せる相談窓口", kind=Kind.WINDOW, area=areas.north_a)
    visiting = make_listing("訪問してくれる相談窓口", kind=Kind.WINDOW, area=areas.north_a)
    make_listing("ふつうの相談窓口", kind=Kind.WINDOW, area=areas.north_a)
    WindowProfile.objects.create(listing=signing, access=["sign_language"])
    WindowProfile.objects.create(listing=visiting, access=["outreach", "languages"])
    get_engine().rebuild()
    return signing, visiting


def test_params_resolve_access_to_window_ids(windows):
    _signing, visiting = windows
    params = parse_search_params(QueryDict("access=アウトリーチ&access=outreach"))
    assert params.access == ("outreach",)
    assert params.access_listing_ids == frozenset({visiting.pk})
    assert params.has_filters
    assert describe_filters(params) == "access=outreach"
    assert parse_search_params(QueryDict("q=窓口")).access_listing_ids is None


def test_search_page_offers_the_access_group_and_filters(client, windows):
    response = client.get(reverse("search"), {"q": "相談窓口"})
    html = response.content.decode()
    assert 'class="facet facet--access"' in html
    for code in ("languages", "sign_language", "writing", "outreach", "online"):
        assert f'name="access" value="{code}"' in html
    assert "ふつうの相談窓口" in html

    response = client.get(reverse("search"), {"q": "相談窓口", "access": "手話"})
    html = response.content.decode()
    assert response.status_code == 200
    assert 'name="access" value="sign_language" checked' in html
    results = html[html.index('id="results-heading"') : html.index('id="filters-heading"')]
    assert "手話で話せる相談窓口" in results
    assert "訪問してくれる相談窓口" not in results and "ふつうの相談窓口" not in results
    # The chip that drops it keeps the words.
    assert "相談しやすさ：手話" in results
    assert 'href="/search/?q=%E7%9B%B8%E8%AB%87%E7%AA%93%E5%8F%A3"' in results


def test_search_page_names_a_bad_access_value(client, windows):
    response = client.get(reverse("search"), {"access": ["手話", "teleport"]})
    html = response.content.decode()
    assert response.status_code == 400
    assert 'id="filter-access-error"' in html
    assert "teleport" in html
    # What could be read stays chosen.
    assert 'name="access" value="sign_language" checked' in html


def test_english_interface_labels_the_group(windows):
    from django.test import Client

    html = Client(HTTP_ACCEPT_LANGUAGE="en").get(reverse("search"), {"access": "online"})
    html = html.content.decode()
    assert "Ways to consult" in html and "Online" in html
