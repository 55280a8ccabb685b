"""The search page as the template shows it, built from the parameters and the engine's answer.

Pure functions and small dataclasses over ``SearchParams``, the ``SearchResult`` and the area
list (read once by ``search.selectors.search_page_areas``): facet options with counts, active
filters with links that drop them, the near/radius choices, the sort note, and suggestions when
nothing is found. ``page_context`` puts them together for ``search.views.search``; nothing here
reads the database or needs a request.
"""

from __future__ import annotations

import contextlib
import datetime
from collections.abc import Sequence
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.core.paginator import EmptyPage, Page, Paginator
from django.http import QueryDict
from django.urls import reverse
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext

from consult.models import ACCESS_ALIASES, Access
from listings.models import Area
from listings.templatetags.listing_tags import jp_date
from listings.vocabulary import AGE_ALIASES, KIND_ALIASES, TIER_ORDER, Age, Kind, Tier, code_for
from pages.templatetags.language_tags import ja_span

from .contract import SORT_DISTANCE, SORT_NEXT_DATE, SORT_RELEVANCE, SearchParams, SearchResult
from .params import DEFAULT_PAGE_SIZE, MAX_QUERY_CHARS, ParamError
from .selectors import ResultItem
from .templatetags.search_tags import distance_label

TOPIC_LIMIT = 15
SIBLING_LIMIT = 12
RADIUS_CHOICES = (500, 1000, 2000, 5000)

# Each parameter's control on the page (for error messages next to it) and its name.
CONTROLS = {
    "q": ("search-q", gettext_lazy("さがしたいことば")),
    "kind": ("filter-kind", gettext_lazy("種類")),
    "age": ("filter-age", gettext_lazy("対象")),
    "topic": ("filter-topic", gettext_lazy("テーマ")),
    "area": ("filter-area", gettext_lazy("地域")),
    "access": ("filter-access", gettext_lazy("相談しやすさ")),
    "near": ("filter-near", gettext_lazy("場所から")),
    "radius": ("filter-radius", gettext_lazy("範囲")),
    "open_on": ("filter-open-on", gettext_lazy("日付")),
    "sort": ("search-sort", gettext_lazy("並び順")),
    "page": ("", gettext_lazy("ページ")),
    "page_size": ("", gettext_lazy("1ページの件数")),
}
# Friendlier words than the API's where a resident can cause the error from the page.
FRIENDLY_ERRORS = {
    "radius": gettext_lazy("範囲を選ぶときは、「場所から」で場所も選んでください。"),
}


@dataclass
class Selection:
    """The search as the page shows it: lists of strings, ready to put back in URLs."""

    q: str = ""
    kind: list[str] = field(default_factory=list)
    age: list[str] = field(default_factory=list)
    topic: list[str] = field(default_factory=list)
    area: list[str] = field(default_factory=list)
    network: list[str] = field(default_factory=list)
    access: list[str] = field(default_factory=list)
    near: str = ""
    radius: str = ""
    open_on: str = ""
    sort: str = SORT_RELEVANCE
    page_size: str = ""

    MULTI = ("kind", "age", "topic", "area", "network", "access")
    SINGLE = ("near", "radius", "open_on")

    @classmethod
    def from_params(cls, params: SearchParams) -> Selection:
        return cls(
            q=params.q,
            kind=list(params.kinds),
            age=list(params.ages),
            topic=list(params.topics),
            area=list(params.areas),
            network=list(params.networks),
            access=list(params.access),
            near=f"{params.near[0]!r},{params.near[1]!r}" if params.near else "",
            radius=_number(params.radius) if params.radius is not None else "",
            open_on=params.open_on.isoformat() if params.open_on else "",
            sort=params.sort,
            page_size="" if params.page_size == DEFAULT_PAGE_SIZE else str(params.page_size),
        )

    @classmethod
    def from_raw(cls, data: QueryDict) -> Selection:
        """What was asked for, as far as it can be read, when some parameter is invalid."""

        def values(name):
            found = []
            for raw in data.getlist(name):
                found += [v.strip() for v in raw.replace("、", ",").split(",") if v.strip()]
            return list(dict.fromkeys(found))

        def codes(name, choices, aliases):
            found = []
            for value in values(name):
                with contextlib.suppress(ValueError):
                    found.append(code_for(choices, value, aliases))
            return list(dict.fromkeys(found))

        return cls(
            q=data.get("q", "")[:MAX_QUERY_CHARS],
            kind=codes("kind", Kind, KIND_ALIASES),
            age=codes("age", Age, AGE_ALIASES),
            topic=[t for t in values("topic") if len(t) <= 100],
            area=values("area"),
            network=values("network"),
            access=codes("access", Access, ACCESS_ALIASES),
            near=data.get("near", "").strip(),
            radius=data.get("radius", "").strip(),
            open_on=data.get("open_on", "").strip(),
            sort=data.get("sort", "") or SORT_RELEVANCE,
        )

    @property
    def has_filters(self) -> bool:
        return any(getattr(self, n) for n in (*self.MULTI, *self.SINGLE))

    def url(self, **changes) -> str:
        """This search with ``changes`` (name=new value or list), from page 1."""
        pairs: list[tuple[str, str]] = []
        q = changes.get("q", self.q)
        if q.strip():
            pairs.append(("q", q))
        for name in self.MULTI:
            pairs += [(name, v) for v in changes.get(name, getattr(self, name))]
        for name in (*self.SINGLE, "sort", "page_size"):
            value = changes.get(name, getattr(self, name))
            if value and not (name == "sort" and value == SORT_RELEVANCE):
                pairs.append((name, value))
        base = reverse("search")
        return f"{base}?{urlencode(pairs)}" if pairs else base

    def without(self, name: str, value: str | None = None) -> str:
        if name in self.MULTI:
            return self.url(**{name: [v for v in getattr(self, name) if v != value]})
        if name == "near":  # a radius means nothing without its point
            return self.url(near="", radius="")
        return self.url(**{name: ""})

    def replacing_area(self, old: str, new: str) -> str:
        areas = [new if code == old else code for code in self.area]
        return self.url(area=list(dict.fromkeys(areas)))


@dataclass
class Option:
    value: str
    label: str
    count: int | None
    checked: bool
    id: str


@dataclass
class FacetGroup:
    name: str
    legend: str
    options: list[Option]
    error: str = ""
    # Only for area: (tier label, options) broadest tier first.
    tiers: list[tuple[str, str, list[Option]]] = field(default_factory=list)
    collapsed_tiers: tuple[str, ...] = ()

    @property
    def control_id(self) -> str:
        return CONTROLS[self.name][0]

    @property
    def is_empty(self) -> bool:
        return not self.options and not any(opts for _, _, opts in self.tiers)


@dataclass
class Link:
    """``label``: the link's text; ``html``: the same with any Japanese content in it (area and
    topic names) marked lang="ja" under another interface language (see ``_link``)."""

    label: str
    url: str
    html: SafeString | str = ""

    def __post_init__(self) -> None:
        if not self.html:
            self.html = conditional_escape(self.label)


def _link(url: str, pattern: str, *, content: dict, **ui) -> Link:
    """A Link whose text is ``pattern`` (interface text, already translated) filled with ``ui``
    (interface text) and ``content`` (Japanese data, marked with ja_span in ``html``)."""
    label = pattern % {**ui, **content}
    html = mark_safe(
        conditional_escape(pattern)
        % {
            **{name: conditional_escape(value) for name, value in ui.items()},
            **{name: ja_span(value) for name, value in content.items()},
        }
    )
    return Link(label, url, html)


def _labelled(label: str, value: str, url: str) -> Link:
    """「地域：みどり小地区」 / "Area: みどり小地区" with the value marked as Japanese content."""
    pattern = "%(label)s" + pgettext("label separator", "：") + "%(value)s"
    return _link(url, pattern, content={"value": value}, label=label)


@dataclass
class FieldError:
    parameter: str
    label: str
    message: str
    control_id: str


def page_context(
    data: QueryDict,
    params: SearchParams | None,
    result: SearchResult | None,
    items: list[ResultItem],
    errors: list[ParamError],
    areas: Sequence[Area],
    network_names: dict[str, str] | None = None,
) -> dict:
    """Everything ``pages/search.html`` shows. ``data``: the request's GET (what was asked,
    read again when a parameter was invalid and ``params`` is None); ``areas``: every area
    (``search.selectors.search_page_areas``)."""
    selection = Selection.from_params(params) if params else Selection.from_raw(data)
    facets = result.facets if result is not None else None
    by_code = {a.code: a for a in areas}
    shown_errors = field_errors(errors, data)
    error_for = errors_by_parameter(shown_errors)
    page_obj, out_of_range = pagination(params, result)
    return {
        "query": selection.q,
        "params": params,
        "result": result,
        "items": items,
        "errors": shown_errors,
        "error_for": error_for,
        "selection": selection,
        "facet_groups": facet_groups(selection, facets, by_code, error_for),
        "near_options": near_options(selection, areas),
        "radius_options": radius_options(selection),
        "sort_options": [
            (SORT_RELEVANCE, _("関連順")),
            (SORT_DISTANCE, _("近い順（場所を選んだとき）")),
            (SORT_NEXT_DATE, _("開催日が近い順")),
        ],
        "sort_note": sort_note(params),
        "active_filters": active_filters(selection, by_code, network_names),
        "clear_url": selection.url(
            **{n: [] for n in Selection.MULTI}, near="", radius="", open_on=""
        ),
        "page_obj": page_obj,
        "out_of_range": out_of_range,
        "first_page_url": selection.url(),
        "suggestions": suggestions(selection, by_code, areas)
        if result is not None and not result.count
        else None,
        "area_filter_active": bool(params and params.areas),
    }


def field_errors(errors: list[ParamError], data: QueryDict) -> list[FieldError]:
    """Each invalid parameter with its control's name and id, in the page's words."""
    return [
        FieldError(
            e.parameter,
            str(CONTROLS.get(e.parameter, ("", e.parameter))[1]),
            _friendly_error(e, data),
            CONTROLS.get(e.parameter, ("", ""))[0],
        )
        for e in errors
    ]


def errors_by_parameter(errors: list[FieldError]) -> dict[str, str]:
    """One message per parameter (several joined), shown next to its control."""
    error_for: dict[str, str] = {}
    for error in errors:
        error_for[error.parameter] = " ".join(
            filter(None, [error_for.get(error.parameter), error.message])
        )
    return error_for


def pagination(
    params: SearchParams | None, result: SearchResult | None
) -> tuple[Page | None, bool]:
    """The page of results asked for, and whether it lies beyond the last one."""
    if params is None or result is None or not result.count:
        return None, False
    paginator = Paginator(range(result.count), params.page_size)
    try:
        return paginator.page(params.page), False
    except EmptyPage:
        return None, True


def _friendly_error(error: ParamError, data: QueryDict) -> str:
    if error.parameter == "open_on":
        # A date box cannot show a value it cannot read, so the message repeats it.
        return _(
            "「%(value)s」は日付として読めません。年-月-日（例：2026-05-10）の形で指定してください。"
        ) % {"value": data.get("open_on", "")[:40]}
    return str(FRIENDLY_ERRORS.get(error.parameter, error.message))


def _number(value: float) -> str:
    text = f"{value:f}".rstrip("0").rstrip(".")
    return text or "0"


def facet_groups(
    selection: Selection,
    facets: dict[str, dict[str, int]] | None,
    by_code: dict[str, Area],
    error_for: dict[str, str],
) -> list[FacetGroup]:
    """Kind, age, topic and area options with the engine's counts (0-count values hidden), and
    the access options (no counts)."""

    def counted(name):
        return (facets or {}).get(name, {})

    def options(name, values_labels, *, show_all: bool):
        counts = counted(name)
        chosen = getattr(selection, name)
        found = []
        for index, (value, label) in enumerate(values_labels, start=1):
            count = counts.get(value, 0) if facets is not None else None
            checked = value in chosen
            if checked or show_all or count:
                found.append(Option(value, str(label), count, checked, f"f-{name}-{index}"))
        return found

    no_counts = facets is None  # the error page: offer every fixed value, without counts
    groups = [
        FacetGroup("kind", _("種類"), options("kind", Kind.choices, show_all=no_counts)),
        FacetGroup("age", _("対象"), options("age", Age.choices, show_all=no_counts)),
    ]

    topic_counts = counted("topic")
    top = sorted(topic_counts, key=lambda t: (-topic_counts[t], t))[:TOPIC_LIMIT]
    topics = top + [t for t in selection.topic if t not in top]
    groups.append(
        FacetGroup("topic", _("テーマ"), options("topic", [(t, t) for t in topics], show_all=False))
    )

    area_counts = counted("area")
    codes = [c for c in area_counts if c in by_code] + [
        c for c in selection.area if c in by_code and c not in area_counts
    ]
    ordered = sorted((by_code[c] for c in set(codes)), key=lambda a: a.path)
    area_options = options("area", [(a.code, a.name) for a in ordered], show_all=True)
    tier_of = {a.code: a.tier for a in ordered}
    tiers = []
    for tier in TIER_ORDER:
        in_tier = [o for o in area_options if tier_of[o.value] == tier]
        if in_tier:
            tiers.append((str(tier), str(Tier(tier).label), in_tier))
    area_group = FacetGroup("area", _("地域"), [], tiers=tiers)
    # Long lists of 身近な地域 fold away unless one of them is chosen.
    area_group.collapsed_tiers = tuple(
        t
        for t, _label, opts in tiers
        if t == Tier.NEIGHBOURHOOD and len(opts) > 6 and not any(o.checked for o in opts)
    )
    groups.append(area_group)
    # Ways to reach a window (consult's profiles): always offered, without counts (the index
    # holds no access data; search.params turns the codes into window ids).
    groups.append(
        FacetGroup(
            "access",
            _("相談しやすさ（窓口）"),
            [
                Option(code, str(label), None, code in selection.access, f"f-access-{index}")
                for index, (code, label) in enumerate(Access.choices, start=1)
            ],
        )
    )
    for group in groups:
        group.error = error_for.get(group.name, "")
    return groups


def near_options(selection: Selection, areas: Sequence[Area]) -> list[tuple[str, list[Option]]]:
    """Areas with a point, grouped by tier, as ``near`` values; plus a point from the URL."""
    chosen = _point(selection.near)
    groups: list[tuple[str, list[Option]]] = []
    matched = False
    for tier in TIER_ORDER:
        opts = []
        for area in areas:
            if area.tier != tier or area.latitude is None or area.longitude is None:
                continue
            checked = chosen is not None and _same_point(chosen, (area.latitude, area.longitude))
            matched = matched or checked
            value = f"{area.latitude!r},{area.longitude!r}"
            opts.append(Option(value, area.name, None, checked, ""))
        if opts:
            groups.append((str(Tier(tier).label), opts))
    if selection.near and not matched:
        label = _("指定した地点（%(point)s）") % {"point": selection.near}
        groups.insert(0, ("", [Option(selection.near, label, None, True, "")]))
    return groups


def radius_options(selection: Selection) -> list[Option]:
    values = [str(r) for r in RADIUS_CHOICES]
    found = [
        Option(v, _("%(d)s以内") % {"d": distance_label(int(v))}, None, False, "") for v in values
    ]
    if selection.radius and selection.radius not in values:
        try:
            label = _("%(d)s以内") % {"d": distance_label(float(selection.radius))}
        except ValueError:
            label = selection.radius
        found.append(Option(selection.radius, label, None, True, ""))
    for option in found:
        option.checked = option.value == selection.radius
    return found


def _point(text: str) -> tuple[float, float] | None:
    try:
        lat, lng = (float(p) for p in text.split(","))
    except ValueError:
        return None
    return lat, lng


def _same_point(a: tuple[float, float], b: tuple[float, float]) -> bool:
    return abs(a[0] - b[0]) < 1e-7 and abs(a[1] - b[1]) < 1e-7


def sort_note(params: SearchParams | None) -> str:
    if params is None or params.effective_sort == params.sort:
        return ""
    if params.sort == SORT_DISTANCE:
        return _(
            "近い順にするには、「場所から」で場所を選んでください。いまは関連順で並べています。"
        )
    return _("ことばが入っていないので、選んだ場所から近い順に並べています。")


def active_filters(
    selection: Selection, by_code: dict[str, Area], network_names: dict[str, str] | None = None
) -> list[Link]:
    """Each chosen filter as a link that drops it (keeping everything else)."""
    separator = pgettext("label separator", "：")
    found: list[Link] = []
    for code in selection.kind:
        found.append(
            Link(f"{_('種類')}{separator}{Kind(code).label}", selection.without("kind", code))
        )
    for code in selection.age:
        found.append(
            Link(f"{_('対象')}{separator}{Age(code).label}", selection.without("age", code))
        )
    for topic in selection.topic:
        found.append(_labelled(_("テーマ"), topic, selection.without("topic", topic)))
    for code in selection.area:
        name = by_code[code].name if code in by_code else code
        found.append(_labelled(_("地域"), name, selection.without("area", code)))
    for code in selection.network:
        name = (network_names or {}).get(code, code)
        found.append(_labelled(_("ネットワーク"), name, selection.without("network", code)))
    for code in selection.access:
        found.append(
            Link(
                f"{_('相談しやすさ')}{separator}{Access(code).label}",
                selection.without("access", code),
            )
        )
    if selection.near:
        point = _point(selection.near)
        name = next(
            (
                a.name
                for a in by_code.values()
                if point
                and a.latitude is not None
                and a.longitude is not None
                and _same_point(point, (a.latitude, a.longitude))
            ),
            None,
        )
        if name is None:
            point_label = _("指定した地点")
            found.append(Link(f"{_('場所')}{separator}{point_label}", selection.without("near")))
        else:
            found.append(_labelled(_("場所"), name, selection.without("near")))
    if selection.radius:
        try:
            label = distance_label(float(selection.radius))
        except ValueError:
            label = selection.radius
        found.append(Link(_("%(d)s以内") % {"d": label}, selection.without("radius")))
    if selection.open_on:
        try:
            day = jp_date(datetime.date.fromisoformat(selection.open_on))
        except ValueError:
            day = selection.open_on
        found.append(Link(f"{_('日付')}{separator}{day}", selection.without("open_on")))
    return found


@dataclass
class Suggestions:
    drop_query: str = ""
    wider: list[Link] = field(default_factory=list)
    nearby: list[Link] = field(default_factory=list)
    windows_for_query: str = ""


def suggestions(
    selection: Selection, by_code: dict[str, Area], areas: Sequence[Area]
) -> Suggestions:
    """Ways out of an empty result: wider areas, nearby areas, a consultation window."""
    found = Suggestions()
    if selection.q.strip() and selection.has_filters:
        found.drop_query = selection.url(q="")
    chosen = set(selection.area)
    children: dict[int, list[Area]] = {}
    for area in areas:
        children.setdefault(area.parent_id, []).append(area)
    by_pk = {a.pk: a for a in areas}
    for code in selection.area:
        area = by_code.get(code)
        if area is None:
            continue
        parent = by_pk.get(area.parent_id)
        if parent is not None and parent.code not in chosen:
            found.wider.append(
                _link(
                    selection.replacing_area(code, parent.code),
                    _("%(name)s（%(tier)s）"),
                    content={"name": parent.name},
                    tier=parent.get_tier_display(),
                )
            )
        siblings = [a for a in children.get(area.parent_id, []) if a.code not in chosen]
        for sibling in siblings[:SIBLING_LIMIT]:
            found.nearby.append(Link(sibling.name, selection.replacing_area(code, sibling.code)))
    if selection.q.strip() and selection.kind != [Kind.WINDOW]:
        found.windows_for_query = Selection(q=selection.q, kind=[Kind.WINDOW]).url()
    return found
