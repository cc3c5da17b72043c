"""MkDocs hooks of the site (named in ``mkdocs.yml``): wiki links, backlinks, graph, values.

MkDocs imports this file by path at every build, so its state lives in a fresh
:class:`_State` per build (reset in ``on_config``, which also sets up the caches of the
executed notebooks, exec blocks and API signatures, keyed by the code: ``build_cache``).
The work is done by the modules beside it: the pages and their links in a
`cnnbook.site.wiki_graph.WikiGraph`, the links written by a
`cnnbook.site.wikilink_rendering.LinkRenderer`, the nav config read by
`cnnbook.site.nav_config`, the page laid out by `cnnbook.site.layout`; see
``cnnbook/site/README.md`` for the page-author view.

- ``on_files``: index every page by title, nav title, file name and front-matter
  ``aliases``; read every page's wiki links from its source (so backlinks are complete
  even in ``--dirty`` rebuilds, which render only the edited page).
- ``on_page_markdown``: evaluate ``{{ cnnbook: expr }}``; turn ``[[Page#Heading|text]]``
  into an ordinary relative ``.md`` link, so MkDocs validates page and anchor; render the
  page's exercises for ``{{ exercises }}`` (``exercise_pages``); append the glossary's
  hover abbreviations. Notebooks are skipped here (their "Markdown" is JSON).
- ``on_page_content``: the exercises' HTML into their slot; the same links in rendered
  HTML -- notebooks, docstrings rendered by mkdocstrings, output of executed blocks -- as
  ``<a>`` tags (anchors checked in ``on_env``); a notebook's figures get the alt text of
  their cells (``notebook_images``).
- ``on_page_content`` also lays the page out (``layout.py``): a "Read first" line and the
  downloads (the page's code as a script, the notebook) under the title, each glossary
  hover once, the API and tests sections collapsed at the end (after the exercises).
- ``on_page_context``: ``page.meta["backlinks"]`` and ``page.meta["upstream_link"]`` for the
  template override (``overrides/main.html``).
- ``on_post_page``: strip nbconvert's MathJax/CDN scripts (KaTeX is served locally;
  `cnnbook.site.offline.strip_remote_scripts`).
- ``on_post_build``: write the page scripts (``code/*.py``), copy the notebooks' ``.ipynb``,
  write ``assets/graph.json`` (nodes = pages, links = wiki links) and the
  in-browser network, ``assets/network/model.json`` and ``examples.json``
  (`cnnbook.browser_network.export`).
- Under ``mkdocs serve`` (``on_startup``), the book ``make pdf`` printed is served, or its
  link on the home page becomes a note (`cnnbook.site.printed_book`).
"""

from __future__ import annotations

import json
import logging
import posixpath
from dataclasses import dataclass, field
from html import escape
from pathlib import Path
from typing import Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import Files
from mkdocs.structure.pages import Page
from mkdocs.utils import get_relative_url

from cnnbook.site import (
    build_cache,
    computed,
    downloads,
    executed_blocks,
    exercise_pages,
    formatted_signatures,
    glossary,
    layout,
    notebook_images,
    printed_book,
)
from cnnbook.site.nav_config import API_SECTION as API_SECTION
from cnnbook.site.nav_config import add_api_pages, nav_titles, prefer_api_pages
from cnnbook.site.offline import strip_remote_scripts
from cnnbook.site.wiki_graph import WikiGraph, page_source, page_title
from cnnbook.site.wikilink_rendering import LinkRenderer

log = logging.getLogger("mkdocs.plugins.cnnbook")

# The project's own pages (other sites built with these hooks, e.g. in tests, are smaller).
_DOCS = (Path(__file__).resolve().parents[2] / "docs").resolve()
GLOSSARY_PAGE = "glossary.md"
RUN_PAGE = "run-it-yourself.md"
GRAPH_JSON = "assets/graph.json"


@dataclass
class _State:
    wiki: WikiGraph = field(default_factory=WikiGraph)  # pages by name, links between them
    links: LinkRenderer = field(init=False)  # the wiki links written, their anchors checked
    abbreviations: str = ""
    read_first: dict[str, str] = field(default_factory=dict)  # src_uri -> src_uri to read first
    scripts: dict[str, str] = field(default_factory=dict)  # src_uri -> its code as a script
    notebooks: dict[str, str] = field(default_factory=dict)  # src_uri -> its source file path
    exercise_html: dict[str, str] = field(default_factory=dict)  # page key -> exercises' HTML
    to_html: Any = None  # Markdown fragment -> HTML with the site's extensions (exercises)
    signatures: Any = None  # the API signatures' formatter memo, saved after the build
    book_missing: bool = False  # served without a printed book: its link becomes a note

    def __post_init__(self) -> None:
        self.links = LinkRenderer(self.wiki, log.warning)


_state = _State()
_serving = False  # `mkdocs serve` (on_startup): pages go to a temporary folder


def on_startup(command: str, dirty: bool) -> None:
    """Note whether this process serves the site (then the printed book may be missing)."""
    global _serving
    _serving = command == "serve"


def on_config(config: MkDocsConfig) -> MkDocsConfig:
    """Reset the build's state, list docs/api pages in the nav, read the glossary."""
    global _state
    _state = _State(book_missing=_serving and not printed_book.PRINTED.is_file())
    add_api_pages(config.nav or [], Path(config.docs_dir))
    glossary_path = Path(config.docs_dir) / GLOSSARY_PAGE
    if glossary_path.is_file():
        terms = glossary.parse_glossary(glossary_path.read_text(encoding="utf-8"))
        _state.abbreviations = glossary.abbreviations(terms)
    _state.to_html = exercise_pages.markdown_renderer(
        config.markdown_extensions, config.mdx_configs
    )
    # What the notebooks and exec blocks print and how signatures are laid out, cached by
    # the code and the installed versions (``build_cache``).
    docs_dir = Path(config.docs_dir)
    build_cache.cache_notebooks(config.plugins.get("mkdocs-jupyter"), docs_dir)
    if "markdown-exec" in config.plugins:
        executed_blocks.install(build_cache.prepare(build_cache.cache_folder("blocks", docs_dir)))
    if "mkdocstrings" in config.plugins:
        folder = build_cache.prepare(build_cache.cache_folder("signatures", docs_dir))
        _state.signatures = formatted_signatures.install(folder)
    return config


def on_files(files: Files, config: MkDocsConfig) -> Files:
    """Index every page by its names and collect the wiki links of every page's source."""
    wiki = _state.wiki
    titles = nav_titles(config.nav or [])
    sources: dict[str, str] = {}
    upstream: dict[str, Any] = {}
    declared: dict[str, str] = {}  # front matter read_first, as written
    for file in files.documentation_pages():
        src = file.src_uri
        if " " in src:
            log.warning(f"{src}: page file names must have no spaces (use hyphens)")
        meta, text = page_source(src, file.content_string)
        title = page_title(src, meta, text, titles.get(src))
        wiki.add_page(
            src, file.url, title=title, nav_title=titles.get(src), aliases=meta.get("aliases") or []
        )
        sources[src] = text
        if src.endswith(".ipynb"):
            _state.notebooks[src] = file.abs_src_path or ""
        if meta.get("read_first"):
            declared[src] = str(meta["read_first"])
        if meta.get("upstream"):
            upstream[src] = meta["upstream"]
    for name, pages in wiki.index.ambiguous.items():
        log.warning(f"wiki name {name!r} is claimed by several pages: {sorted(pages)}")
    for src, text in sources.items():
        wiki.add_links(src, text)
    for src, value in upstream.items():
        if not wiki.set_upstream(src, value):
            log.warning(
                f"{src}: front matter upstream (={value!r}) must be a [[wiki link]] to a page"
            )
    _choose_read_first(config, declared)
    return files


def _choose_read_first(config: MkDocsConfig, declared: dict[str, str]) -> None:
    """Pick each reading page's "Read first" page (``layout.read_first``)."""
    chosen: dict[str, str] = {}
    for src, text in declared.items():
        target = _state.wiki.named_page(text)
        if target is None:
            log.warning(f"{src}: front matter read_first (={text!r}) must name a page")
        else:
            chosen[src] = target
    order = [p for p in layout.nav_order(config.nav or []) if p.src in _state.wiki.titles]
    try:
        _state.read_first = layout.read_first(order, _state.wiki.edges, chosen)
    except ValueError as err:
        log.warning(str(err))


def on_page_markdown(markdown: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    """Evaluate computed values, rewrite wiki links, append hover abbreviations."""
    src = page.file.src_uri
    if isinstance(page.meta.get("title"), str):
        # The theme prints the front-matter title unescaped (header, <title>, nav, footer):
        # hand it over as HTML text, so a title such as "<img onerror=...>" stays text.
        page.meta["title"] = escape(page.meta["title"], quote=False)
    if src.endswith(".ipynb"):
        return markdown
    script = downloads.page_script(markdown, _state.wiki.titles.get(src, src), src)
    if script is not None:
        _state.scripts[src] = script
    markdown, errors = computed.render(markdown)
    for error in errors:
        log.warning(f"{src}: computed value failed: {error}")
    markdown = _state.links.markdown(markdown, src)
    # After the wiki links: the exercises' own links are rewritten in on_page_content.
    markdown, errors = exercise_pages.expand(
        markdown,
        exercise_pages.page_key(src),
        _state.exercise_html,
        _state.to_html,
        site_pages=Path(config.docs_dir).resolve() == _DOCS,
    )
    for error in errors:
        log.warning(error)
    if _state.abbreviations and src != GLOSSARY_PAGE and page.meta.get("abbreviations", True):
        markdown += "\n\n" + _state.abbreviations
    return markdown


def on_page_content(html: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    """Rewrite wiki links left in the HTML (notebooks, docstrings); record element ids."""
    src = page.file.src_uri
    html = exercise_pages.fill(html, _state.exercise_html)
    html = _state.links.html(html, src, page.url)
    html = glossary.drop_hovers_in_headings(html)
    if src.endswith(".ipynb"):
        try:  # nbconvert's placeholder alt -> the notebook cells' descriptions
            html = notebook_images.describe_images(html, json.loads(page.file.content_string), src)
        except ValueError as err:
            log.warning(str(err))
    html = glossary.first_occurrences_only(html)
    if not src.startswith("api/"):
        html = layout.collapse_reference_sections(html)
    html = layout.under_title(html, _page_header(page))
    if _state.book_missing:  # no PDF to serve: no dead link to it
        html = printed_book.unlink_missing_book(html)
    _state.links.record_ids(src, html)
    return html


def _page_header(page: Page) -> str:
    """Return the "Read first" line and the download links of a page, as HTML."""
    src = page.file.src_uri

    def href(target: str) -> str:
        return get_relative_url(target, page.url)

    first = _state.read_first.get(src)
    script = downloads.script_name(src) if src in _state.scripts else None
    run_page = RUN_PAGE in _state.wiki.urls and src != RUN_PAGE
    return layout.page_header(
        read_first=(href(_url(first)), _state.wiki.titles[first]) if first else None,
        script=(href(f"{downloads.SCRIPTS_DIR}/{script}"), script) if script else None,
        notebook=(href(src), posixpath.basename(src)) if src in _state.notebooks else None,
        run_page=href(_url(RUN_PAGE)) if run_page else None,
    )


def _url(src: str) -> str:
    return _state.wiki.urls[src]


def on_env(env: Any, config: MkDocsConfig, files: Files) -> Any:
    """Check wiki-link anchors made in HTML; make API pages the home of doubled objects."""
    prefer_api_pages(config.plugins)
    _state.links.check_anchors()
    return env


def on_page_context(context: dict[str, Any], page: Page, config: MkDocsConfig, nav: Any) -> Any:
    """Give the template the page's backlinks and upstream parent, titles as plain text.

    The template escapes them (``overrides/main.html``).
    """
    src = page.file.src_uri
    page.meta["backlinks"] = _state.wiki.backlinks(src)
    upstream = _state.wiki.upstream_link(src)
    if upstream is not None:
        page.meta["upstream_link"] = upstream
    return context


def on_post_page(output: str, page: Page, config: MkDocsConfig) -> str:
    """Drop nbconvert's MathJax and CDN scripts from notebook pages."""
    if page.file.src_uri.endswith(".ipynb"):
        output = strip_remote_scripts(output)
    return output


def graph() -> dict[str, list[dict[str, str]]]:
    """Return the wiki graph: ``nodes`` (id, title, url from the site root) and ``links``."""
    return _state.wiki.as_json()


def on_post_build(config: MkDocsConfig) -> None:
    """Write the page scripts, the notebooks, the wiki graph and the in-browser network."""
    if _state.signatures is not None:
        _state.signatures.save()
    downloads.write_downloads(Path(config.site_dir), _state.scripts, _state.notebooks)
    path = Path(config.site_dir) / GRAPH_JSON
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(graph(), indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    from cnnbook import browser_network  # trains the digit network if it is not cached

    browser_network.export(config.site_dir)
    if _serving:
        printed_book.serve_printed_book(printed_book.PRINTED, Path(config.site_dir))
