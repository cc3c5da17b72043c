"""Wiki links written into pages: checked Markdown links, HTML anchors, unresolved links."""

from __future__ import annotations

from cnnbook.site.wiki_graph import WikiGraph
from cnnbook.site.wikilink_rendering import LinkRenderer


def renderer() -> tuple[LinkRenderer, list[str]]:
    wiki = WikiGraph()
    wiki.add_page("index.md", "", title="Home")
    wiki.add_page("kernel.md", "kernel/", title="Kernel")
    wiki.add_page("usecases/video.md", "usecases/video/", title="Video")
    warnings: list[str] = []
    return LinkRenderer(wiki, warnings.append), warnings


def test_markdown_links_are_relative_to_the_page_source_with_the_heading_slug() -> None:
    links, warnings = renderer()
    out = links.markdown("[[Kernel#Edge Detection|edges]] [[Home]]", "usecases/video.md")
    assert out == "[edges](<../kernel.md#edge-detection>) [Home](<../index.md>)"
    assert warnings == []


def test_a_link_to_the_page_itself_is_an_anchor_only() -> None:
    links, _ = renderer()
    assert links.markdown("[[#Sobel]] [[Kernel]]", "kernel.md") == "[Sobel](#sobel) [Kernel](#)"


def test_link_text_is_escaped_not_turned_into_an_element() -> None:
    links, _ = renderer()
    out = links.markdown('[[Kernel|<img src=x onerror="alert(1)">]]', "index.md")
    assert "<img" not in out and "&lt;img" in out


def test_an_unresolved_link_is_reported_and_shown_marked() -> None:
    links, warnings = renderer()
    out = links.markdown("see [[Nowhere#Part]]", "index.md")
    assert out == 'see <span class="wikilink-missing">Nowhere › Part</span>'
    assert warnings == [
        "index.md: unresolved wiki link [[Nowhere#Part]] -- no page has that title, "
        "file name or alias"
    ]


def test_html_links_use_site_urls_and_become_edges() -> None:
    links, _ = renderer()
    out = links.html("<p>[[Kernel]]</p>", "usecases/video.md", "usecases/video/")
    assert out == '<p><a class="wikilink" href="../../kernel/">Kernel</a></p>'
    assert ("usecases/video.md", "kernel.md") in links.wiki.edges


def test_html_without_wiki_links_is_returned_unchanged() -> None:
    links, _ = renderer()
    html = "<pre>[x]</pre>"
    assert links.html(html, "index.md", "") is html


def test_an_html_links_anchor_is_checked_against_the_targets_ids() -> None:
    links, warnings = renderer()
    links.html("[[Kernel#Sobel]] [[Kernel#Edges]]", "index.md", "")
    links.record_ids("kernel.md", '<h2 id="sobel">Sobel</h2>')
    links.check_anchors()
    assert warnings == ["index.md: wiki link to kernel.md#edges: no heading with that id"]
