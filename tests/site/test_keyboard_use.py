"""Accessibility (issue 15), keyboard use: the Convolution Explorer and the drawing pad work
with the keyboard alone (Tab to reach each control, arrows, Enter and Space to use it).

The audits of every page, the alt texts and the figures' backgrounds are in
``test_accessibility.py``.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tests.browser.conftest import open_page

pytestmark = [pytest.mark.slow, pytest.mark.browser, pytest.mark.xdist_group("site")]


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
