"""The book as a PDF (``make pdf``) and the Problem Set printed on its own.

The browser tests print the session's built site with ``scripts/build_pdf.py`` (the script
``make pdf`` runs) in Debian's Chromium and read the PDF back with pypdf: every page of the
navigation, in order, with its figures and its computed numbers. The unit tests check the
arguments without a browser (the navigation reader: ``tests/site/test_navigation.py``;
the atomic write: ``tests/test_atomic_files.py``).
"""

from __future__ import annotations

import io
import os
import re
import subprocess
import sys
import time
from html import unescape
from pathlib import Path
from typing import Any

import pypdf
import pytest

from cnnbook.site import book_pdf
from cnnbook.site.navigation import NavPage, nav_pages
from tests.sitebuild import CHROMIUM, ROOT, BuiltSite, in_ci, missing_browser


@pytest.mark.parametrize(
    ("kwargs", "exc", "match"),
    [
        ({"workers": 0}, ValueError, r"workers \(=0\)"),
        ({"sheets": -1}, ValueError, r"sheets \(=-1\)"),
        ({"workers": 2.0}, TypeError, r"workers must be an int"),
        ({"sheets": True}, TypeError, r"sheets must be an int"),
    ],
)
def test_build_book_names_a_bad_argument(
    tmp_path: Path, kwargs: dict[str, Any], exc: type[Exception], match: str
) -> None:
    with pytest.raises(exc, match=match):
        book_pdf.build_book(tmp_path, tmp_path / "x.pdf", pages=[NavPage("", "Home")], **kwargs)


def test_a_site_without_navigation_is_refused(tmp_path: Path) -> None:
    (tmp_path / "index.html").write_text("<html><body>no nav</body></html>")
    with pytest.raises(ValueError, match="no navigation"):
        book_pdf.build_book(tmp_path, tmp_path / "x.pdf")


def test_contents_numbers_pages_from_where_each_starts() -> None:
    pages = [NavPage("", "Home"), NavPage("kernel/", "Kernel"), NavPage("graph/", "Graph")]
    numbered = book_pdf._numbered(pages, [3, 1, 2], first=2)
    assert [n for _, n in numbered] == [2, 5, 6]


# -- in Chromium ------------------------------------------------------------------------------


def _need_browser() -> None:
    reason = missing_browser()
    if reason is not None:
        if in_ci():
            pytest.fail(f"CI: {reason}", pytrace=False)
        pytest.skip(reason)


def _print(site: Path, out: Path, *args: str) -> tuple[subprocess.CompletedProcess[str], float]:
    start = time.perf_counter()
    proc = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "build_pdf.py"), str(site), str(out), *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "CNNBOOK_CHROMIUM": CHROMIUM},
    )
    return proc, time.perf_counter() - start


def _text(reader: Any, first: int, last: int) -> str:
    return " ".join(" ".join(reader.pages[i].extract_text().split()) for i in range(first, last))


def _katex_fonts(reader: Any) -> set[str]:
    names = set()
    for page in reader.pages:
        for font in page.get("/Resources", {}).get("/Font", {}).values():
            name = str(font.get_object().get("/BaseFont", ""))
            if "KaTeX" in name:
                names.add(name.split("+")[-1])
    return names


def _has_image(page: Any) -> bool:
    xobjects = page.get("/Resources", {}).get("/XObject", {})
    return any(x.get_object().get("/Subtype") == "/Image" for x in xobjects.values())


@pytest.mark.slow
@pytest.mark.browser
@pytest.mark.xdist_group("site")
def test_make_pdf_prints_nav_pages_in_order_with_contents_figures_and_numbers(
    built_site: BuiltSite, tmp_path: Path
) -> None:
    _need_browser()
    from cnnbook import linear_parameter_count, pool_output_size

    nav = nav_pages(built_site.page(""))
    assert len(nav) > 40 and nav[0].url == ""
    # The first seven pages of the navigation and the pooling page, two sheets each: the
    # whole pipeline of `make pdf` (pages loaded, math rendered, printed, joined, contents,
    # bookmarks, links) in a fraction of the full book's time; `nav_pages`' own test covers
    # the order of the whole navigation.
    pooling_url = next(p.url for p in nav if p.title == "Understanding Pooling Layers")
    chosen = [*nav[:7], *(p for p in nav[7:] if p.url == pooling_url)]
    out = tmp_path / "cnnbook.pdf"
    only = [arg for p in chosen for arg in ("--only", p.url)]
    proc, seconds = _print(built_site.path, out, "--sheets", "2", *only)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    print(f"\nbook (2 sheets per page, {len(chosen)} pages) printed in {seconds:.1f} s")
    reader = pypdf.PdfReader(io.BytesIO(out.read_bytes()))
    nav = chosen

    # One bookmark per printed page, in nav order, each at the sheet where its title is.
    outline = [(o.title, reader.get_destination_page_number(o)) for o in reader.outline]
    assert [t for t, _ in outline] == [p.title for p in nav]
    starts = [n for _, n in outline]
    assert starts == sorted(starts) and starts[0] >= 1  # the contents page(s) come first
    h1 = {p.url: re.search(r"<h1[^>]*>(.*?)</h1>", built_site.page(p.url), re.S) for p in nav}
    for (title, start), page in zip(outline, nav, strict=True):
        heading = h1[page.url]
        if heading is None:  # a notebook's H1 is its first Markdown cell
            continue
        shown = " ".join(unescape(re.sub(r"<[^>]+>", "", heading.group(1))).strip("¶").split())
        assert shown in _text(reader, start, start + 1), (title, shown)

    # The contents page lists every title in order.
    contents = _text(reader, 0, starts[0])
    at = 0
    for p in nav:  # each title after the one before it
        at = contents.find(p.title, at)
        assert at != -1, f"{p.title!r} missing or out of order in the contents"
        at += len(p.title)

    # Figures are images in the PDF; computed numbers are printed.
    assert any(_has_image(p) for p in reader.pages)
    pooling = next(n for t, n in outline if t == "Understanding Pooling Layers")
    text = _text(reader, pooling, pooling + 2)
    for value in (
        format(linear_parameter_count(16 * 28 * 28, 10), ","),
        format(linear_parameter_count(16 * pool_output_size(28, 2) ** 2, 10), ","),
    ):
        assert value in text
    # Math is typeset by KaTeX: its fonts are embedded. (TeX source does appear, rightly,
    # in the code listings of docstrings.)
    assert {"KaTeX_Main-Regular", "KaTeX_Math-Italic"} <= _katex_fonts(reader)


@pytest.mark.slow
@pytest.mark.browser
@pytest.mark.xdist_group("site")
def test_the_problem_set_and_its_solutions_print_on_their_own(
    built_site: BuiltSite, tmp_path: Path
) -> None:
    _need_browser()
    from cnnbook.exercises.problem_set import problem_set

    problems = problem_set()
    handout, solutions = tmp_path / "problems.pdf", tmp_path / "solutions.pdf"
    for out, url in ((handout, "problem-set/"), (solutions, "problem-set-solutions/")):
        proc, _ = _print(built_site.path, out, "--only", url)
        assert proc.returncode == 0, proc.stdout + proc.stderr
    for out, word in ((handout, "Problem"), (solutions, "Solution")):
        reader = pypdf.PdfReader(io.BytesIO(out.read_bytes()))
        text = _text(reader, 0, len(reader.pages))
        # Twelve problems on a few sheets, no contents page, none of the site's chrome.
        assert 2 <= len(reader.pages) <= 12, len(reader.pages)
        for n, p in enumerate(problems, start=1):
            assert f"{word} {n}: {p.title}" in text
        for chrome in ("Search", "Linked from", "Skip to content", "Made with"):
            assert chrome not in text, chrome
    reader = pypdf.PdfReader(str(solutions))
    text = _text(reader, 0, len(reader.pages))
    # Numbers in prose are in the text layer (KaTeX's glyphs are not extractable text).
    answers = {p.title: p.answers for p in problems}
    sharing = answers["Parameters with and without weight sharing"]
    for value in (sharing["locally_connected"], sharing["dense"]):
        assert format(value, ",") in text
    for value in answers["Design: one large kernel or a stack of small ones"]["parameters"]:
        assert format(value, ",") in text
    assert _katex_fonts(reader)  # the formulas were typeset by KaTeX
