"""Hostile page titles and wiki-link texts stay text: escaped in the page, the backlinks,
the "upstream" line and the graph's tooltips (a strict build of a tiny throwaway site)."""

from __future__ import annotations

import json
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest

from tests.site.test_wikilinks import make_site
from tests.sitebuild import ROOT, mkdocs_build, serve

pytestmark = pytest.mark.xdist_group("site")

TITLE = "<img src=x onerror=alert(1)>Kernel"
LINK_TEXT = "<img src=x onerror=alert(2)>"
SCRIPT_TEXT = "<script>alert(3)</script>"
NOTEBOOK_TEXT = "<b onmouseover=alert(4)>bold</b>"

HOSTILE_PAGES = {
    "index.md": f"""\
        # Home

        An alias: [[Kernel|{LINK_TEXT}]]. A heading: [[kernel#Edge cases|{SCRIPT_TEXT}]].
        A missing page: [[No page|{LINK_TEXT}]]
        """,
    "kernel.md": f"""\
        ---
        title: "{TITLE}"
        aliases: [kernel]
        ---

        # Kernel

        ## Edge cases

        Back to [[Home]].
        """,
    "sub/deep.md": """\
        ---
        upstream: "[[kernel]]"
        ---

        # Deep Page

        See [[kernel]].
        """,
}


class Elements(HTMLParser):
    """Every start tag with its attributes, and the page's text."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def parsed(path: Path) -> Elements:
    parser = Elements()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("hostile")
    config = make_site(root, HOSTILE_PAGES, notebook_markdown=f"[[kernel|{NOTEBOOK_TEXT}]]")
    proc = mkdocs_build(config, root / "site", cwd=root)
    # The missing page is a warning, so strict fails: the pages are still written.
    assert "unresolved wiki link [[No page]]" in proc.stdout + proc.stderr
    return root / "site"


def _pages(site: Path) -> list[Path]:
    return sorted(site.rglob("index.html"))


@pytest.mark.slow
def test_no_page_gains_an_element_or_handler_from_a_title_or_link_text(hostile_site: Path) -> None:
    pages = _pages(hostile_site)
    assert len(pages) >= 4
    for page in pages:
        elements = parsed(page)
        handlers = [(t, a) for t, a in elements.tags if any(k.startswith("on") for k in a)]
        assert handlers == [], page
        assert not any(t == "img" and a.get("src") == "x" for t, a in elements.tags), page
        scripts = (page.read_text(encoding="utf-8")).count("<script>alert(3)</script>")
        assert scripts == 0, page


@pytest.mark.slow
@pytest.mark.parametrize(
    ("url", "texts"),
    [
        ("", [LINK_TEXT, SCRIPT_TEXT]),  # link texts, resolved and missing
        ("nb/", ["onmouseover", "alert(4)", "bold"]),  # a link in a notebook's HTML
        ("kernel/", ["Home", TITLE]),  # the page's own title (header), backlinks...
        ("sub/deep/", [TITLE]),  # ...and the upstream line show the hostile title as text
    ],
)
def test_hostile_texts_are_shown_as_text(hostile_site: Path, url: str, texts: list[str]) -> None:
    shown = "".join(parsed(hostile_site / url / "index.html").text)
    for text in texts:
        assert text in shown


@pytest.mark.slow
def test_backlinks_of_a_page_linked_from_a_hostile_titled_page_show_the_title(
    hostile_site: Path,
) -> None:
    html = (hostile_site / "index.html").read_text(encoding="utf-8")
    backlinks = html[html.index('id="linked-from"') :]
    assert "&lt;img src=x onerror=alert(1)&gt;Kernel</a>" in backlinks


@pytest.mark.slow
def test_the_graph_json_holds_titles_as_plain_data(hostile_site: Path) -> None:
    graph = json.loads((hostile_site / "assets" / "graph.json").read_text(encoding="utf-8"))
    titles = {node["id"]: node["title"] for node in graph["nodes"]}
    assert titles["kernel.md"] == TITLE  # data; graph.js escapes it for the tooltip


GRAPH_HARNESS = """<!doctype html>
<div id="wiki-graph" style="width:300px"></div>
<script id="__config" type="application/json">{"base": "."}</script>
<script>
  // Stand-ins for MkDocs Material's document$ and the vendored force-graph: they record the
  // accessor graph.js gives nodeLabel (force-graph sets a tooltip's innerHTML with it).
  window.document$ = { subscribe: (start) => { window.start = start; } };
  const chain = new Proxy({}, {
    get: (target, name) => (...args) => {
      if (name === "nodeLabel") window.label = args[0];
      return chain;
    },
  });
  window.ForceGraph = () => () => chain;
</script>
<script src="graph.js"></script>
"""


@pytest.mark.slow
def test_graph_tooltips_show_a_hostile_title_as_text(chromium: Any, tmp_path: Path) -> None:
    (tmp_path / "index.html").write_text(GRAPH_HARNESS, encoding="utf-8")
    (tmp_path / "graph.js").write_text((ROOT / "docs" / "assets" / "graph.js").read_text())
    (tmp_path / "assets").mkdir()
    graph = {"nodes": [{"id": "k.md", "title": TITLE, "url": "k/"}], "links": []}
    (tmp_path / "assets" / "graph.json").write_text(json.dumps(graph), encoding="utf-8")
    page = chromium.new_page()
    try:
        with serve(tmp_path) as url:
            page.goto(url, wait_until="load")
            page.evaluate("window.start()")
            page.wait_for_function("window.label !== undefined")
            shown = page.evaluate(
                """(title) => {
                    const tooltip = document.createElement("div");
                    tooltip.innerHTML = window.label({title});  // what force-graph does
                    return {text: tooltip.textContent, elements: tooltip.children.length};
                }""",
                TITLE,
            )
        assert shown == {"text": TITLE, "elements": 0}
    finally:
        page.close()
