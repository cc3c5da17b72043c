r"""The reading layout of a page: what to read first, and the reference parts collapsed.

MkDocs-free (the hooks in ``hooks.py`` call it; the unit tests call it directly):

- `nav_order` lists the pages of the ``nav`` config in reading order, with their section.
- `read_first` picks, for each page, the page to read before it: the one its front matter
  declares, else the latest earlier page in the nav that it links to, else the page
  before it in the nav. Reference pages (and the home page) get none.
- `page_header` writes the lines shown under the title: "Read first" and the page's
  downloads (its code as a script, the notebook, how to run them); `under_title` puts
  them there.
- `collapse_reference_sections` wraps the rendered "API" section and the list of tests
  ("Proved by the tests", "Tests") into closed ``<details>`` elements and moves them to
  the end of the page, so the idea, the example, the figures and the exercises come
  first. Their content stays in the page: it is indexed by the search and an anchor
  inside opens them (``docs/assets/layout.js``).

Examples
--------
>>> order = nav_order([{"Home": "index.md"}, {"Conv": [{"Kernel": "k.md"}, "o.md"]},
...                    {"Reference": ["g.md"]}])
>>> [(p.src, p.section) for p in order]
[('index.md', ''), ('k.md', 'Conv'), ('o.md', 'Conv'), ('g.md', 'Reference')]
>>> read_first(order, links={("o.md", "index.md")}, declared={})
{'k.md': 'index.md', 'o.md': 'index.md'}
>>> html = '<h1 id="k">K</h1><p>idea</p><h2 id="api">API</h2><p>doc</p><h2 id="s">S</h2>'
>>> print(collapse_reference_sections(html))
<h1 id="k">K</h1><p>idea</p><h2 id="s">S</h2>
<details class="cnnbook-reference"><summary><h2 id="api">API</h2></summary><p>doc</p></details>
>>> print(under_title('<h1 id="k">K</h1><p>idea</p>', page_header(("../", "Home"))))
<h1 id="k">K</h1>
<p class="cnnbook-read-first">Read first: <a href="../">Home</a></p>
<p>idea</p>
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from html import escape
from html.parser import HTMLParser
from typing import Any

__all__ = [
    "COLLAPSED_HEADINGS",
    "REFERENCE_SECTION",
    "NavPage",
    "collapse_reference_sections",
    "nav_order",
    "page_header",
    "read_first",
    "under_title",
]

#: The nav section whose pages are looked up, not read in order: no "Read first" there.
REFERENCE_SECTION = "Reference"
#: The level-2 headings collapsed at the end of a page, in the order they end up in.
COLLAPSED_HEADINGS = {"api": "API", "tests": "Tests"}
_TESTS_TITLES = {"tests", "proved by the tests"}


@dataclass(frozen=True)
class NavPage:
    """A page of the nav: its source path and the title of its top-level section."""

    src: str
    section: str


def nav_order(nav: Any) -> list[NavPage]:
    """Return the pages of the ``nav`` config in reading order (depth first), with sections.

    Raises
    ------
    TypeError
        If `nav` is not a list (the shape of ``mkdocs.yml``'s ``nav``).
    """
    if not isinstance(nav, list):
        raise TypeError(f"nav (={nav!r}) must be a list of pages and sections")
    pages: list[NavPage] = []

    def walk(item: Any, section: str) -> None:
        if isinstance(item, str):
            if not re.match(r"[a-z][a-z0-9+.-]*://", item):  # an external link is no page
                pages.append(NavPage(item, section))
        elif isinstance(item, list):
            for sub in item:
                walk(sub, section)
        elif isinstance(item, dict):
            for title, value in item.items():
                walk(value, section or (title if not isinstance(value, str) else ""))

    walk(nav, "")
    return pages


def read_first(
    order: list[NavPage], links: Iterable[tuple[str, str]], declared: Mapping[str, str]
) -> dict[str, str]:
    """Return ``{page: the page to read first}`` for every reading page but the first.

    Parameters
    ----------
    order : list of NavPage
        The nav, as `nav_order` gives it.
    links : iterable of (from src, to src)
        The wiki links between pages.
    declared : mapping of src to src
        Front-matter choices (``read_first: "[[Kernel]]"``); each must come earlier in
        the nav.

    Raises
    ------
    ValueError
        If a declared page is not earlier in the nav than the page declaring it.
    """
    reading = [p.src for p in order if p.section != REFERENCE_SECTION]
    position = {src: i for i, src in enumerate(reading)}
    targets: dict[str, set[str]] = {}
    for a, b in links:
        targets.setdefault(a, set()).add(b)
    chosen: dict[str, str] = {}
    for i, src in enumerate(reading[1:], start=1):
        if src in declared:
            target = declared[src]
            if position.get(target, i) >= i:
                raise ValueError(
                    f"{src}: read_first (={target!r}) must be a page earlier in the nav"
                )
            chosen[src] = target
            continue
        earlier = [position[t] for t in targets.get(src, ()) if position.get(t, i) < i]
        chosen[src] = reading[max(earlier)] if earlier else reading[i - 1]
    return chosen


def page_header(
    read_first: tuple[str, str] | None = None,
    script: tuple[str, str] | None = None,
    notebook: tuple[str, str] | None = None,
    run_page: str | None = None,
) -> str:
    """Return the "Read first" line and the download links of a page, as HTML.

    Parameters
    ----------
    read_first : (href, title), optional
        The page to read first (`read_first`).
    script, notebook : (href, file name), optional
        The page's code as a script, and the page's notebook, to download.
    run_page : str, optional
        The href of the page saying how to run them (shown after the downloads).

    Examples
    --------
    >>> print(page_header(script=("k.py", "k.py"), run_page="r/"))  # doctest: +NORMALIZE_WHITESPACE
    <p class="cnnbook-downloads">Download <a href="k.py" download>the code of this page
    (k.py)</a> (<a href="r/">how to run it</a>).</p>
    """
    parts = []
    if read_first is not None:
        href, title = read_first
        parts.append(
            '<p class="cnnbook-read-first">Read first: '
            f'<a href="{escape(href)}">{escape(title)}</a></p>'
        )
    links = []
    if script is not None:
        href, name = script
        links.append(f'<a href="{escape(href)}" download>the code of this page ({name})</a>')
    if notebook is not None:
        href, name = notebook
        links.append(f'<a href="{escape(href)}" download>this notebook ({name})</a>')
    if links:
        how = f' (<a href="{escape(run_page)}">how to run it</a>)' if run_page else ""
        parts.append(f'<p class="cnnbook-downloads">Download {" · ".join(links)}{how}.</p>')
    return "\n".join(parts)


_H1_END_RE = re.compile(r"</h1>")


def under_title(html: str, extra: str) -> str:
    """Insert `extra` after the page's ``<h1>`` (at the start if it has none)."""
    if not extra:
        return html
    end = _H1_END_RE.search(html)
    at = end.end() if end else 0
    return f"{html[:at]}\n{extra}\n{html[at:]}"


class _TopLevelH2(HTMLParser):
    """Record the offset of every ``<h2>`` not nested in another element."""

    _VOID = frozenset("area base br col embed hr img input link meta source track wbr".split())

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=False)
        self._lines = [0]
        for line in html.splitlines(keepends=True):
            self._lines.append(self._lines[-1] + len(line))
        self.depth = 0
        self.starts: list[int] = []
        self.feed(html)
        self.close()

    def _offset(self) -> int:
        line, column = self.getpos()
        return self._lines[line - 1] + column

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "h2" and self.depth == 0:
            self.starts.append(self._offset())
        if tag not in self._VOID:
            self.depth += 1

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        pass

    def handle_endtag(self, tag: str) -> None:
        if tag not in self._VOID:
            self.depth = max(0, self.depth - 1)


_H2_RE = re.compile(r"<h2\b[^>]*>(?P<title>[\s\S]*?)</h2>")
_HEADERLINK_RE = re.compile(r'<a\b[^>]*class="headerlink"[^>]*>[\s\S]*?</a>')


def _kind(heading: str) -> str | None:
    """Return "api", "tests" or None for a rendered ``<h2>...</h2>``."""
    text = re.sub(r"<[^>]+>", "", _HEADERLINK_RE.sub("", heading))
    text = " ".join(text.replace("¶", "").split()).lower()
    if text == "api":
        return "api"
    return "tests" if text in _TESTS_TITLES else None


def collapse_reference_sections(html: str) -> str:
    """Wrap the top-level "API" and tests sections into closed ``<details>``, moved last.

    A section runs from its ``<h2>`` to the next top-level ``<h2>`` (or the end). The
    heading itself becomes the ``<summary>``, keeping its ``id`` so the table of contents
    and links still reach it; its permalink is dropped (a link inside a ``<summary>`` is
    a control nested in a control). Pages without such sections are returned unchanged.
    """
    starts = _TopLevelH2(html).starts
    if not starts:
        return html
    bounds = [*starts, len(html)]
    kept = [html[: starts[0]]]
    collapsed: dict[str, list[str]] = {kind: [] for kind in COLLAPSED_HEADINGS}
    for start, end in itertools.pairwise(bounds):
        section = html[start:end]
        heading = _H2_RE.match(section)
        kind = _kind(heading.group(0)) if heading else None
        if heading is None or kind is None:
            kept.append(section)
            continue
        title = _HEADERLINK_RE.sub("", heading.group(0))
        body = section[heading.end() :].rstrip()
        collapsed[kind].append(
            f'<details class="cnnbook-reference"><summary>{title}</summary>{body}</details>'
        )
    if not any(collapsed.values()):
        return html
    head = "".join(kept).rstrip()
    return "\n".join([head, *collapsed["api"], *collapsed["tests"]]) + "\n"
