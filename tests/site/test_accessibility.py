"""Accessibility (issue 15): WCAG 2.1 AA in both colour schemes, alt text, keyboard use.

- axe-core (npm, installed by the ``axe_js`` fixture into ``.cache/npm``, never shipped with
  the site) on every built page (in ``PAGE_SHARDS`` tests, each page in one, which also
  check that it loaded cleanly, see ``test_browser.py``): no violation of impact "serious"
  or "critical" in the light scheme (all WCAG 2.0/2.1 A/AA and best-practice rules) nor in
  the dark one (the colour rules again, the page switched in place:
  ``cnnbook/site/accessibility.py``).
- Material's palette toggle switches the scheme and the choice survives a page change.
- Every ``<img>`` has alt text that says what it shows (not empty, not a file name, not
  nbconvert's placeholder).
- Every figure stands on a light background in both schemes and, in the dark one, apart
  from the page (contrast measured from the figure files and the computed CSS).
- The Convolution Explorer and the drawing pad work with the keyboard alone.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from cnnbook.site.accessibility import (
    Violation,
    audit_page,
    install_axe,
    page_paths,
    show_scheme,
)
from cnnbook.site.notebook_images import GENERIC_ALT
from tests.browser.conftest import open_page
from tests.sitebuild import ROOT, BuiltSite, in_ci, load_problems, shard, watched_page
from tests.wcag import contrast

pytestmark = [pytest.mark.slow, pytest.mark.browser, pytest.mark.xdist_group("site")]


@pytest.fixture(scope="session")
def axe_js() -> Path:
    """Return axe.min.js, installed by npm into ``.cache/npm`` on first use.

    Without npm or network: fails in CI, skips elsewhere.
    """
    try:
        return install_axe(ROOT / ".cache" / "npm")
    except RuntimeError as err:
        if in_ci():
            pytest.fail(f"CI: {err}", pytrace=False)
        pytest.skip(str(err))


# Each page is visited once, by one of this many tests (pytest-xdist runs them on both
# workers): a visit audits it with axe in both schemes, then checks it loaded cleanly.
PAGE_SHARDS = 8


@pytest.mark.parametrize("part", range(PAGE_SHARDS), ids=lambda k: f"part{k + 1}of{PAGE_SHARDS}")
def test_every_page_loads_cleanly_and_has_no_serious_or_critical_axe_violation_in_either_scheme(
    built_site: BuiltSite, site_url: str, chromium: Any, axe_js: Path, part: int
) -> None:
    """Every built page (``page_paths``: all but the 404 page), ``part`` of ``PAGE_SHARDS``:

    - axe-core finds no serious or critical violation: every rule of ``AXE_TAGS`` in the
      light scheme, the colour rules again in the dark one (``audit_page``);
    - then the page loaded cleanly: no KaTeX error, no math left unrendered, no image that
      does not decode (``load_problems``), no console or page error, no HTTP 4xx/5xx and
      no request to a host other than 127.0.0.1 (``watched_page``).
    """
    paths = page_paths(built_site.path)
    assert len(paths) > 20
    mine = shard(paths, part, PAGE_SHARDS)
    assert mine, f"part {part} of {PAGE_SHARDS} has no page"
    source = axe_js.read_text(encoding="utf-8")
    tab, problems = watched_page(chromium, width=1280, height=900)
    tab.context.set_default_timeout(30_000)
    found: list[Violation] = []
    bad: dict[str, object] = {}
    try:
        for path in mine:
            tab.goto(site_url + path, wait_until="load")
            tab.add_script_tag(content=source)
            found += audit_page(tab, path)
            wrong = load_problems(tab)
            if wrong:
                bad[path] = wrong
    finally:
        tab.context.close()
    blocking = [v for v in found if v.blocking]
    listing = "\n".join(f"{v.rule} | {v.target} | {v.page or '/'} [{v.scheme}]" for v in blocking)
    assert blocking == [], f"{len(blocking)} serious/critical axe violation(s):\n{listing}"
    assert bad == {}
    problems.assert_none()


def test_palette_toggle_switches_scheme_and_keeps_it_on_the_next_page(
    site_url: str, chromium: Any
) -> None:
    page, watch = open_page(chromium)
    page.goto(site_url)
    scheme = "() => document.body.getAttribute('data-md-color-scheme')"
    assert page.evaluate(scheme) == "default"
    toggle = page.locator("form[data-md-component=palette] label:not([hidden])")
    assert toggle.get_attribute("title") == "Switch to dark mode"
    toggle.click()
    page.wait_for_function(f"({scheme})() === 'slate'")
    page.goto(site_url + "kernel/")
    assert page.evaluate(scheme) == "slate"
    back = page.locator("form[data-md-component=palette] label:not([hidden])")
    assert back.get_attribute("title") == "Switch to light mode"
    back.click()
    page.wait_for_function(f"({scheme})() === 'default'")
    watch.assert_clean()


class _Images(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.images: list[dict[str, str | None]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "img":
            self.images.append(dict(attrs))


_GENERIC = {"image", "figure", "picture", "plot", "graph", "chart", "img", GENERIC_ALT.lower()}


def _alt_problem(image: dict[str, str | None]) -> str | None:
    alt = (image.get("alt") or "").strip()
    src = image.get("src") or ""
    name = Path(src.split("?")[0]).name if not src.startswith("data:") else ""
    if not alt:
        return "no alt text"
    if alt.lower() in _GENERIC or alt.lower().rstrip(".") in _GENERIC:
        return f"generic alt {alt!r}"
    if name and alt.lower() in {name.lower(), Path(name).stem.lower()}:
        return f"alt is the file name {alt!r}"
    if len(re.findall(r"[A-Za-z]+", alt)) < 4:
        return f"alt {alt!r} too short to say what the figure shows"
    return None


def test_alt_problem_catches_empty_generic_and_file_name_alts() -> None:
    assert _alt_problem({"src": "a/pooling.png", "alt": ""}) == "no alt text"
    assert "file name" in str(_alt_problem({"src": "a/pooling.png", "alt": "pooling.png"}))
    assert "generic" in str(_alt_problem({"src": "data:x", "alt": GENERIC_ALT}))
    assert _alt_problem({"src": "a/p.png", "alt": "Max pooling of a 4 by 4 input"}) is None


def test_every_image_has_alt_text_that_says_what_it_shows(built_site: BuiltSite) -> None:
    problems, count = [], 0
    for index in built_site.pages():
        parser = _Images()
        parser.feed(index.read_text(encoding="utf-8"))
        for image in parser.images:
            count += 1
            problem = _alt_problem(image)
            if problem:
                src = (image.get("src") or "")[:60]
                problems.append(f"{index.relative_to(built_site.path)}: {src}: {problem}")
    assert count > 20
    assert problems == [], "\n".join(problems)


_CSS_OF_FIGURES = """() => {
  const img = document.querySelector('.md-content .md-typeset img');
  const style = getComputedStyle(img);
  return { background: style.backgroundColor, padding: parseFloat(style.paddingTop),
           page: getComputedStyle(document.body).backgroundColor };
}"""


def _rgba(css: str) -> tuple[float, float, float, float]:
    values = [float(v) for v in re.findall(r"[\d.]+", css)]
    alpha = values[3] if len(values) > 3 else 1.0
    return values[0] / 255, values[1] / 255, values[2] / 255, alpha


def _corners(path: Path) -> list[np.ndarray]:
    """Return the four corner pixels of a figure file, RGBA in [0, 1] (a GIF's first frame)."""
    from PIL import Image

    with Image.open(path) as image:
        rgba = np.asarray(image.convert("RGBA"), dtype=float) / 255
    return [rgba[0, 0], rgba[0, -1], rgba[-1, 0], rgba[-1, -1]]


@pytest.mark.parametrize("scheme", ["default", "slate"])
def test_every_figure_stands_on_a_light_background_in_both_schemes(
    built_site: BuiltSite, site_url: str, chromium: Any, scheme: str
) -> None:
    """A figure's ink is drawn for white. Its background as the reader sees it -- its own
    corner pixels over the image's CSS background over the page -- must stay light in both
    schemes (contrast with black ink at least 7:1), and in the dark scheme stand apart from
    the page (at least 3:1, WCAG 1.4.11) with a frame of padding."""
    page, watch = open_page(chromium)
    page.goto(site_url + "kernel/")
    show_scheme(page, scheme)
    page.wait_for_timeout(600)  # the scheme's colour transitions
    css = page.evaluate(_CSS_OF_FIGURES)
    behind, page_bg = _rgba(css["background"]), _rgba(css["page"])
    assert behind[3] == 1.0, f"figure background {css['background']} lets the page through"
    figures = sorted((built_site.path / "assets" / "figures").glob("*.[pg][ni][gf]"))
    assert len(figures) > 20
    problems = []
    for figure in figures:
        for pixel in _corners(figure):
            seen = pixel[3] * pixel[:3] + (1 - pixel[3]) * np.array(behind[:3])
            ink = contrast(tuple(seen), "black")
            edge = contrast(tuple(seen), page_bg[:3])
            if ink < 7 or (scheme == "slate" and edge < 3):
                problems.append(
                    f"{figure.name}: corner {seen.round(2)} ink {ink:.1f} page {edge:.1f}"
                )
                break
    assert problems == [], "\n".join(problems)
    if scheme == "slate":
        assert css["padding"] >= 4, css
    watch.assert_clean()


def _tab_to(page: Any, selector: str, limit: int = 400, key: str = "Tab") -> None:
    """Press ``key`` (Tab or Shift+Tab) until the focus is on ``selector`` (``limit`` times)."""
    for _ in range(limit):
        page.keyboard.press(key)
        if page.evaluate("(s) => document.activeElement.matches(s)", selector):
            return
    raise AssertionError(f"{selector} not reached with {limit} presses of Tab")


@pytest.fixture
def keyboard_page(chromium: Any) -> Iterator[tuple[Any, Any]]:
    page, watch = open_page(chromium, width=1200)
    yield page, watch
    page.context.close()


def test_explorer_is_usable_with_the_keyboard_alone(site_url: str, keyboard_page: Any) -> None:
    page, watch = keyboard_page
    page.goto(site_url + "explorer/")
    page.wait_for_selector(".cnnx-views table")
    result = ".cnnx-size-oh .cnnx-result"
    before = int(page.get_attribute(result, "data-value"))
    _tab_to(page, "input[data-field=kh]")  # kernel height, reached in tab order
    page.keyboard.press("ArrowUp")  # a number field steps with the arrows
    assert int(page.get_attribute(result, "data-value")) == before - 1
    _tab_to(page, "td[data-t][tabindex='0']")  # the output grid's one tab stop
    first = page.evaluate("() => document.activeElement.getAttribute('data-t')")
    page.keyboard.press("ArrowRight")
    moved = page.evaluate("() => document.activeElement.getAttribute('data-t')")
    assert int(moved) == int(first) + 1
    page.keyboard.press("Enter")  # pin it: its taps are highlighted and the sum written
    assert page.evaluate("() => document.activeElement.getAttribute('aria-selected')") == "true"
    assert page.locator(".cnnx-in td.cnnx-read").count() > 0
    page.keyboard.press("Space")  # unpin
    assert page.evaluate("() => document.activeElement.getAttribute('aria-selected')") == "false"
    step = page.locator(".cnnx-steplabel").text_content()
    _tab_to(page, ".cnnx-step", key="Shift+Tab")  # the player, above the grids
    page.keyboard.press("Enter")
    assert page.locator(".cnnx-steplabel").text_content() != step
    watch.assert_clean()


def test_drawing_pad_is_usable_with_the_keyboard_alone(site_url: str, keyboard_page: Any) -> None:
    page, watch = keyboard_page
    page.goto(site_url + "cnn-in-your-browser/")
    page.wait_for_selector(".cnn-live[data-cnn-live-loaded]")
    seen = "() => window.cnnbookNetwork.lastInput.reduce((a, b) => a + b, 0)"
    _tab_to(page, ".cnn-live-pad")
    _tab_to(page, ".cnn-live-controls button")  # Clear
    page.keyboard.press("Enter")
    assert page.evaluate(seen) == 0
    page.keyboard.press("Shift+Tab")  # back to the pad
    assert page.evaluate("() => document.activeElement.matches('.cnn-live-pad')")
    page.keyboard.press("Space")  # pen down
    for key in ["ArrowDown"] * 8 + ["ArrowRight"] * 4:
        page.keyboard.press(key)
    assert page.evaluate(seen) > 0  # the strokes reached the network
    assert page.get_attribute(".cnn-live", "data-prediction") is not None
    _tab_to(page, ".cnn-live-examples button")  # a held-out digit, chosen with Enter
    page.keyboard.press("Enter")
    assert "labelled" in page.locator(".cnn-live-verdict").text_content()
    watch.assert_clean()
