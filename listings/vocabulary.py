"""The fixed vocabularies of DESIGN.md (contract codes): kinds, age groups, area tiers.

Codes are used by the CSV contract and the API; Japanese names are what residents see.
Parsers accept either (see ``code_for``).
"""

from django.db import models
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


def code_for(choices: type[models.TextChoices], value: str, aliases: dict | None = None) -> str:
    """Return the contract code for ``value`` given as a code or a Japanese name.

    Raises ``ValueError`` naming the accepted values when nothing matches.
    """
    text = value.strip()
    if text in choices.values:
        return text
    for code, label in choices.choices:
        if text == str(label):
            return code
    if aliases and text in aliases:
        return str(aliases[text])
    accepted = "、".join(f"{c}（{label}）" for c, label in choices.choices if c)
    raise ValueError(f"「{text}」は使えません。使える値: {accepted}")
