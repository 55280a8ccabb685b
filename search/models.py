"""The embedded search index (rebuildable from the database at any time) and its vocabulary.

The index lives in three tables written only by ``search.indexing``:
``SearchDocument`` (one row a live listing: what filters and sorting need), ``SearchPosting``
(term → document with a weight) and ``SearchFacet`` (facet values a document counts under).
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
    listing = models.OneToOneField(
        "listings.ListingPage",
        primary_key=True,
        on_delete=models.CASCADE,
        related_name="search_document",
    )
    kind = models.CharField(max_length=20, db_index=True)
    title_key = models.CharField(max_length=255)  # normalised title, for exact-match ranking
    location_path = models.CharField(max_length=255, db_index=True)
    service_area_code = models.CharField(max_length=32, db_index=True)
    service_depth = models.PositiveSmallIntegerField()
    latitude = models.FloatField(null=True, db_index=True)
    longitude = models.FloatField(null=True)
    closed_on_holidays = models.BooleanField(default=False)
    indexed_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("検索インデックス")

    def __str__(self) -> str:
        return f"document {self.listing_id}"


class SearchPosting(models.Model):
    term = models.CharField(max_length=100)
    document = models.ForeignKey(SearchDocument, on_delete=models.CASCADE, related_name="+")
    weight = models.FloatField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["term", "document"], name="search_posting_unique")
        ]
        # (term, document, weight): the text match reads only this index.
        indexes = [models.Index(fields=["term", "document", "weight"], name="search_post_term")]

    def __str__(self) -> str:
        return f"{self.term} → {self.document_id}"


class SearchFacet(models.Model):
    """One facet value of a document: kind, age, topic, area (each ancestor) or svc.

    For ``area`` rows ``depth`` is that area's tier depth and ``service_depth`` the document's,
    so area counts can add the listings that serve an area without being located in it.
    """

    document = models.ForeignKey(SearchDocument, on_delete=models.CASCADE, related_name="+")
    facet = models.CharField(max_length=8)
    value = models.CharField(max_length=100)
    depth = models.PositiveSmallIntegerField(default=0)
    service_depth = models.PositiveSmallIntegerField(default=0)

    class Meta:
        indexes = [
            models.Index(fields=["facet", "value", "document"], name="search_facet_value"),
            models.Index(fields=["document", "facet"], name="search_facet_doc"),
        ]

    def __str__(self) -> str:
        return f"{self.facet}={self.value} ({self.document_id})"


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
