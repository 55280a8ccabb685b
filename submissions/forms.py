"""The public forms: a group's activity (new, suggested change, update), a reply, and staff's
own forms in the admin.

Everything works without JavaScript: plain selects for the schedule (three rows), checkboxes,
one file input per photo. Errors come back next to each field (Django 5.2 sets aria-invalid and
aria-describedby=「…_helptext …_error」; the templates give those ids) and in a summary at the
top (``error_summary``).
"""

from __future__ import annotations

import datetime
import re
import unicodedata
from dataclasses import dataclass
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.forms.utils import ErrorDict
from django.utils.functional import lazy
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext

from listings.models import ScheduleRule, latitude_validators, longitude_validators
from listings.schedules import WEEK_LABELS
from listings.vocabulary import Age, Booking, Kind, Tier

from . import images, selectors
from .proposal import FIELDS, SERVICE_TIER_LABELS, TEXT_FIELDS

# The topics offered as checkboxes (DESIGN.md §4); anything else goes in the free-text box.
COMMON_TOPICS = (
    "食事",
    "学習支援",
    "子育て",
    "介護予防",
    "障害",
    "生活困窮",
    "ひきこもり",
    "不登校",
    "防災",
    "多文化",
)
PHOTO_COUNT = 3
SCHEDULE_ROWS = 3
MAX_SCHEDULE_ROWS = 10
TOPIC_MAX_LENGTH = 100

NEW, CHANGE, UPDATE = "new", "change", "update"

# The order of the fields on the page (the error summary follows it). The schedule rows come
# just before "schedule_note".
PAGE_ORDER = [
    "kind",
    "title",
    "name_kana",
    "description",
    "age_groups",
    "topics",
    "topics_other",
    "address",
    "location_area",
    "service_tier",
    "latitude",
    "longitude",
    "schedule_note",
    "fee",
    "booking",
    "how_to_join",
    "organiser",
    "phone",
    "email",
    "website",
    "accessibility",
    *[f"photo_{n}{suffix}" for n in (1, 2, 3) for suffix in ("", "_caption")],
    "note_to_staff",
    "submitter_name",
    "submitter_email",
    "submitter_phone",
    "consent",
    "hp_check",
]

TIME_CHOICES = [("", "--:--")] + [
    (f"{hour:02d}:{minute:02d}", f"{hour}:{minute:02d}")
    for hour in range(5, 24)
    for minute in (0, 15, 30, 45)
]
SERVICE_TIER_CHOICES = list(SERVICE_TIER_LABELS.items())


def _one_line(value: str) -> str:
    return value.strip()


def _text_block(value: str) -> str:
    # Browsers send CRLF from a textarea; keep one kind of line break.
    return value.replace("\r\n", "\n").replace("\r", "\n").strip()


def _to_katakana(text: str) -> str:
    return "".join(chr(ord(c) + 0x60) if "ぁ" <= c <= "ゖ" else c for c in text)


_KANA = re.compile(r"^[゠-ヿ\s　・ー]+$")
_PHONE = re.compile(r"^[0-9()\- ]+$")


# The schedule row's options, in the interface language (土曜日 / "Saturday", 第2 / "2nd",
# 12日 / "12"). The stored values are numbers; the CSV's Japanese tokens are not involved.
WEEKDAY_CHOICES = [
    (0, _("月曜日")),
    (1, _("火曜日")),
    (2, _("水曜日")),
    (3, _("木曜日")),
    (4, _("金曜日")),
    (5, _("土曜日")),
    (6, _("日曜日")),
]
WEEK_OF_MONTH_CHOICES = [(week, capfirst(label)) for week, label in WEEK_LABELS.items()]


def _day_of_month_label(day: int) -> str:
    return pgettext("day of month", "%(day)s日") % {"day": day}


DAY_OF_MONTH_CHOICES = [(d, lazy(_day_of_month_label, str)(d)) for d in range(1, 32)]


class ScheduleRowForm(forms.Form):
    """One row of 「毎月 第2 土曜 11:00〜13:00」; an empty row is skipped."""

    frequency = forms.ChoiceField(
        label=_("くり返し"),
        required=False,
        choices=[("", _("（使わない）")), *ScheduleRule.Frequency.choices],
    )
    week_of_month = forms.TypedChoiceField(
        label=_("第何週"),
        required=False,
        coerce=int,
        empty_value=None,
        choices=[("", "—"), *WEEK_OF_MONTH_CHOICES],
    )
    weekday = forms.TypedChoiceField(
        label=_("曜日"),
        required=False,
        coerce=int,
        empty_value=None,
        choices=[("", "—"), *WEEKDAY_CHOICES],
    )
    day_of_month = forms.TypedChoiceField(
        label=_("日"),
        required=False,
        coerce=int,
        empty_value=None,
        choices=[("", "—"), *DAY_OF_MONTH_CHOICES],
    )
    date = forms.DateField(
        label=_("日付"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": _("日付は 2026-04-01 の形で入力してください。")},
    )
    start_time = forms.ChoiceField(label=_("開始"), required=False, choices=TIME_CHOICES)
    end_time = forms.ChoiceField(label=_("終了"), required=False, choices=TIME_CHOICES)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # A listing's existing time (e.g. 10:10) is offered even when it is off the grid.
        for name in ("start_time", "end_time"):
            value = self.initial.get(name)
            field = self.fields[name]
            if value and value not in dict(field.choices):
                field.choices = [*field.choices, (value, value)]

    def clean(self):
        data = super().clean()
        frequency = data.get("frequency")
        others = ("week_of_month", "weekday", "day_of_month", "date", "start_time", "end_time")
        if not frequency:
            if any(data.get(name) for name in others):
                self.add_error("frequency", _("くり返しを選んでください。"))
            return data
        rule = self._rule(data)
        try:
            rule.clean()
        except ValidationError as exc:
            for name, messages in exc.message_dict.items():
                for message in messages:
                    self.add_error(name if name in self.fields else None, message)
        return data

    @staticmethod
    def _rule(data: dict[str, Any]) -> ScheduleRule:
        """The row as an unsaved ScheduleRule, keeping only the fields its frequency uses."""
        frequency = data["frequency"]
        uses_weekday = frequency in (ScheduleRule.Frequency.WEEKLY, ScheduleRule.Frequency.MONTHLY)

        def time(value: str) -> datetime.time | None:
            return datetime.time.fromisoformat(value) if value else None

        return ScheduleRule(
            frequency=frequency,
            weekday=data.get("weekday") if uses_weekday else None,
            week_of_month=(
                data.get("week_of_month") if frequency == ScheduleRule.Frequency.MONTHLY else None
            ),
            day_of_month=(
                data.get("day_of_month") if frequency == ScheduleRule.Frequency.MONTHDAY else None
            ),
            date=data.get("date") if frequency == ScheduleRule.Frequency.DATE else None,
            start_time=time(data.get("start_time") or ""),
            end_time=time(data.get("end_time") or ""),
        )

    def rule_json(self) -> dict[str, Any] | None:
        if not self.cleaned_data.get("frequency"):
            return None
        from .proposal import rule_to_json

        return rule_to_json(self._rule(self.cleaned_data))


class BaseScheduleFormSet(forms.BaseFormSet):
    def rules_json(self) -> list[dict[str, Any]]:
        rows = [form.rule_json() for form in self.forms]
        return [row for row in rows if row]


def schedule_formset(data=None, initial: list[dict] | None = None) -> BaseScheduleFormSet:
    """Three rows (more when an existing listing already has more rules)."""
    initial = initial or []
    rows = min(max(SCHEDULE_ROWS, len(initial)), MAX_SCHEDULE_ROWS)
    formset_class = forms.formset_factory(
        ScheduleRowForm,
        formset=BaseScheduleFormSet,
        extra=max(0, rows - len(initial)),
        max_num=MAX_SCHEDULE_ROWS,
        absolute_max=MAX_SCHEDULE_ROWS,
        validate_max=True,
    )
    return formset_class(data=data, initial=initial or None, prefix="schedule")


@dataclass(frozen=True)
class SummaryError:
    anchor: str
    label: str
    message: str


class SubmissionForm(forms.Form):
    """The activity form. ``mode``: ``new`` (a new listing), ``change`` (a suggested change to a
    listing) or ``update`` (the submitter's update from the status page: no personal fields)."""

    kind = forms.ChoiceField(
        label=_("どんな活動ですか"),
        choices=Kind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("どんな活動かを選んでください。")},
    )
    title = forms.CharField(
        label=_("活動・場所の名前"),
        max_length=255,
        help_text=_("例：みどり子ども食堂、ひだまりサロン"),
        error_messages={"required": _("活動・場所の名前を入力してください。")},
    )
    name_kana = forms.CharField(
        label=_("名前のよみがな（任意）"),
        max_length=255,
        required=False,
        help_text=_("カタカナかひらがなで。例：ミドリコドモショクドウ"),
    )
    description = forms.CharField(
        label=_("活動の説明"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("どんな活動か、どんな雰囲気かを短く。2000字まで。"),
        error_messages={"required": _("活動の説明を入力してください。")},
    )
    age_groups = forms.MultipleChoiceField(
        label=_("どなた向けですか"),
        choices=Age.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("あてはまるものをすべて選んでください。"),
        error_messages={"required": _("どなた向けかを1つ以上選んでください。")},
    )
    topics = forms.MultipleChoiceField(
        label=_("テーマ（任意）"),
        required=False,
        choices=[(topic, topic) for topic in COMMON_TOPICS],
        widget=forms.CheckboxSelectMultiple,
    )
    topics_other = forms.CharField(
        label=_("その他のテーマ（任意）"),
        required=False,
        max_length=300,
        help_text=_("読点（、）で区切ります。例：料理教室、囲碁"),
    )
    address = forms.CharField(
        label=_("会場の住所（任意）"),
        required=False,
        max_length=255,
        help_text=_("公開されます。個人のお宅のときは、町名までにしてください。"),
    )
    location_area = forms.ChoiceField(
        label=_("いちばん近い地域"),
        help_text=_("わからないときは「市全域・わからない」を選んでください。"),
        error_messages={"required": _("地域を選んでください。")},
    )
    service_tier = forms.ChoiceField(
        label=_("どの範囲の人が参加できますか"),
        choices=SERVICE_TIER_CHOICES,
        initial=Tier.NEIGHBOURHOOD,
    )
    latitude = forms.FloatField(
        label=_("緯度（任意）"),
        required=False,
        validators=latitude_validators,
        help_text=_("例：35.6812"),
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
    )
    longitude = forms.FloatField(
        label=_("経度（任意）"),
        required=False,
        validators=longitude_validators,
        help_text=_("例：139.7671"),
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
    )
    schedule_note = forms.CharField(
        label=_("日時の補足（任意）"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("例：8月はお休み。雨の日は中止。"),
    )
    fee = forms.CharField(
        label=_("参加費（任意）"),
        required=False,
        max_length=255,
        help_text=_("例：子ども無料、大人300円"),
    )
    booking = forms.ChoiceField(
        label=_("予約"),
        required=False,
        choices=[
            (Booking.NOT_REQUIRED, Booking.NOT_REQUIRED.label),
            (Booking.REQUIRED, Booking.REQUIRED.label),
            ("", _("決めていない・書かない")),
        ],
        widget=forms.RadioSelect,
        initial="",
    )
    how_to_join = forms.CharField(
        label=_("参加の方法・持ち物（任意）"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    organiser = forms.CharField(
        label=_("運営している団体の名前（任意）"), required=False, max_length=255
    )
    phone = forms.CharField(
        label=_("問い合わせの電話番号（公開・任意）"),
        required=False,
        max_length=40,
        help_text=_("ホームページに載せてよい番号だけを書いてください。"),
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "off"}),
    )
    email = forms.EmailField(
        label=_("問い合わせのメールアドレス（公開・任意）"),
        required=False,
        help_text=_("ホームページに載せてよいアドレスだけを書いてください。"),
        error_messages={"invalid": _("メールアドレスの形が正しくありません。例：info@example.jp")},
        widget=forms.EmailInput(attrs={"autocomplete": "off"}),
    )
    website = forms.URLField(
        label=_("ホームページ・SNS（公開・任意）"),
        required=False,
        max_length=500,
        assume_scheme="https",
        error_messages={"invalid": _("URLの形が正しくありません。例：https://example.jp/")},
    )
    accessibility = forms.CharField(
        label=_("バリアフリー情報（任意）"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("例：段差なし、車いす用トイレあり、駐車場なし"),
    )
    note_to_staff = forms.CharField(
        label=_("事務局への連絡（公開されません・任意）"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    submitter_name = forms.CharField(
        label=_("お名前"),
        max_length=100,
        help_text=_("事務局からの連絡用です。公開されません。"),
        error_messages={"required": _("お名前を入力してください。")},
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    submitter_email = forms.EmailField(
        label=_("メールアドレス"),
        help_text=_("受付のお知らせと、確認の結果をお送りします。公開されません。"),
        error_messages={
            "required": _("メールアドレスを入力してください。"),
            "invalid": _("メールアドレスの形が正しくありません。例：taro@example.jp"),
        },
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    submitter_phone = forms.CharField(
        label=_("電話番号（任意）"),
        required=False,
        max_length=40,
        help_text=_("お急ぎの確認に使います。公開されません。"),
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}),
    )
    consent = forms.BooleanField(
        label=_("上の「個人情報の取り扱い」に同意します"),
        error_messages={"required": _("送るには、個人情報の取り扱いへの同意が必要です。")},
    )
    # Honeypot: hidden from people (CSS) and from screen readers' tab order; bots fill it.
    hp_check = forms.CharField(
        label=_("この欄は空のままにしてください（迷惑な投稿を防ぐための欄です）"),
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )

    PERSONAL_FIELDS = ("submitter_name", "submitter_email", "submitter_phone", "consent")
    NOTE_LABELS = {
        NEW: _("事務局への連絡（公開されません・任意）"),
        CHANGE: _("どこを直せばよいか（公開されません・任意）"),
        UPDATE: _("変更した点（公開されません・任意）"),
    }

    def __init__(self, *args, mode: str = NEW, schedule_initial=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.mode = mode
        self.fields["location_area"].choices = [
            ("", _("選んでください")),
            *selectors.area_choices(),
        ]
        self.fields["note_to_staff"].label = self.NOTE_LABELS[mode]
        if mode == UPDATE:
            for name in self.PERSONAL_FIELDS:
                del self.fields[name]
        for n in range(1, PHOTO_COUNT + 1):
            self.fields[f"photo_{n}"] = forms.FileField(
                label=_("写真 %(n)s（任意）") % {"n": n},
                required=False,
                widget=forms.FileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
            )
            self.fields[f"photo_{n}_caption"] = forms.CharField(
                label=_("写真 %(n)s の説明（任意）") % {"n": n},
                required=False,
                max_length=255,
                help_text=_("例：調理室のようす") if n == 1 else "",
            )
        self.order_fields(PAGE_ORDER)
        self.schedule = schedule_formset(self.data if self.is_bound else None, schedule_initial)
        self.clean_photos: list[tuple[images.CleanPhoto, str]] = []

    # --- field checks ------------------------------------------------------------------------

    def clean_hp_check(self) -> str:
        if self.cleaned_data.get("hp_check"):
            raise ValidationError(_("この欄は空のままにしてください。"), code="honeypot")
        return ""

    def clean_name_kana(self) -> str:
        value = unicodedata.normalize("NFKC", self.cleaned_data["name_kana"]).strip()
        value = _to_katakana(value)
        if value and not _KANA.match(value):
            raise ValidationError(_("よみがなは、カタカナかひらがなで入力してください。"))
        return value

    def clean_phone(self) -> str:
        return self._clean_phone("phone")

    def clean_submitter_phone(self) -> str:
        return self._clean_phone("submitter_phone")

    def _clean_phone(self, name: str) -> str:
        value = unicodedata.normalize("NFKC", self.cleaned_data[name]).strip()
        value = value.replace("ー", "-").replace("−", "-")
        if value and (not _PHONE.match(value) or sum(c.isdigit() for c in value) < 6):
            raise ValidationError(_("電話番号は数字とハイフンで入力してください。例：03-1234-5678"))
        return value

    def clean_topics_other(self) -> list[str]:
        text = self.cleaned_data["topics_other"]
        topics = [t.strip() for t in re.split(r"[、,，;；\n]", text) if t.strip()]
        if any(len(t) > TOPIC_MAX_LENGTH for t in topics):
            raise ValidationError(_("テーマは1つ100文字までです。"))
        return topics

    def clean(self):
        data = super().clean()
        for name in TEXT_FIELDS:
            if isinstance(data.get(name), str):
                data[name] = _text_block(data[name])
        for name in ("description", "note_to_staff"):
            if isinstance(data.get(name), str):
                data[name] = _text_block(data[name])
        has_lat = data.get("latitude") is not None
        has_lng = data.get("longitude") is not None
        if has_lat != has_lng and "latitude" not in self.errors and "longitude" not in self.errors:
            missing = "longitude" if has_lat else "latitude"
            self.add_error(missing, _("緯度と経度は両方入力するか、両方空にしてください。"))
        self._check_photo_headers()
        return data

    def _uploads(self) -> list[tuple[int, Any]]:
        found = ((n, self.cleaned_data.get(f"photo_{n}")) for n in range(1, PHOTO_COUNT + 1))
        return [(n, upload) for n, upload in found if upload]

    def _check_photo_headers(self) -> None:
        # Size, format and pixel count from each file's header: nothing is decoded here.
        for n, upload in self._uploads():
            try:
                images.check_upload(upload)
            except ValidationError as exc:
                self.add_error(f"photo_{n}", exc)

    def _decode_photos(self) -> None:
        self.clean_photos = []
        for n, upload in self._uploads():
            try:
                photo = images.clean_upload(upload)
            except ValidationError as exc:
                self.add_error(f"photo_{n}", exc)
                continue
            self.clean_photos.append((photo, self.cleaned_data.get(f"photo_{n}_caption", "")))

    def is_valid(self) -> bool:
        # Both run, so every error shows at once.
        form_ok = super().is_valid()
        schedule_ok = self.schedule.is_valid()
        if form_ok and schedule_ok and self.photos_were_chosen:
            # Decoding is the costly part: only for a post that is otherwise ready to store
            # (and that the view has let past the rate limit).
            self._decode_photos()
            form_ok = not self.errors
        return form_ok and schedule_ok

    def show_without_checking(self) -> None:
        """Show the posted values again without validating them (a rate-limited request: no
        errors to show, and no photo decoding for a request that is refused anyway)."""
        self._errors = ErrorDict()
        self.cleaned_data = {}
        self.schedule._errors = []
        self.schedule._non_form_errors = self.schedule.error_class()
        for row in self.schedule.forms:
            row._errors = ErrorDict()
            row.cleaned_data = {}
            self.schedule._errors.append(row._errors)

    # --- what the templates and services need --------------------------------------------------

    @property
    def caught_by_honeypot(self) -> bool:
        return self.has_error("hp_check", code="honeypot")

    @property
    def photos_were_chosen(self) -> bool:
        return any(self.files.get(f"photo_{n}") for n in range(1, PHOTO_COUNT + 1))

    def proposal(self) -> dict[str, Any]:
        """The cleaned listing fields as JSON-ready values (the shape of Submission.data)."""
        data = self.cleaned_data
        topics = list(dict.fromkeys([*data["topics"], *data["topics_other"]]))
        values = {
            **{name: data.get(name, "") for name in FIELDS if name in self.fields},
            "age_groups": [code for code in Age.values if code in data["age_groups"]],
            "topics": topics,
            "schedule": self.schedule.rules_json(),
        }
        return values

    def submitter(self) -> dict[str, str]:
        return {
            "name": self.cleaned_data["submitter_name"],
            "email": self.cleaned_data["submitter_email"],
            "phone": self.cleaned_data.get("submitter_phone", ""),
        }

    def error_summary(self) -> list[SummaryError]:
        """Every error with the id of the control it belongs to, in the order of the page."""
        items: list[SummaryError] = []
        for message in self.non_field_errors():
            items.append(SummaryError("", "", message))
        for name in self.fields:
            if name == "schedule_note":
                items += self._schedule_errors()
            for message in self.errors.get(name, []):
                bound = self[name]
                anchor = bound.auto_id
                if bound.field.widget.use_fieldset:
                    anchor = f"{anchor}_0"
                items.append(SummaryError(anchor, str(bound.label), message))
        return items

    def _schedule_errors(self) -> list[SummaryError]:
        items = []
        for index, row in enumerate(self.schedule.forms, 1):
            for name, messages in row.errors.items():
                for message in messages:
                    anchor = row[name].auto_id if name in row.fields else ""
                    label = _("開催日 %(n)s の%(field)s") % {
                        "n": index,
                        "field": row.fields[name].label if name in row.fields else "",
                    }
                    items.append(SummaryError(anchor, str(label), message))
        for message in self.schedule.non_form_errors():
            items.append(SummaryError("", str(_("開催日")), message))
        return items


def initial_from_proposal(data: dict[str, Any]) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """Form initial values (and schedule rows) for a stored proposal or a listing's values."""
    topics = list(data.get("topics") or [])
    initial = {name: data.get(name) for name in FIELDS if name not in ("topics", "schedule")}
    initial["topics"] = [t for t in topics if t in COMMON_TOPICS]
    initial["topics_other"] = "、".join(t for t in topics if t not in COMMON_TOPICS)
    rows = [
        {
            "frequency": row.get("frequency") or "",
            "week_of_month": row.get("week_of_month"),
            "weekday": row.get("weekday"),
            "day_of_month": row.get("day_of_month"),
            "date": row.get("date") or "",
            "start_time": row.get("start_time") or "",
            "end_time": row.get("end_time") or "",
        }
        for row in data.get("schedule") or []
    ]
    return initial, rows


class ReplyForm(forms.Form):
    body = forms.CharField(
        label=_("事務局への返信"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": _("返信の文を入力してください。")},
    )

    def clean_body(self) -> str:
        return _text_block(self.cleaned_data["body"])


class StaffMessageForm(forms.Form):
    """Staff's question to the submitter (admin)."""

    body = forms.CharField(
        label=_("投稿者へのメッセージ"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("投稿者にメールで届き、状況確認ページにも表示されます。"),
    )


class DeclineForm(forms.Form):
    """Staff's final 「掲載を見送る」 with the reason sent to the submitter (admin)."""

    body = forms.CharField(
        label=_("見送る理由（投稿者に送られます）"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
