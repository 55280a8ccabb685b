"""The fixed vocabularies of DESIGN.md (contract codes): kinds, age groups, area tiers.

Codes are used by the CSV contract and the API; Japanese names are what residents see.
Parsers accept codes and names in any UI language (see ``code_for``).
"""

import functools
import unicodedata

from django.conf import settings
from django.db import models
from django.utils import translation
from django.utils.translation import gettext, pgettext
from django.utils.translation import gettext_lazy as _


class Kind(models.TextChoices):
    IBASHO = "ibasho", _("居場所")
    KODOMO_SHOKUDO = "kodomo_shokudo", _("子ども食堂")
    FUREAI = "fureai", _("ふれまち活動")
    WINDOW = "window", _("相談窓口")


class Age(models.TextChoices):
    INFANT = "infant", _("乳幼児と保護者")
    ELEMENTARY = "elementary", _("小学生")
    TEEN = "teen", _("中高生")
    YOUTH = "youth", _("若者")
    ADULT = "adult", _("大人")
    SENIOR = "senior", _("高齢者")
    EVERYONE = "everyone", _("どなたでも")


class Tier(models.TextChoices):
    CITY = "city", _("市全域")
    JUNIOR_HIGH = "junior_high", _("概ね中学校区")
    ELEMENTARY = "elementary", _("概ね小学校通学区域")
    NEIGHBOURHOOD = "neighbourhood", _("身近な地域")


# Broadest first: a tier's index is its depth in the area tree.
TIER_ORDER = [Tier.CITY, Tier.JUNIOR_HIGH, Tier.ELEMENTARY, Tier.NEIGHBOURHOOD]

# Extra Japanese spellings accepted on import besides the labels above.
TIER_ALIASES = {
    "市": Tier.CITY,
    "市全域": Tier.CITY,
    "圏域": Tier.JUNIOR_HIGH,
    "中学校区": Tier.JUNIOR_HIGH,
    "概ね中学校区": Tier.JUNIOR_HIGH,
    "小学校区": Tier.ELEMENTARY,
    "小学校通学区域": Tier.ELEMENTARY,
    "ふれまち地区": Tier.ELEMENTARY,
    "身近な地域": Tier.NEIGHBOURHOOD,
    "町丁目": Tier.NEIGHBOURHOOD,
    "自治会": Tier.NEIGHBOURHOOD,
}
KIND_ALIASES = {
    "こども食堂": Kind.KODOMO_SHOKUDO,
    "子供食堂": Kind.KODOMO_SHOKUDO,
    "ふれまち": Kind.FUREAI,
    "ふれあいのまちづくり": Kind.FUREAI,
    "窓口": Kind.WINDOW,
}
AGE_ALIASES = {
    "乳幼児": Age.INFANT,
    "未就学児": Age.INFANT,
    "子育て中の親子": Age.INFANT,
    "中学生": Age.TEEN,
    "高校生": Age.TEEN,
    "成人": Age.ADULT,
    "シニア": Age.SENIOR,
    "誰でも": Age.EVERYONE,
    "どなたでも": Age.EVERYONE,
    "全世代": Age.EVERYONE,
}


class HolidayPolicy(models.TextChoices):
    UNKNOWN = "", _("定めなし")
    CLOSED = "closed", _("祝日は休み")
    OPEN = "open", _("祝日も開催")


class Booking(models.TextChoices):
    UNKNOWN = "", _("未記入")
    REQUIRED = "required", _("予約が必要")
    NOT_REQUIRED = "not_required", _("予約不要")


class ContactMethod(models.TextChoices):
    VISIT = "visit", _("来所")
    PHONE = "phone", _("電話")
    FAX = "fax", _("FAX")
    EMAIL = "email", _("メール")
    HOME_VISIT = "home_visit", _("訪問")
    ONLINE = "online", _("オンライン")


WEEKDAY_NAMES = ["月", "火", "水", "木", "金", "土", "日"]


def _key(text: str) -> str:
    """Compare ignoring width, case and spacing: ＷＩＮＤＯＷ, Window and window are one."""
    return " ".join(unicodedata.normalize("NFKC", text).casefold().split())


@functools.cache
def _names(choices: type[models.TextChoices]) -> dict[str, str]:
    """Every accepted spelling of ``choices`` (normalised) mapped to its code.

    Codes first, then the Japanese names as written in the source (the msgids), then the names in
    each UI language, so a value means the same whatever language the interface is in.
    """
    names: dict[str, str] = {}
    for code in choices.values:
        names.setdefault(_key(code), code)
    for language in [None, *(code for code, _name in settings.LANGUAGES)]:
        with translation.override(language):
            for code, label in choices.choices:
                names.setdefault(_key(str(label)), code)
    return names


def code_for(choices: type[models.TextChoices], value: str, aliases: dict | None = None) -> str:
    """Return the contract code for ``value``: a code, a Japanese or English name, or an alias.

    Case, full/half width and spacing are ignored, and the active language does not matter.
    Raises ``ValueError`` naming the accepted values (in the active language) when nothing
    matches.
    """
    key = _key(value)
    code = _names(choices).get(key)
    if code is not None:
        return code
    for alias, alias_code in (aliases or {}).items():
        if _key(alias) == key:
            return str(alias_code)
    accepted = pgettext("list separator", "、").join(
        gettext("%(code)s（%(label)s）") % {"code": c, "label": label}
        for c, label in choices.choices
        if c
    )
    raise ValueError(
        gettext("「%(value)s」は使えません。使える値: %(accepted)s")
        % {"value": value.strip(), "accepted": accepted}
    )
