"""A listing's description is stored as rich text (HTML); people and files give it as text.

``text_to_html`` makes the simple rich text the portal writes (a ``<p>`` per paragraph, ``<br/>``
for a line break, everything escaped); ``html_to_text`` reads any rich text back as plain text
(lists become ・ lines). ``normalize_text`` is plain text as it survives that round trip, so
two descriptions compare equal when they read the same, whatever markup staff added.
"""

from __future__ import annotations

import re
from html import escape
from html.parser import HTMLParser
from typing import Any


def _unix_line_breaks(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


def normalize_text(text: str) -> str:
    """Plain text as it survives a trip through rich text: paragraphs split by blank lines."""
    lines = [line.rstrip() for line in _unix_line_breaks(text).strip().split("\n")]
    paragraphs = re.split(r"\n{2,}", "\n".join(lines))
    return "\n\n".join(p.strip() for p in paragraphs if p.strip())


def text_to_html(text: str) -> str:
    """Plain text → simple rich text: a <p> per paragraph, <br/> for a single line break."""
    paragraphs = normalize_text(text).split("\n\n")
    return "".join(
        "<p>" + "<br/>".join(escape(line, quote=False) for line in p.split("\n")) + "</p>"
        for p in paragraphs
        if p
    )


def html_to_text(html: str) -> str:
    """Rich text → plain text, the inverse of ``text_to_html`` (lists become ・ lines)."""
    parser = _TextExtractor()
    parser.feed(html or "")
    parser.close()
    return normalize_text(parser.text())


class _TextExtractor(HTMLParser):
    BLOCKS = frozenset(
        {"p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "ul", "ol", "hr"}
    )

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.blocks: list[str] = []
        self.current: list[str] = []
        self.lists: list[list[Any]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self.BLOCKS:
            self._end_block()
        if tag in ("ul", "ol"):
            self.lists.append([tag, 0])
        elif tag == "li":
            if "".join(self.current).strip():
                self.current.append("\n")
            if self.lists:
                self.lists[-1][1] += 1
                kind, number = self.lists[-1]
                self.current.append(f"{number}. " if kind == "ol" else "・")
        elif tag == "br":
            self.current.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in self.BLOCKS:
            self._end_block()
        if tag in ("ul", "ol") and self.lists:
            self.lists.pop()

    def handle_data(self, data: str) -> None:
        # Raw newlines in HTML are just whitespace; text_to_html never writes any.
        self.current.append(re.sub(r"\s*\n\s*", " ", data))

    def _end_block(self) -> None:
        block = "".join(self.current).strip()
        if block:
            self.blocks.append(block)
        self.current = []

    def text(self) -> str:
        self._end_block()
        return "\n\n".join(self.blocks)
