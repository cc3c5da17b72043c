"""Wiki links: the syntax (unit tests) and the hook in real strict builds of tiny sites."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

import nbformat
import pytest

from cnnbook.site.wikilinks import (
    PageIndex,
    WikiLink,
    find_links,
    normalize,
    parse,
    rewrite_html,
    rewrite_markdown,
)
from tests.sitebuild import ROOT, mkdocs_build


def shown(text: str) -> str:
    """Rewrite every link to <target|heading|text> so a test sees what was matched."""
    return rewrite_markdown(text, lambda link: f"<{link.target}|{link.heading}|{link.text}>")


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("[[Kernel]]", WikiLink("Kernel", None, None)),
        ("[[Kernel|kernels]]", WikiLink("Kernel", None, "kernels")),
        ("[[Kernel#Edge cases]]", WikiLink("Kernel", "Edge cases", None)),
        ("[[Kernel#Edge cases|the edges]]", WikiLink("Kernel", "Edge cases", "the edges")),
        ("[[#Local heading]]", WikiLink("", "Local heading", None)),
        ("[[ Output Size ]]", WikiLink("Output Size", None, None)),
    ],
)
def test_parse_reads_target_heading_and_text(source: str, expected: WikiLink) -> None:
    assert parse(source) == expected


def test_parse_rejects_text_that_is_not_one_link() -> None:
    with pytest.raises(ValueError, match=r"text \(='\[\[a\]\] b'\) must be one wiki link"):
        parse("[[a]] b")


def test_text_shown_defaults_to_alias_then_page_and_heading() -> None:
    assert parse("[[A#B|c]]").text == "c"
    assert parse("[[A#B]]").text == "A › B"
    assert parse("[[A]]").text == "A"


def test_anchor_is_the_toc_slug_of_the_heading() -> None:
    assert parse("[[A#Full, Same and Valid Convolution]]").anchor == (
        "full-same-and-valid-convolution"
    )


@pytest.mark.parametrize(
    "name",
    [
        "The Receptive Field of the Neuron",
        "the receptive field of the neuron",
        "the-receptive-field-of-the-neuron",
        "THE_RECEPTIVE_FIELD_OF_THE_NEURON.md",
    ],
)
def test_names_match_regardless_of_case_hyphens_and_extension(name: str) -> None:
    index = PageIndex()
    index.add("rf.md", ["The Receptive Field of the Neuron"])
    assert index.resolve(name) == "rf.md"


def test_a_name_claimed_by_two_pages_resolves_to_neither() -> None:
    index = PageIndex()
    index.add("a.md", ["Pooling"])
    index.add("b.md", ["pooling"])
    assert index.resolve("Pooling") is None
    assert index.ambiguous == {"pooling": {"a.md", "b.md"}}


def test_normalize_collapses_whitespace() -> None:
    assert normalize("  Output \t  Size ") == "output size"


@pytest.mark.parametrize(
    "protected",
    [
        "`a[[0, 1]]`",
        "``code with ` and [[x]]``",
        "$a[[1]]$",
        "$$\nA[[1]]\n$$",
        r"\(x[[1]]\)",
        r"\[x[[1]]\]",
        "\\begin{align}x[[1]]\\end{align}",
        "<!-- [[hidden]] -->",
        "```python\nx = a[[0, 1]]\n```\n",
        "~~~\n[[x]]\n~~~\n",
        "    ```\n    [[indented fence]]\n    ```\n",
        "````md\n```\n[[nested]]\n```\n````\n",
    ],
)
def test_links_inside_code_and_math_are_left_alone(protected: str) -> None:
    assert shown(protected) == protected


def test_links_around_protected_spans_are_rewritten() -> None:
    text = "[[A]] `[[B]]` $[[C]]$ [[D|d]]\n```\n[[E]]\n```\n[[F#G]]"
    assert shown(text) == "<A|None|A> `[[B]]` $[[C]]$ <D|None|d>\n```\n[[E]]\n```\n<F|G|F › G>"


def test_dollar_amounts_do_not_hide_links() -> None:
    assert shown("costs $5 and [[A]] and $6") == "costs $5 and <A|None|A> and $6"


def test_find_links_lists_links_in_order() -> None:
    assert [link.target for link in find_links("[[b]] `[[x]]` [[a]]")] == ["b", "a"]


def test_html_links_skip_tags_code_pre_anchors_math_and_notebook_clipboard() -> None:
    html = (
        '<p title="[[attr]]">[[A]] $[[m]]$</p><pre>[[pre]]</pre><code>[[code]]</code>'
        '<a href="#">[[in a link]]</a>'
        '<div id="cell-1" class="clipboard-copy-txt">x[[0]]</div>'
    )
    out = rewrite_html(html, lambda link: f"<b>{link.target}</b>")
    assert out == html.replace("[[A]]", "<b>A</b>")


# --- the hook, in strict builds of tiny sites -------------------------------------------

CONFIG = """
site_name: tiny
site_url: http://127.0.0.1:8000/
theme:
  name: material
  custom_dir: {overrides}
  font: false
validation:
  omitted_files: warn
  unrecognized_links: warn
  anchors: warn
hooks:
  - {hooks}
markdown_extensions:
  - toc:
      permalink: true
  - pymdownx.arithmatex:
      generic: true
  - pymdownx.superfences
plugins:
  - mkdocs-jupyter:
      include: ["*.ipynb"]
      execute: false
      cache: false
      ignore_h1_titles: true
nav:
  - Home: index.md
  - Kernel: kernel.md
  - Deep: sub/deep.md
  - Notebook Page: nb.ipynb
"""


def make_site(root: Path, pages: dict[str, str], notebook_markdown: str = "[[Kernel]]") -> Path:
    """Write a tiny site using the real hooks and template override; return mkdocs.yml."""
    for name, text in pages.items():
        path = root / "docs" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text), encoding="utf-8")
    nb = nbformat.v4.new_notebook()
    nb.cells = [
        nbformat.v4.new_markdown_cell(f"# Notebook Page\n\nSee {notebook_markdown} and $a[[1]]$."),
        nbformat.v4.new_code_cell("x = [[1, 2]]\nx[[0][0]]"),
    ]
    nbformat.write(nb, root / "docs" / "nb.ipynb")
    config = root / "mkdocs.yml"
    config.write_text(
        CONFIG.format(overrides=ROOT / "overrides", hooks=ROOT / "cnnbook" / "site" / "hooks.py"),
        encoding="utf-8",
    )
    return config


GOOD_PAGES = {
    "index.md": """\
        # Home

        Case: [[kernel]]. Alias: [[a filter|filters]]. Heading: [[KERNEL#Edge cases]].
        File name: [[sub/deep]]. Self: [[#Second]].

        Code `[[Kernel]]` and math $x[[1]]$ and \\(y[[2]]\\) stay.

        ```python
        a[[0, 1]]
        ```

        ## Second
        """,
    "kernel.md": """\
        ---
        aliases: [a filter]
        ---

        # Kernel

        ## Edge cases
        """,
    "sub/deep.md": """\
        ---
        upstream: "[[Home]]"
        ---

        # Deep Page

        Back to [[home]].
        """,
}


@pytest.fixture(scope="module")
def tiny_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("tiny")
    proc = mkdocs_build(make_site(root, GOOD_PAGES), root / "site", cwd=root)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return root / "site"


pytestmark = pytest.mark.xdist_group("site")


@pytest.mark.slow
def test_links_resolve_by_case_alias_heading_file_name_and_self(tiny_site: Path) -> None:
    html = (tiny_site / "index.html").read_text()
    assert '<a href="kernel/">kernel</a>' in html
    assert '<a href="kernel/">filters</a>' in html
    assert '<a href="kernel/#edge-cases">KERNEL › Edge cases</a>' in html
    assert '<a href="sub/deep/">sub/deep</a>' in html
    assert '<a href="#second">Second</a>' in html


@pytest.mark.slow
def test_links_in_code_and_math_survive_the_build(tiny_site: Path) -> None:
    html = (tiny_site / "index.html").read_text()
    assert "<code>[[Kernel]]</code>" in html
    assert r"\(x[[1]]\)" in html and r"\(y[[2]]\)" in html
    assert "[[</span>" in html  # the highlighted a[[0, 1]]: brackets kept as code


@pytest.mark.slow
def test_links_in_notebook_markdown_become_anchors_but_code_does_not(tiny_site: Path) -> None:
    html = (tiny_site / "nb" / "index.html").read_text()
    assert '<a class="wikilink" href="../kernel/">Kernel</a>' in html
    assert "$a[[1]]$" in html
    assert "x[[0][0]]" in html  # the hidden clipboard copy of the cell, untouched


@pytest.mark.slow
def test_backlinks_list_every_linking_page_including_notebooks(tiny_site: Path) -> None:
    html = (tiny_site / "kernel" / "index.html").read_text()
    backlinks = html[html.index('id="linked-from"') :]
    assert '<a href="../">Home</a>' in backlinks
    assert '<a href="../nb/">Notebook Page</a>' in backlinks


@pytest.mark.slow
def test_upstream_front_matter_is_shown_above_the_page(tiny_site: Path) -> None:
    html = (tiny_site / "sub" / "deep" / "index.html").read_text()
    assert 'upstream: <a href="../../">Home</a>' in html


@pytest.mark.slow
def test_graph_json_has_every_page_and_link_with_relative_urls(tiny_site: Path) -> None:
    graph = json.loads((tiny_site / "assets" / "graph.json").read_text())
    urls = {n["id"]: n["url"] for n in graph["nodes"]}
    assert urls == {
        "index.md": "./",
        "kernel.md": "kernel/",
        "sub/deep.md": "sub/deep/",
        "nb.ipynb": "nb/",
    }
    edges = {(e["source"], e["target"]) for e in graph["links"]}
    assert {
        ("index.md", "kernel.md"),
        ("nb.ipynb", "kernel.md"),
        ("sub/deep.md", "index.md"),
    } <= edges


@pytest.mark.slow
@pytest.mark.parametrize(
    ("pages", "notebook", "message"),
    [
        (
            {"index.md": "# Home\n\n[[No Such Page]]\n"},
            "[[Kernel]]",
            "index.md: unresolved wiki link [[No Such Page]]",
        ),
        (
            {"index.md": "# Home\n\n[[Kernel#No such heading]]\n"},
            "[[Kernel]]",
            "'kernel.md#no-such-heading'",
        ),
        (
            {},
            "[[Missing From Notebook]]",
            "nb.ipynb: unresolved wiki link [[Missing From Notebook]]",
        ),
        ({}, "[[Kernel#Nowhere]]", "nb.ipynb: wiki link to kernel.md#nowhere: no heading"),
        (
            {"index.md": "# Home\n\n{{ cnnbook: conv_output_size(2, 5) }}\n"},
            "[[Kernel]]",
            "index.md: computed value failed",
        ),
    ],
    ids=["page", "heading", "notebook-page", "notebook-heading", "computed-value"],
)
def test_broken_links_and_values_fail_the_strict_build(
    tmp_path: Path, pages: dict[str, str], notebook: str, message: str
) -> None:
    config = make_site(tmp_path, {**GOOD_PAGES, **pages}, notebook_markdown=notebook)
    proc = mkdocs_build(config, tmp_path / "site", cwd=tmp_path)
    assert proc.returncode != 0
    assert message in proc.stdout + proc.stderr
