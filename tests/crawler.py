"""A breadth-first crawler over the site through Django's test client.

Starts from a few URLs and follows every internal link of each HTML page (``tests.links``),
every redirect, and in JSON answers (the API, OpenAPI) every string that is an internal URL
and the OpenAPI ``paths``. Media and the staff admin are not fetched; external links never are.
Each URL is fetched once; what answered 404 or 5xx is reported with the pages linking to it.
A caller may bound a family of URLs served by one Django view (``sample={"view:name": n}``):
only the first ``n`` of them met are fetched, the rest counted in ``Crawl.sampled_out``.
"""

from __future__ import annotations

import contextlib
import json
from collections import defaultdict, deque
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from urllib.parse import unquote, urlsplit

import django.test.client
from django.test import Client
from django.urls import Resolver404, resolve

from tests.links import INTERNAL_HOSTS, internal_links

SKIPPED_PREFIXES = ("/media/", "/admin/", "/documents/")
MAX_URLS = 3000  # a bound, far above the demo site's size, so a link loop cannot run forever


@dataclass
class Crawl:
    status: dict[str, int] = field(default_factory=dict)
    referrers: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    problems: list[str] = field(default_factory=list)  # pages failing a caller's check
    sampled_out: dict[str, int] = field(default_factory=lambda: defaultdict(int))

    def broken(self) -> list[str]:
        """Each URL that answered 404 or 5xx, with up to three pages linking to it."""
        lines = []
        for url, status in sorted(self.status.items()):
            if status == 404 or status >= 500:
                sources = sorted(self.referrers[url])
                shown = ", ".join(sources[:3]) + (" …" if len(sources) > 3 else "")
                lines.append(f"{status} {url}  ← {shown or '(start)'}")
        return lines


def _json_links(body: object, found: list[str]) -> None:
    if isinstance(body, dict):
        if isinstance(body.get("paths"), dict):  # OpenAPI: each path without parameters
            found += [p for p in body["paths"] if "{" not in p]
        for value in body.values():
            _json_links(value, found)
    elif isinstance(body, list):
        for value in body:
            _json_links(value, found)
    elif isinstance(body, str) and body.startswith(("http://", "https://", "/")):
        parts = urlsplit(body)
        if parts.hostname in INTERNAL_HOSTS and parts.path.startswith("/"):
            path = unquote(parts.path)
            found.append(f"{path}?{parts.query}" if parts.query else path)


def _outgoing(url: str, response) -> list[str]:
    if 300 <= response.status_code < 400 and response.has_header("Location"):
        location = urlsplit(response["Location"])
        if location.hostname in INTERNAL_HOSTS | {None}:
            path = unquote(location.path)
            return [f"{path}?{location.query}" if location.query else path]
        return []
    if response.status_code != 200:
        return []
    content_type = response.get("Content-Type", "")
    if content_type.startswith("text/html"):
        html = response.content.decode()
        return [link.url for link in internal_links(html, f"http://testserver{url}")]
    if "json" in content_type:
        found: list[str] = []
        _json_links(json.loads(response.content), found)
        return found
    return []


@contextlib.contextmanager
def _no_template_recording():
    """The test client keeps a copy of the context of every template rendered (for
    ``response.context``); a crawl never reads them, and on a form page with a few thousand
    template includes the copying costs as much as the rendering."""
    recorder = django.test.client.store_rendered_templates
    django.test.client.store_rendered_templates = lambda *args, **kwargs: None
    try:
        yield
    finally:
        django.test.client.store_rendered_templates = recorder


def crawl(
    client: Client,
    start: Iterable[str],
    *,
    headers: dict[str, str] | None = None,
    check_html: Callable[[str, str], str | None] | None = None,
    follow: bool = True,
    sample: dict[str, int] | None = None,
) -> Crawl:
    """Fetch ``start`` and (if ``follow``) everything linked from it; ``check_html(url, html)``
    may return a problem to report for a page (e.g. the wrong language)."""
    with _no_template_recording():
        return _crawl(client, start, headers or {}, check_html, follow, sample or {})


def _view_name(path: str) -> str | None:
    try:
        return resolve(urlsplit(path).path).view_name
    except Resolver404:
        return None


def _crawl(client, start, headers, check_html, follow, sample) -> Crawl:
    result = Crawl()
    fetched_by_view: dict[str | None, int] = defaultdict(int)
    queue = deque(dict.fromkeys(start))
    seen = set(queue)
    while queue:
        url = queue.popleft()
        response = client.get(url, headers=headers)
        result.status[url] = response.status_code
        if (
            check_html
            and response.status_code == 200
            and response.get("Content-Type", "").startswith("text/html")
        ):
            problem = check_html(url, response.content.decode())
            if problem:
                result.problems.append(f"{url}: {problem}")
        for target in _outgoing(url, response) if follow else ():
            if target.startswith(SKIPPED_PREFIXES):
                continue
            result.referrers[target].add(url)
            if target not in seen:
                view = _view_name(target) if sample else None
                if view in sample and fetched_by_view[view] >= sample[view]:
                    result.sampled_out[view] += 1
                    seen.add(target)
                    continue
                fetched_by_view[view] += 1
                if len(seen) >= MAX_URLS:
                    result.problems.append(f"more than {MAX_URLS} URLs; stopped at {target}")
                    return result
                seen.add(target)
                queue.append(target)
    return result
