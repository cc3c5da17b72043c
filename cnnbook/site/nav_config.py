"""The ``nav`` of ``mkdocs.yml``: the titles it gives pages, and the API pages it lists.

MkDocs-free (the hooks in ``hooks.py`` call it on the loaded config). The nav is YAML's
shape: a list of page paths, ``{title: path}`` items and ``{section: [...]}`` sections.
A page's nav title is one of its wiki names (`cnnbook.site.wiki_graph`); every
``docs/api/*.md`` is listed under "API reference" without being named in the nav, so a new
API page needs no edit of ``mkdocs.yml``. (The reading order of the nav is
`cnnbook.site.layout.nav_order`.)

Examples
--------
>>> nav = [{"Home": "index.md"}, {"Basics": ["kernel.md", {"Pooling": "pooling.md"}]}]
>>> nav_titles(nav)
{'index.md': 'Home', 'pooling.md': 'Pooling'}
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

__all__ = ["API_SECTION", "add_api_pages", "nav_titles", "prefer_api_pages"]

#: The nav section that lists every ``docs/api/*.md``.
API_SECTION = "API reference"


def nav_titles(nav: Any, out: dict[str, str] | None = None) -> dict[str, str]:
    """Collect ``{src path: title}`` from the ``nav`` config (nested lists and dicts)."""
    out = {} if out is None else out
    if isinstance(nav, list):
        for item in nav:
            nav_titles(item, out)
    elif isinstance(nav, dict):
        for title, value in nav.items():
            if isinstance(value, str):
                out[value] = title
            else:
                nav_titles(value, out)
    return out


def add_api_pages(nav: Any, docs_dir: Path) -> None:
    """Append every ``docs/api/*.md`` not yet listed to the nav section "API reference".

    Examples
    --------
    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as docs:
    ...     (Path(docs) / "api").mkdir()
    ...     for name in ("pooling.md", "conv2d.md"):
    ...         _ = (Path(docs) / "api" / name).write_text("")
    ...     nav = [{"API reference": [{"Overview": "api/index.md"}, "api/pooling.md"]}]
    ...     add_api_pages(nav, Path(docs))
    >>> nav
    [{'API reference': [{'Overview': 'api/index.md'}, 'api/pooling.md', 'api/conv2d.md']}]
    """
    if isinstance(nav, dict):
        for title, value in nav.items():
            if title == API_SECTION and isinstance(value, list):
                listed = set(nav_titles(value)) | {v for v in value if isinstance(v, str)}
                for path in sorted((docs_dir / "api").glob("*.md")):
                    src = f"api/{path.name}"
                    if src not in listed:
                        value.append(src)
            else:
                add_api_pages(value, docs_dir)
    elif isinstance(nav, list):
        for item in nav:
            add_api_pages(item, docs_dir)


def prefer_api_pages(plugins: Any) -> None:
    """Make the API reference the one home of an object also embedded on a concept page.

    A concept page shows the API block of the functions it uses, so mkdocstrings registers
    the same identifier on two pages, and autorefs would warn (strict: fail) on any
    cross-reference to it from a third page. The API page's URL alone stays primary.
    `plugins` is the loaded config's ``plugins``.
    """
    plugin = plugins.get("autorefs")
    primary = getattr(plugin, "_primary_url_map", None)
    if not isinstance(primary, dict):
        return
    for identifier, urls in primary.items():
        api = [url for url in urls if url.startswith("api/")]
        if api and len(api) < len(urls):
            primary[identifier] = api
