"""More of residents' words for what the open data says (issue 13, class 4).

A food pantry is often just 〇〇パントリー; 「お金がかからない」 is how
residents say 無料; 未就学児 and 幼児 are the same children (the fee columns say 幼児); a
地区センター in one city is a 地域センター in the next; カンパ is paying by donation. Words
are added to the group whose first word is given (words already there are kept; a group
staff have deleted or renamed is left alone).
"""

from django.db import migrations

ADD_TO = {
    "フードバンク": ["パントリー", "フードドライブ"],
    "無料": ["お金がかからない", "お金かからない", "費用なし", "参加費なし"],
}
NEW_GROUPS = [
    ("カンパ、寄付、寄付制、投げ銭、donation", "払える分だけ払う"),
    (
        "幼児、未就学児、未就学、乳幼児、就学前、preschooler、preschool、toddler",
        "小学校に入る前の子",
    ),
    ("地区センター、地域センター", "公共施設（まちにより呼び方が違う）"),
    ("お店、飲食店、商店、shop", "運営・会場: お店"),
]


def _split(words: str) -> list[str]:
    return [
        w.strip() for w in words.replace("\n", "、").replace(",", "、").split("、") if w.strip()
    ]


def add_words(apps, schema_editor):
    Synonym = apps.get_model("search", "Synonym")
    for head, extra in ADD_TO.items():
        for group in Synonym.objects.all():
            words = _split(group.words)
            if words and words[0] == head:
                missing = [w for w in extra if w not in words]
                if missing:
                    group.words = "、".join(words + missing)
                    group.save(update_fields=["words"])
    for words, note in NEW_GROUPS:
        if not Synonym.objects.filter(words=words).exists():
            Synonym.objects.create(words=words, note=note)


class Migration(migrations.Migration):
    dependencies = [("search", "0006_searchdocument_completeness")]
    operations = [migrations.RunPython(add_words, migrations.RunPython.noop)]
