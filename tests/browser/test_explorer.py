"""The Convolution Explorer page computes what cnnbook computes, in a real browser.

Random layer settings are typed into the page's controls like a user would; the output grid
and the displayed output size are read back from the DOM and compared exactly with
`cnnbook.conv2d` / `conv_output_size` (pooling and `conv_transpose2d` for the other modes,
with PyTorch as a second reference) on the same integer input, so every float sum is exact.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterator
from dataclasses import dataclass, replace

import numpy as np
import pytest

import cnnbook
from tests.browser.conftest import open_page

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("site")]

PAGE = "explorer/"
MINUS = "\u2212"

# ---------------------------------------------------------------- the page's value generator


def mulberry32(seed: int) -> Iterator[float]:
    """The page's PRNG (mulberry32), written from its definition in 32-bit unsigned arithmetic."""
    a = seed & 0xFFFFFFFF
    m = 0xFFFFFFFF
    while True:
        a = (a + 0x6D2B79F5) & m
        t = ((a ^ (a >> 15)) * (1 | a)) & m
        t = ((t + (((t ^ (t >> 7)) * (61 | t)) & m)) & m) ^ t
        yield ((t ^ (t >> 14)) & m) / 2**32


def draw(seed: int, shape: tuple[int, ...], lo: int, hi: int) -> np.ndarray:
    r = mulberry32(seed)
    n = math.prod(shape)
    return np.array([lo + math.floor(next(r) * (hi - lo + 1)) for _ in range(n)], float).reshape(
        shape
    )


# ---------------------------------------------------------------- configurations


@dataclass
class Config:
    mode: str
    H: int
    W: int
    kh: int
    kw: int
    pad: tuple[int, int, int, int]  # top, bottom, left, right
    preset: str  # custom | valid | same | full
    sh: int
    sw: int
    dh: int
    dw: int
    cin: int = 1
    cout: int = 1
    groups: int = 1
    seed: int = 0
    bias: bool = True
    oph: int = 0
    opw: int = 0

    def fields(self) -> dict[str, str]:
        f = {
            "mode": self.mode,
            "seed": str(self.seed),
            "cin": str(self.cin),
            "H": str(self.H),
            "W": str(self.W),
            "kh": str(self.kh),
            "kw": str(self.kw),
            "sh": str(self.sh),
            "sw": str(self.sw),
            "dh": str(self.dh),
            "dw": str(self.dw),
        }
        if self.mode in ("conv", "transposed"):
            f.update(cout=str(self.cout), groups=str(self.groups))
        if self.mode == "transposed":
            f.update(oph=str(self.oph), opw=str(self.opw))
        return f

    @property
    def symmetric(self) -> bool:
        t, b, left, right = self.pad
        return t == b and left == right


def resolve_preset(preset: str, kh: int, kw: int, dh: int, dw: int) -> tuple[int, int, int, int]:
    th, tw = dh * (kh - 1), dw * (kw - 1)
    if preset == "valid":
        return (0, 0, 0, 0)
    if preset == "full":
        return (th, th, tw, tw)
    ph, pw = cnnbook.same_padding(kh, dh), cnnbook.same_padding(kw, dw)
    return (*ph, *pw)


KNOBS = ("channels", "input", "kernel", "dilation", "stride", "padding", "values")


def redraw(rng: np.random.Generator, cfg: Config, knob: str) -> None:
    """Draw new random values for one group of controls of `cfg` (in place)."""
    ints = lambda lo, hi: int(rng.integers(lo, hi + 1))  # noqa: E731
    pool = cfg.mode in ("maxpool", "avgpool")
    if knob == "channels":
        cfg.cin = ints(1, 3)
        cfg.groups = 1 if pool else int(rng.choice([g for g in (1, 2, 3) if cfg.cin % g == 0]))
        cfg.cout = cfg.cin if pool else cfg.groups * ints(1, 4 // cfg.groups)
    elif knob == "input":
        cfg.H, cfg.W = ints(1, 10), ints(1, 10)
    elif knob == "kernel":
        cfg.kh, cfg.kw = ints(1, 5), ints(1, 5)
    elif knob == "dilation":
        cfg.dh, cfg.dw = (1, 1) if cfg.mode == "avgpool" else (ints(1, 3), ints(1, 3))
    elif knob == "stride":
        cfg.sh, cfg.sw = ints(1, 3), ints(1, 3)
        cfg.oph, cfg.opw = ints(0, cfg.sh - 1), ints(0, cfg.sw - 1)
    elif knob == "padding":
        cfg.preset = str(rng.choice(["valid", "same", "full", "custom", "custom"]))
        if cfg.preset == "custom" and rng.integers(2):
            ph, pw = ints(0, 3), ints(0, 3)
            cfg.pad = (ph, ph, pw, pw)
        elif cfg.preset == "custom":
            cfg.pad = (ints(0, 3), ints(0, 3), ints(0, 3), ints(0, 3))
    else:
        cfg.seed, cfg.bias = ints(0, 9999), bool(rng.integers(2))
    if cfg.preset != "custom":  # the page re-derives a preset's padding from kernel and dilation
        cfg.pad = resolve_preset(cfg.preset, cfg.kh, cfg.kw, cfg.dh, cfg.dw)


def valid(cfg: Config) -> bool:
    """Whether torch (and so the page) computes this layer."""
    t, b, left, r = cfg.pad
    if max(cfg.pad) > 9:
        return False
    if cfg.mode == "transposed":
        oh = (cfg.H - 1) * cfg.sh - t - b + cfg.dh * (cfg.kh - 1) + cfg.oph + 1
        ow = (cfg.W - 1) * cfg.sw - left - r + cfg.dw * (cfg.kw - 1) + cfg.opw + 1
        return oh >= 1 and ow >= 1
    if cfg.mode in ("maxpool", "avgpool") and (
        max(t, b) > cfg.kh // 2 or max(left, r) > cfg.kw // 2
    ):
        return False
    return cfg.dh * (cfg.kh - 1) < cfg.H + t + b and cfg.dw * (cfg.kw - 1) < cfg.W + left + r


def random_walk(mode: str, n: int, seed: int) -> list[Config]:
    """`n` random valid layers, each redrawing two groups of controls of the one before.

    A walk, like a user exploring, so that only a few fields change between configurations.
    """
    rng = np.random.default_rng(seed)
    cfg = Config(mode, 5, 5, 3, 3, (0, 0, 0, 0), "valid", 1, 1, 1, 1)
    out: list[Config] = []
    while len(out) < n:
        nxt = replace(cfg)
        for knob in rng.choice(KNOBS, size=2, replace=False) if out else KNOBS:
            redraw(rng, nxt, str(knob))
        if valid(nxt):
            cfg = nxt
            out.append(cfg)
    return out


# ---------------------------------------------------------------- driving the page

READ = """() => {
  const ex = document.querySelector('.cnn-explorer');
  const cells = sel => [...ex.querySelectorAll(sel)].map(td => [
      +td.dataset.c, +td.dataset.row, +td.dataset.col, td.textContent, td.dataset.value]);
  const res = sel => { const e = ex.querySelector(sel); return e ? e.textContent : null; };
  const inst = window.cnnExplorer.instances.find(i => i.root === ex);
  const fields = {};
  ex.querySelectorAll('[data-field]').forEach(e => { fields[e.dataset.field] =
      e.type === 'checkbox' ? e.checked : e.value; });
  return {out: cells('.cnnx-out td'), inp: cells('.cnnx-in td:not(.cnnx-pad)'),
          read: cells('.cnnx-in td.cnnx-read'), taps: cells('.cnnx-in td.cnnx-tap'),
          oh: res('.cnnx-size-oh .cnnx-result'), ow: res('.cnnx-size-ow .cnnx-result'),
          error: res('.cnnx-error'), values: inst.values(), fields,
          code_np: res('.cnnx-code-cnnbook'), code_torch: res('.cnnx-code-torch'),
          pinned: [...ex.querySelectorAll('.cnnx-out td[aria-selected=true]')].map(
              td => +td.dataset.t)};
}"""


def type_into(page, name: str, value: str) -> None:
    """Select the field's text and type the new value key by key, as a user does."""
    page.focus(f".cnn-explorer >> nth=0 >> [data-field='{name}']")
    page.keyboard.press("Control+A")
    page.keyboard.type(value)


def fill_in(page, name: str, value: str) -> None:
    """One round trip: Playwright focuses the field, selects its text and inserts `value`."""
    page.fill(f".cnn-explorer >> nth=0 >> [data-field='{name}']", value)


def apply(page, cfg: Config, typed: bool = False) -> dict:
    """Set `cfg` through the controls: key by key when `typed`, else with `fill`."""
    enter = type_into if typed else fill_in
    current = page.evaluate(READ)["fields"]
    for name, value in cfg.fields().items():
        if name == "mode":
            if current["mode"] != value:
                page.select_option(".cnn-explorer >> nth=0 >> [data-field='mode']", value)
        elif current.get(name) != value:
            enter(page, name, value)
    if cfg.mode in ("conv", "transposed") and current.get("bias") != cfg.bias:
        page.locator(".cnn-explorer >> nth=0 >> [data-field='bias']").click()
    if current["preset"] != cfg.preset:
        page.select_option(".cnn-explorer >> nth=0 >> [data-field='preset']", cfg.preset)
    if cfg.preset == "custom":
        current = page.evaluate(READ)["fields"]
        for name, value in zip(("pt", "pb", "pl", "pr"), cfg.pad, strict=True):
            if current[name] != str(value):
                enter(page, name, str(value))
    return page.evaluate(READ)


def number(text: str) -> float:
    return float(text.replace(MINUS, "-").replace("\u221e", "inf"))


def grid(cells: list, shape: tuple[int, ...], use_value: bool = False) -> np.ndarray:
    a = np.full(shape, np.nan)
    for c, row, col, text, value in cells:
        a[0, c, row, col] = float(value) if use_value else number(text)
    return a


def page_values(cfg: Config) -> tuple[np.ndarray, np.ndarray | None, np.ndarray | None]:
    """The input, weight and bias the page must show, regenerated from the seed here."""
    x = draw(cfg.seed * 4 + 1, (1, cfg.cin, cfg.H, cfg.W), -5, 5)
    if cfg.mode in ("maxpool", "avgpool"):
        return x, None, None
    if cfg.mode == "transposed":
        wshape = (cfg.cin, cfg.cout // cfg.groups, cfg.kh, cfg.kw)
    else:
        wshape = (cfg.cout, cfg.cin // cfg.groups, cfg.kh, cfg.kw)
    w = draw(cfg.seed * 4 + 2, wshape, -2, 2)
    b = draw(cfg.seed * 4 + 3, (cfg.cout,), -2, 2) if cfg.bias else None
    return x, w, b


def expected_output(cfg: Config, x: np.ndarray, w, b) -> np.ndarray:
    t, bo, left, r = cfg.pad
    s, d = (cfg.sh, cfg.sw), (cfg.dh, cfg.dw)
    if cfg.mode == "conv":
        if cfg.preset == "same" and s == (1, 1):
            return cnnbook.conv2d(x, w, b, s, "same", d, cfg.groups)
        if cfg.symmetric:
            return cnnbook.conv2d(x, w, b, s, (t, left), d, cfg.groups)
        return cnnbook.conv2d(cnnbook.pad2d(x, cfg.pad), w, b, s, 0, d, cfg.groups)
    k = (cfg.kh, cfg.kw)
    if cfg.mode == "maxpool":
        if cfg.symmetric:
            return cnnbook.max_pool2d(x, k, s, (t, left), d)
        return cnnbook.max_pool2d(cnnbook.pad2d(x, cfg.pad, -np.inf), k, s, 0, d)
    if cfg.mode == "avgpool":
        if cfg.symmetric:
            return cnnbook.avg_pool2d(x, k, s, (t, left))
        return cnnbook.avg_pool2d(cnnbook.pad2d(x, cfg.pad), k, s, 0)
    op = (cfg.oph, cfg.opw)
    if cfg.symmetric:
        return cnnbook.conv_transpose2d(x, w, b, s, (t, left), op, cfg.groups, d)
    # Per-side padding (the page allows it, torch does not): crop the unpadded output.
    full = cnnbook.conv_transpose2d(x, w, b, s, 0, op, cfg.groups, d)
    oh = full.shape[2] - t - bo
    ow = full.shape[3] - left - r
    return full[..., t : t + oh, left : left + ow]


def torch_conv_transpose2d(cfg: Config, x: np.ndarray, w, b) -> np.ndarray:
    """The second reference: torch's ``F.conv_transpose2d``, cropped like the page."""
    import torch
    import torch.nn.functional as F

    t, bo, left, r = cfg.pad
    full = F.conv_transpose2d(
        torch.from_numpy(x), torch.from_numpy(w), None if b is None else torch.from_numpy(b),
        stride=(cfg.sh, cfg.sw), output_padding=(cfg.oph, cfg.opw),
        dilation=(cfg.dh, cfg.dw), groups=cfg.groups,
    )  # fmt: skip
    return full[..., t : full.shape[2] - bo, left : full.shape[3] - r].numpy()


def expected_size(cfg: Config) -> tuple[int, int]:
    t, b, left, r = cfg.pad
    if cfg.mode == "transposed":
        return (
            cnnbook.transposed_conv_output_size(cfg.H, cfg.kh, cfg.sh, 0, cfg.oph, cfg.dh) - t - b,
            cnnbook.transposed_conv_output_size(cfg.W, cfg.kw, cfg.sw, 0, cfg.opw, cfg.dw)
            - left
            - r,
        )
    if cfg.symmetric and cfg.mode in ("maxpool", "avgpool"):
        return (
            cnnbook.pool_output_size(cfg.H, cfg.kh, cfg.sh, t, cfg.dh),
            cnnbook.pool_output_size(cfg.W, cfg.kw, cfg.sw, left, cfg.dw),
        )
    if cfg.symmetric:
        return (
            cnnbook.conv_output_size(cfg.H, cfg.kh, cfg.sh, t, cfg.dh),
            cnnbook.conv_output_size(cfg.W, cfg.kw, cfg.sw, left, cfg.dw),
        )
    return (
        cnnbook.conv_output_size(cfg.H + t + b, cfg.kh, cfg.sh, 0, cfg.dh),
        cnnbook.conv_output_size(cfg.W + left + r, cfg.kw, cfg.sw, 0, cfg.dw),
    )


def run_shown_code(code: str) -> np.ndarray:
    namespace: dict = {}
    exec(compile(code, "<explorer code>", "exec"), namespace)
    y = namespace["y"]
    return y.numpy() if hasattr(y, "numpy") else np.asarray(y)


# ---------------------------------------------------------------- fixtures


@pytest.fixture(scope="module")
def explorer(chromium, explorer_site):
    page, watch = open_page(chromium)
    page.goto(explorer_site + PAGE)
    page.wait_for_selector(".cnn-explorer .cnnx-out td")
    yield page, watch
    page.context.close()


CONV = random_walk("conv", 32, 20240601)
POOL = random_walk("maxpool", 5, 7) + random_walk("avgpool", 5, 8)
TRANSPOSED = random_walk("transposed", 6, 9)


# ---------------------------------------------------------------- tests


def check_config(page, cfg: Config, exact: bool = True, typed: bool = False) -> dict:
    state = apply(page, cfg, typed)
    assert state["error"] is None, (cfg, state["error"])
    x, w, b = page_values(cfg)
    # The page shows the input the seed defines, and hands the same weights to its API.
    np.testing.assert_array_equal(grid(state["inp"], x.shape), x)
    if w is not None:
        np.testing.assert_array_equal(np.array(state["values"]["weight"], float), w)
    want = expected_output(cfg, x, w, b)
    oh, ow = expected_size(cfg)
    assert (number(state["oh"]), number(state["ow"])) == (oh, ow) == want.shape[2:]
    assert len(state["out"]) == want.size
    if exact:
        np.testing.assert_array_equal(grid(state["out"], want.shape), want)
    else:  # averages: the shown text is rounded, data-value keeps the double
        np.testing.assert_allclose(grid(state["out"], want.shape, True), want, rtol=1e-12)
        np.testing.assert_allclose(grid(state["out"], want.shape), want, atol=5e-4)
    return state


def test_random_convolutions_typed_into_the_page_equal_cnnbook_conv2d(explorer):
    page, watch = explorer
    for i, cfg in enumerate(CONV):
        state = check_config(page, cfg, typed=i % 8 == 0)
        # The code shown for copying computes the same output, in cnnbook and in PyTorch.
        want = grid(state["out"], (1, cfg.cout, *expected_size(cfg)))
        np.testing.assert_array_equal(run_shown_code(state["code_np"]), want)
        np.testing.assert_array_equal(run_shown_code(state["code_torch"]), want)
    watch.assert_clean()


def test_random_poolings_typed_into_the_page_equal_cnnbook_pooling(explorer):
    page, watch = explorer
    for cfg in POOL:
        state = check_config(page, cfg, exact=cfg.mode == "maxpool")
        want = grid(state["out"], (1, cfg.cin, *expected_size(cfg)), use_value=True)
        np.testing.assert_allclose(run_shown_code(state["code_np"]), want, rtol=1e-12)
        np.testing.assert_allclose(run_shown_code(state["code_torch"]), want, rtol=1e-12)
    watch.assert_clean()


@pytest.mark.torch
def test_random_transposed_convolutions_equal_cnnbook_conv_transpose2d(explorer):
    page, watch = explorer
    for cfg in TRANSPOSED:
        state = check_config(page, cfg)  # the page's grid against cnnbook.conv_transpose2d
        want = grid(state["out"], (1, cfg.cout, *expected_size(cfg)))
        # torch's F.conv_transpose2d agrees (a second reference, exact on integer values)
        np.testing.assert_array_equal(torch_conv_transpose2d(cfg, *page_values(cfg)), want)
        np.testing.assert_array_equal(run_shown_code(state["code_np"]), want)
        np.testing.assert_array_equal(run_shown_code(state["code_torch"]), want)
    watch.assert_clean()


def dependency(cfg: Config, x: np.ndarray, w: np.ndarray, o: int, y: int, xo: int) -> set:
    """Input cells output (o, y, xo) depends on: the support of conv2d's gradient.

    The weight is replaced by ones so a zero weight cannot hide a cell that is read.
    """
    t, _, left, _ = cfg.pad
    xp = cnnbook.pad2d(x, cfg.pad)
    s, d = (cfg.sh, cfg.sw), (cfg.dh, cfg.dw)
    g = np.zeros((1, cfg.cout, *expected_size(cfg)))
    g[0, o, y, xo] = 1.0
    gx = cnnbook.conv2d_backward(g, xp, np.ones_like(w), s, 0, d, cfg.groups)[0]
    gx = gx[..., t : t + cfg.H, left : left + cfg.W]
    return {(int(c), int(i), int(j)) for _, c, i, j in zip(*np.nonzero(gx), strict=True)}


def layer(cfg: Config) -> dict:
    """The layer as `cnnbook.receptive_field` takes it (only the top/left padding moves it)."""
    return {"kernel_size": (cfg.kh, cfg.kw), "stride": (cfg.sh, cfg.sw),
            "padding": (cfg.pad[0], cfg.pad[2]), "dilation": (cfg.dh, cfg.dw)}  # fmt: skip


def test_pinning_an_output_cell_highlights_exactly_the_input_cells_its_gradient_reaches(explorer):
    page, watch = explorer
    rng = np.random.default_rng(5)
    picked = [c for c in CONV if c.groups > 1 or c.dh > 1 or not c.symmetric][:4] + CONV[:1]
    for cfg in picked:
        apply(page, cfg)
        x, w, _ = page_values(cfg)
        oh, ow = expected_size(cfg)
        for _ in range(2):
            o, y, xo = int(rng.integers(cfg.cout)), int(rng.integers(oh)), int(rng.integers(ow))
            where = f"[data-c='{o}'][data-row='{y}'][data-col='{xo}']"
            cell = page.locator(f".cnn-explorer >> nth=0 >> .cnnx-out td{where}")
            cell.click()
            state = page.evaluate(READ)
            assert state["pinned"] == [(o * oh + y) * ow + xo]
            read = {(c, i, j) for c, i, j, *_ in state["read"]}
            assert read == dependency(cfg, x, w, o, y, xo)
            # The window (padding taps included) spans the unit's receptive field, every d-th cell.
            (r0, r1), (c0, c1) = cnnbook.receptive_field([layer(cfg)])[0].bounds(y, xo)
            assert {i for _, i, *_ in state["taps"]} == set(range(r0, r1 + 1, cfg.dh))
            assert {j for _, _, j, *_ in state["taps"]} == set(range(c0, c1 + 1, cfg.dw))
            # The formula ends in the cell's value.
            value = page.locator(".cnn-explorer >> nth=0 >> .cnnx-nums").text_content()
            assert number(value.rsplit("= ", 1)[1]) == number(cell.text_content())
            cell.click()  # unpin
            assert page.evaluate(READ)["pinned"] == []
    watch.assert_clean()


def test_keyboard_moves_between_output_cells_and_pins_with_enter_and_space(explorer):
    page, watch = explorer
    cfg = Config("conv", 5, 5, 3, 3, (0, 0, 0, 0), "valid", 1, 1, 1, 1)
    apply(page, cfg)
    first = page.locator(".cnn-explorer >> nth=0 >> .cnnx-out td[data-t='0']")
    first.click()  # pins cell 0
    first.click()  # unpins, focus stays on the grid
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
    assert page.evaluate(READ)["pinned"] == [4]  # (row 1, col 1) of a 3x3 output
    focused = page.evaluate("document.activeElement.dataset.t")
    assert focused == "4"
    page.keyboard.press(" ")
    assert page.evaluate(READ)["pinned"] == []
    watch.assert_clean()


def test_step_scrubber_and_play_move_the_kernel(explorer):
    page, watch = explorer
    apply(page, Config("conv", 5, 5, 3, 3, (0, 0, 0, 0), "valid", 1, 1, 1, 1))
    label = page.locator(".cnn-explorer >> nth=0 >> .cnnx-steplabel")
    page.locator(".cnn-explorer >> nth=0 >> [data-t='0']").click()
    page.locator(".cnn-explorer >> nth=0 >> .cnnx-step").click()
    assert label.text_content().startswith("step 2 of 9")
    scrub = page.locator(".cnn-explorer >> nth=0 >> .cnnx-scrub")
    scrub.focus()
    page.keyboard.press("End")
    assert label.text_content().startswith("step 9 of 9: y[0, 0, 2, 2]")
    page.locator(".cnn-explorer >> nth=0 >> .cnnx-play").click()  # wraps to step 1
    page.wait_for_function(
        "!document.querySelector('.cnnx-steplabel').textContent.startsWith('step 9 ')"
    )
    page.locator(".cnn-explorer >> nth=0 >> .cnnx-play").click()  # pause
    assert (
        page.locator(".cnn-explorer >> nth=0 >> .cnnx-play").get_attribute("aria-label") == "play"
    )
    watch.assert_clean()


INVALID = [
    ({"kh": "9"}, "Kernel size can't be greater than actual input size"),
    ({"sh": "0"}, "stride (rows) (= 0) must be at least 1"),
    ({"sw": "-2"}, "stride (cols) (= -2) must be at least 1"),
    ({"dh": "1.5"}, "must be a whole number"),
    ({"pt": "-1"}, "negative padding is not supported"),
    ({"W": "abc"}, "is empty or not a number"),
    ({"cin": "3", "groups": "2"}, "groups (= 2) must divide in channels (= 3)"),
    ({"mode": "maxpool", "pl": "2"}, "more than half the kernel"),
    ({"mode": "avgpool", "dw": "2"}, "average pooling has no dilation"),
    ({"mode": "transposed", "oph": "1"}, "output padding"),
    ({"H": "99"}, "above this explorer's limit of 24"),
]


@pytest.mark.parametrize(("fields", "phrase"), INVALID, ids=[p for _, p in INVALID])
def test_invalid_settings_are_explained_in_place(explorer, fields, phrase):
    page, watch = explorer
    base = Config("conv", 5, 5, 3, 3, (0, 0, 0, 0), "valid", 1, 1, 1, 1)
    apply(page, base)
    for name, value in fields.items():
        if name == "mode":
            page.select_option(".cnn-explorer >> nth=0 >> [data-field='mode']", value)
        else:
            type_into(page, name, value)
    error = page.locator(".cnn-explorer >> nth=0 >> .cnnx-error")
    assert error.is_visible()
    assert phrase in error.text_content().replace(MINUS, "-")
    assert page.locator(".cnn-explorer >> nth=0 >> .cnnx-controls").is_visible()
    assert page.locator(".cnn-explorer >> nth=0 >> [aria-invalid=true]").count() >= 1
    # Fixing the setting brings the output back.
    state = apply(page, base)
    assert state["error"] is None
    assert len(state["out"]) == 9
    watch.assert_clean()


def test_page_fits_a_360px_phone_even_with_the_largest_grids(chromium, explorer_site):
    page, watch = open_page(chromium, width=360, height=740)
    page.goto(explorer_site + PAGE)
    page.wait_for_selector(".cnnx-out td")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    big = Config("conv", 24, 24, 3, 3, (0, 0, 0, 0), "full", 1, 1, 2, 2, cin=4, cout=4)
    apply(page, big)
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    right = page.evaluate(
        "Math.max(...[...document.querySelectorAll('.cnn-explorer')]"
        ".map(e => e.getBoundingClientRect().right))"
    )
    assert right <= 360
    page.context.close()
    watch.assert_clean()


def test_output_size_formula_is_written_out_with_the_numbers(explorer):
    page, watch = explorer
    cfg = Config("conv", 7, 6, 3, 2, (1, 2, 0, 1), "custom", 2, 1, 1, 3)
    apply(page, cfg)
    text = page.locator(".cnn-explorer >> nth=0 >> .cnnx-size-oh").text_content()
    numerator = 7 + 1 + 2 - 1 * (3 - 1) - 1
    assert re.sub(r"\s+", "", text).endswith(
        f"=⌊(7+1+2{MINUS}1·(3{MINUS}1){MINUS}1)/2⌋+1=⌊{numerator}/2⌋+1={numerator // 2 + 1}"
    )
    params = page.locator(".cnn-explorer >> nth=0 >> .cnnx-param-count").text_content()
    assert int(params) == cnnbook.conv2d_parameter_count(1, 1, (3, 2), bias=True)
    watch.assert_clean()


EMBEDS = {
    # page: (H, W, k, padding per side, stride, dilation) of the embed's data attributes
    "output-size/": (7, 7, 3, 1, 2, 1),
    "full-same-and-valid-convolution/": (5, 5, 3, 1, 1, 1),
    "the-receptive-field-of-the-neuron/": (9, 9, 3, 0, 1, 2),
}


@pytest.mark.parametrize("path", EMBEDS)
def test_embedded_explorer_starts_on_its_page_and_fits_a_phone(chromium, explorer_site, path):
    h, w, k, p, s, d = EMBEDS[path]
    page, watch = open_page(chromium, width=360, height=740)
    page.goto(explorer_site + path)
    page.wait_for_selector(".cnn-explorer.cnnx-compact .cnnx-out td")
    size = page.locator(".cnn-explorer >> nth=0 >> .cnnx-size-oh .cnnx-result").text_content()
    assert int(size) == cnnbook.conv_output_size(h, k, s, p, d)
    assert page.locator(".cnn-explorer >> nth=0 >> .cnnx-out td").count() == (
        cnnbook.conv_output_size(h, k, s, p, d) * cnnbook.conv_output_size(w, k, s, p, d)
    )
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    page.context.close()
    watch.assert_clean()


def test_explorer_starts_again_after_instant_navigation(explorer):
    page, watch = explorer
    page.locator("a[href$='output-size/']").first.dispatch_event("click")
    page.wait_for_url("**/output-size/")
    page.wait_for_selector(".cnn-explorer.cnnx-compact .cnnx-out td")
    page.go_back()
    page.wait_for_selector(".cnn-explorer .cnnx-out td")
    assert page.evaluate("window.cnnExplorer.instances.filter(i => i.root.isConnected).length") == 1
    watch.assert_clean()
