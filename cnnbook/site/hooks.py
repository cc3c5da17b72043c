"""MkDocs hooks of the site (named in ``mkdocs.yml``): wiki links, backlinks, graph, values.

MkDocs imports this file by path at every build, so its state lives in a fresh
:class:`_State` per build (reset in ``on_config``, which also sets up the caches of the
executed notebooks, exec blocks and API signatures, keyed by the code: ``build_cache``).
The work is done by the MkDocs-free modules beside it; see ``cnnbook/site/README.md`` for
the page-author view.

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
- ``on_post_page``: strip nbconvert's MathJax/CDN scripts (KaTeX is served locally).
- ``on_post_build``: write the page scripts (``code/*.py``), copy the notebooks' ``.ipynb``,
  write ``assets/graph.json`` (nodes = pages, links = wiki links) and the
  in-browser network, ``assets/network/model.json`` and ``examples.json``
  (`cnnbook.browser_network.export`).
"""

from __future__ import annotations

import json
import logging
import posixpath
import re
from dataclasses import dataclass, field
from html import escape
from pathlib import Path
from typing import Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page
from mkdocs.utils import get_relative_url
from mkdocs.utils.meta import get_data

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
)
from cnnbook.site.wikilinks import PageIndex, WikiLink, find_links, rewrite_html, rewrite_markdown

log = logging.getLogger("mkdocs.plugins.cnnbook")

# The project's own pages (other sites built with these hooks, e.g. in tests, are smaller).
_DOCS = (Path(__file__).resolve().parents[2] / "docs").resolve()
GLOSSARY_PAGE = "glossary.md"
RUN_PAGE = "run-it-yourself.md"
API_SECTION = "API reference"
GRAPH_JSON = "assets/graph.json"
_H1_RE = re.compile(r"^#[ \t]+(.+?)[ \t#]*$", re.M)
_ID_RE = re.compile(r"""\bid=["']([^"']+)["']""")
# nbconvert's notebook template: a MathJax loader (src=""), its config, a mermaid loader
# importing from a CDN. KaTeX renders the math; any such script is dropped.
_SCRIPT_RE = re.compile(r"<script\b(?P<attrs>[^>]*)>(?P<body>[\s\S]*?)</script>\s*", re.I)
_REMOTE_RE = re.compile(r"""(?:src=|import\s*\(?|from\s+)\s*["'](?:https?:)?//""", re.I)


def _strip_remote_scripts(html: str) -> str:
    def keep(match: re.Match[str]) -> str:
        attrs, body = match.group("attrs"), match.group("body")
        empty_src = re.search(r"""\bsrc=(""|'')""", attrs) is not None
        if empty_src or _REMOTE_RE.search(attrs + body) or "mathjax" in (attrs + body).lower():
            return ""
        return match.group(0)

    return _SCRIPT_RE.sub(keep, html)


@dataclass
class _State:
    index: PageIndex = field(default_factory=PageIndex)
    titles: dict[str, str] = field(default_factory=dict)  # src_uri -> title
    edges: set[tuple[str, str]] = field(default_factory=set)  # (from src_uri, to src_uri)
    upstream: dict[str, str] = field(default_factory=dict)  # src_uri -> upstream src_uri
    urls: dict[str, str] = field(default_factory=dict)  # src_uri -> url from the site root
    ids: dict[str, set[str]] = field(default_factory=dict)  # src_uri -> element ids
    html_anchors: list[tuple[str, str, str]] = field(default_factory=list)  # from, to, anchor
    abbreviations: str = ""
    read_first: dict[str, str] = field(default_factory=dict)  # src_uri -> src_uri to read first
    scripts: dict[str, str] = field(default_factory=dict)  # src_uri -> its code as a script
    notebooks: dict[str, str] = field(default_factory=dict)  # src_uri -> its source file path
    exercise_html: dict[str, str] = field(default_factory=dict)  # page key -> exercises' HTML
    to_html: Any = None  # Markdown fragment -> HTML with the site's extensions (exercises)
    signatures: Any = None  # the API signatures' formatter memo, saved after the build


_state = _State()


def _nav_titles(nav: Any, out: dict[str, str]) -> dict[str, str]:
    """Collect ``{src path: title}`` from the ``nav`` config (nested lists and dicts)."""
    if isinstance(nav, list):
        for item in nav:
            _nav_titles(item, out)
    elif isinstance(nav, dict):
        for title, value in nav.items():
            if isinstance(value, str):
                out[value] = title
            else:
                _nav_titles(value, out)
    return out


def _source(file: File) -> tuple[dict[str, Any], str]:
    """Return ``(front matter, Markdown text)``; a notebook's text is its Markdown cells."""
    if file.src_uri.endswith(".ipynb"):
        cells = json.loads(file.content_string).get("cells", [])
        text = "\n\n".join(
            "".join(c["source"]) if isinstance(c["source"], list) else c["source"]
            for c in cells
            if c.get("cell_type") == "markdown"
        )
        return {}, text
    text, meta = get_data(file.content_string)
    return meta, text


def _add_api_pages(nav: Any, docs_dir: Path) -> None:
    """Append every ``docs/api/*.md`` not yet listed to the nav section "API reference"."""
    if isinstance(nav, dict):
        for title, value in nav.items():
            if title == API_SECTION and isinstance(value, list):
                listed = set(_nav_titles(value, {})) | {v for v in value if isinstance(v, str)}
                for path in sorted((docs_dir / "api").glob("*.md")):
                    src = f"api/{path.name}"
                    if src not in listed:
                        value.append(src)
            else:
                _add_api_pages(value, docs_dir)
    elif isinstance(nav, list):
        for item in nav:
            _add_api_pages(item, docs_dir)


def on_config(config: MkDocsConfig) -> MkDocsConfig:
    """Reset the build's state, list docs/api pages in the nav, read the glossary."""
    global _state
    _state = _State()
    _add_api_pages(config.nav or [], Path(config.docs_dir))
    glossary_path = Path(config.docs_dir) / GLOSSARY_PAGE
    if glossary_path.is_file():
        terms = glossary.parse_glossary(glossary_path.read_text(encoding="utf-8"))
        _state.abbreviations = glossary.abbreviations(terms)
    _state.to_html = _fragment_renderer(config)
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


def _fragment_renderer(config: MkDocsConfig) -> Any:
    """Markdown fragment -> HTML with the site's extensions (exercise text, ``$math$``)."""
    import markdown as python_markdown

    md = python_markdown.Markdown(
        extensions=config.markdown_extensions, extension_configs=config.mdx_configs
    )

    def to_html(text: str) -> str:
        md.reset()
        return md.convert(text)

    return to_html


def on_files(files: Files, config: MkDocsConfig) -> Files:
    """Index every page by its names and collect the wiki links of every page's source."""
    nav_titles = _nav_titles(config.nav or [], {})
    sources: dict[str, str] = {}
    upstream: dict[str, str] = {}
    declared: dict[str, str] = {}  # front matter read_first, as written
    for file in files.documentation_pages():
        src = file.src_uri
        if " " in src:
            log.warning(f"{src}: page file names must have no spaces (use hyphens)")
        meta, text = _source(file)
        h1 = _H1_RE.search(text)
        title = (
            meta.get("title") or (h1.group(1).strip("` ") if h1 else None) or nav_titles.get(src)
        )
        _state.titles[src] = str(title or posixpath.splitext(posixpath.basename(src))[0])
        aliases = meta.get("aliases") or []
        # Title, nav title, path without extension, aliases; a top-level page also answers
        # to its bare file name and a folder's index.md to the folder's name.
        names = [_state.titles[src], nav_titles.get(src, ""), posixpath.splitext(src)[0]]
        names += [str(alias) for alias in aliases]
        if "/" not in src:
            names.append(posixpath.splitext(src)[0])
        elif posixpath.basename(src) == "index.md":
            names.append(posixpath.dirname(src))
        _state.index.add(src, names)
        sources[src] = text
        _state.urls[src] = file.url
        if src.endswith(".ipynb"):
            _state.notebooks[src] = file.abs_src_path or ""
        if meta.get("read_first"):
            declared[src] = str(meta["read_first"])
        if meta.get("upstream"):
            value = meta["upstream"]
            # Unquoted in YAML, [[Deep Learning]] reads as a list holding a list.
            while isinstance(value, list) and len(value) == 1:
                value = value[0]
            upstream[src] = value if "[[" in str(value) else f"[[{value}]]"
    for name, pages in _state.index.ambiguous.items():
        log.warning(f"wiki name {name!r} is claimed by several pages: {sorted(pages)}")
    for src, text in sources.items():
        for link in find_links(text):
            target = _state.index.resolve(link.target) if link.target else src
            if target and target != src:
                _state.edges.add((src, target))
    for src, text in upstream.items():
        links = find_links(text)
        target = _state.index.resolve(links[0].target) if links else None
        if target is None:
            log.warning(
                f"{src}: front matter upstream (={text!r}) must be a [[wiki link]] to a page"
            )
        else:
            _state.upstream[src] = target
    _choose_read_first(config, declared)
    return files


def _choose_read_first(config: MkDocsConfig, declared: dict[str, str]) -> None:
    """Pick each reading page's "Read first" page (``layout.read_first``)."""
    chosen: dict[str, str] = {}
    for src, text in declared.items():
        links = find_links(text if "[[" in text else f"[[{text}]]")
        target = _state.index.resolve(links[0].target) if links else None
        if target is None:
            log.warning(f"{src}: front matter read_first (={text!r}) must name a page")
        else:
            chosen[src] = target
    order = [p for p in layout.nav_order(config.nav or []) if p.src in _state.titles]
    try:
        _state.read_first = layout.read_first(order, _state.edges, chosen)
    except ValueError as err:
        log.warning(str(err))


def _resolve(link: WikiLink, page: Page) -> str | None:
    """Return the target's src_uri (the page itself for ``[[#Heading]]``), warning if unknown."""
    target = _state.index.resolve(link.target) if link.target else page.file.src_uri
    if target is None:
        log.warning(
            f"{page.file.src_uri}: unresolved wiki link [[{link.target}"
            f"{'#' + link.heading if link.heading else ''}]] -- no page has that title, "
            "file name or alias"
        )
    return target


def _missing(link: WikiLink) -> str:
    return f'<span class="wikilink-missing">{escape(link.text)}</span>'


def on_page_markdown(markdown: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    """Evaluate computed values, rewrite wiki links, append hover abbreviations."""
    src = page.file.src_uri
    if isinstance(page.meta.get("title"), str):
        # The theme prints the front-matter title unescaped (header, <title>, nav, footer):
        # hand it over as HTML text, so a title such as "<img onerror=...>" stays text.
        page.meta["title"] = escape(page.meta["title"], quote=False)
    if src.endswith(".ipynb"):
        return markdown
    script = downloads.page_script(markdown, _state.titles.get(src, src), src)
    if script is not None:
        _state.scripts[src] = script
    markdown, errors = computed.render(markdown)
    for error in errors:
        log.warning(f"{src}: computed value failed: {error}")

    def to_markdown_link(link: WikiLink) -> str:
        target = _resolve(link, page)
        if target is None:
            return _missing(link)
        anchor = f"#{link.anchor}" if link.anchor else ""
        # Markdown passes raw HTML through: the link text is escaped, so [[Page|<img ...>]]
        # shows its text instead of becoming an element.
        text = escape(link.text)
        if target == src:
            return f"[{text}]({anchor or '#'})"
        relative = posixpath.relpath(target, posixpath.dirname(src) or ".")
        return f"[{text}](<{relative}{anchor}>)"

    markdown = rewrite_markdown(markdown, to_markdown_link)
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


# A heading names the page's subject; a glossary hover on its words is noise there.
_HEADING_RE = re.compile(r"<h([1-6])\b[^>]*>.*?</h\1>", re.S)
_ABBR_RE = re.compile(r"<abbr\b[^>]*>(?P<text>.*?)</abbr>", re.S)


def on_page_content(html: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    """Rewrite wiki links left in the HTML (notebooks, docstrings); record element ids."""
    src = page.file.src_uri
    html = exercise_pages.fill(html, _state.exercise_html)

    def to_anchor(link: WikiLink) -> str:
        target = _resolve(link, page)
        if target is None:
            return _missing(link)
        if target != src:
            _state.edges.add((src, target))
        if link.anchor:
            _state.html_anchors.append((src, target, link.anchor))
        href = "" if target == src else get_relative_url(_url(target), page.url)
        href += f"#{link.anchor}" if link.anchor else ""
        return f'<a class="wikilink" href="{escape(href or "#")}">{escape(link.text)}</a>'

    if "[[" in html:
        html = rewrite_html(html, to_anchor)
    html = _HEADING_RE.sub(lambda m: _ABBR_RE.sub(r"\g<text>", m.group(0)), html)
    if src.endswith(".ipynb"):
        try:  # nbconvert's placeholder alt -> the notebook cells' descriptions
            html = notebook_images.describe_images(html, json.loads(page.file.content_string), src)
        except ValueError as err:
            log.warning(str(err))
    html = glossary.first_occurrences_only(html)
    if not src.startswith("api/"):
        html = layout.collapse_reference_sections(html)
    html = _under_title(html, _page_header(page))
    _state.ids[src] = set(_ID_RE.findall(html))
    return html


_H1_END_RE = re.compile(r"</h1>")


def _under_title(html: str, extra: str) -> str:
    """Insert `extra` after the page's ``<h1>`` (at the start if it has none)."""
    if not extra:
        return html
    end = _H1_END_RE.search(html)
    at = end.end() if end else 0
    return f"{html[:at]}\n{extra}\n{html[at:]}"


def _page_header(page: Page) -> str:
    """Return the "Read first" line and the download links of a page, as HTML."""
    src = page.file.src_uri
    parts = []
    if src in _state.read_first:
        target = _state.read_first[src]
        href = get_relative_url(_url(target), page.url)
        parts.append(
            '<p class="cnnbook-read-first">Read first: '
            f'<a href="{escape(href)}">{escape(_state.titles[target])}</a></p>'
        )
    links = []
    if src in _state.scripts:
        name = downloads.script_name(src)
        href = get_relative_url(f"{downloads.SCRIPTS_DIR}/{name}", page.url)
        links.append(f'<a href="{escape(href)}" download>the code of this page ({name})</a>')
    if src in _state.notebooks:
        href = get_relative_url(src, page.url)
        name = posixpath.basename(src)
        links.append(f'<a href="{escape(href)}" download>this notebook ({name})</a>')
    if links:
        how = ""
        if RUN_PAGE in _state.urls and src != RUN_PAGE:
            run = get_relative_url(_url(RUN_PAGE), page.url)
            how = f' (<a href="{escape(run)}">how to run it</a>)'
        parts.append(f'<p class="cnnbook-downloads">Download {" · ".join(links)}{how}.</p>')
    return "\n".join(parts)


def _url(src: str) -> str:
    return _state.urls[src]


def _prefer_api_reference(config: MkDocsConfig) -> None:
    """Make the API reference the one home of an object also embedded on a concept page.

    A concept page shows the API block of the functions it uses, so mkdocstrings registers
    the same identifier on two pages, and autorefs would warn (strict: fail) on any
    cross-reference to it from a third page. The API page's URL alone stays primary.
    """
    plugin = config.plugins.get("autorefs")
    primary = getattr(plugin, "_primary_url_map", None)
    if not isinstance(primary, dict):
        return
    for identifier, urls in primary.items():
        api = [url for url in urls if url.startswith("api/")]
        if api and len(api) < len(urls):
            primary[identifier] = api


def on_env(env: Any, config: MkDocsConfig, files: Files) -> Any:
    """Check wiki-link anchors made in HTML; make API pages the home of doubled objects."""
    _prefer_api_reference(config)
    for src, target, anchor in _state.html_anchors:
        if target in _state.ids and anchor not in _state.ids[target]:
            log.warning(f"{src}: wiki link to {target}#{anchor}: no heading with that id")
    return env


def on_page_context(context: dict[str, Any], page: Page, config: MkDocsConfig, nav: Any) -> Any:
    """Give the template the page's backlinks and upstream parent, titles as plain text.

    The template escapes them (``overrides/main.html``).
    """
    src = page.file.src_uri
    sources = sorted({a for a, b in _state.edges if b == src}, key=lambda s: _state.titles[s])
    page.meta["backlinks"] = [{"title": _state.titles[s], "url": _url(s)} for s in sources]
    if src in _state.upstream:
        up = _state.upstream[src]
        page.meta["upstream_link"] = {"title": _state.titles[up], "url": _url(up)}
    return context


def on_post_page(output: str, page: Page, config: MkDocsConfig) -> str:
    """Drop nbconvert's MathJax and CDN scripts from notebook pages."""
    if page.file.src_uri.endswith(".ipynb"):
        output = _strip_remote_scripts(output)
    return output


def graph() -> dict[str, list[dict[str, str]]]:
    """Return the wiki graph: ``nodes`` (id, title, url from the site root) and ``links``."""
    nodes = [
        {"id": src, "title": title, "url": _url(src)}
        for src, title in sorted(_state.titles.items())
    ]
    links = [{"source": a, "target": b} for a, b in sorted(_state.edges)]
    links += [
        {"source": a, "target": b, "kind": "upstream"} for a, b in sorted(_state.upstream.items())
    ]
    return {"nodes": nodes, "links": links}


def on_post_build(config: MkDocsConfig) -> None:
    """Write the page scripts, the notebooks, the wiki graph and the in-browser network."""
    if _state.signatures is not None:
        _state.signatures.save()
    site = Path(config.site_dir)
    for src, script in _state.scripts.items():
        out = site / downloads.SCRIPTS_DIR / downloads.script_name(src)
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(script, encoding="utf-8")
    for src, source in _state.notebooks.items():
        if source:
            (site / src).parent.mkdir(parents=True, exist_ok=True)
            (site / src).write_bytes(Path(source).read_bytes())
    path = Path(config.site_dir) / GRAPH_JSON
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(graph(), indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    from cnnbook import browser_network  # trains the digit network if it is not cached

    browser_network.export(config.site_dir)
