"""Lighthouse (npm, in .cache/lighthouse) against Debian chromium for the pages the axe tests cover.

Run by ``make lighthouse``: uses a throwaway SQLite database with the demo city under
.lighthouse/, starts ``runserver`` on it, audits each page with mobile emulation and writes the
four category scores to bench/results/lighthouse-<date>.json.
"""

from __future__ import annotations

import datetime
import json
import os
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LIGHTHOUSE = ROOT / ".cache" / "lighthouse" / "node_modules" / ".bin" / "lighthouse"
WORK = ROOT / ".lighthouse"
PORT = int(os.environ.get("LIGHTHOUSE_PORT", "8765"))
CATEGORIES = ["performance", "accessibility", "best-practices", "seo"]


def pages(env) -> list[tuple[str, str]]:
    code = (
        "import json\n"
        "from listings.models import ListingPage, Area\n"
        "from pages.models import InformationPage\n"
        "out = {}\n"
        "for kind in ['ibasho','kodomo_shokudo','fureai','window']:\n"
        "    p = ListingPage.objects.live().filter(kind=kind).first()\n"
        "    out[kind] = p.url if p else None\n"
        "a = Area.objects.filter(tier='neighbourhood').first() or Area.objects.first()\n"
        "out['area'] = f'/areas/{a.code}/' if a else None\n"
        "i = InformationPage.objects.live().first()\n"
        "out['information'] = i.url if i else None\n"
        "print(json.dumps(out))\n"
    )
    found = json.loads(
        subprocess.run(
            [sys.executable, "manage.py", "shell", "-c", code],
            cwd=ROOT,
            env=env,
            check=True,
            capture_output=True,
            text=True,
        )
        .stdout.strip()
        .splitlines()[-1]
    )
    result = [
        ("home", "/"),
        ("search-filtered", "/search/?q=食事&kind=kodomo_shokudo&kind=ibasho"),
    ]
    result += [(f"listing-{k}", found[k]) for k in ("ibasho", "kodomo_shokudo", "fureai", "window")]
    result += [("area", found["area"]), ("information", found["information"])]
    result += [("submit", "/submit/"), ("not-found", "/no-such-page/")]
    return [(name, path) for name, path in result if path]


def main() -> int:
    if not LIGHTHOUSE.exists():
        print("lighthouse is missing: run `make lighthouse` (it installs it with npm)")
        return 1
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{WORK}/db.sqlite3",
        "DJANGO_SETTINGS_MODULE": "portal.settings.dev",
        "CHROME_PATH": os.environ.get("CHROME_PATH", "/usr/bin/chromium"),
    }
    server = subprocess.Popen(
        [sys.executable, "manage.py", "runserver", f"127.0.0.1:{PORT}", "--noreload"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        base = f"http://127.0.0.1:{PORT}"
        for _ in range(60):
            try:
                urllib.request.urlopen(base + "/", timeout=2)
                break
            except Exception:
                time.sleep(0.5)
        results = {}
        for name, path in pages(env):
            url = base + urllib.parse.quote(path, safe="/?=&")
            out = WORK / f"{name}.json"
            subprocess.run(
                [
                    str(LIGHTHOUSE),
                    url,
                    "--quiet",
                    "--output=json",
                    f"--output-path={out}",
                    f"--only-categories={','.join(CATEGORIES)}",
                    "--form-factor=mobile",
                    "--chrome-flags=--headless=new --no-sandbox --disable-gpu",
                ],
                env=env,
                check=False,
            )
            if not out.exists():
                results[name] = {"url": path, "error": "lighthouse produced no report"}
                continue
            report = json.loads(out.read_text())
            scores = {
                c: round(report["categories"][c]["score"] * 100)
                if report["categories"][c]["score"] is not None
                else None
                for c in CATEGORIES
            }
            weight = report["audits"].get("total-byte-weight", {}).get("numericValue")
            results[name] = {"url": path, **scores, "transfer_bytes": weight}
            print(name, scores, weight)
        today = datetime.date.today().isoformat()
        target = ROOT / "bench" / "results" / f"lighthouse-{today}.json"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(
            json.dumps(
                {
                    "date": today,
                    "lighthouse": report.get("lighthouseVersion") if results else None,
                    "chromium": os.environ.get("CHROME_PATH", "/usr/bin/chromium"),
                    "form_factor": "mobile",
                    "server": "manage.py runserver, portal.settings.dev (DEBUG), demo data",
                    "pages": results,
                },
                ensure_ascii=False,
                indent=2,
            )
            + "\n"
        )
        print(f"wrote {target}")
    finally:
        server.terminate()
        server.wait(timeout=10)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
