"""The site's pages in navigation order, read from the built home page's HTML.

Material's primary navigation lists every page of the site (with ``navigation.sections``);
``make pdf`` (`cnnbook.site.book_pdf`) prints the pages in this order.

Examples
--------
>>> nav = nav_pages('<nav class="md-nav md-nav--primary"><a href="." class="md-nav__link">'
...                 '<span>Home</span></a><a href="#x" class="md-nav__link">x</a>'
...                 '<a href="kernel/" class="md-nav__link">Kernel</a></nav>')
>>> [(p.url, p.title) for p in nav]
[('', 'Home'), ('kernel/', 'Kernel')]
"""

from __future__ import annotations

import posixpath
from dataclasses import dataclass
from html.parser import HTMLParser
from urllib.parse import urlsplit

__all__ = ["NavPage", "nav_pages"]


@dataclass(frozen=True)
class NavPage:
    """One page of the navigation: its URL from the site root (``""`` = home) and title."""

    url: str
    title: str


class _NavParser(HTMLParser):
    """Collects the page links of Material's primary navigation, in order."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.depth = 0  # depth inside <nav class="md-nav--primary">, 0 = outside
        self.href: str | None = None
        self.text: list[str] = []
        self.links: list[tuple[str, str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attr = dict(attrs)
        classes = (attr.get("class") or "").split()
        if tag == "nav" and (self.depth or "md-nav--primary" in classes):
            self.depth += 1
        elif tag == "a" and self.depth and "md-nav__link" in classes:
            self.href, self.text = attr.get("href") or "", []

    def handle_endtag(self, tag: str) -> None:
        if tag == "nav" and self.depth:
            self.depth -= 1
        elif tag == "a" and self.href is not None:
            self.links.append((self.href, " ".join("".join(self.text).split())))
            self.href = None

    def handle_data(self, data: str) -> None:
        if self.href is not None:
            self.text.append(data)


def nav_pages(home_html: str) -> list[NavPage]:
    """Return the pages of the site's navigation, in order, from the home page's HTML.

    The primary navigation of Material lists every page (with ``navigation.sections``);
    links to headings of the home page itself (``#...``) and repeats are dropped. URLs are
    relative to the site root, as the home page's links are.
    """
    parser = _NavParser()
    parser.feed(home_html)
    pages: list[NavPage] = []
    seen: set[str] = set()
    for href, title in parser.links:
        if href.startswith("#") or urlsplit(href).scheme:
            continue
        url = posixpath.normpath(href.split("#")[0]) + "/"
        url = "" if url in ("./", "/") else url.removeprefix("./")
        if url not in seen:
            seen.add(url)
            pages.append(NavPage(url, title))
    return pages
