"""Builders for the submission tests: a valid form post, photos."""

from __future__ import annotations

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

SUBMITTER_NAME = "投稿山田花子"
SUBMITTER_EMAIL = "hanako-private-contact@example.org"
SUBMITTER_PHONE = "090-9876-5432"
URL = "/submit/"


def jpeg_bytes(size=(64, 48), color=(200, 120, 40), exif=None) -> bytes:
    out = io.BytesIO()
    image = Image.new("RGB", size, color)
    if exif is not None:
        image.save(out, format="JPEG", exif=exif)
    else:
        image.save(out, format="JPEG")
    return out.getvalue()


def photo_upload(name="photo.jpg", content: bytes | None = None, content_type="image/jpeg"):
    return SimpleUploadedFile(name, content or jpeg_bytes(), content_type=content_type)


def valid_post(areas, **overrides) -> dict:
    """A complete, valid POST of the new-activity form (schedule: 毎月 第2 土曜 11:00〜13:00)."""
    data = {
        "kind": "kodomo_shokudo",
        "title": "ひまわり子ども食堂",
        "name_kana": "ひまわりこどもしょくどう",
        "description": "毎月第2土曜にみんなでごはんを食べます。\n子どもは無料です。",
        "age_groups": ["elementary", "infant"],
        "topics": ["食事", "子育て"],
        "topics_other": "料理教室",
        "address": "サンプル市みどり町1-2-3 みどり会館",
        "location_area": areas.north_a_1.code,
        "service_tier": "elementary",
        "latitude": "",
        "longitude": "",
        "schedule-TOTAL_FORMS": "3",
        "schedule-INITIAL_FORMS": "0",
        "schedule-MIN_NUM_FORMS": "0",
        "schedule-MAX_NUM_FORMS": "10",
        "schedule-0-frequency": "monthly",
        "schedule-0-week_of_month": "2",
        "schedule-0-weekday": "5",
        "schedule-0-day_of_month": "",
        "schedule-0-date": "",
        "schedule-0-start_time": "11:00",
        "schedule-0-end_time": "13:00",
        "schedule_note": "8月はお休みです。",
        "fee": "子ども無料、大人300円",
        "booking": "not_required",
        "how_to_join": "直接会場へお越しください。",
        "organiser": "ひまわりの会",
        "phone": "042-555-0101",
        "email": "himawari@example.jp",
        "website": "https://himawari.example.jp/",
        "accessibility": "段差なし",
        "note_to_staff": "よろしくお願いします。",
        "submitter_name": SUBMITTER_NAME,
        "submitter_email": SUBMITTER_EMAIL,
        "submitter_phone": SUBMITTER_PHONE,
        "consent": "on",
        "hp_check": "",
    }
    for row in (1, 2):
        for name in ("frequency", "week_of_month", "weekday", "day_of_month", "date"):
            data[f"schedule-{row}-{name}"] = ""
        data[f"schedule-{row}-start_time"] = ""
        data[f"schedule-{row}-end_time"] = ""
    data.update(overrides)
    return data
