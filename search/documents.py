"""What a listing looks like to the search index: weighted text, filters and facet values.

Pure functions over a ListingPage (with its relations prefetched) so the embedded engine and
the Elasticsearch engine index exactly the same thing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import urlsplit

from django.utils.html import strip_tags

from listings.models import Area, ListingPage
from listings.vocabulary import TIER_ORDER, Age, Booking, HolidayPolicy, Kind

from .analysis import SynonymTable, document_terms, normalize
from .display import display_record
from .facts import address_after_number, fact_postings, fact_words
from .places import own_place_names, place_terms, without_places

# How much a match in each field counts. Names first, then what a listing *is* (kind, ages,
# topics, 相談内容), then where and who, then the free description.
FIELD_WEIGHTS = {
    "title": 10.0,
    "kind": 8.0,
    "name_kana": 6.0,
    "labels": 5.0,
    "age_words": 3.0,
    "organiser": 3.0,
    "area": 2.0,
    "address": 1.5,
    "facts": 3.0,
    "description": 1.0,
    "schedule": 1.0,
    "joining": 1.0,
    "details": 0.5,
}
# Only names and labels get romaji and reading bigrams (see analysis.document_terms): the
# kana-typed and romaji queries they serve ask for names, kinds and topics. Everything else is
# indexed by its forms and readings only, which keeps the index about half the size.
SHORT_FIELDS = {"title", "name_kana", "kind", "labels"}
# A term found in several fields counts its best field fully and the others a little: 介護 in
# both 相談内容 and the description beats 介護 in one topic tag.
OTHER_FIELDS_SHARE = 0.2
# Fields whose text many listings share, worth caching during a rebuild (names and
# descriptions are unique: caching them would only hold memory).
SHARED_FIELDS = {"kind", "labels", "age_words", "area"}
ALL_AGES = [code for code in Age.values if code != Age.EVERYONE]
# Words residents use for each age group besides its label (「こどもの居場所」 means a place
# for elementary and junior-high ages too).
AGE_WORDS = {
    Age.INFANT: "乳幼児 赤ちゃん 親子 未就学児 子育て",
    Age.ELEMENTARY: "小学生 子ども 児童",
    Age.TEEN: "中学生 高校生 子ども 10代",
    Age.YOUTH: "若者 青年 10代 20代",
    Age.ADULT: "大人 成人",
    Age.SENIOR: "高齢者 シニア お年寄り",
    Age.EVERYONE: "どなたでも 誰でも",
}


@dataclass
class IndexedDocument:
    listing_id: int
    kind: str
    title_key: str
    location_path: str
    service_area_code: str
    service_depth: int
    latitude: float | None
    longitude: float | None
    closed_on_holidays: bool
    postings: dict[str, float] = field(default_factory=dict)
    ages: list[str] = field(default_factory=list)  # 「どなたでも」 expanded to every age
    topics: list[str] = field(default_factory=list)
    schedule_keys: list[str] = field(default_factory=list)
    display: dict | None = None
    # (facet, value, depth, service_depth)
    facets: list[tuple[str, str, int, int]] = field(default_factory=list)
    texts: dict[str, str] = field(default_factory=dict)
    area_names: list[str] = field(default_factory=list)  # the area tree, for place terms
    completeness: int = 0


def schedule_keys(rules) -> list[str]:
    """The days a listing is open, as keys a search for a date can look up directly:
    ``w<weekday>`` weekly, ``m<weekday>:<week>`` 第n/最終 (-1), ``d<day>`` 毎月n日,
    ``D<ISO date>`` one date (listings.schedules has the same rules, date by date), and
    ``t<weekday>`` for a tentative rule: that weekday may be a day, to confirm (要確認)."""
    keys = set()
    for rule in rules:
        if rule.frequency == "weekly" and rule.weekday is not None:
            keys.add(f"w{rule.weekday}")
        elif rule.frequency == "monthly" and rule.weekday is not None and rule.week_of_month:
            keys.add(f"m{rule.weekday}:{rule.week_of_month}")
        elif rule.frequency == "monthday" and rule.day_of_month:
            keys.add(f"d{rule.day_of_month}")
        elif rule.frequency == "date" and rule.date:
            keys.add(f"D{rule.date.isoformat()}")
        elif rule.frequency == "tentative" and rule.weekday is not None:
            keys.add(f"t{rule.weekday}")
    return sorted(keys)


def completeness(listing: ListingPage) -> int:
    """How many parts of the record a resident can act on are filled in: where (address,
    map position), when (schedule rules, else the schedule as text), for whom (ages), what
    (topics, description), cost, how to join, who runs it, how to reach them (phone, email,
    site). Ties in relevance go to the fuller record (issue 13, class 5)."""
    parts = [
        listing.address,
        listing.latitude is not None and listing.longitude is not None,
        bool(listing.schedule_rules.all()) or bool(listing.schedule_text),
        bool(listing.age_groups.all()),
        bool(listing.tagged_items.all()),
        strip_tags(listing.description or "").strip(),
        listing.fee,
        listing.how_to_join or listing.booking,
        listing.organiser,
        listing.phone or listing.email or listing.website,
    ]
    return sum(1 for part in parts if part)


def topic_names(listing: ListingPage) -> list[str]:
    # Through tagged_items, which indexable_listings() prefetches (topics.all() would not use it).
    return [item.tag.name for item in listing.tagged_items.all()]


def area_names_of(listing: ListingPage, areas_by_code: dict[str, Area]) -> list[str]:
    area_names = []
    for code in listing.location_area.ancestor_codes if listing.location_area else []:
        area = areas_by_code.get(code)
        if area and area.name:
            area_names.append(area.name)
    return area_names


def listing_texts(listing: ListingPage, areas_by_code: dict[str, Area]) -> dict[str, str]:
    """The searchable text of a listing, by field (see FIELD_WEIGHTS)."""
    ages = [a.code for a in listing.age_groups.all()]
    area_names = area_names_of(listing, areas_by_code)
    # The kind has its own, heavier field: a 居場所 outranks a listing whose topic merely
    # mentions 居場所づくり. Words residents use for the ages weigh less than the age labels.
    place_names = own_place_names(listing.address, area_names)
    labels = [str(Age(code).label) for code in ages]
    labels += topic_names(listing)
    labels += listing.consultation_keyword_list
    if listing.booking:
        labels.append(str(Booking(listing.booking).label))
    return {
        "title": listing.title,
        "kind": str(Kind(listing.kind).label),
        "name_kana": listing.name_kana,
        "labels": " ".join(labels),
        "age_words": " ".join(AGE_WORDS[code] for code in ages),
        "organiser": listing.organiser,
        "area": " ".join(n for n in area_names if n),
        "address": listing.address,
        "description": strip_tags(listing.description or ""),
        # What the schedule rules, fee and booking status mean, in residents' words.
        "facts": fact_words(
            listing.schedule_rules.all(),
            listing.schedule_text,
            listing.fee,
            listing.booking,
            listing.how_to_join,
            # Not the town part of the address, nor the place's names anywhere else (「第2高円寺
            # ビル」, 「深大寺カフェ」, 国分寺市): 吉祥寺, 高円寺 are places, not temples.
            without_places(
                " ".join([listing.title, address_after_number(listing.address), listing.organiser]),
                place_names,
            ),
            listing.schedule_note,
            strip_tags(listing.description or ""),
            venue=without_places(
                " ".join([address_after_number(listing.address), listing.organiser]), place_names
            ),
        ),
        # Every text column of the open-data layout and the CSV contract is findable: the
        # schedule as written, how to book, the fee notes, 学区, capacity, the site's host.
        "schedule": " ".join([listing.schedule_text, listing.schedule_note]),
        "joining": " ".join([listing.how_to_join, listing.fee]),
        "details": " ".join(
            [
                listing.accessibility,
                listing.school_district,
                listing.capacity,
                site_words(listing.website),
            ]
        ),
    }


# Where a listing's site is hosted, in the words residents use (「インスタ」で探す人がいる).
SITE_WORDS = {
    "instagram.com": "インスタグラム Instagram インスタ",
    "facebook.com": "フェイスブック Facebook",
    "twitter.com": "X Twitter ツイッター",
    "x.com": "X Twitter ツイッター",
    "line.me": "LINE ライン",
    "ameblo.jp": "ブログ アメブロ",
    "note.com": "note ノート",
}


def site_words(url: str) -> str:
    host = urlsplit(url).hostname or "" if url else ""
    for domain, words in SITE_WORDS.items():
        if host == domain or host.endswith("." + domain):
            return words
    return ""


def analyse_texts(
    doc: IndexedDocument, synonyms: SynonymTable | None = None, cache: dict | None = None
) -> IndexedDocument:
    """Fill ``doc.postings`` from ``doc.texts``: each term once, weighted by its fields."""
    field_weights: dict[str, list[float]] = {}
    for name, text in doc.texts.items():
        if not text:
            continue
        short = name in SHORT_FIELDS
        if cache is None or name not in SHARED_FIELDS:
            terms = document_terms(text, synonyms, short=short)
        else:
            key = (text, short)
            terms = cache.get(key)
            if terms is None:
                terms = cache[key] = document_terms(text, synonyms, short=short)
        for term in terms:
            if len(term) <= 100:
                field_weights.setdefault(term, []).append(FIELD_WEIGHTS[name])
    for term, weights in field_weights.items():
        best = max(weights)
        doc.postings[term] = best + OTHER_FIELDS_SHARE * (sum(weights) - best)
    doc.postings.update(
        place_terms(doc.texts.get("address", ""), doc.area_names, doc.texts.get("title", ""))
    )
    doc.postings.update(fact_postings(doc.texts.get("facts", ""), synonyms, FIELD_WEIGHTS["facts"]))
    return doc


def build_document(
    listing: ListingPage,
    areas_by_code: dict[str, Area],
    synonyms: SynonymTable | None = None,
    cache: dict | None = None,
    *,
    analyse: bool = True,
) -> IndexedDocument:
    """``cache`` (one dict for a batch) reuses the analysis of texts many listings share:
    kind and age labels, topics, area names. ``analyse=False`` leaves ``postings`` empty
    for ``analyse_texts`` to fill in later, possibly in another process (a rebuild)."""
    location = listing.location_area
    service = listing.service_area or location
    service_depth = service.depth if service else 0
    doc = IndexedDocument(
        listing_id=listing.pk,
        kind=listing.kind,
        title_key=normalize(listing.title)[:255],
        location_path=location.path if location else "",
        service_area_code=service.code if service else "",
        service_depth=service_depth,
        latitude=listing.latitude,
        longitude=listing.longitude,
        closed_on_holidays=listing.holiday_policy == HolidayPolicy.CLOSED,
    )
    doc.texts = listing_texts(listing, areas_by_code)
    doc.completeness = completeness(listing)
    doc.area_names = area_names_of(listing, areas_by_code)
    if analyse:
        analyse_texts(doc, synonyms, cache)
    doc.display = display_record(listing, areas_by_code)
    doc.facets.append(("kind", listing.kind, 0, 0))
    ages = {a.code for a in listing.age_groups.all()}
    # 「どなたでも」 counts under, and is found by, every age filter.
    expanded = set(ALL_AGES) | {Age.EVERYONE} if Age.EVERYONE in ages else ages
    doc.ages = sorted(expanded)
    doc.topics = [name[:100] for name in topic_names(listing)]
    doc.schedule_keys = schedule_keys(listing.schedule_rules.all())
    doc.facets += [("age", code, 0, 0) for code in doc.ages]
    doc.facets += [("topic", name, 0, 0) for name in topic_names(listing)]
    if location:
        for code in location.ancestor_codes:
            area = areas_by_code.get(code)
            depth = area.depth if area else TIER_ORDER.index(location.tier)
            doc.facets.append(("area", code, depth, service_depth))
    if service:
        doc.facets.append(("svc", service.code, service_depth, service_depth))
    return doc
