"""The site as a wiki graph: every page under its names, and the links between pages.

The hooks in ``hooks.py`` fill one `WikiGraph` per build from the pages' sources
(`page_source`: the front matter, read by MkDocs' own parser, and the Markdown); the unit
tests fill one directly. A page answers to its title, its nav title,
its path without extension and its front-matter ``aliases``; a top-level page also to its
bare file name and a folder's ``index.md`` to the folder's name (`page_names`). The graph
gives each page its backlinks and its upstream parent (the template prints them) and the
whole site as ``assets/graph.json`` (`WikiGraph.as_json`, drawn by the Graph page).

Examples
--------
>>> wiki = WikiGraph()
>>> wiki.add_page("index.md", "", title="Home")
>>> wiki.add_page("kernel.md", "kernel/", title="Kernel", aliases=["filter"])
>>> wiki.add_links("index.md", "A [[Filter]] slides; see [[#Use|below]].")
>>> wiki.set_upstream("kernel.md", "Home")
True
>>> wiki.backlinks("kernel.md")
[{'title': 'Home', 'url': ''}]
>>> wiki.upstream_link("kernel.md")
{'title': 'Home', 'url': ''}
>>> for link in wiki.as_json()["links"]:
...     print(link)
{'source': 'index.md', 'target': 'kernel.md'}
{'source': 'kernel.md', 'target': 'index.md', 'kind': 'upstream'}
"""

from __future__ import annotations

import json
import posixpath
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from mkdocs.utils.meta import get_data

from cnnbook.site.wikilinks import PageIndex, find_links

__all__ = ["WikiGraph", "page_names", "page_source", "page_title"]

_H1_RE = re.compile(r"^#[ \t]+(.+?)[ \t#]*$", re.M)


def page_source(src: str, content: str) -> tuple[dict[str, Any], str]:
    r"""Return ``(front matter, Markdown text)``; a notebook's text is its Markdown cells.

    Examples
    --------
    >>> page_source("kernel.md", "---\naliases: [filter]\n---\n# Kernel\n")
    ({'aliases': ['filter']}, '# Kernel\n')
    >>> cells = '{"cells": [{"cell_type": "markdown", "source": ["# Demo"]}]}'
    >>> page_source("demo.ipynb", cells)
    ({}, '# Demo')
    """
    if src.endswith(".ipynb"):
        cells = json.loads(content).get("cells", [])
        text = "\n\n".join(
            "".join(c["source"]) if isinstance(c["source"], list) else c["source"]
            for c in cells
            if c.get("cell_type") == "markdown"
        )
        return {}, text
    text, meta = get_data(content)
    return meta, text


def page_title(src: str, meta: dict[str, Any], text: str, nav_title: str | None = None) -> str:
    r"""Return a page's title: front matter, else its first H1, else nav title, else file name.

    Examples
    --------
    >>> page_title("pooling.md", {}, "# Understanding Pooling Layers\n\ntext")
    'Understanding Pooling Layers'
    >>> page_title("pooling.md", {"title": "Pooling"}, "# Understanding Pooling Layers")
    'Pooling'
    >>> page_title("dir/page.md", {}, "no heading", nav_title=None)
    'page'
    """
    h1 = _H1_RE.search(text)
    title = meta.get("title") or (h1.group(1).strip("` ") if h1 else None) or nav_title
    return str(title or posixpath.splitext(posixpath.basename(src))[0])


def page_names(
    src: str, title: str, nav_title: str | None = None, aliases: Iterable[Any] = ()
) -> list[str]:
    """Return the names a page answers to in wiki links (before normalisation).

    Title, nav title, path without extension, aliases; a top-level page also answers to
    its bare file name and a folder's ``index.md`` to the folder's name.

    Examples
    --------
    >>> page_names("usecases/index.md", "Use Cases", "What CNNs Do", ["applications"])
    ['Use Cases', 'What CNNs Do', 'usecases/index', 'applications', 'usecases']
    """
    names = [title, nav_title or "", posixpath.splitext(src)[0]]
    names += [str(alias) for alias in aliases]
    if "/" not in src:
        names.append(posixpath.splitext(src)[0])
    elif posixpath.basename(src) == "index.md":
        names.append(posixpath.dirname(src))
    return names


@dataclass
class WikiGraph:
    """The pages of one build by name and the wiki links between them (by source path)."""

    index: PageIndex = field(default_factory=PageIndex)
    titles: dict[str, str] = field(default_factory=dict)  # src_uri -> title
    urls: dict[str, str] = field(default_factory=dict)  # src_uri -> url from the site root
    edges: set[tuple[str, str]] = field(default_factory=set)  # (from src_uri, to src_uri)
    upstream: dict[str, str] = field(default_factory=dict)  # src_uri -> upstream src_uri

    def add_page(
        self,
        src: str,
        url: str,
        *,
        title: str,
        nav_title: str | None = None,
        aliases: Iterable[Any] = (),
    ) -> None:
        """Register a page under its names (`page_names`) with its title and URL."""
        self.titles[src] = title
        self.urls[src] = url
        self.index.add(src, page_names(src, title, nav_title, aliases))

    def add_links(self, src: str, text: str) -> None:
        """Record the wiki links of page ``src``'s source ``text`` (links to itself aside)."""
        for link in find_links(text):
            target = self.index.resolve(link.target) if link.target else src
            if target and target != src:
                self.edges.add((src, target))

    def named_page(self, text: str) -> str | None:
        """Return the page a front-matter value names (``[[Page]]`` or ``Page``), or None."""
        links = find_links(text if "[[" in text else f"[[{text}]]")
        return self.index.resolve(links[0].target) if links else None

    def set_upstream(self, src: str, value: Any) -> bool:
        """Set ``src``'s upstream parent from its front matter; False if it names no page.

        Unquoted in YAML, ``[[Deep Learning]]`` reads as a list holding a list: such
        nesting is unwrapped.
        """
        while isinstance(value, list) and len(value) == 1:
            value = value[0]
        target = self.named_page(str(value))
        if target is None:
            return False
        self.upstream[src] = target
        return True

    def backlinks(self, src: str) -> list[dict[str, str]]:
        """Return the pages linking to ``src`` (``title``, ``url``), sorted by title."""
        sources = sorted({a for a, b in self.edges if b == src}, key=lambda s: self.titles[s])
        return [{"title": self.titles[s], "url": self.urls[s]} for s in sources]

    def upstream_link(self, src: str) -> dict[str, str] | None:
        """Return ``src``'s upstream parent (``title``, ``url``), or None if it has none."""
        if src not in self.upstream:
            return None
        up = self.upstream[src]
        return {"title": self.titles[up], "url": self.urls[up]}

    def as_json(self) -> dict[str, list[dict[str, str]]]:
        """Return the graph: ``nodes`` (id, title, url from the site root) and ``links``."""
        nodes = [
            {"id": src, "title": title, "url": self.urls[src]}
            for src, title in sorted(self.titles.items())
        ]
        links = [{"source": a, "target": b} for a, b in sorted(self.edges)]
        links += [
            {"source": a, "target": b, "kind": "upstream"} for a, b in sorted(self.upstream.items())
        ]
        return {"nodes": nodes, "links": links}
