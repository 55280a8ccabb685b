"""The embedded search index (rebuildable from the database at any time) and its vocabulary.

The index lives in three tables written only by ``search.indexing``:
``SearchDocument`` (one row a live listing: filters, facets, sort keys, display record),
``SearchTerm`` (one row a term: its posting list, compact) and ``SearchIndexState`` (the
version every write changes). ``search.memory`` keeps a per-process copy for searching.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel


class Synonym(models.Model):
    """A group of words residents use for the same thing (居場所 ⇔ たまり場)."""

    words = models.TextField(
        _("同じ意味の言葉"),
        help_text=_("読点（、）・カンマ・改行で区切ります。例：居場所、たまり場、サロン"),
    )
    note = models.CharField(_("メモ"), max_length=200, blank=True)

    panels = [FieldPanel("words"), FieldPanel("note")]

    class Meta:
        verbose_name = _("同義語")
        verbose_name_plural = _("同義語")

    def __str__(self) -> str:
        return "、".join(self.word_list[:6])

    @property
    def word_list(self) -> list[str]:
        from listings.models import split_keywords

        return split_keywords(self.words)


class SearchDocument(models.Model):
    """One live listing as the engine sees it: filters, facets, sort keys and display."""

    listing = models.OneToOneField(
        "listings.ListingPage",
        primary_key=True,
        on_delete=models.CASCADE,
        related_name="search_document",
    )
    kind = models.CharField(max_length=20)
    title_key = models.CharField(max_length=255)  # normalised title, for exact-match ranking
    location_path = models.CharField(max_length=255)
    service_area_code = models.CharField(max_length=32)
    service_depth = models.PositiveSmallIntegerField()
    latitude = models.FloatField(null=True)
    longitude = models.FloatField(null=True)
    closed_on_holidays = models.BooleanField(default=False)
    # Space-separated age codes (「どなたでも」 expanded to every age) and newline-separated topics.
    ages = models.CharField(max_length=100, blank=True)
    topics = models.TextField(blank=True)
    # The days the listing is open, as keys (search.documents.schedule_keys): w<weekday>,
    # m<weekday>:<week>, d<day of month>, D<ISO date>.
    schedule_keys = models.TextField(blank=True)
    # The terms this document is posted under (zlib, newline-separated): what to take out of
    # the posting lists when it changes.
    terms = models.BinaryField(default=b"")
    # What the API shows for a hit without reading the page (search.display), as JSON.
    display = models.TextField(blank=True)
    # How many of the record's parts are filled in (search.documents.completeness): the
    # relevance tie-break after the score.
    completeness = models.PositiveSmallIntegerField(default=0)
    indexed_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("検索インデックス")

    def __str__(self) -> str:
        return f"document {self.listing_id}"


class SearchTerm(models.Model):
    """The posting list of one term: the listings it occurs in and its weight in each.

    Stored compactly (sorted little-endian int32 listing ids, float64 weights) so a search
    reads one row per query term instead of one row per matching listing.
    """

    term = models.CharField(max_length=100, primary_key=True)
    listing_ids = models.BinaryField()
    weights = models.BinaryField()
    document_count = models.PositiveIntegerField()

    def __str__(self) -> str:
        return f"{self.term} ({self.document_count})"


class SearchIndexState(models.Model):
    """One row: the index version, changed by every write so each process can tell that
    its in-memory copy (search.memory) is stale. Updating it first also makes index writers
    take turns (a row lock on PostgreSQL, the write lock on SQLite)."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    version = models.CharField(max_length=32)
    changed_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return self.version


class SearchQueryLog(models.Model):
    """What residents looked for and how many results they got (no personal data)."""

    query = models.CharField(_("検索語"), max_length=200, blank=True)
    filters = models.CharField(_("絞り込み"), max_length=500, blank=True)
    result_count = models.PositiveIntegerField(_("件数"))
    source = models.CharField(_("経路"), max_length=10)  # page | api
    searched_on = models.DateField(_("日付"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("検索の記録")
        verbose_name_plural = _("検索の記録")
        ordering = ["-id"]

    def __str__(self) -> str:
        return f"{self.query}（{self.result_count}件）"
