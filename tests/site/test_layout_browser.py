"""The reading layout in Chromium: collapsed sections open on an anchor; animations legible.

Debian's ``/usr/bin/chromium`` through Playwright, as ``test_browser.py``.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from cnnbook.figures.animations import WEIGHT_FONT_PX

pytestmark = [pytest.mark.slow, pytest.mark.browser, pytest.mark.xdist_group("site")]

#: The smallest text, in CSS pixels as displayed, that the kernel weights may have.
MIN_READABLE_PX = 11
# A common laptop window; the site's content column is at its widest from here on.
VIEWPORT = {"width": 1280, "height": 900}


@pytest.fixture
def tab(chromium: Any) -> Iterator[Any]:
    context = chromium.new_context(viewport=VIEWPORT)
    context.set_default_timeout(15000)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    try:
        yield page
    finally:
        context.close()
    assert errors == []


OPEN_STATE = """(id) => {
  const target = document.getElementById(id);
  const details = target.closest("details.cnnbook-reference");
  const box = target.getBoundingClientRect();
  // checkVisibility: false inside a closed <details> (its content is not rendered).
  return {open: details.open, visible: target.checkVisibility(),
          inView: box.top >= 0 && box.top < window.innerHeight};
}"""


def test_an_anchor_inside_a_collapsed_section_opens_it(site_url: str, tab: Any) -> None:
    target = "cnnbook.output_size.conv_output_size"  # a function of the collapsed API
    tab.goto(site_url + "output-size/")
    tab.wait_for_load_state("load")
    closed = tab.evaluate(OPEN_STATE, target)
    assert (closed["open"], closed["visible"]) == (False, False)
    # Following a link to it (a hash change) opens the section and shows the target.
    tab.evaluate(f"() => {{ window.location.hash = '#{target}'; }}")
    tab.wait_for_function("(id) => document.getElementById(id).closest('details').open", arg=target)
    opened = tab.evaluate(OPEN_STATE, target)
    assert opened == {"open": True, "visible": True, "inView": True}


def test_a_page_loaded_with_an_anchor_inside_opens_at_it(site_url: str, tab: Any) -> None:
    target = "cnnbook.output_size.conv_output_size"
    tab.goto(f"{site_url}output-size/#{target}")
    tab.wait_for_function("(id) => document.getElementById(id).closest('details').open", arg=target)
    assert tab.evaluate(OPEN_STATE, target)["visible"]


def test_a_summary_opens_with_the_keyboard(site_url: str, tab: Any) -> None:
    tab.goto(site_url + "output-size/")
    summary = tab.locator("details.cnnbook-reference > summary").first
    summary.focus()
    tab.keyboard.press("Enter")
    assert tab.evaluate("() => document.querySelector('details.cnnbook-reference').open")


# Each animation's displayed width: its own size, or the width of the block holding it
# (images are max-width: 100%); a tab's panel may be hidden, its tab set is not.
DISPLAYED = """() => Array.from(document.querySelectorAll('img[src$=".gif"]')).map((img) => {
  const holder = img.closest(".tabbed-set") || img.parentElement;
  const style = getComputedStyle(holder);
  const room = holder.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
  return {src: img.getAttribute("src"), natural: img.naturalWidth,
          shown: Math.min(img.naturalWidth, room)};
})"""


@pytest.mark.parametrize("url", ["full-same-and-valid-convolution/", "output-size/"])
def test_animation_kernel_weights_are_legible_at_their_displayed_size(
    site_url: str, tab: Any, url: str
) -> None:
    tab.goto(site_url + url)
    tab.wait_for_load_state("load")
    tab.wait_for_function(
        "() => Array.from(document.querySelectorAll('img[src$=\".gif\"]'))"
        ".every((img) => img.complete && img.naturalWidth > 0)"
    )
    images = tab.evaluate(DISPLAYED)
    assert images
    for image in images:
        px = WEIGHT_FONT_PX * image["shown"] / image["natural"]
        assert px >= MIN_READABLE_PX, (image, px)
