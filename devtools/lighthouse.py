"""Lighthouse (npm, in .cache/lighthouse) against Debian chromium for the pages the axe tests cover.

Run by ``make lighthouse``: uses a throwaway SQLite database with the demo city under
.lighthouse/, starts ``runserver`` on it, audits each page with mobile emulation and writes the
four category scores to devtools/bench/results/lighthouse-<date>.json.

``LIGHTHOUSE_SERVER=production`` serves the pages the way production does instead: production
settings (DEBUG off), ``collectstatic`` into .lighthouse/static and WhiteNoise's compressed,
hashed files; it writes devtools/bench/results/lighthouse-<date>-production.json.

Besides the scores, each page records Lighthouse's total transfer size and ``budget_bytes``: the
same without map tiles and photos (uploaded images under /media/), which the 150 KB page budget
of issue 6 leaves out. A page Lighthouse cannot audit (the 404 page: it refuses error statuses)
records the reason instead of scores.
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
SERVER = os.environ.get("LIGHTHOUSE_SERVER", "dev").strip().lower() or "dev"
# Transient trace failures are worth a second try; an error status (404) is not.
RETRY_ERRORS = {"NO_NAVSTART", "NO_FCP", "PROTOCOL_TIMEOUT", "NO_LCP"}


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
        "from news.models import EventPage, NewsPage\n"
        "n = NewsPage.objects.live().first()\n"
        "out['news'] = n.url if n else None\n"
        "e = EventPage.objects.live().first()\n"
        "out['event'] = e.url if e else None\n"
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
        ("search-map", "/search/?q=食事&view=map"),
    ]
    result += [(f"listing-{k}", found[k]) for k in ("ibasho", "kodomo_shokudo", "fureai", "window")]
    result += [("area", found["area"]), ("information", found["information"])]
    result += [("news", found["news"]), ("event", found["event"]), ("calendar", "/calendar/")]
    result += [("consult", "/consult/"), ("networks", "/networks/"), ("concern", "/concern/")]
    result += [("submit", "/submit/"), ("not-found", "/no-such-page/")]
    return [(name, path) for name, path in result if path]


def not_tiles_or_photos(url: str, tile_host: str) -> bool:
    parts = urllib.parse.urlsplit(url)
    return parts.hostname != tile_host and not parts.path.startswith("/media/")


def audit(url: str, out: Path, env) -> dict:
    for _attempt in range(2):
        out.unlink(missing_ok=True)
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
            continue
        report = json.loads(out.read_text())
        if (report.get("runtimeError") or {}).get("code") not in RETRY_ERRORS:
            return report
    return json.loads(out.read_text()) if out.exists() else {}


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
    server_note = "manage.py runserver, portal.settings.dev (DEBUG), demo data"
    if SERVER == "production":
        env.update(
            {
                "DJANGO_SETTINGS_MODULE": "portal.settings.production",
                "SECRET_KEY": "lighthouse-only-not-a-secret-" + "x" * 40,
                "SECURE_SSL_REDIRECT": "0",
                "ALLOWED_HOSTS": "127.0.0.1,localhost",
                "STATIC_ROOT": str(WORK / "static"),
                "DEBUG": "0",
            }
        )
        subprocess.run(
            [sys.executable, "manage.py", "collectstatic", "--noinput", "--verbosity=0"],
            cwd=ROOT,
            env=env,
            check=True,
        )
        server_note = (
            "manage.py runserver, portal.settings.production (DEBUG off; static files collected, "
            "hashed and gzip-compressed by WhiteNoise; HTML uncompressed), demo data"
        )
    tile_host = urllib.parse.urlsplit(
        os.environ.get("MAP_TILE_URL", "https://cyberjapandata.gsi.go.jp/")
    ).hostname
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
        report = {}
        for name, path in pages(env):
            url = base + urllib.parse.quote(path, safe="/?=&")
            report = audit(url, WORK / f"{name}.json", env)
            if not report:
                results[name] = {"url": path, "error": "lighthouse produced no report"}
                continue
            if report.get("runtimeError"):
                error = report["runtimeError"]
                results[name] = {
                    "url": path,
                    "error": f"{error.get('code')}: {error.get('message')}",
                }
                print(name, results[name]["error"])
                continue
            scores = {
                c: round(report["categories"][c]["score"] * 100)
                if report["categories"][c]["score"] is not None
                else None
                for c in CATEGORIES
            }
            weight = report["audits"].get("total-byte-weight", {}).get("numericValue")
            requests = (report["audits"].get("network-requests", {}).get("details") or {}).get(
                "items", []
            )
            budget = sum(
                item.get("transferSize") or 0
                for item in requests
                if not_tiles_or_photos(item.get("url", ""), tile_host)
            )
            below = {
                c: [
                    ref["id"]
                    for ref in report["categories"][c]["auditRefs"]
                    if ref.get("weight")
                    and report["audits"][ref["id"]].get("score") is not None
                    and report["audits"][ref["id"]]["score"] < 1
                ]
                for c in CATEGORIES
            }
            results[name] = {
                "url": path,
                **scores,
                "transfer_bytes": weight,
                "budget_bytes": budget,
                "failing_audits": {c: ids for c, ids in below.items() if ids},
            }
            print(name, scores, weight, budget)
        today = datetime.date.today().isoformat()
        suffix = "" if SERVER == "dev" else f"-{SERVER}"
        target = ROOT / "devtools" / "bench" / "results" / f"lighthouse-{today}{suffix}.json"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(
            json.dumps(
                {
                    "date": today,
                    "lighthouse": report.get("lighthouseVersion"),
                    "chromium": os.environ.get("CHROME_PATH", "/usr/bin/chromium"),
                    "form_factor": "mobile",
                    "server": server_note,
                    "budget_bytes": "transfer without map tiles and photos (/media/)",
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
