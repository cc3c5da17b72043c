"""The offline check: a built site must load nothing from another host.

Parses every ``.html`` and ``.css`` file under a built site and lists each reference
that makes the browser fetch something -- ``script[src]``, ``link[href]`` (except
``rel=canonical``/``alternate`` and other non-fetching relations), ``img``/``source``
``src`` and ``srcset``, ``iframe``/``embed``/``video``/``audio``/``track[src]``,
``object[data]``, ``url()``/``@import`` in stylesheets and ``style`` attributes, and
module imports in inline scripts --
whose URL names a host (``https://...``, ``//host/...``). Anchors (``<a href>``) are
navigation, not requests, and are allowed. Local references that point to a missing
file are reported too (e.g. a font the CSS names but the vendoring dropped).

The notebook pages would fail it as nbconvert writes them (a MathJax loader, a mermaid
loader importing from a CDN): the hooks drop those scripts (`strip_remote_scripts`);
KaTeX, served locally, renders the math.

Examples
--------
>>> page = '<script src="https://cdn.example/x.js"></script><a href="https://ok.example">'
>>> [(f.kind, f.url) for f in check_html(page, "index.html")]
[('script[src]', 'https://cdn.example/x.js')]
>>> [f.url for f in check_css("@font-face{src:url(//fonts.example/a.woff2)}", "a.css")]
['//fonts.example/a.woff2']
>>> strip_remote_scripts('<p>x</p><script src=""></script><script>init()</script>')
'<p>x</p><script>init()</script>'
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

# <link rel=...> values that do not make the browser fetch anything.
_NON_FETCHING_RELS = {"canonical", "alternate", "author", "license", "help", "next", "prev", "me"}
_SRC_TAGS = {"script", "img", "source", "iframe", "embed", "video", "audio", "track", "input"}
_CSS_URL_RE = re.compile(
    r"""url\(\s*(['"]?)(?P<url>[^'")]+)\1\s*\)|@import\s+(['"])(?P<imp>[^'"]+)\3"""
)


# A module import in an inline script: import("..."), import x from "...".
_JS_IMPORT_RE = re.compile(r"""(?:\bimport\s*\(\s*|\bfrom\s+|\bimport\s+)["']([^"']+)["']""")


@dataclass(frozen=True)
class Finding:
    """One offending reference: the file, what referenced it, and the URL."""

    file: str
    kind: str
    url: str

    def __str__(self) -> str:
        return f"{self.file}: {self.kind} -> {self.url}"


def is_remote(url: str) -> bool:
    """Return whether ``url`` names a host (``https://...``, ``//host``, a scheme but data:)."""
    parts = urlsplit(url.strip())
    return bool(parts.netloc) or parts.scheme not in ("", "data", "blob", "about", "javascript")


class _Collector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.refs: list[tuple[str, str]] = []
        self._in: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {name: value or "" for name, value in attrs}
        if tag in _SRC_TAGS and a.get("src"):
            self.refs.append((f"{tag}[src]", a["src"]))
        if tag in ("img", "source") and a.get("srcset"):
            for candidate in a["srcset"].split(","):
                if candidate.strip():
                    self.refs.append((f"{tag}[srcset]", candidate.split()[0]))
        if tag == "link" and a.get("href"):
            rels = set(a.get("rel", "").lower().split())
            if not rels or not rels <= _NON_FETCHING_RELS:
                self.refs.append(("link[href]", a["href"]))
        if tag == "object" and a.get("data"):
            self.refs.append(("object[data]", a["data"]))
        if tag in ("video",) and a.get("poster"):
            self.refs.append(("video[poster]", a["poster"]))
        if a.get("style"):
            self.refs.extend(("style attribute", url) for url in css_urls(a["style"]))
        self._in = tag if tag in ("style", "script") else None

    def handle_endtag(self, tag: str) -> None:
        self._in = None

    def handle_data(self, data: str) -> None:
        if self._in == "style":
            self.refs.extend(("<style>", url) for url in css_urls(data))
        elif self._in == "script":
            self.refs.extend(("<script> import", m.group(1)) for m in _JS_IMPORT_RE.finditer(data))


def css_urls(css: str) -> list[str]:
    """Return every ``url(...)`` and ``@import`` target of a stylesheet."""
    return [m.group("url") or m.group("imp") for m in _CSS_URL_RE.finditer(css)]


def check_html(html: str, name: str) -> list[Finding]:
    """Return the references of one HTML document that go to another host."""
    collector = _Collector()
    collector.feed(html)
    return [Finding(name, kind, url) for kind, url in collector.refs if is_remote(url)]


def check_css(css: str, name: str) -> list[Finding]:
    """Return the ``url()``/``@import`` references of one stylesheet that go to another host."""
    return [Finding(name, "css url()", url) for url in css_urls(css) if is_remote(url)]


def _missing_local(base: Path, site: Path, refs: list[tuple[str, str]], name: str) -> list[Finding]:
    missing = []
    for kind, url in refs:
        parts = urlsplit(url)
        if is_remote(url) or parts.scheme or not parts.path:
            continue
        target = (
            (site / parts.path.lstrip("/")) if parts.path.startswith("/") else base / parts.path
        )
        target = Path(unquote(str(target)))
        if not (target.is_file() or (target / "index.html").is_file()):
            missing.append(Finding(name, f"missing {kind}", url))
    return missing


def check_site(site: Path) -> list[Finding]:
    """Check every HTML and CSS file under ``site``; return all findings (empty = offline)."""
    findings: list[Finding] = []
    for path in sorted(site.rglob("*")):
        name = str(path.relative_to(site))
        if path.suffix == ".html":
            # One parse per page serves both checks (the pages are large: API pages with
            # their highlighted source).
            collector = _Collector()
            collector.feed(path.read_text(encoding="utf-8", errors="replace"))
            findings += [Finding(name, k, url) for k, url in collector.refs if is_remote(url)]
            findings += _missing_local(path.parent, site, collector.refs, name)
        elif path.suffix == ".css":
            text = path.read_text(encoding="utf-8", errors="replace")
            findings += check_css(text, name)
            refs = [("css url()", url) for url in css_urls(text)]
            findings += _missing_local(path.parent, site, refs, name)
    return findings


# nbconvert's notebook template: a MathJax loader (src=""), its config, a mermaid loader
# importing from a CDN. KaTeX renders the math; any such script is dropped.
_SCRIPT_RE = re.compile(r"<script\b(?P<attrs>[^>]*)>(?P<body>[\s\S]*?)</script>\s*", re.I)
_REMOTE_RE = re.compile(r"""(?:src=|import\s*\(?|from\s+)\s*["'](?:https?:)?//""", re.I)


def strip_remote_scripts(html: str) -> str:
    """Drop the ``<script>`` elements that load from another host, MathJax or nothing.

    A script goes if its ``src`` is empty, it names a remote URL (``src=``, ``import``,
    ``from``) or it mentions MathJax; every other script is kept as it is.
    """

    def keep(match: re.Match[str]) -> str:
        attrs, body = match.group("attrs"), match.group("body")
        empty_src = re.search(r"""\bsrc=(""|'')""", attrs) is not None
        if empty_src or _REMOTE_RE.search(attrs + body) or "mathjax" in (attrs + body).lower():
            return ""
        return match.group(0)

    return _SCRIPT_RE.sub(keep, html)
