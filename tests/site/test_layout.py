"""The reading layout (issue 15): order, "Read first", collapsed reference, hovers, downloads.

Unit tests of ``cnnbook/site/layout.py``, ``downloads.py`` and ``glossary.py`` run in
seconds; the tests on the built site (``slow``) check the same properties on every page.
"""

from __future__ import annotations

import ast
import json
import posixpath
import re
import shlex
import subprocess
import sys
import urllib.request
from html import unescape
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from mkdocs.utils.yaml import yaml_load

from cnnbook import models
from cnnbook.figures.pipeline import pipeline_figure
from cnnbook.site import downloads, glossary, layout
from tests.sitebuild import DOCS, ROOT, BuiltSite

slow_site = [pytest.mark.slow, pytest.mark.xdist_group("site")]


def config() -> dict[str, Any]:
    with (ROOT / "mkdocs.yml").open(encoding="utf-8") as f:
        return yaml_load(f)


NAV = layout.nav_order(config()["nav"])
READING = [p.src for p in NAV if p.section != layout.REFERENCE_SECTION]


def url_of(src: str) -> str:
    stem = posixpath.splitext(src)[0]
    return "" if stem == "index" else stem.removesuffix("/index") + "/"


# ---------------------------------------------------------------- order (unit)


def test_the_nav_starts_with_the_idea_then_one_kernel_sliding_over_an_image() -> None:
    first = [
        "index.md",
        "deep-learning.md",
        "kernel.md",
        "cross-correlation-and-convolution.md",
        "full-same-and-valid-convolution.md",
        "output-size.md",
        "feature-map.md",
        "edge-detection.md",
    ]
    assert READING[: len(first)] == first


def test_the_nav_sections_come_in_a_newcomers_order() -> None:
    sections = list(dict.fromkeys(p.section for p in NAV if p.section))
    assert sections == [
        "Convolution",
        "Layers",
        "Key Concepts",
        "How It Learns",
        "What the Network Sees",
        "In Practice",
        "Reference",
    ]
    # Groups and depthwise convolutions (Convolutional Layers) only after the kernel slid.
    assert READING.index("convolutional-layers.md") > READING.index("edge-detection.md")


def test_every_documentation_page_is_in_the_nav_once() -> None:
    srcs = [p.src for p in NAV]
    assert len(srcs) == len(set(srcs))
    pages = {
        p.relative_to(DOCS).as_posix()
        for p in [*DOCS.rglob("*.md"), *DOCS.glob("notebooks/*.ipynb")]
        if "assets" not in p.parts and not p.relative_to(DOCS).as_posix().startswith("api/")
    }
    # A page kept out of the nav on purpose is listed under mkdocs.yml's not_in_nav.
    not_in_nav = set(str(config().get("not_in_nav", "")).split())
    assert pages - set(srcs) == {p for p in pages if "/" + p in not_in_nav or p in not_in_nav}


def test_read_first_prefers_the_latest_earlier_page_linked_then_the_previous_page() -> None:
    order = layout.nav_order([{"A": "a.md"}, {"S": ["b.md", "c.md", "d.md"]}])
    links = {("d.md", "a.md"), ("d.md", "b.md"), ("c.md", "d.md")}  # c links only forward
    assert layout.read_first(order, links, {}) == {"b.md": "a.md", "c.md": "b.md", "d.md": "b.md"}
    assert layout.read_first(order, links, {"d.md": "a.md"})["d.md"] == "a.md"


def test_a_declared_read_first_later_in_the_nav_is_refused() -> None:
    order = layout.nav_order(["a.md", "b.md", "c.md"])
    with pytest.raises(ValueError, match=r"b\.md: read_first \(='c\.md'\) must be a page earlier"):
        layout.read_first(order, set(), {"b.md": "c.md"})


def test_nav_order_rejects_a_nav_that_is_not_a_list() -> None:
    with pytest.raises(TypeError, match="nav"):
        layout.nav_order({"a": "a.md"})


# ---------------------------------------------------------------- collapsing (unit)

PAGE = """<h1 id="t">T</h1><p>idea</p>
<h2 id="formula">Formula<a class="headerlink" href="#formula">¶</a></h2><p>f</p>
<h2 id="exercises">Exercises</h2><div data-exercise="1"><h2>not top level</h2></div>
<h2 id="api">API<a class="headerlink" href="#api">¶</a></h2>
<div class="doc"><h3 id="cnnbook.f">f</h3><p>api text</p></div>
<h2 id="proved-by-the-tests">Proved by the tests</h2><ul><li>tests/test_x.py::test_y</li></ul>
<h2 id="sources">Sources</h2><p>a book</p>
"""


def test_api_and_tests_sections_are_collapsed_last_with_their_content() -> None:
    html = layout.collapse_reference_sections(PAGE)
    order = [html.index(s) for s in ("idea", "Formula", "Exercises", "Sources", "api text")]
    assert order == sorted(order)
    api, tests = html.index('<summary><h2 id="api">'), html.index('<h2 id="proved-by-the-tests">')
    assert api < tests
    assert html.index("tests/test_x.py::test_y") > tests
    assert html.count('<details class="cnnbook-reference">') == 2
    assert "<details open" not in html  # closed
    assert html.rstrip().endswith("</details>")
    # The heading keeps its id (links and the table of contents reach it), not its permalink.
    assert 'href="#api"' not in html and 'id="cnnbook.f"' in html
    # Everything is still there, and the nested <h2> did not cut a section.
    for piece in ("api text", "not top level", "a book", 'data-exercise="1"'):
        assert html.count(piece) == PAGE.count(piece)


@pytest.mark.parametrize("title", ["Tests", "Proved by the tests", "API"])
def test_each_reference_heading_name_is_collapsed(title: str) -> None:
    html = layout.collapse_reference_sections(f"<h1>T</h1><p>x</p><h2 id='h'>{title}</h2><p>y</p>")
    assert "<summary>" in html and html.index("<p>x</p>") < html.index("<details")


def test_a_page_without_reference_sections_is_unchanged() -> None:
    html = "<h1>T</h1><h2 id='a'>Apis and tests</h2><p>x</p>"
    assert layout.collapse_reference_sections(html) == html


# ---------------------------------------------------------------- glossary (unit)


def test_a_glossary_term_keeps_its_hover_only_at_its_first_occurrence() -> None:
    html = (
        '<p><abbr title="d">stride</abbr> and <abbr title="d">Stride</abbr>, '
        '<abbr title="p">padding</abbr></p><p><abbr title="d">stride</abbr></p>'
    )
    once = glossary.first_occurrences_only(html)
    assert once.count("<abbr") == 2
    assert once == (
        '<p><abbr title="d">stride</abbr> and Stride, <abbr title="p">padding</abbr></p>'
        "<p>stride</p>"
    )


def test_a_hover_inside_a_heading_is_dropped_and_kept_in_the_text() -> None:
    html = '<h2 id="s">The <abbr title="d">stride</abbr></h2><p><abbr title="d">stride</abbr></p>'
    assert glossary.drop_hovers_in_headings(html) == (
        '<h2 id="s">The stride</h2><p><abbr title="d">stride</abbr></p>'
    )


# ---------------------------------------------------------------- page header (unit)


def test_the_header_goes_right_after_the_h1_and_escapes_titles_and_hrefs() -> None:
    header = layout.page_header(read_first=('a"b/', "<Kernel>"))
    assert header == (
        '<p class="cnnbook-read-first">Read first: <a href="a&quot;b/">&lt;Kernel&gt;</a></p>'
    )
    page = '<h1 id="t">T</h1><p>idea</p>'
    assert layout.under_title(page, header) == f'<h1 id="t">T</h1>\n{header}\n<p>idea</p>'
    assert layout.under_title("<p>no title</p>", "X").strip() == "X\n<p>no title</p>"
    assert layout.under_title(page, "") == page


def test_the_downloads_line_lists_script_then_notebook_then_how_to_run() -> None:
    line = layout.page_header(
        script=("code/k.py", "k.py"), notebook=("k.ipynb", "k.ipynb"), run_page="../run/"
    )
    assert re.fullmatch(
        r'<p class="cnnbook-downloads">Download <a href="code/k.py" download>[^<]*\(k\.py\)</a>'
        r' · <a href="k.ipynb" download>[^<]*\(k\.ipynb\)</a>'
        r' \(<a href="../run/">[^<]+</a>\)\.</p>',
        line,
    )
    assert layout.page_header() == ""


def test_downloads_are_written_into_the_site_and_notebooks_copied(tmp_path: Path) -> None:
    notebook = tmp_path / "source.ipynb"
    notebook.write_bytes(b'{"cells": []}')
    site = tmp_path / "site"
    downloads.write_downloads(
        site, {"use/video.md": "print(1)\n"}, {"use/nb.ipynb": str(notebook), "x.ipynb": ""}
    )
    assert (site / downloads.SCRIPTS_DIR / "use-video.py").read_text() == "print(1)\n"
    assert (site / "use" / "nb.ipynb").read_bytes() == b'{"cells": []}'
    assert not (site / "x.ipynb").exists()


# ---------------------------------------------------------------- downloads (unit)


@pytest.mark.parametrize("path", sorted(DOCS.rglob("*.md")), ids=lambda p: p.name)
def test_every_page_script_is_valid_python(path: Path) -> None:
    src = path.relative_to(DOCS).as_posix()
    script = downloads.page_script(path.read_text(encoding="utf-8"), src, src)
    if script is not None:
        ast.parse(script, filename=downloads.script_name(src))


def test_pages_that_execute_code_get_a_script() -> None:
    text = (DOCS / "output-size.md").read_text(encoding="utf-8")
    script = downloads.page_script(text, "Output Size", "output-size.md")
    assert script is not None and "conv_output_size" in script
    assert 'exec="on"' not in script and "```" not in script


# ---------------------------------------------------------------- home figure (unit)


def test_the_home_figure_shows_the_shapes_lenet_like_produces() -> None:
    net = models.lenet_like(np.random.default_rng(1))
    x = np.ones((1, 1, 28, 28), dtype=np.float32)
    shapes = [x.shape[1:]]
    for layer in net:
        y = layer(x)
        if y.shape != x.shape:  # the activations keep the shape and are not drawn apart
            shapes.append(y.shape[1:])
        x = y
    expected = [" × ".join(map(str, s)) for s in shapes]
    drawn = [
        t.get_text()
        for t in pipeline_figure().axes[0].texts
        if re.fullmatch(r"\d+( × \d+)*", t.get_text())
    ]
    assert drawn == expected
    assert drawn[-1] == str(net[-1].out_features)


def test_the_home_page_shows_the_pipeline_figure_with_alt_text() -> None:
    text = (DOCS / "index.md").read_text(encoding="utf-8")
    match = re.search(r"!\[(?P<alt>[^\]]+)\]\(assets/figures/pipeline\.png\)", text)
    assert match is not None
    assert all(word in match.group("alt") for word in ("convolution", "pooling", "connected"))


# ---------------------------------------------------------------- Run It Yourself (unit)

RUN_PAGE = DOCS / "run-it-yourself.md"


def shell_lines(markdown: str) -> list[str]:
    blocks = re.findall(r"```bash\n(.*?)```", markdown, re.S)
    return [line.strip() for block in blocks for line in block.splitlines() if line.strip()]


def makefile_targets() -> set[str]:
    text = (ROOT / "Makefile").read_text(encoding="utf-8")
    return set(re.findall(r"^([a-z-]+):.*## ", text, re.M))


def test_the_run_page_gives_the_readmes_two_commands() -> None:
    readme = shell_lines((ROOT / "README.md").read_text(encoding="utf-8"))
    readme_make = [line.split("#")[0].strip() for line in readme if line.startswith("make ")][:2]
    page = [line for line in shell_lines(RUN_PAGE.read_text(encoding="utf-8"))]
    assert readme_make == ["make serve", "make test"]
    assert page[:2] == readme_make


def test_every_make_command_on_the_run_page_is_a_documented_target() -> None:
    text = RUN_PAGE.read_text(encoding="utf-8")
    used = set(re.findall(r"`?make ([a-z-]+)`?", text))
    assert used and used <= makefile_targets(), used - makefile_targets()


def test_the_pip_install_on_the_run_page_is_the_makefiles_with_pyprojects_extras() -> None:
    import tomllib

    (line,) = [x for x in shell_lines(RUN_PAGE.read_text(encoding="utf-8")) if "pip install" in x]
    words = shlex.split(line)
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    (make_line,) = re.findall(r"\$\(PIP\) install (.* -e .*)", makefile)
    make_words = [w for w in shlex.split(make_line) if w != "-q"]
    # The same arguments after "install": constraints file, editable checkout, extras.
    assert words[words.index("install") + 1 :] == make_words
    spec = next(w for w in words if w.startswith(".["))
    extras = set(spec[2:-1].split(","))
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert extras == set(project["optional-dependencies"])
    assert (ROOT / words[words.index("-c") + 1]).is_file()


def test_the_test_commands_on_the_run_page_name_real_test_files() -> None:
    lines = [x for x in shell_lines(RUN_PAGE.read_text(encoding="utf-8")) if "pytest" in x]
    assert lines
    for line in lines:
        paths = [w for w in shlex.split(line) if w.startswith("tests/")]
        assert paths and all((ROOT / p).is_file() for p in paths), line


# ---------------------------------------------------------------- the built site (slow)


def read_first_target(html: str, page_url: str) -> str | None:
    match = re.search(r'<p class="cnnbook-read-first">Read first: <a href="([^"]*)"', html)
    if match is None:
        return None
    return posixpath.normpath(posixpath.join(page_url or ".", unescape(match.group(1))))


@pytest.mark.parametrize("src", READING[1:])
@pytest.mark.slow
@pytest.mark.xdist_group("site")
def test_every_reading_page_says_what_to_read_first_an_earlier_page(
    built_site: BuiltSite, src: str
) -> None:
    html = built_site.page(url_of(src))
    target = read_first_target(html, url_of(src))
    assert target is not None, f"{src} has no Read first line"
    urls = {posixpath.normpath(url_of(s) or "."): i for i, s in enumerate(READING)}
    assert target in urls, target
    assert urls[target] < READING.index(src)
    # Near the top: right under the title.
    assert html.index("cnnbook-read-first") - html.index("</h1>") < 200


CONCEPT_PAGES = [
    src
    for src in READING
    if src.endswith(".md") and re.search(r"^## API", (DOCS / src).read_text("utf-8"), re.M)
]


def top_level_order(html: str) -> list[str]:
    """The content's landmarks in order: h1, exercises, the collapsed API and tests."""
    content = html[html.index('<article class="md-content__inner') :]
    content = content[: content.index("</article>")]
    marks = []
    for match in re.finditer(
        r'<h1\b|id="exercises"|<details class="cnnbook-reference"><summary><h2 id="(?P<id>[^"]+)"',
        content,
    ):
        text = match.group(0)
        if text.startswith("<h1"):
            marks.append("title")
        elif text == 'id="exercises"':
            marks.append("exercises")
        else:
            marks.append("api" if match.group("id").startswith("api") else "tests")
    return marks


@pytest.mark.parametrize("src", CONCEPT_PAGES)
@pytest.mark.slow
@pytest.mark.xdist_group("site")
def test_the_idea_and_exercises_come_first_then_the_collapsed_api_and_tests(
    built_site: BuiltSite, src: str
) -> None:
    html = built_site.page(url_of(src))
    marks = top_level_order(html)
    assert marks[0] == "title"
    assert "api" in marks
    expected = [m for m in ("title", "exercises", "api", "tests") if m in marks]
    assert marks == expected
    details = re.findall(r'<details class="cnnbook-reference"[^>]*>', html)
    assert details and all(" open" not in d for d in details)
    # The collapsed content is still in the page: a function's documentation, a test name.
    api = html[html.index('<details class="cnnbook-reference"><summary><h2 id="api') :]
    assert 'class="doc' in api
    if "tests" in marks:
        assert re.search(r"tests/[\w/]+\.py", api) is not None


@pytest.mark.slow
@pytest.mark.xdist_group("site")
def test_collapsed_content_is_in_the_search_index(built_site: BuiltSite) -> None:
    index = json.loads((built_site.path / "search" / "search_index.json").read_text("utf-8"))
    docs = [d for d in index["docs"] if d["location"].startswith("output-size/")]
    text = " ".join(d["text"] for d in docs)
    assert "test_conv_output_size_equals_torch_conv2d_shape" in text


@pytest.mark.slow
@pytest.mark.xdist_group("site")
def test_every_glossary_term_has_one_hover_per_page(built_site: BuiltSite) -> None:
    checked = 0
    for path in built_site.pages():
        html = path.read_text(encoding="utf-8")
        terms = [
            " ".join(unescape(re.sub(r"<[^>]+>", "", t)).split()).lower()
            for t in re.findall(r"<abbr\b[^>]*>([\s\S]*?)</abbr>", html)
        ]
        assert len(terms) == len(set(terms)), (path, sorted(terms))
        checked += bool(terms)
    assert checked > 10  # the hovers exist, once each


@pytest.mark.slow
@pytest.mark.xdist_group("site")
def test_the_home_page_shows_the_pipeline_figure(built_site: BuiltSite) -> None:
    html = built_site.page("")
    assert re.search(r'<img alt="[^"]{40,}" src="assets/figures/pipeline\.png"', html)
    assert (built_site.path / "assets" / "figures" / "pipeline.png").stat().st_size > 0


def download_links(html: str) -> list[str]:
    match = re.search(r'<p class="cnnbook-downloads">([\s\S]*?)</p>', html)
    return re.findall(r'href="([^"]+)" download', match.group(1)) if match else []


CODE_PAGES = [
    src
    for src in READING
    if src.endswith(".md")
    and downloads.page_script((DOCS / src).read_text("utf-8"), src, src) is not None
]


@pytest.mark.parametrize("src", CODE_PAGES)
@pytest.mark.slow
@pytest.mark.xdist_group("site")
def test_every_page_with_code_links_its_script(built_site: BuiltSite, src: str) -> None:
    (link,) = download_links(built_site.page(url_of(src)))
    script = built_site.path / posixpath.normpath(posixpath.join(url_of(src), link))
    assert script.name == downloads.script_name(src)
    ast.parse(script.read_text(encoding="utf-8"))


@pytest.mark.slow
@pytest.mark.xdist_group("site")
def test_a_downloaded_script_runs_with_the_package(
    built_site: BuiltSite, site_url: str, tmp_path: Path
) -> None:
    (link,) = download_links(built_site.page("output-size/"))
    with urllib.request.urlopen(site_url + "output-size/" + link) as response:
        script = response.read().decode("utf-8")
    path = tmp_path / "output-size.py"
    path.write_text(script, encoding="utf-8")
    proc = subprocess.run(
        [sys.executable, str(path)],
        cwd=ROOT,  # a checkout, as the Run It Yourself page says
        capture_output=True,
        text=True,
        timeout=300,
        env={"PYTHONPATH": str(ROOT), "MPLBACKEND": "Agg", "PATH": "/usr/bin:/bin"},
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip()  # the page's blocks print their results


@pytest.mark.parametrize("src", [p.src for p in NAV if p.src.endswith(".ipynb")])
@pytest.mark.slow
@pytest.mark.xdist_group("site")
def test_every_notebook_page_links_its_notebook_and_serves_it(
    built_site: BuiltSite, site_url: str, src: str
) -> None:
    links = [x for x in download_links(built_site.page(url_of(src))) if x.endswith(".ipynb")]
    assert len(links) == 1
    with urllib.request.urlopen(site_url + url_of(src) + links[0]) as response:
        served = json.loads(response.read().decode("utf-8"))
    assert served == json.loads((DOCS / src).read_text(encoding="utf-8"))
    assert served["cells"]
