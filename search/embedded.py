"""The embedded engine: Japanese search over the project's own database (SQLite or PostgreSQL).

The index is stored in the database (``search.indexing``) and searched in memory
(``search.memory``): a request reads the index version and, at most, the posting lists of
query terms this process has not seen yet — two small SQL statements whatever the result size.
Matching, filters, facet counts and sorting are array operations over the snapshot.
"""

from __future__ import annotations

import datetime
import math
from collections.abc import Callable, Iterable

import numpy as np
from django.utils import timezone

from . import indexing
from .analysis import AnalyzedQuery, analyze_query, normalize
from .contract import (
    MATCH_LOCATED,
    MATCH_SERVES,
    OPEN_MAYBE,
    OPEN_SURE,
    SORT_DISTANCE,
    SORT_NEXT_DATE,
    Hit,
    SearchParams,
    SearchResult,
    haversine_m,
)
from .facts import fact_keys, meaning, query_fact_candidates
from .memory import Snapshot, snapshot
from .places import PlaceMatch
from .places import resolve as resolve_places
from .relaxation import relax, set_aside_names
from .synonyms import synonym_table

# Evidence weights by term kind (see search.analysis): exact spelling above a normalised
# variant above a synonym above a reading-only match.
TERM_WEIGHTS = {
    "s": 1.0,
    "n": 0.9,
    "g": 0.75,
    "y": 0.6,
    "m": 0.6,
    "P": 1.0,
    "p": 1.0,
    "c": 1.0,
    "q": 1.0,
}
READING_RUN_WEIGHT = 0.5
# A compound found only as its parts, apart (同伴の保護者 for 保護者同伴), counts this much of
# its weakest part.
PARTS_WEIGHT = 0.7
EXACT_TITLE_BONUS = 50.0
# A query word (or two adjacent words) that names a fact of the listing's structured data —
# schedule, fee, booking (search.facts) — outweighs a mention of the same words in free text
# or a label (label weight 5 − facts weight 3 < FACT_BONUS), not a title that says it
# (title weight 10 > facts 3 + FACT_BONUS). Times the fact's rarity, like any query word.
FACT_BONUS = 5.0
MAX_GROUPS = 24
# A station (国領駅) also finds listings this close to the middle of its town's listings, at
# this weight (a town match weighs TOWN_WEIGHT 4): walking distance, after the town itself.
NEAR_STATION_M = 1000.0
NEAR_STATION_WEIGHT = 2.0
METRES_PER_DEGREE = 111_195.0
FACETS = ("kind", "age", "topic", "area")
FAR_ORDINAL = np.iinfo(np.int64).max  # no next date within the horizon
# Below this many candidates a full sort is cheaper than narrowing first.
SMALL_SORT = 2048


def top_order(keys: list[np.ndarray], k: int) -> np.ndarray:
    """Indices of the ``k`` smallest rows by ``keys`` (most significant first), in order.

    Narrows with a partition on each key in turn, so the cost is linear in the number of
    candidates, not n log n: a facet-only search at 100,000 listings sorts only a page.
    """
    n = len(keys[0]) if keys else 0
    if k <= 0 or n == 0:
        return np.empty(0, dtype=np.int64)
    if n <= max(SMALL_SORT, k):
        return np.lexsort(keys[::-1])[:k]
    if len(keys) == 1:  # the last key is unique (a rank or an id)
        chosen = np.argpartition(keys[0], k - 1)[:k]
        return chosen[np.argsort(keys[0][chosen], kind="stable")]
    primary = keys[0]
    kth = np.partition(primary, k - 1)[k - 1]
    below = np.flatnonzero(primary < kth)
    ties = np.flatnonzero(primary == kth)
    need = k - len(below)
    head = below[np.lexsort([key[below] for key in keys[::-1]])] if len(below) else below
    if need <= 0:
        return head[:k]
    rest = top_order([key[ties] for key in keys[1:]], need)
    return np.concatenate([head, ties[rest]])


class EmbeddedEngine:
    name = "embedded"

    # ------------------------------------------------------------------ index lifecycle
    def index_listings(self, listing_ids: Iterable[int]) -> int:
        return indexing.index_listing_ids(listing_ids)

    def remove_listings(self, listing_ids: Iterable[int]) -> None:
        indexing.remove_listings(listing_ids)

    def rebuild(self, progress: Callable[[int, int], None] | None = None):
        return indexing.rebuild(progress)

    # ------------------------------------------------------------------ search
    def search(self, params: SearchParams) -> SearchResult:
        synonyms = synonym_table()
        analyzed = analyze_query(params.q, synonyms)
        if params.q.strip() and analyzed.is_empty:
            # Only symbols or particles were typed: nothing to look for.
            return SearchResult(0, [], {}, self.name)
        snap = snapshot()
        analyzed, places = resolve_places(analyzed, lambda terms: _known(snap, terms))
        understood = understood_lines(analyzed, places)
        selected_areas = [snap.areas.index[c] for c in params.areas if c in snap.areas.index]
        if params.areas and not selected_areas:
            return SearchResult(0, [], {}, self.name)

        facts = self._facts(snap, analyzed, synonyms)
        result = self._run(snap, params, analyzed, selected_areas, facts=facts)
        result.understood = understood
        result, _ = relax(
            result,
            analyzed,
            params,
            lambda slack: self._run(
                snap, params, analyzed, selected_areas, slack=slack, facts=facts
            ),
            snap.size,
        )
        return result

    def _run(
        self,
        snap: Snapshot,
        params: SearchParams,
        analyzed: AnalyzedQuery,
        selected_areas: list[int],
        slack: int = 0,
        facts: np.ndarray | None = None,
    ) -> SearchResult:
        missed = None
        if analyzed.is_empty:
            base = np.ones(snap.size, dtype=bool)
            score = np.zeros(snap.size)
        else:
            base, score, satisfied_by_group = self._text(snap, analyzed, slack)
            if slack:
                # Full matches first, then those doing without the commonest words: what a
                # listing misses is weighed by each word's rarity, so 「障害のある子」 keeps
                # 障害 before 子 (class 5: matching more of the query, and the distinctive
                # part of it, ranks higher).
                missed = np.zeros(snap.size)
                for group, satisfied in satisfied_by_group:
                    if group.required and not group.place:
                        missed += ~satisfied * idf(int(satisfied.sum()), snap.size)
                missed = np.round(missed, 6)
            exact = snap.titled(normalize(params.q)[:255])
            if facts is not None:
                score += FACT_BONUS * facts * base
            score[exact] += EXACT_TITLE_BONUS * base[exact]
        if params.near and params.radius is not None:
            base &= self._within(snap, params.near, params.radius)
        maybe = None
        if params.open_on:
            # Sure matches first, then the listings that may be open (要確認): a date search
            # never silently drops a listing whose schedule could fall on the day.
            maybe = snap.may_be_open_on(params.open_on)
            base &= snap.open_on(params.open_on) | maybe
        if params.network_listing_ids is not None:
            base &= np.isin(snap.ids, np.fromiter(params.network_listing_ids, dtype=np.int64))
        if params.access_listing_ids is not None:
            base &= np.isin(snap.ids, np.fromiter(params.access_listing_ids, dtype=np.int64))

        # One mask per facet with a selection: the result is all of them together, and each
        # facet is counted without its own (values OR within a facet, AND across facets).
        masks: dict[str, np.ndarray] = {}
        if params.kinds:
            wanted = [snap.kind_values.index(k) for k in params.kinds if k in snap.kind_values]
            masks["kind"] = np.isin(snap.kind_number, wanted)
        if params.ages:
            masks["age"] = self._any_of(snap, snap.ages, params.ages)
        if params.topics:
            masks["topic"] = self._any_of(snap, snap.topics, params.topics)
        if selected_areas:
            masks["area"] = self._in_areas(snap, selected_areas)
        matched = base.copy()
        for mask in masks.values():
            matched &= mask

        facets = self._facets(snap, matched)
        for name in masks:
            without = base.copy()
            for other, mask in masks.items():
                if other != name:
                    without &= mask
            facets[name] = self._facets(snap, without, only=name)[name]

        positions = np.flatnonzero(matched)
        count = len(positions)
        end = params.offset + params.page_size
        sort = params.effective_sort
        next_dates = None
        if sort == SORT_NEXT_DATE:
            next_dates = snap.next_date_ordinals(timezone.localdate())[positions]
            keys = [next_dates, -score[positions], snap.ids[positions]]
        elif sort == SORT_DISTANCE and params.near:
            lat, lng = params.near
            kx = math.cos(math.radians(lat))
            dlat = snap.latitude[positions] - lat
            dlng = (snap.longitude[positions] - lng) * kx
            distance = dlat * dlat + dlng * dlng
            unknown = np.isnan(distance)
            keys = [
                unknown.astype(np.int64),
                np.where(unknown, 0.0, distance),
                -score[positions],
                snap.ids[positions],
            ]
        else:
            # Equal scores: the more complete record first, then the one open soonest, then
            # title order (issue 13, class 5) — never insertion or title order alone.
            keys = [
                -score[positions],
                -snap.completeness[positions],
                snap.next_date_ordinals(timezone.localdate())[positions],
                snap.title_rank[positions],
            ]
        if missed is not None:
            keys = [missed[positions], *keys]
        if maybe is not None:
            keys = [maybe[positions].astype(np.int64), *keys]
        page = positions[top_order(keys, end)[params.offset : end]]

        set_aside: tuple[str, ...] = ()
        if missed is not None and count:
            # The words the best listing that does without some of them leaves out.
            partial = positions[missed[positions] > 0]
            if len(partial):
                best = partial[top_order([missed[partial], -score[partial]], 1)[0]]
                named = [(g, sat) for g, sat in satisfied_by_group if g.required and not g.place]
                set_aside = set_aside_names(
                    [g for g, _sat in named], [not sat[best] for _g, sat in named]
                )
        hits = []
        ordinals = snap.next_date_ordinals(timezone.localdate()) if next_dates is not None else None
        for position in page.tolist():
            hit = Hit(listing_id=int(snap.ids[position]), score=float(score[position]))
            if maybe is not None:
                hit.open_on_match = OPEN_MAYBE if maybe[position] else OPEN_SURE
            if ordinals is not None and ordinals[position] < FAR_ORDINAL:
                hit.next_date = datetime.date.fromordinal(int(ordinals[position]))
            lat, lng = snap.latitude[position], snap.longitude[position]
            if params.near and not (math.isnan(lat) or math.isnan(lng)):
                hit.distance_m = round(
                    haversine_m(params.near[0], params.near[1], float(lat), float(lng)), 1
                )
            if selected_areas:
                path = (
                    snap.location_paths[snap.location[position]]
                    if (snap.location[position] >= 0)
                    else ""
                )
                located = any(path.startswith(snap.areas.paths[a]) for a in selected_areas)
                hit.area_match = MATCH_LOCATED if located else MATCH_SERVES
            hits.append(hit)
        return SearchResult(
            count, hits, facets, self.name, set_aside=tuple(dict.fromkeys(set_aside))
        )

    # ------------------------------------------------------------------ matching
    @staticmethod
    def _facts(snap: Snapshot, analyzed: AnalyzedQuery, synonyms) -> np.ndarray | None:
        """Per listing, the rarity-weighted count of the query's words (or adjacent pairs)
        its facts say."""
        chunks = list(dict.fromkeys(g.chunk or g.text for g in analyzed.groups if not g.place))
        candidates = query_fact_candidates(chunks)
        if not candidates:
            return None
        keys = {c: fact_keys(c, synonyms) for c in candidates}
        postings = snap.postings(sorted(set().union(*keys.values())))
        bonus = np.zeros(snap.size)
        for wanted in keys.values():
            has = np.zeros(snap.size, dtype=bool)
            for key in wanted:
                found = postings.get(key)
                if found is not None and len(found[0]):
                    has[found[0]] = True
            bonus += has * idf(int(has.sum()), snap.size)
        return bonus if bonus.any() else None

    def _text(
        self, snap: Snapshot, analyzed: AnalyzedQuery, slack: int
    ) -> tuple[np.ndarray, np.ndarray, list[tuple]]:
        """Which listings satisfy the query, their scores, and each group's matches.

        Per query group: the best (posting weight × evidence weight) among its terms, or,
        for a kana run, every one of its reading bigrams present (scored by the best bigram
        at half weight), times the group's rarity (``idf``: a word few listings have counts
        more than one most have). Every required group must be satisfied (all but
        ``slack``, never a place).
        """
        groups = list(analyzed.groups)[:MAX_GROUPS]
        wanted = [t for g in groups for t in g.terms] + [
            f"b:{b}" for g in groups for b in g.reading_run
        ]
        wanted += [t for g in groups for part in g.parts for t in part]
        # A station's own town, in the same read as every other term.
        wanted += [f"t:{g.station}" for g in groups if g.station]
        postings = snap.postings(wanted)
        n = snap.size
        score = np.zeros(n)
        satisfied_required = np.zeros(n, dtype=np.int64)
        # A place the resident named is never what relaxation sets aside (issue 13, class 6).
        places_satisfied = np.zeros(n, dtype=np.int64)
        by_group = []
        satisfied_any = np.zeros(n, dtype=bool)
        for group in groups:
            best = _best_weight(group.terms, postings, n)
            satisfied = best > 0
            if group.parts:
                # Or every part of the compound (保護者同伴 ← 「同伴の保護者」), scored by its
                # weakest part, below the compound itself.
                weakest = np.full(n, np.inf)
                for part in group.parts:
                    weakest = np.minimum(weakest, _best_weight(part, postings, n))
                by_parts = ~satisfied & np.isfinite(weakest) & (weakest > 0)
                best = np.where(by_parts, weakest * PARTS_WEIGHT, best)
                satisfied |= by_parts
            if group.station:
                satisfied = self._near_station(snap, group, postings, satisfied)
                best = np.where(satisfied & (best == 0), NEAR_STATION_WEIGHT, best)
            if group.reading_run:
                grams = np.zeros(n, dtype=np.int64)
                gram_best = np.zeros(n)
                for gram in group.reading_run:
                    found = postings.get(f"b:{gram}")
                    if found is not None and len(found[0]):
                        positions, weights = found
                        grams[positions] += 1
                        gram_best[positions] = np.maximum(gram_best[positions], weights)
                by_reading = ~satisfied & (grams >= len(group.reading_run))
                best = np.where(by_reading, gram_best * READING_RUN_WEIGHT, best)
                satisfied |= by_reading
            score += best * satisfied * idf(int(satisfied.sum()), n)
            by_group.append((group, satisfied))
            satisfied_any |= satisfied
            if group.place:
                places_satisfied += satisfied
            elif group.required:
                satisfied_required += satisfied
        places = sum(1 for g in groups if g.place)
        required = sum(1 for g in groups if g.required and not g.place) - slack
        matched = satisfied_any & (satisfied_required >= required) & (places_satisfied >= places)
        return matched, np.where(matched, score, 0.0), by_group

    @staticmethod
    def _near_station(snap: Snapshot, group, postings, in_towns: np.ndarray) -> np.ndarray:
        """The listings at a station typed as one (「大井町駅」): those in the town it is named
        after (大井, not 西大井, which has its own station), those within walking distance of
        it, and names carrying the word. ``in_towns``: every town containing the name.

        The portal knows no station coordinates (docs/search.md, "Stations"): the middle
        (median) of the town's listings stands in for it, and listings in other towns within
        ``NEAR_STATION_M`` of it are near the station too (阿佐ヶ谷 rows for 荻窪駅). When
        the town itself has no listing, every town containing the name is kept.
        """
        found = postings.get(f"t:{group.station}")
        own = np.zeros(snap.size, dtype=bool)
        if found is not None and len(found[0]):
            own[found[0]] = True
        base = own if own.any() else in_towns
        lat, lng = snap.latitude[base], snap.longitude[base]
        known = ~(np.isnan(lat) | np.isnan(lng))
        if not known.any():
            return in_towns
        centre = (float(np.median(lat[known])), float(np.median(lng[known])))
        near = EmbeddedEngine._within(snap, centre, NEAR_STATION_M)
        if not own.any():
            return in_towns | near
        named = np.zeros(snap.size, dtype=bool)
        for term in group.terms:
            hit = postings.get(term)
            if term.startswith(("s:", "n:")) and hit is not None and len(hit[0]):
                named[hit[0]] = True
        return own | near | named

    @staticmethod
    def _within(snap: Snapshot, near: tuple[float, float], radius: float) -> np.ndarray:
        """Inside the circle (flat-earth, fine at city scale); no coordinates → outside."""
        lat, lng = near
        dlat = radius / METRES_PER_DEGREE
        kx = math.cos(math.radians(lat))
        with np.errstate(invalid="ignore"):
            y = snap.latitude - lat
            x = (snap.longitude - lng) * kx
            return (y * y + x * x) <= dlat * dlat

    @staticmethod
    def _any_of(snap: Snapshot, table: dict[str, np.ndarray], values) -> np.ndarray:
        mask = np.zeros(snap.size, dtype=bool)
        for value in values:
            found = table.get(value)
            if found is not None:
                mask[found] = True
        return mask

    @staticmethod
    def _in_areas(snap: Snapshot, selected: list[int]) -> np.ndarray:
        """DESIGN.md §3: located in the area (or below it), or serving the area or a tier above."""
        paths = [snap.areas.paths[a] for a in selected]
        located_paths = [
            i
            for i, path in enumerate(snap.location_paths)
            if any(path.startswith(p) for p in paths)
        ]
        serving = {code for a in selected for code in snap.areas.paths[a].split("/") if code}
        serving_codes = [i for i, code in enumerate(snap.service_code_values) if code in serving]
        return np.isin(snap.location, located_paths) | np.isin(snap.service_codes, serving_codes)

    # ------------------------------------------------------------------ facets
    def _facets(
        self, snap: Snapshot, mask: np.ndarray, only: str | None = None
    ) -> dict[str, dict[str, int]]:
        facets: dict[str, dict[str, int]] = {name: {} for name in FACETS}
        if only in (None, "kind"):
            counts = np.bincount(snap.kind_number[mask], minlength=len(snap.kind_values))
            facets["kind"] = {
                snap.kind_values[i]: int(c) for i, c in enumerate(counts.tolist()) if c
            }
        for name, (pair_pos, pair_val), values in (
            ("age", snap.age_pairs, snap.age_values),
            ("topic", snap.topic_pairs, snap.topic_values),
        ):
            if only in (None, name) and len(pair_pos):
                counts = np.bincount(pair_val[mask[pair_pos]], minlength=len(values))
                facets[name] = {values[i]: int(c) for i, c in enumerate(counts.tolist()) if c}
        if only in (None, "area"):
            facets["area"] = self._area_counts(snap, mask)
        return facets

    @staticmethod
    def _area_counts(snap: Snapshot, mask: np.ndarray) -> dict[str, int]:
        """Area X counts the listings located in it plus those whose service area holds X:
        located(X) − located there but serving X or above + served by X or an ancestor."""
        areas = snap.areas
        a = len(areas.codes)
        if not a:
            return {}
        located_here = mask & (snap.location >= 0)
        if not located_here.any() and not (mask & (snap.service >= 0)).any():
            return {}
        paths = len(snap.location_paths)
        depths = 4
        # Listings per (location path, service depth), then rolled up the path's areas.
        per_path = np.bincount(
            snap.location[located_here] * depths + np.minimum(snap.service_depth[located_here], 3),
            minlength=paths * depths,
        ).reshape(paths, depths)
        pp, pa = snap.path_pair_path, snap.path_pair_area
        located = np.bincount(pa, weights=per_path.sum(axis=1)[pp], minlength=a)
        cumulative = np.cumsum(per_path, axis=1)
        above = np.bincount(pa, weights=cumulative[pp, np.minimum(areas.depth[pa], 3)], minlength=a)
        served_here = mask & (snap.service >= 0)
        served = np.bincount(snap.service[served_here], minlength=a)
        served_above = np.bincount(
            areas.pair_area, weights=served[areas.pair_ancestor], minlength=a
        )
        total = (located - above + served_above).astype(np.int64)
        return {areas.codes[i]: int(c) for i, c in enumerate(total.tolist()) if c > 0}


def _best_weight(terms, postings, n: int) -> np.ndarray:
    """Per listing, the best (posting weight × evidence weight) among ``terms``."""
    best = np.zeros(n)
    for term in terms:
        found = postings.get(term)
        if found is not None and len(found[0]):
            positions, weights = found
            weight = weights * TERM_WEIGHTS.get(term.split(":", 1)[0], 0.5)
            best[positions] = np.maximum(best[positions], weight)
    return best


def _known(snap: Snapshot, terms: list[str]) -> set[str]:
    """The terms with postings in the index (how search.places tells a place name)."""
    return {term for term, found in snap.postings(terms).items() if len(found[0])}


def idf(matches: int, size: int) -> float:
    """How much a query word's matches count: 1 for a word every listing has, more for rare
    ones (log-scaled, so a rare word does not drown the rest)."""
    if matches <= 0 or size <= 0:
        return 1.0
    return 1.0 + math.log(size / matches)


def understood_lines(analyzed: AnalyzedQuery, places: list[PlaceMatch]) -> tuple[str, ...]:
    """「大泉」→ 地名, 「土曜」→ 開催日 …: what each word of the query was read as."""
    lines = [place.describe() for place in places]
    seen = {place.chunk for place in places}
    for group in analyzed.groups:
        chunk = group.chunk or group.text
        if chunk in seen:
            continue
        seen.add(chunk)
        line = meaning(chunk)
        if line:
            lines.append(line)
    return tuple(lines)
