"""The embedded engine: Japanese search over the project's own database (SQLite or PostgreSQL).

One request runs a constant number of SQL statements whatever the result size: the page of
hits (with the total via a window function), the facet counts, and one more facet count per
facet that has a selection (at most four), all over the same CTEs: ``qt`` (query terms) →
``hits`` (per document and query group) → ``text`` (documents satisfying every required group,
with a score) → ``filtered`` (facet, area, distance and date filters).
"""

from __future__ import annotations

import datetime
import math
from collections.abc import Callable, Iterable
from dataclasses import replace

import jpholiday
from django.db import connection
from django.utils import timezone

from listings import schedules
from listings.models import Area, ScheduleRule

from . import indexing
from .analysis import AnalyzedQuery, analyze_query, normalize
from .engine import (
    MATCH_LOCATED,
    MATCH_SERVES,
    SORT_DISTANCE,
    SORT_NEXT_DATE,
    Hit,
    SearchParams,
    SearchResult,
    haversine_m,
)
from .models import SearchDocument, SearchFacet, SearchPosting
from .synonyms import synonym_table

# Evidence weights by term kind (see search.analysis): exact spelling above a normalised
# variant above a synonym above a reading-only match.
TERM_WEIGHTS = {"s": 1.0, "n": 0.9, "g": 0.75, "y": 0.6, "m": 0.6}
READING_RUN_WEIGHT = 0.5
EXACT_TITLE_BONUS = 50.0
MAX_GROUPS = 24
METRES_PER_DEGREE = 111_195.0
# The facet rows each facet is counted from (area counts need the service areas too).
FACET_ROWS = {"kind": ("kind",), "age": ("age",), "topic": ("topic",), "area": ("area", "svc")}

DOC = SearchDocument._meta.db_table
POSTING = SearchPosting._meta.db_table
FACET = SearchFacet._meta.db_table
RULE = ScheduleRule._meta.db_table


def _materialized(ctes: str) -> str:
    """Ask the database to compute ``filtered`` once (PostgreSQL 12+, SQLite 3.35+)."""
    supported = connection.vendor == "postgresql" or (
        connection.vendor == "sqlite" and connection.Database.sqlite_version_info >= (3, 35)
    )
    if not supported:
        return ctes
    return ctes.replace("filtered AS (", "filtered AS MATERIALIZED (", 1)


def _values(rows: list[tuple], casts: tuple[str, ...]) -> tuple[str, list]:
    """A portable ``VALUES`` list with typed placeholders (PostgreSQL needs the types)."""
    row_sql = "(" + ", ".join(f"CAST(%s AS {c})" for c in casts) + ")"
    params: list = []
    for row in rows:
        params.extend(row)
    return ", ".join([row_sql] * len(rows)), params


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
        analyzed = analyze_query(params.q, synonym_table())
        if params.q.strip() and analyzed.is_empty:
            # Only symbols or particles were typed: nothing to look for.
            return SearchResult(0, [], {}, self.name)
        area_paths = self._area_paths(params.areas)
        if params.areas and not area_paths:
            return SearchResult(0, [], {}, self.name)

        result = self._run(params, analyzed, area_paths)
        if result.count == 0 and len(analyzed.required_groups) >= 2 and not params.has_filters:
            # Nothing has every word (「夫の暴力」 where the listing says 配偶者の暴力): show
            # what has all but one, and say so.
            relaxed = self._run(params, analyzed, area_paths, slack=1)
            if relaxed.count:
                relaxed.relaxed = True
                return relaxed
        return result

    def _run(
        self, params: SearchParams, analyzed: AnalyzedQuery, area_paths, slack: int = 0
    ) -> SearchResult:
        ctes, cte_params = self._filtered_cte(params, analyzed, area_paths, slack)
        sort = params.effective_sort
        order, order_params = self._order_by(params, sort)
        with connection.cursor() as cursor:
            if sort == SORT_NEXT_DATE:
                cursor.execute(
                    f"{ctes} SELECT doc, score, lat, lng, path FROM filtered", cte_params
                )
                rows = self._sort_by_next_date(cursor.fetchall())
                count = len(rows)
                rows = rows[params.offset : params.offset + params.page_size]
                facets = self._facets(self._facet_rows(cursor, ctes, cte_params))
            else:
                rows, count, facet_rows = self._page_and_facets(
                    cursor, ctes, cte_params, order, order_params, params
                )
                facets = self._facets(facet_rows)
            # A facet with a selection is counted without its own filter, so each value says
            # what choosing it too would give (values OR within a facet). At most four more
            # statements, whatever the result size.
            for name, without in self._disjunctive(params):
                sub_ctes, sub_params = self._filtered_cte(
                    without, analyzed, self._area_paths(without.areas), slack
                )
                rows_for = self._facet_rows(cursor, sub_ctes, sub_params, FACET_ROWS[name])
                facets[name] = self._facets(rows_for)[name]

        hits = [self._hit(row, params, area_paths) for row in rows]
        return SearchResult(count, hits, facets, self.name)

    def _page_and_facets(self, cursor, ctes, cte_params, order, order_params, params):
        """The page of hits, the total and the facet counts in ONE statement.

        ``filtered`` is materialised once and read three times (the page, the count, the
        facets), instead of evaluating the text match once per statement.
        """
        sql = (
            f"{_materialized(ctes)} "
            "SELECT * FROM (SELECT 0 AS part, doc, score, lat, lng, path, "
            "CAST(NULL AS VARCHAR(100)) AS facet, CAST(NULL AS VARCHAR(100)) AS value, "
            f"ROW_NUMBER() OVER (ORDER BY {order}) AS n, 0 AS m "
            f"FROM filtered ORDER BY {order} LIMIT %s OFFSET %s) page "
            "UNION ALL SELECT 1, 0, 0.0, NULL, NULL, NULL, NULL, NULL, COUNT(*), 0 "
            "FROM filtered "
            "UNION ALL SELECT 2, 0, 0.0, NULL, NULL, NULL, f.facet, f.value, COUNT(*), "
            "SUM(CASE WHEN f.service_depth <= f.depth THEN 1 ELSE 0 END) "
            f"FROM {FACET} f JOIN filtered ON f.document_id = filtered.doc "
            "GROUP BY f.facet, f.value"
        )
        cursor.execute(
            sql, [*cte_params, *order_params, *order_params, params.page_size, params.offset]
        )
        page, count, facet_rows = [], 0, []
        for part, doc, score, lat, lng, path, facet, value, n, m in cursor.fetchall():
            if part == 0:
                page.append((n, (doc, score, lat, lng, path)))
            elif part == 1:
                count = n
            else:
                facet_rows.append((facet, value, n, m))
        # UNION ALL keeps no order: the page's own row numbers restore it.
        rows = [row for _, row in sorted(page)]
        return rows, count, facet_rows

    def _facet_rows(self, cursor, ctes: str, cte_params: list, only: tuple[str, ...] = ()):
        where = f"WHERE f.facet IN ({', '.join(['%s'] * len(only))}) " if only else ""
        cursor.execute(
            f"{ctes} SELECT f.facet, f.value, COUNT(*), "
            "SUM(CASE WHEN f.service_depth <= f.depth THEN 1 ELSE 0 END) "
            f"FROM {FACET} f JOIN filtered ON f.document_id = filtered.doc "
            f"{where}GROUP BY f.facet, f.value",
            [*cte_params, *only],
        )
        return cursor.fetchall()

    @staticmethod
    def _disjunctive(params: SearchParams):
        for name, field in (("kind", "kinds"), ("age", "ages"), ("topic", "topics")):
            if getattr(params, field):
                yield name, replace(params, **{field: ()})
        if params.areas:
            yield "area", replace(params, areas=())

    # ------------------------------------------------------------------ SQL pieces
    def _filtered_cte(
        self,
        params: SearchParams,
        analyzed: AnalyzedQuery,
        area_paths: list[tuple[str, list]],
        slack: int = 0,
    ) -> tuple[str, list]:
        ctes: list[str] = []
        sql_params: list = []
        where: list[str] = []
        if analyzed.is_empty:
            source = f"{DOC} d"
            score = "0.0"
        else:
            text_sql, text_params = self._text_ctes(analyzed, slack)
            ctes.append(text_sql)
            sql_params += text_params
            source = f"{DOC} d JOIN text ON text.doc = d.listing_id"
            score = "text.score + CASE WHEN d.title_key = %s THEN %s ELSE 0 END"
            sql_params += [normalize(params.q)[:255], EXACT_TITLE_BONUS]

        if params.kinds:
            where.append(f"d.kind IN ({', '.join(['%s'] * len(params.kinds))})")
            sql_params += list(params.kinds)
        for facet, values in (("age", params.ages), ("topic", params.topics)):
            if values:
                where.append(
                    f"d.listing_id IN (SELECT document_id FROM {FACET} "
                    f"WHERE facet = %s AND value IN ({', '.join(['%s'] * len(values))}))"
                )
                sql_params += [facet, *values]
        if area_paths:
            either = []
            for path, ancestors in area_paths:
                either.append(
                    "SUBSTR(d.location_path, 1, %s) = %s OR d.service_area_code IN "
                    f"({', '.join(['%s'] * len(ancestors))})"
                )
                sql_params += [len(path), path, *ancestors]
            where.append("(" + " OR ".join(either) + ")")
        if params.near and params.radius is not None:
            lat, lng = params.near
            dlat = params.radius / METRES_PER_DEGREE
            dlng = dlat / max(math.cos(math.radians(lat)), 0.01)
            # The box uses the latitude index; the circle is flat-earth, fine at city scale.
            kx = math.cos(math.radians(lat))
            where.append(
                "d.latitude BETWEEN %s AND %s AND d.longitude BETWEEN %s AND %s AND "
                "(d.latitude - %s) * (d.latitude - %s) + "
                "((d.longitude - %s) * %s) * ((d.longitude - %s) * %s) <= %s"
            )
            sql_params += [lat - dlat, lat + dlat, lng - dlng, lng + dlng]
            sql_params += [lat, lat, lng, kx, lng, kx, dlat * dlat]
        if params.open_on:
            open_sql, open_params = self._open_on(params.open_on)
            where.append(open_sql)
            sql_params += open_params

        where_sql = " AND ".join(where) if where else "1 = 1"
        ctes.append(
            f"filtered AS (SELECT d.listing_id AS doc, {score} AS score, d.latitude AS lat, "
            f"d.longitude AS lng, d.location_path AS path, d.title_key AS title_key "
            f"FROM {source} WHERE {where_sql})"
        )
        return "WITH " + ", ".join(ctes), sql_params

    def _text_ctes(self, analyzed: AnalyzedQuery, slack: int = 0) -> tuple[str, list]:
        groups = list(analyzed.groups)[:MAX_GROUPS]
        term_rows: list[tuple] = []
        group_rows: list[tuple] = []
        for number, group in enumerate(groups):
            for term in group.terms:
                kind = term.split(":", 1)[0]
                term_rows.append((term[:100], number, TERM_WEIGHTS.get(kind, 0.5), 0))
            for gram in group.reading_run:
                term_rows.append((f"b:{gram}", number, 1.0, 1))
            group_rows.append((number, int(group.required), len(group.reading_run)))
        required = sum(1 for g in groups if g.required) - slack
        qt_sql, qt_params = _values(term_rows, ("VARCHAR(100)", "INTEGER", "FLOAT", "INTEGER"))
        qg_sql, qg_params = _values(group_rows, ("INTEGER", "INTEGER", "INTEGER"))
        sql = (
            f"qt(term, grp, tw, kind) AS (VALUES {qt_sql}), "
            f"qg(grp, req, need) AS (VALUES {qg_sql}), "
            "hits AS (SELECT p.document_id AS doc, qt.grp AS grp, "
            "MAX(CASE WHEN qt.kind = 0 THEN p.weight * qt.tw END) AS best, "
            "SUM(CASE WHEN qt.kind = 1 THEN 1 ELSE 0 END) AS grams, "
            "MAX(CASE WHEN qt.kind = 1 THEN p.weight END) AS gramw "
            f"FROM {POSTING} p JOIN qt ON p.term = qt.term GROUP BY p.document_id, qt.grp), "
            "text AS (SELECT hits.doc AS doc, "
            "SUM(CASE WHEN hits.best IS NOT NULL THEN hits.best ELSE hits.gramw * %s END) "
            "AS score FROM hits JOIN qg ON hits.grp = qg.grp "
            "WHERE hits.best IS NOT NULL OR (qg.need > 0 AND hits.grams >= qg.need) "
            "GROUP BY hits.doc HAVING SUM(qg.req) >= %s)"
        )
        return sql, [*qt_params, *qg_params, READING_RUN_WEIGHT, required]

    def _open_on(self, day: datetime.date) -> tuple[str, list]:
        weekday = day.weekday()
        weeks = [schedules.week_of_month(day)]
        if schedules.is_last_of_month(day):
            weeks.append(schedules.LAST_WEEK)
        sql = (
            f"d.listing_id IN (SELECT r.listing_id FROM {RULE} r WHERE "
            "(r.frequency = 'weekly' AND r.weekday = %s) OR "
            "(r.frequency = 'monthly' AND r.weekday = %s AND r.week_of_month IN (%s, %s)) OR "
            "(r.frequency = 'monthday' AND r.day_of_month = %s) OR "
            "(r.frequency = 'date' AND r.date = %s))"
        )
        params = [weekday, weekday, weeks[0], weeks[-1], day.day, day]
        if jpholiday.is_holiday(day):
            sql += " AND d.closed_on_holidays = %s"
            params.append(False)
        return sql, params

    def _order_by(self, params: SearchParams, sort: str) -> tuple[str, list]:
        if sort == SORT_DISTANCE and params.near:
            lat, lng = params.near
            kx = math.cos(math.radians(lat))
            return (
                "CASE WHEN lat IS NULL THEN 1 ELSE 0 END, "
                "(lat - %s) * (lat - %s) + ((lng - %s) * %s) * ((lng - %s) * %s), "
                "score DESC, doc",
                [lat, lat, lng, kx, lng, kx],
            )
        return "score DESC, title_key, doc", []

    # ------------------------------------------------------------------ results
    def _area_paths(self, codes: tuple[str, ...]) -> list[tuple[str, list]]:
        areas = Area.objects.filter(code__in=codes).only("code", "path")
        return [(a.path, a.ancestor_codes) for a in areas]

    def _hit(self, row, params: SearchParams, area_paths) -> Hit:
        doc, score, lat, lng, path = row[:5]
        hit = Hit(listing_id=doc, score=float(score or 0.0))
        if params.near and lat is not None and lng is not None:
            hit.distance_m = round(haversine_m(params.near[0], params.near[1], lat, lng), 1)
        if area_paths:
            located = any(path.startswith(p) for p, _ in area_paths)
            hit.area_match = MATCH_LOCATED if located else MATCH_SERVES
        return hit

    def _sort_by_next_date(self, rows: list[tuple]) -> list[tuple]:
        today = timezone.localdate()
        rules: dict[int, list[ScheduleRule]] = {}
        ids = [row[0] for row in rows]
        for rule in ScheduleRule.objects.filter(listing_id__in=ids):
            rules.setdefault(rule.listing_id, []).append(rule)
        closed = set(
            SearchDocument.objects.filter(pk__in=ids, closed_on_holidays=True).values_list(
                "pk", flat=True
            )
        )
        far = datetime.date.max

        def key(row):
            policy = "closed" if row[0] in closed else ""
            found = schedules.next_occurrences(rules.get(row[0], []), policy, today, 1)
            return (found[0].date if found else far, -float(row[1] or 0))

        return sorted(rows, key=key)

    def _facets(self, rows) -> dict[str, dict[str, int]]:
        facets: dict[str, dict[str, int]] = {"kind": {}, "age": {}, "topic": {}, "area": {}}
        located: dict[str, int] = {}
        located_served_above: dict[str, int] = {}
        served: dict[str, int] = {}
        for facet, value, count, served_above in rows:
            if facet == "area":
                located[value] = count
                located_served_above[value] = served_above or 0
            elif facet == "svc":
                served[value] = count
            else:
                facets[facet][value] = count
        if located or served:
            # Area X counts the listings located in it plus those whose service area holds X.
            for area in Area.objects.only("code", "path"):
                total = located.get(area.code, 0) - located_served_above.get(area.code, 0)
                total += sum(served.get(code, 0) for code in area.ancestor_codes)
                if total:
                    facets["area"][area.code] = total
        return facets
