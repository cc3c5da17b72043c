"""The real site, built strictly once: offline, linked both ways, values computed, graph valid."""

from __future__ import annotations

import json
import re
from html import unescape
from pathlib import Path

import pytest

from cnnbook.site import computed
from cnnbook.site.glossary import parse_glossary
from cnnbook.site.offline import check_site
from tests.sitebuild import DOCS, ROOT, BuiltSite

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("site")]

# The pages the issue names, with the file each lives in.
PAGES = {
    "Convolutional Neural Network": "index.md",
    "Deep Learning": "deep-learning.md",
    "Kernel": "kernel.md",
    "Understanding Pooling Layers": "understanding-pooling-layers.md",
    "The Receptive Field of the Neuron": "the-receptive-field-of-the-neuron.md",
    "Translation Invariance": "translation-invariance.md",
    "Cross-Correlation and Convolution": "cross-correlation-and-convolution.md",
    "Full, Same and Valid Convolution": "full-same-and-valid-convolution.md",
    "Output Size": "output-size.md",
    "Parameter Count": "parameter-count.md",
    "Weight Sharing": "weight-sharing.md",
    "Feature Map": "feature-map.md",
    "Edge Detection": "edge-detection.md",
    "Local Receptive Fields": "local-receptive-fields.md",
    "Convolutional Layers": "convolutional-layers.md",
    "Batch Normalization": "batch-normalization.md",
    "Residual Connections": "residual-connections.md",
    "Fully Connected Layers": "fully-connected-layers.md",
    "Use Cases": "use-cases.md",
    "Dropout": "dropout.md",
    "Training a CNN in NumPy": "notebooks/training.ipynb",
    "Cross-Checking Against PyTorch": "notebooks/crosscheck.ipynb",
    "Conventions": "conventions.md",
    "Glossary": "glossary.md",
    "API reference": "api/index.md",
    "Graph": "graph.md",
    "Further Reading": "further-reading.md",
}


def url_of(src: str) -> str:
    stem = src.rsplit(".", 1)[0]
    return "" if stem == "index" else stem.removesuffix("/index") + "/"


def text_outside_code(html: str) -> str:
    """The page's text without pre/code/script/style, the notebook's hidden copies, tags."""
    html = re.sub(r"<(pre|code|script|style)\b[\s\S]*?</\1>", " ", html)
    html = re.sub(r'<div[^>]*class="clipboard-copy-txt"[\s\S]*?</div>', " ", html)
    return unescape(re.sub(r"<[^>]+>", " ", html))


def test_strict_build_passes_without_warnings(built_site: BuiltSite) -> None:
    assert built_site.returncode == 0
    # MkDocs' own warnings (the kernel's "[IPKernelApp] WARNING" about TCP is not one).
    assert re.findall(r"^WARNING\s+-.*", built_site.log, re.M) == []


@pytest.mark.parametrize(("title", "src"), PAGES.items(), ids=list(PAGES))
def test_every_page_of_the_issue_exists_with_its_title(
    built_site: BuiltSite, title: str, src: str
) -> None:
    assert (DOCS / src).is_file()
    html = built_site.page(url_of(src))
    h1 = re.search(r"<h1\b[^>]*>([\s\S]*?)</h1>", html)
    assert h1 is not None
    assert unescape(re.sub(r"<[^>]+>", "", h1.group(1))).strip().rstrip("¶").strip() == title


def test_offline_check_finds_no_reference_to_another_host(built_site: BuiltSite) -> None:
    assert [str(f) for f in check_site(built_site.path)] == []


def test_every_page_has_a_linked_from_section(built_site: BuiltSite) -> None:
    pages = [p for p in built_site.pages() if p.parent != built_site.path / "404"]
    missing = [str(p) for p in pages if 'id="linked-from"' not in p.read_text()]
    assert missing == []


def test_hub_is_linked_from_every_stub_and_shows_its_upstream_parent(
    built_site: BuiltSite,
) -> None:
    hub = built_site.page("")
    assert 'upstream: <a href="deep-learning/">Deep Learning</a>' in hub
    backlinks = hub[hub.index('id="linked-from"') :]
    assert '<a href="kernel/">Kernel</a>' in backlinks


def test_hub_links_out_to_every_page_of_the_issue(built_site: BuiltSite) -> None:
    hub = built_site.page("")
    for title, src in PAGES.items():
        if src != "index.md":
            assert f'href="{url_of(src)}"' in hub, title


def test_no_wiki_link_or_computed_placeholder_survives_outside_code(
    built_site: BuiltSite,
) -> None:
    leftovers = {}
    for path in built_site.pages():
        text = text_outside_code(path.read_text())
        text = re.sub(r"\\\([\s\S]*?\\\)|\\\[[\s\S]*?\\\]|\$[^$\n]+\$", " ", text)  # math
        found = re.findall(r"\[\[[^\]]*\]\]|\{\{\s*cnnbook:", text)
        if found:
            leftovers[str(path.relative_to(built_site.path))] = found
    assert leftovers == {}


def computed_values() -> list[tuple[str, str]]:
    return [
        (str(path.relative_to(DOCS)), expression)
        for path in sorted(DOCS.rglob("*.md"))
        for expression in computed.find_expressions(path.read_text())
    ]


@pytest.mark.parametrize(("src", "expression"), computed_values())
def test_every_computed_value_is_on_its_page(
    built_site: BuiltSite, src: str, expression: str
) -> None:
    value = str(computed.evaluate(expression))
    assert value in text_outside_code(built_site.page(url_of(src)))


def test_graph_json_has_every_page_once_and_only_relative_urls(built_site: BuiltSite) -> None:
    graph = json.loads((built_site.path / "assets" / "graph.json").read_text())
    ids = [node["id"] for node in graph["nodes"]]
    assert len(ids) == len(set(ids))
    assert set(PAGES.values()) <= set(ids)
    for node in graph["nodes"]:
        assert not re.match(r"^(/|[a-z]+:)", node["url"]), node
        assert (built_site.path / node["url"] / "index.html").is_file(), node
    assert str(ROOT) not in json.dumps(graph)
    for link in graph["links"]:
        assert link["source"] in ids and link["target"] in ids


def test_notebooks_are_executed_and_carry_no_mathjax(built_site: BuiltSite) -> None:
    for src in ("notebooks/training.ipynb", "notebooks/crosscheck.ipynb"):
        html = built_site.page(url_of(src))
        assert "jp-OutputArea-output" in html, src
        scripts = re.findall(r"<script\b[\s\S]*?</script>", html)
        assert [s for s in scripts if "mathjax" in s.lower() or 'src=""' in s] == [], src


def test_glossary_terms_become_hover_definitions_on_other_pages(built_site: BuiltSite) -> None:
    terms = parse_glossary((DOCS / "glossary.md").read_text())
    assert terms
    hub = built_site.page("")
    assert f'<abbr title="{terms["Stride"]}">stride</abbr>' in unescape(hub)


def test_no_heading_carries_a_glossary_hover(built_site: BuiltSite) -> None:
    headings = re.compile(r"<h([1-6])\b[^>]*>.*?</h\1>", re.S)
    # The terms do occur in headings (e.g. "Translation Invariance"), so this is not vacuous.
    assert ">Translation Invariance<a" in built_site.page("translation-invariance/")
    for path in built_site.pages():
        for heading in headings.finditer(path.read_text(encoding="utf-8")):
            assert "<abbr" not in heading.group(0), (path, heading.group(0))


def test_template_override_and_vendored_assets_are_published(built_site: BuiltSite) -> None:
    for asset in (
        "assets/vendor/katex/katex.min.js",
        "assets/vendor/katex/fonts/KaTeX_Main-Regular.woff2",
        "assets/vendor/force-graph/force-graph.min.js",
        "assets/katex-init.js",
        "assets/graph.js",
    ):
        assert (built_site.path / asset).is_file(), asset
    assert not Path(built_site.path / "AUTHORING.md").exists()
