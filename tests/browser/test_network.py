"""A CNN in Your Browser: the page's network computes what cnnbook computes, live.

The page loads ``assets/network/model.json`` (written by the build) and runs it in plain
JavaScript. Its logits and every layer's activations are compared with cnnbook's forward
of the model read back from that same file, on random inputs and on the held-out digits.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from cnnbook.browser_network import MODEL_JSON, digit_network
from cnnbook.network_json import from_json
from tests.browser.conftest import open_page

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("site")]

PAGE = "cnn-in-your-browser/"


def _open(chromium, site: str, width: int = 1000):
    page, watch = open_page(chromium, width=width, height=900)
    page.goto(site + PAGE)
    page.wait_for_selector(".cnn-live[data-cnn-live-loaded]")
    return page, watch


def _model_json(page, site: str) -> dict:
    return page.evaluate("async (u) => (await fetch(u)).json()", site + MODEL_JSON.as_posix())


def _layer_outputs(model, x: np.ndarray) -> list[np.ndarray]:
    outs = []
    for layer in model:
        x = layer(x)
        outs.append(x[0].ravel())
    return outs


def test_page_forward_equals_cnnbook_on_random_inputs_and_test_digits(chromium, site_url):
    page, watch = _open(chromium, site_url)
    exported = from_json(_model_json(page, site_url))
    shape = exported.input_shape
    model64 = exported.model.to(np.float64)
    trained = digit_network()  # the float32 network the build exported
    rng = np.random.default_rng(0)
    inputs = [rng.random(shape) for _ in range(3)] + [rng.standard_normal(shape) * 2]
    examples = page.evaluate("() => window.cnnbookNetwork.examples")
    assert len(examples) >= 10
    inputs += [np.array(e["pixels"]).reshape(shape) for e in examples]
    for x in inputs:
        got = page.evaluate("(p) => window.cnnbookNetwork.forward(p)", x.ravel().tolist())
        expected = _layer_outputs(model64, x[None])
        assert len(got["activations"]) == len(expected) == len(exported.model)
        for i, (a, e) in enumerate(zip(got["activations"], expected, strict=True)):
            np.testing.assert_allclose(a, e, rtol=1e-5, atol=1e-5, err_msg=f"layer {i}")
        np.testing.assert_allclose(got["logits"], expected[-1], rtol=1e-5, atol=1e-5)
        float32 = trained.model(x[None].astype(np.float32))[0]
        np.testing.assert_allclose(got["logits"], float32, rtol=1e-5, atol=1e-5)
    # The buttons' claims: each example's shown prediction is the network's.
    for e in examples:
        logits = model64(np.array(e["pixels"]).reshape(1, *shape))[0]
        assert int(np.argmax(logits)) == e["prediction"]
    watch.assert_clean()


def test_drawing_with_the_mouse_changes_the_prediction(chromium, site_url):
    page, watch = _open(chromium, site_url)
    before = page.get_attribute(".cnn-live", "data-prediction")
    assert before == "0"  # the first button's digit is shown at load
    page.click(".cnn-live-controls button")  # Clear
    box = page.locator(".cnn-live-pad").bounding_box()
    x0, y0 = box["x"] + box["width"] / 2, box["y"] + box["height"] * 0.15
    page.mouse.move(x0, y0)
    page.mouse.down()
    for k in range(1, 11):
        page.mouse.move(x0, y0 + k * box["height"] * 0.07)
    page.mouse.up()
    after = page.get_attribute(".cnn-live", "data-prediction")
    assert after != before
    seen = np.array(page.evaluate("() => window.cnnbookNetwork.lastInput"))
    assert seen.max() >= 0.4 and seen.sum() > 2  # the stroke reached the network's input
    exported = from_json(_model_json(page, site_url))
    logits = exported.model.to(np.float64)(seen.reshape(1, *exported.input_shape))[0]
    assert exported.classes[int(np.argmax(logits))] == after
    watch.assert_clean()


def test_live_network_fits_a_phone_and_draws_with_the_keyboard(chromium, site_url):
    page, watch = _open(chromium, site_url, width=360)
    overflow = page.evaluate(
        "() => document.querySelector('.cnn-live').scrollWidth"
        " - document.querySelector('.cnn-live').clientWidth"
    )
    assert overflow <= 0
    page.click(".cnn-live-controls button")  # Clear
    assert np.array(page.evaluate("() => window.cnnbookNetwork.lastInput")).sum() == 0
    page.focus(".cnn-live-pad")
    page.keyboard.press("Space")  # pen down
    for _ in range(6):
        page.keyboard.press("ArrowDown")
    drawn = np.array(page.evaluate("() => window.cnnbookNetwork.lastInput"))
    assert drawn.sum() > 0
    watch.assert_clean()


def test_every_example_button_loads_its_digit(chromium, site_url, built_site):
    page, watch = _open(chromium, site_url)
    examples = json.loads((Path(built_site.path) / MODEL_JSON.parent / "examples.json").read_text())
    buttons = page.locator(".cnn-live-examples button")
    assert buttons.count() == len(examples)
    for i in (0, len(examples) - 1):
        buttons.nth(i).click()
        shown = np.array(page.evaluate("() => window.cnnbookNetwork.lastInput"))
        np.testing.assert_array_equal(shown, examples[i]["pixels"])
        assert page.get_attribute(".cnn-live", "data-prediction") == str(examples[i]["prediction"])
    watch.assert_clean()
