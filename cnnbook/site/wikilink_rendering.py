"""What a wiki link becomes on a page: a checked Markdown link, or an ``<a>`` in HTML.

The links are parsed by `cnnbook.site.wikilinks` and resolved in the build's
`cnnbook.site.wiki_graph.WikiGraph`; a `LinkRenderer` (one per build, made by the hooks in
``hooks.py``) writes them:

- in a page's Markdown, ``[[Page#Heading|text]]`` becomes an ordinary relative ``.md``
  link, so MkDocs validates page and anchor (a strict build fails on a broken one);
- in rendered HTML -- notebooks, docstrings rendered by mkdocstrings, the output of
  executed blocks -- MkDocs checks nothing, so the link becomes ``<a class="wikilink">``
  with a URL relative to the page (MkDocs' rule: `mkdocs.utils.get_relative_url`), it
  counts as an edge of the graph, and its anchor is checked once every page's element
  ids are known (`LinkRenderer.check_anchors`).

A link to no page (or to a name two pages claim) is reported and shown as a marked
``<span class="wikilink-missing">``. Link texts are escaped: ``[[Page|<img ...>]]`` shows
its text instead of becoming an element.

Examples
--------
>>> from cnnbook.site.wiki_graph import WikiGraph
>>> wiki = WikiGraph()
>>> wiki.add_page("kernel.md", "kernel/", title="Kernel")
>>> wiki.add_page("nets/lenet.md", "nets/lenet/", title="LeNet")
>>> links = LinkRenderer(wiki, warn=print)
>>> links.markdown("See [[Kernel#Edge detection|edges]] and [[Nothing]].", "nets/lenet.md")
nets/lenet.md: unresolved wiki link [[Nothing]] -- no page has that title, file name or alias
'See [edges](<../kernel.md#edge-detection>) and <span class="wikilink-missing">Nothing</span>.'
>>> links.html("<p>[[Kernel#Sobel]]</p>", "nets/lenet.md", "nets/lenet/")
'<p><a class="wikilink" href="../../kernel/#sobel">Kernel › Sobel</a></p>'
>>> links.record_ids("kernel.md", '<h2 id="edge-detection">Edge detection</h2>')
>>> links.check_anchors()
nets/lenet.md: wiki link to kernel.md#sobel: no heading with that id
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from html import escape

from mkdocs.utils import get_relative_url

from cnnbook.site.wiki_graph import WikiGraph
from cnnbook.site.wikilinks import WikiLink, rewrite_html, rewrite_markdown

__all__ = ["LinkRenderer", "missing"]

_ID_RE = re.compile(r"""\bid=["']([^"']+)["']""")


def missing(link: WikiLink) -> str:
    """Return the marked text shown for a link to no page."""
    return f'<span class="wikilink-missing">{escape(link.text)}</span>'


@dataclass
class LinkRenderer:
    """The wiki links of one build written as links; unresolved links and anchors reported.

    Parameters
    ----------
    wiki : WikiGraph
        The build's pages (the links made in HTML are added to its edges).
    warn : callable
        Called with each problem's message (the hooks log it: a strict build fails).
    """

    wiki: WikiGraph
    warn: Callable[[str], object]
    html_anchors: list[tuple[str, str, str]] = field(default_factory=list)  # from, to, anchor
    ids: dict[str, set[str]] = field(default_factory=dict)  # src_uri -> element ids

    def resolve(self, link: WikiLink, src: str) -> str | None:
        """Return the target's src_uri (``src`` for ``[[#Heading]]``), warning if unknown."""
        target = self.wiki.index.resolve(link.target) if link.target else src
        if target is None:
            self.warn(
                f"{src}: unresolved wiki link [[{link.target}"
                f"{'#' + link.heading if link.heading else ''}]] -- no page has that title, "
                "file name or alias"
            )
        return target

    def markdown(self, markdown: str, src: str) -> str:
        """Rewrite the wiki links of page ``src``'s Markdown as relative ``.md`` links."""

        def to_markdown_link(link: WikiLink) -> str:
            target = self.resolve(link, src)
            if target is None:
                return missing(link)
            anchor = f"#{link.anchor}" if link.anchor else ""
            text = escape(link.text)  # Markdown passes raw HTML through
            if target == src:
                return f"[{text}]({anchor or '#'})"
            relative = posixpath.relpath(target, posixpath.dirname(src) or ".")
            return f"[{text}](<{relative}{anchor}>)"

        return rewrite_markdown(markdown, to_markdown_link)

    def html(self, html: str, src: str, page_url: str) -> str:
        """Rewrite the wiki links left in page ``src``'s HTML as ``<a>`` tags (at `page_url`)."""

        def to_anchor(link: WikiLink) -> str:
            target = self.resolve(link, src)
            if target is None:
                return missing(link)
            if target != src:
                self.wiki.edges.add((src, target))
            if link.anchor:
                self.html_anchors.append((src, target, link.anchor))
            href = "" if target == src else get_relative_url(self.wiki.urls[target], page_url)
            href += f"#{link.anchor}" if link.anchor else ""
            return f'<a class="wikilink" href="{escape(href or "#")}">{escape(link.text)}</a>'

        return rewrite_html(html, to_anchor) if "[[" in html else html

    def record_ids(self, src: str, html: str) -> None:
        """Record the element ids of page ``src``'s final HTML (the anchors links may use)."""
        self.ids[src] = set(_ID_RE.findall(html))

    def check_anchors(self) -> None:
        """Warn for each anchor of a link made in HTML that its target page does not have."""
        for src, target, anchor in self.html_anchors:
            if target in self.ids and anchor not in self.ids[target]:
                self.warn(f"{src}: wiki link to {target}#{anchor}: no heading with that id")
