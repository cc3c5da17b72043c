"""The offline check: what counts as a request to another host, and what does not."""

from __future__ import annotations

from pathlib import Path

import pytest

from cnnbook.site.offline import (
    check_css,
    check_html,
    check_site,
    is_remote,
    strip_remote_scripts,
)


@pytest.mark.parametrize(
    ("html", "kind"),
    [
        ('<script src="https://cdn.example/k.js"></script>', "script[src]"),
        ('<link rel="stylesheet" href="//fonts.example/css">', "link[href]"),
        ('<link rel="preconnect" href="https://fonts.example">', "link[href]"),
        ('<img src="http://img.example/a.png">', "img[src]"),
        ('<img srcset="a.png 1x, https://img.example/b.png 2x">', "img[srcset]"),
        ('<iframe src="https://www.youtube.com/embed/x"></iframe>', "iframe[src]"),
        ('<div style="background: url(https://img.example/bg.png)"></div>', "style attribute"),
        ("<style>@import 'https://fonts.example/x.css';</style>", "<style>"),
        (
            '<script type="module">await import("https://cdn.example/m.mjs")</script>',
            "<script> import",
        ),
    ],
)
def test_requests_to_other_hosts_are_found(html: str, kind: str) -> None:
    assert [f.kind for f in check_html(html, "p.html")] == [kind]


@pytest.mark.parametrize(
    "html",
    [
        '<a href="https://www.youtube.com/watch?v=x">a video</a>',
        '<link rel="canonical" href="http://127.0.0.1:8000/kernel/">',
        '<script src="../assets/katex.min.js"></script>',
        '<img src="data:image/png;base64,AAAA">',
        "<p>see https://example.org in the text</p>",
    ],
)
def test_links_local_files_and_data_urls_are_allowed(html: str) -> None:
    assert check_html(html, "p.html") == []


def test_css_urls_and_imports_to_other_hosts_are_found() -> None:
    css = (
        '@import url("https://a.example/x.css"); .a{src:url(fonts/k.woff2)}'
        " .b{b:url(//c.example/y)}"
    )
    assert [f.url for f in check_css(css, "s.css")] == ["https://a.example/x.css", "//c.example/y"]


def test_is_remote_accepts_only_local_and_inline_schemes() -> None:
    assert not is_remote("assets/x.js") and not is_remote("/x.js") and not is_remote("data:,a")
    assert is_remote("https://a.example/") and is_remote("//a.example/") and is_remote("ftp://a")


def test_missing_local_files_are_reported(tmp_path: Path) -> None:
    (tmp_path / "index.html").write_text(
        '<script src="assets/there.js"></script><img src="gone.png">'
    )
    (tmp_path / "assets").mkdir()
    (tmp_path / "assets" / "there.js").write_text("")
    (tmp_path / "assets" / "s.css").write_text("@font-face{src:url(fonts/missing.woff)}")
    assert sorted(str(f) for f in check_site(tmp_path)) == [
        "assets/s.css: missing css url() -> fonts/missing.woff",
        "index.html: missing img[src] -> gone.png",
    ]


def test_nbconverts_mathjax_and_cdn_scripts_are_dropped_and_local_scripts_kept() -> None:
    local = '<script src="../assets/katex.min.js"></script>'
    inline = "<script>renderMath()</script>"
    page = (
        f'<script src=""></script>{local}'
        "<script>MathJax.Hub.Config({})</script>"
        '<script type="module">import mermaid from "https://cdn.example/m.mjs";</script>'
        f"{inline}"
    )
    stripped = strip_remote_scripts(page)
    assert stripped == local + inline
    assert check_html(stripped, "nb.html") == []
