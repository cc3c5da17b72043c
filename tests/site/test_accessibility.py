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
- The audit reports a violation planted in a page: an image without alt text, and text whose
  contrast fails in the dark scheme alone (behind a slow colour fade).
- The audit measures the page once Material has sized its sidebars and the graph is drawn,
  not the page as it starts (whose unsized navigation hangs over the footer).

Keyboard use (the Convolution Explorer, the drawing pad): ``test_keyboard_use.py``.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from filelock import FileLock

from cnnbook.site.accessibility import (
    Violation,
    audit_page,
    balanced_parts,
    install_axe,
    page_paths,
    show_scheme,
)
from cnnbook.site.notebook_images import GENERIC_ALT
from tests.browser.conftest import open_page
from tests.sitebuild import ROOT, BuiltSite, in_ci, load_problems, watched_page
from tests.wcag import contrast

pytestmark = [pytest.mark.slow, pytest.mark.browser, pytest.mark.xdist_group("site")]


@pytest.fixture(scope="session")
def axe_js() -> Path:
    """Return axe.min.js, installed by npm into ``.cache/npm`` on first use.

    One install at a time: on a fresh clone both xdist workers find it missing, and a
    second ``npm install`` rewrites ``node_modules`` while the first worker's pages read
    axe.min.js (a clean-clone CI run failed on the missing file). Under the lock the second
    worker finds the first one's install and returns it. Without npm or network: fails in
    CI, skips elsewhere.
    """
    cache = ROOT / ".cache" / "npm"
    cache.mkdir(parents=True, exist_ok=True)
    try:
        with FileLock(str(cache / "install.lock")):
            return install_axe(cache)
    except RuntimeError as err:
        if in_ci():
            pytest.fail(f"CI: {err}", pytrace=False)
        pytest.skip(str(err))


# Each page is visited once, by one of this many tests (pytest-xdist runs them on both
# workers): a visit audits it with axe in both schemes, then checks it loaded cleanly.
# The parts are balanced by the pages' sizes (``balanced_parts``) so that they end together.
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
    mine = balanced_parts(built_site.path, paths, PAGE_SHARDS)[part]
    assert mine, f"part {part} of {PAGE_SHARDS} has no page"
    tab, problems = watched_page(chromium, width=1280, height=900)
    tab.context.set_default_timeout(30_000)
    tab.context.add_init_script(path=str(axe_js))  # axe on each page as it loads
    found: list[Violation] = []
    bad: dict[str, object] = {}
    try:
        for path in mine:
            tab.goto(site_url + path, wait_until="load")
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


# Planted in a real page: an image without alt text (axe's "image-alt", critical) and text
# that reads well in the light scheme but not in the dark one ("color-contrast", serious),
# reached through a 10 min colour fade: the audit must measure the colours a change of
# scheme ends on, not those it starts from.
_PLANT = """() => {
  const style = document.createElement('style');
  style.textContent = `#probe-text { background: #fff; color: #000; transition: color 600s; }
    [data-md-color-scheme=slate] #probe-text { color: #ddd; }`;
  document.head.append(style);
  document.querySelector('.md-content article').insertAdjacentHTML('beforeend',
    '<p id="probe-text">Black on white, then light grey on white</p>' +
    '<img id="probe-image" src="data:image/gif;base64,' +
    'R0lGODlhAQABAIAAAAAAAP///ywAAAAAAQABAAACAUQAOw==">');
}"""


def test_the_audit_reports_a_missing_alt_text_and_a_contrast_failure_of_the_dark_scheme(
    site_url: str, chromium: Any, axe_js: Path
) -> None:
    tab, watch = open_page(chromium, width=1280)
    tab.context.add_init_script(path=str(axe_js))  # as the audit of every page does
    tab.goto(site_url + "kernel/", wait_until="load")
    tab.evaluate(_PLANT)
    found = audit_page(tab, "kernel/")
    planted = {(v.scheme, v.rule, v.target) for v in found if "probe" in v.target}
    assert planted == {
        ("default", "image-alt", "#probe-image"),
        ("slate", "color-contrast", "#probe-text"),
    }
    assert all(v.blocking for v in found if "probe" in v.target)
    assert [v for v in found if v.blocking and "probe" not in v.target] == []
    watch.assert_clean()


# The page as it starts, held: Material sizes its sidebars' scroll wrappers on an animation
# frame, and the graph page draws its canvas from a fetch of graph.json. Both are held from
# the page's start until 1 s after load, and for as long as an axe run started before then
# lasts. Unsized, the left sidebar's navigation hangs down over the footer, which the
# undrawn graph leaves higher: an audit that measured that state failed color-contrast on
# the four entries over the footer (a flake of CI whenever load came before that frame).
_HOLD_START = """() => {
  let held = true, running = 0, due = false, last = 1e9;
  const frames = new Map(), raf = window.requestAnimationFrame.bind(window);
  const cancel = window.cancelAnimationFrame.bind(window);
  // Held frames get ids of their own (RxJS, Material's scheduler, takes 0 for none).
  window.requestAnimationFrame = (cb) => (held ? (frames.set(++last, cb), last) : raf(cb));
  window.cancelAnimationFrame = (id) => (frames.has(id) ? frames.delete(id) : cancel(id));
  let open;
  const opened = new Promise((resolve) => { open = resolve; });
  const fetch0 = window.fetch.bind(window);
  const later = (url, rest) => opened.then(() => fetch0(url, ...rest));
  window.fetch = (url, ...rest) =>
    (String(url).endsWith('graph.json') ? later(url, rest) : fetch0(url, ...rest));
  const release = () => {
    if (running) { due = true; return; }
    held = false;
    frames.forEach((cb) => raf(cb));
    frames.clear();
    open();
  };
  const run = axe.run.bind(axe);
  axe.run = async (...args) => {
    running++;
    try { return await run(...args); } finally { running--; if (due) release(); }
  };
  window.addEventListener('load', () => setTimeout(release, 1000));
}"""


def test_the_audit_measures_the_page_after_its_sidebars_are_sized_and_the_graph_drawn(
    site_url: str, chromium: Any, axe_js: Path
) -> None:
    """The audit waits for the layout the reader sees: Material's sidebars sized and the
    widgets drawn (``_RUN_AXE``). Fails when axe runs on the page as it starts."""
    tab, watch = open_page(chromium, width=1280, height=900)  # the audit's viewport
    tab.context.add_init_script(path=str(axe_js))
    tab.context.add_init_script(script=f"({_HOLD_START})()")
    tab.goto(site_url + "graph/", wait_until="load")
    start = tab.evaluate(
        """() => ({
        sized: document.querySelector('.md-sidebar--primary .md-sidebar__scrollwrap').style.height,
        drawn: document.querySelector('#wiki-graph canvas') !== null })"""
    )
    assert start == {"sized": "", "drawn": False}, start  # the state the flake measured
    found = [v for v in audit_page(tab, "graph/") if v.blocking]
    assert found == [], "\n".join(map(str, found))
    watch.assert_clean()


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
