from __future__ import annotations

from wagtail.models import Page, Site

from listings.models import Area, ListingIndexPage, ListingPage
from listings.vocabulary import Kind, Tier

from .models import InformationPage, SiteIdentity


def listing_index_below(root: Page) -> ListingIndexPage | None:
    """The listing index the menus link to: the first live one below ``root`` in tree order."""
    return ListingIndexPage.objects.live().descendant_of(root).order_by("path").first()


def listing_index_for_site(site: Site | None) -> ListingIndexPage | None:
    """The listing index of ``site`` (one query: the sites' root paths are cached by Wagtail)."""
    if site is None:
        return None
    root_path = next(
        (root.root_path for root in Site.get_site_root_paths() if root.site_id == site.pk), None
    )
    if root_path is None:
        return None
    return (
        ListingIndexPage.objects.live()
        .filter(url_path__startswith=root_path)
        .order_by("path")
        .first()
    )


def information_pages_for_area(area: Area, limit: int = 6) -> list[InformationPage]:
    """Live public information pages tagged with ``area`` or an area it lies in (a page about a
    圏域 also shows on its districts), newest first."""
    return list(
        InformationPage.objects.live()
        .public()
        .filter(areas__code__in=area.ancestor_codes)
        .distinct()
        .order_by("-first_published_at", "path")[:limit]
    )


def home_context(home) -> dict:
    # More than one city (open data of several municipalities): the home page lets a resident
    # pick theirs, and the area list below then shows only the 圏域 so cities aren't listed twice.
    cities = list(Area.objects.filter(tier=Tier.CITY).only("code", "name"))
    top_tiers = [Tier.JUNIOR_HIGH] if len(cities) > 1 else [Tier.CITY, Tier.JUNIOR_HIGH]
    return {
        "listing_index": listing_index_below(home),
        "kinds": offered_kinds(home),
        "top_areas": Area.objects.filter(tier__in=top_tiers),
        "cities": cities,
        "information_pages": InformationPage.objects.live().public().child_of(home)[:6],
    }


def offered_kinds(home) -> list[tuple[str, str]]:
    """(code, label) of the kinds the home page offers: those the site's settings allow
    (SiteIdentity) that have at least one live listing, in the vocabulary's order."""
    site = home.get_site()
    allowed = SiteIdentity.for_site(site).offered_kinds() if site else [c for c, _ in Kind.choices]
    present = set(ListingPage.objects.live().values_list("kind", flat=True).distinct())
    return [(code, label) for code, label in Kind.choices if code in allowed and code in present]


INFORMATION_RESULTS = 3


def information_pages_for(q: str, limit: int = INFORMATION_RESULTS) -> list[InformationPage]:
    """Live public information pages whose title, summary or text has every content word of
    ``q`` (same Japanese analysis as search: forms, readings, synonyms; title matches first).
    The pages are few, so each search reads them; their terms are cached per revision."""
    from search.analysis import tokenize

    wanted = [t for t in tokenize(q) if t.required and not t.sub_unit]
    if not wanted:
        return []
    found = []
    for page in (
        InformationPage.objects.live()
        .public()
        .only("title", "summary", "body", "latest_revision_id")
    ):
        title_terms, all_terms = _page_terms(page)
        keys = [{t.normalized, t.reading} for t in wanted]
        if all(k & all_terms for k in keys):
            found.append((sum(bool(k & title_terms) for k in keys), page))
    found.sort(key=lambda pair: (-pair[0], pair[1].path))
    return [page for _, page in found[:limit]]


_TERMS: dict[tuple[int, int | None], tuple[set[str], set[str]]] = {}


def _page_terms(page: InformationPage) -> tuple[set[str], set[str]]:
    from search.analysis import tokenize

    key = (page.pk, page.latest_revision_id)
    found = _TERMS.get(key)
    if found is None:

        def terms(text: str) -> set[str]:
            return {x for t in tokenize(text) for x in (t.normalized, t.reading) if x}

        body = " ".join(str(block.render_as_block()) for block in page.body)
        title = terms(page.title)
        found = (title, title | terms(page.summary or "") | terms(_strip_tags(body)))
        if len(_TERMS) > 1000:
            _TERMS.clear()
        _TERMS[key] = found
    return found


def _strip_tags(html: str) -> str:
    from django.utils.html import strip_tags

    return strip_tags(html)
