#!/usr/bin/env python3
"""Validate devtools/eval/sets/troubles.json (the judged trouble / crisis / ordinary set).

Plain python3, no project imports: checks the schema, that every body code and crisis line
used is declared, that no phrase appears twice (exactly, across all three lists), and the
minimum sizes the issue asks for. Prints counts per area, style and category.

    python3 devtools/eval/sets/check_troubles.py [path/to/troubles.json]

Exit status 0 when valid, 1 otherwise (every problem is listed).
"""

import collections
import json
import os
import sys
import unicodedata

AREAS = {
    "money",
    "care",
    "childcare",
    "mind",
    "disability",
    "housing",
    "family_violence",
    "isolation",
    "foreign",
    "school",
    "consumer",
    "health",
    "rights",
    "crime",
    "other",
}
STYLES = {"direct", "colloquial", "indirect"}
CATEGORIES = {
    "suicide",
    "self_harm",
    "child_abuse",
    "dv",
    "sexual_violence",
    "elder_abuse",
    "emergency",
}
LANGS = {"ja", "en"}
MINIMUM = {
    "troubles": 120,
    "troubles_en": 10,
    "troubles_not_direct": 40,
    "crisis": 60,
    "ordinary": 60,
}


def main(path):
    errors = []

    def err(msg):
        errors.append(msg)

    with open(path, encoding="utf-8") as f:
        data = json.load(f)

    for key, kind in (
        ("written", str),
        ("method", str),
        ("bodies", dict),
        ("troubles", list),
        ("crisis", list),
        ("ordinary", list),
    ):
        if not isinstance(data.get(key), kind):
            err(f"top level: '{key}' missing or not a {kind.__name__}")
    if errors:
        return report(errors, data)

    bodies = data["bodies"]
    for code, name in bodies.items():
        if not (isinstance(code, str) and code.isascii() and code == code.lower() and code):
            err(f"bodies: bad code {code!r}")
        if not (isinstance(name, str) and name.strip()):
            err(f"bodies: {code} has no name")
    for code in data.get("bodies_added", {}):
        if code not in bodies:
            err(f"bodies_added: {code} is not in bodies")
    lines_known = data.get("crisis_lines", {})

    seen = {}

    def phrase_of(where, i, entry):
        p = entry.get("phrase")
        if not isinstance(p, str) or not p.strip():
            err(f"{where}[{i}]: empty or missing phrase")
            return None
        if p != p.strip():
            err(f"{where}[{i}]: phrase has leading/trailing space: {p!r}")
        if p in seen:
            err(f"duplicate phrase {p!r}: {seen[p]} and {where}[{i}]")
        else:
            seen[p] = f"{where}[{i}]"
        return p

    def check_lang(where, i, entry, p):
        lang = entry.get("ui_lang")
        if lang not in LANGS:
            err(f"{where}[{i}] {p!r}: ui_lang must be one of {sorted(LANGS)}")
        elif lang == "en" and not p.isascii():
            err(f"{where}[{i}] {p!r}: ui_lang en but the phrase is not ASCII")

    for i, t in enumerate(data["troubles"]):
        p = phrase_of("troubles", i, t)
        if p is None:
            continue
        extra = set(t) - {"phrase", "ui_lang", "area", "expected", "primary", "style", "note"}
        if extra:
            err(f"troubles[{i}] {p!r}: unknown keys {sorted(extra)}")
        check_lang("troubles", i, t, p)
        if t.get("area") not in AREAS:
            err(f"troubles[{i}] {p!r}: area {t.get('area')!r} not allowed")
        if t.get("style") not in STYLES:
            err(f"troubles[{i}] {p!r}: style {t.get('style')!r} not allowed")
        exp = t.get("expected")
        if not isinstance(exp, list) or not exp:
            err(f"troubles[{i}] {p!r}: expected must be a non-empty list")
            continue
        if len(set(exp)) != len(exp):
            err(f"troubles[{i}] {p!r}: expected lists a code twice")
        for code in exp:
            if code not in bodies:
                err(f"troubles[{i}] {p!r}: unknown body code {code!r}")
        if t.get("primary") not in exp:
            err(f"troubles[{i}] {p!r}: primary {t.get('primary')!r} is not in expected")
        if "note" in t and not isinstance(t["note"], str):
            err(f"troubles[{i}] {p!r}: note must be a string")

    for i, c in enumerate(data["crisis"]):
        p = phrase_of("crisis", i, c)
        if p is None:
            continue
        extra = set(c) - {"phrase", "ui_lang", "category", "lines", "form", "note"}
        if extra:
            err(f"crisis[{i}] {p!r}: unknown keys {sorted(extra)}")
        check_lang("crisis", i, c, p)
        if c.get("category") not in CATEGORIES:
            err(f"crisis[{i}] {p!r}: category {c.get('category')!r} not allowed")
        lines = c.get("lines")
        if not isinstance(lines, list) or not lines:
            err(f"crisis[{i}] {p!r}: lines must be a non-empty list")
            continue
        if len(set(lines)) != len(lines):
            err(f"crisis[{i}] {p!r}: a line is listed twice")
        for line in lines:
            if lines_known and line not in lines_known:
                err(f"crisis[{i}] {p!r}: line {line!r} not declared in crisis_lines")

    for i, o in enumerate(data["ordinary"]):
        p = phrase_of("ordinary", i, o)
        if p is None:
            continue
        extra = set(o) - {"phrase", "why_tricky"}
        if extra:
            err(f"ordinary[{i}] {p!r}: unknown keys {sorted(extra)}")
        if not (isinstance(o.get("why_tricky"), str) and o["why_tricky"].strip()):
            err(f"ordinary[{i}] {p!r}: why_tricky missing")

    used_codes = {code for t in data["troubles"] for code in t.get("expected") or []}
    for code in bodies:
        if code not in used_codes:
            print(f"note: body {code} is never expected")
    used_lines = {line for c in data["crisis"] for line in c.get("lines") or []}
    for line in lines_known:
        if line not in used_lines:
            err(f"crisis_lines: {line!r} declared but never used")

    # Phrases equal after NFKC (e.g. ｼﾆﾀｲ / シニタイ) are deliberate width variants:
    # shown, not errors.
    folded = collections.defaultdict(list)
    for p in seen:
        folded[unicodedata.normalize("NFKC", p).lower()].append(p)
    for group in folded.values():
        if len(group) > 1:
            print(f"note: width/case variants of one phrase: {group}")

    troubles = data["troubles"]
    counts = {
        "troubles": len(troubles),
        "troubles_en": sum(t.get("ui_lang") == "en" for t in troubles),
        "troubles_not_direct": sum(t.get("style") in ("colloquial", "indirect") for t in troubles),
        "crisis": len(data["crisis"]),
        "ordinary": len(data["ordinary"]),
    }
    for key, least in MINIMUM.items():
        if counts[key] < least:
            err(f"too few {key}: {counts[key]} < {least}")
    crisis_cats = {c.get("category") for c in data["crisis"]}
    for cat in sorted(CATEGORIES - crisis_cats):
        err(f"no crisis phrase in category {cat}")

    print("counts:", ", ".join(f"{k} {v}" for k, v in counts.items()))
    print(
        "troubles by area:",
        dict(sorted(collections.Counter(t.get("area") for t in troubles).items())),
    )
    print(
        "troubles by style:",
        dict(sorted(collections.Counter(t.get("style") for t in troubles).items())),
    )
    print(
        "troubles by primary:",
        dict(collections.Counter(t.get("primary") for t in troubles).most_common()),
    )
    print(
        "crisis by category:",
        dict(sorted(collections.Counter(c.get("category") for c in data["crisis"]).items())),
    )
    print(
        "crisis by ui_lang:",
        dict(sorted(collections.Counter(c.get("ui_lang") for c in data["crisis"]).items())),
    )
    return report(errors, data)


def report(errors, data):
    for e in errors:
        print("ERROR:", e)
    print("OK" if not errors else f"{len(errors)} problem(s)")
    return 1 if errors else 0


if __name__ == "__main__":
    here = os.path.dirname(os.path.abspath(__file__))
    sys.exit(main(sys.argv[1] if len(sys.argv) > 1 else os.path.join(here, "troubles.json")))
