"""What brings a resident in danger to a person who can help: crisis lines and the words that
call for them (staff-edited snippets, seeded with a reviewed default set).

Matching a query against the trigger words is ``consult.crisis``; this module only stores.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel


class CrisisLine(models.Model):
    """A telephone (or chat) line for someone in danger, as its operator publishes it."""

    name = models.CharField(_("名前"), max_length=100, unique=True)
    number = models.CharField(
        _("番号（表示）"), max_length=40, help_text=_("例：0570-783-556、#8008、189")
    )
    dial = models.CharField(
        _("発信する番号"),
        max_length=20,
        blank=True,
        help_text=_("tel: リンクに使う数字と # だけ。空なら表示用の番号から作ります。"),
    )
    hours = models.CharField(_("受付時間"), max_length=200, blank=True)
    description = models.CharField(_("どんなときに"), max_length=300, blank=True)
    url = models.URLField(_("案内ページ"), blank=True)
    source = models.CharField(
        _("確認した出典"),
        max_length=300,
        help_text=_("番号と時間を確かめた公式の出典（機関名とページ）"),
    )
    checked_on = models.DateField(_("確認日"), null=True, blank=True)
    sort_order = models.PositiveSmallIntegerField(
        _("表示順"), default=100, help_text=_("小さいほど上。110・119 は先頭に。")
    )

    panels = [
        FieldPanel("name"),
        FieldRowPanel([FieldPanel("number"), FieldPanel("dial")]),
        FieldPanel("hours"),
        FieldPanel("description"),
        FieldPanel("url"),
        MultiFieldPanel([FieldPanel("source"), FieldPanel("checked_on")], heading=_("出典")),
        FieldPanel("sort_order"),
    ]

    class Meta:
        ordering = ["sort_order", "name"]
        verbose_name = _("緊急の相談電話")
        verbose_name_plural = _("緊急の相談電話")

    def __str__(self) -> str:
        return f"{self.name}（{self.number}）"

    @property
    def tel(self) -> str:
        """The number for a ``tel:`` link (digits, + and #; # escaped as %23)."""
        raw = self.dial or self.number
        kept = "".join(ch for ch in raw if ch.isdigit() or ch in "#+")
        return kept.replace("#", "%23")


class CrisisCategory(models.Model):
    """A kind of danger (suicide, abuse, violence, emergency…), the words that signal it and
    the lines to show for it."""

    code = models.SlugField(_("コード"), max_length=40, unique=True)
    name = models.CharField(_("名前"), max_length=100)
    message = models.CharField(
        _("ひとこと"),
        max_length=300,
        help_text=_("ブロックの見出しの下に出す、落ち着いた短い言葉"),
    )
    triggers = models.TextField(
        _("きっかけの言葉"),
        help_text=_(
            "1行に1つ。「＋」でつないだ言葉は全部そろったときだけ反応します"
            "（例：夫＋殴る）。「／」でつないだ言葉はどれか1つで反応します（例：夫／彼氏）。"
            "活用・ひらがな・カタカナ・全角半角の違いは自動で吸収します。"
        ),
    )
    lines = models.ManyToManyField(CrisisLine, verbose_name=_("案内する電話"), blank=True)
    local_window_note = models.CharField(
        _("身近な窓口の案内"),
        max_length=200,
        blank=True,
        help_text=_("例：お住まいの地域包括支援センターにも相談できます"),
    )
    sort_order = models.PositiveSmallIntegerField(_("表示順"), default=100)

    panels = [
        FieldRowPanel([FieldPanel("code"), FieldPanel("name")]),
        FieldPanel("message"),
        FieldPanel("triggers"),
        FieldPanel("lines"),
        FieldPanel("local_window_note"),
        FieldPanel("sort_order"),
    ]

    class Meta:
        ordering = ["sort_order", "code"]
        verbose_name = _("緊急の相談の種類")
        verbose_name_plural = _("緊急の相談の種類")

    def __str__(self) -> str:
        return self.name

    @property
    def trigger_list(self) -> list[str]:
        return _lines(self.triggers)


def _lines(text: str) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]
