"""An information page with every richer block (document, table, FAQ, steps, call to action,
contact card, listing query), for the block tests and the axe browser test."""

from __future__ import annotations

import json

from django.core.files.base import ContentFile
from wagtail.documents.models import Document

from pages.models import ContactCard, HomePage, InformationPage

PDF_BYTES = b"%PDF-1.4\n" + b"0" * 2048 + b"\n%%EOF\n"


def make_document(title: str = "地域福祉計画（概要版）") -> Document:
    document = Document(title=title)
    document.file.save("keikaku-gaiyo.pdf", ContentFile(PDF_BYTES), save=False)
    document._set_document_file_metadata()
    document.save()
    return document


def blocks_page(*, area=None, slug: str = "blocks") -> InformationPage:
    document = make_document()
    card = ContactCard.objects.create(
        name="地域福祉課 地域支援係",
        phone="03-1234-5678",
        email="chiiki@example.jp",
        hours="平日 8:30〜17:15",
        address="サンプル市役所 2階",
    )
    body = [
        {
            "type": "document",
            "value": {"document": document.pk, "title": "", "description": "計画のあらまし"},
        },
        {
            "type": "table",
            "value": {
                "caption": "圏域ごとの居場所の数",
                "first_column_is_header": True,
                "table": {
                    "columns": [
                        {"type": "text", "heading": "圏域"},
                        {"type": "number", "heading": "居場所の数"},
                    ],
                    "rows": [
                        {"values": ["北部圏域", "12"]},
                        {"values": ["南部圏域", "8"]},
                    ],
                },
            },
        },
        {
            "type": "faq",
            "value": {
                "heading": "よくある質問",
                "items": [
                    {"question": "だれでも参加できますか", "answer": "<p>はい、どなたでも。</p>"},
                    {"question": "お金はかかりますか", "answer": "<p>多くは無料です。</p>"},
                ],
            },
        },
        {
            "type": "steps",
            "value": {
                "heading": "活動を始めるまで",
                "steps": [
                    {"title": "相談する", "body": "<p>地域福祉課へ。</p>"},
                    {"title": "場所を決める", "body": ""},
                    {"title": "登録する", "body": "<p>このサイトから。</p>"},
                ],
            },
        },
        {
            "type": "call_to_action",
            "value": {
                "text": "活動を登録しませんか",
                "button_label": "登録する",
                "page": HomePage.objects.first().pk,
                "url": "",
            },
        },
        {"type": "contact_card", "value": {"card": card.pk}},
        {
            "type": "listing_query",
            "value": {
                "heading": "この地区の子ども食堂",
                "kind": "kodomo_shokudo",
                "area": area.pk if area else None,
                "age": "",
                "topic": "",
                "limit": 10,
            },
        },
    ]
    page = InformationPage(title="ブロックの見本", slug=slug, summary="見本", body=json.dumps(body))
    HomePage.objects.first().add_child(instance=page)
    page.save_revision().publish()
    return page
