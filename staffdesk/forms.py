from __future__ import annotations

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from listings.importers.registry import listing_formats
from listings.models import Area
from listings.vocabulary import Kind

from .services.exports import FORMATS


def _max_bytes() -> int:
    return getattr(settings, "IMPORT_MAX_UPLOAD_BYTES", 20 * 1024 * 1024)


class UploadForm(forms.Form):
    file = forms.FileField(
        label=_("CSVファイル"),
        help_text=_(
            "UTF-8（BOMあり・なし）または Shift_JIS。まず試行して、結果を確認してから取り込みます。"
        ),
    )
    format = forms.ChoiceField(label=_("形式"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["format"].choices = [
            ("", _("自動（見出し行で判定）")),
            *listing_formats().items(),
        ]

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > _max_bytes():
            raise forms.ValidationError(
                _("ファイルが大きすぎます（%(mb)s MBまで）。")
                % {"mb": _max_bytes() // (1024 * 1024)}
            )
        if upload.size == 0:
            raise forms.ValidationError(_("ファイルが空です。"))
        return upload


class ExportForm(forms.Form):
    kind = forms.ChoiceField(label=_("区分"), required=False)
    area = forms.ModelChoiceField(
        label=_("地域（その中にあるもの）"),
        queryset=Area.objects.order_by("path"),
        required=False,
        empty_label=_("すべて"),
        to_field_name="code",
    )
    include_offline = forms.BooleanField(label=_("非公開のものも含める"), required=False)
    format = forms.ChoiceField(label=_("形式"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [("", _("すべて")), *Kind.choices]
        self.fields["format"].choices = [(name, f.label) for name, f in FORMATS.items()]
