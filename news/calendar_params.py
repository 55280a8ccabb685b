"""The calendar's query parameters: ``view``, ``month`` (YYYY-MM), ``area``, ``age``."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from urllib.parse import urlencode

from django.utils import timezone
from django.utils.translation import gettext as _

from listings.models import Area
from listings.vocabulary import AGE_ALIASES, Age, code_for

VIEWS = ("month", "list")
# Months a resident can ask for, from this month; the page links within NAV_MONTHS only.
MONTHS_BACK, MONTHS_AHEAD = 12, 24
NAV_BACK, NAV_AHEAD = 1, 12


class InvalidParam(ValueError):
    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message


def _add_months(day: datetime.date, months: int) -> datetime.date:
    index = day.year * 12 + day.month - 1 + months
    return datetime.date(index // 12, index % 12 + 1, 1)


@dataclass
class CalendarParams:
    view: str
    month_start: datetime.date
    area: Area | None
    age: str
    this_month: datetime.date

    @property
    def month_end(self) -> datetime.date:
        return _add_months(self.month_start, 1)

    def months_after(self, months: int) -> datetime.date:
        return _add_months(self.month_start, months)

    def _offset(self) -> int:
        return (self.month_start.year - self.this_month.year) * 12 + (
            self.month_start.month - self.this_month.month
        )

    def query(self, **changes) -> str:
        values = {
            "view": self.view,
            "month": f"{self.month_start:%Y-%m}",
            "area": self.area.code if self.area else "",
            "age": self.age,
        }
        values.update(changes)
        return urlencode({k: v for k, v in values.items() if v})

    @property
    def previous_query(self) -> str | None:
        if self._offset() <= -NAV_BACK:
            return None
        return self.query(month=f"{_add_months(self.month_start, -1):%Y-%m}")

    @property
    def next_query(self) -> str | None:
        if self._offset() >= NAV_AHEAD:
            return None
        return self.query(month=f"{_add_months(self.month_start, 1):%Y-%m}")

    @property
    def month_query(self) -> str:
        return self.query(view="month")

    @property
    def list_query(self) -> str:
        return self.query(view="list")

    @property
    def ics_query(self) -> str:
        """For subscribing: no month, so the file always starts from the current month."""
        return self.query(view="", month="")


def parse_calendar_params(query) -> CalendarParams:
    view = query.get("view", "month") or "month"
    if view not in VIEWS:
        raise InvalidParam("view", _("month か list を指定してください。"))
    this_month = timezone.localdate().replace(day=1)
    month_text = query.get("month", "").strip()
    month = this_month
    if month_text:
        try:
            month = datetime.datetime.strptime(month_text, "%Y-%m").date()
        except ValueError:
            raise InvalidParam("month", _("年月は 2026-12 の形で指定してください。")) from None
        if (
            not _add_months(this_month, -MONTHS_BACK)
            <= month
            <= _add_months(this_month, MONTHS_AHEAD)
        ):
            raise InvalidParam("month", _("その年月のカレンダーはありません。"))
    area = None
    code = query.get("area", "").strip()
    if code:
        area = Area.objects.filter(code=code).first()
        if area is None:
            raise InvalidParam("area", _("その地域はありません。"))
    age = query.get("age", "").strip()
    if age:
        try:
            age = code_for(Age, age, AGE_ALIASES)
        except ValueError as error:
            raise InvalidParam("age", str(error)) from None
    return CalendarParams(view, month, area, age, this_month)
