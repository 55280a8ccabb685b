"""The internal links of an HTML page, as a browser would follow them.

Collects ``a[href]``, ``link[href]``, ``script[src]``, ``img[src]``/``srcset``, ``source``,
``iframe[src]`` and the action of GET forms; resolves each against the page's URL and keeps
those on the same host (percent-decoded back to the path the server routes on).
"""

from __future__ import annotations

from dataclasses import dataclass
from html.parser import HTMLParser
from urllib.parse import unquote, urljoin, urlsplit

INTERNAL_HOSTS = {"", "testserver", "localhost", "127.0.0.1"}


@dataclass(frozen=True)
class Link:
    url: str  # path and query, as the test client requests it
    tag: str  # e.g. "a href", "form action"


class _LinkParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[str, str]] = []
        self.base: str | None = None

    def handle_starttag(self, tag, attrs):
        attributes = {name: value or "" for name, value in attrs}
        if tag == "base" and attributes.get("href"):
            self.base = attributes["href"]
        if tag in {"a", "link", "area"} and "href" in attributes:
            self.found.append((f"{tag} href", attributes["href"]))
        if tag in {"script", "img", "source", "iframe"} and attributes.get("src"):
            self.found.append((f"{tag} src", attributes["src"]))
        if tag in {"img", "source"} and attributes.get("srcset"):
            for candidate in attributes["srcset"].split(","):
                if candidate.strip():
                    self.found.append((f"{tag} srcset", candidate.split()[0]))
        if tag == "form" and attributes.get("method", "get").lower() == "get":
            self.found.append(("form action", attributes.get("action", "")))


def internal_links(html: str, page_url: str) -> list[Link]:
    """Every internal link of ``html`` (rendered at ``page_url``), fragments dropped."""
    parser = _LinkParser()
    parser.feed(html)
    base = urljoin(page_url, parser.base) if parser.base else page_url
    links = []
    for tag, raw in parser.found:
        raw = raw.strip()
        if raw.startswith(("mailto:", "tel:", "javascript:", "data:", "#")):
            continue
        absolute = urlsplit(urljoin(base, raw))
        if absolute.scheme not in {"", "http", "https"} or absolute.hostname not in (
            INTERNAL_HOSTS | {urlsplit(page_url).hostname or ""}
        ):
            continue
        path = unquote(absolute.path) or "/"
        links.append(Link(f"{path}?{absolute.query}" if absolute.query else path, tag))
    return links


def hrefs(html: str, page_url: str = "http://testserver/") -> list[str]:
    """The internal ``a href`` targets of ``html``."""
    return [link.url for link in internal_links(html, page_url) if link.tag == "a href"]
