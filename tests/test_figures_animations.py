"""Animation frames show what torch computes from the digits they draw; GIFs are deterministic."""

from __future__ import annotations

import numpy as np
import pytest
import torch
import torch.nn.functional as F
from PIL import Image

from cnnbook import conv_output_size, same_padding
from cnnbook.figures import (
    ANIMATIONS,
    convolution_animation_frames,
    save_convolution_animation,
)
from cnnbook.figures.animations import ConvolutionAnimation
from tests.wcag import contrast as wcag_contrast


def _cells(ax, size: int) -> np.ndarray:
    """Read back the integers an axis shows in its unit cells (skipping "×w" weight labels)."""
    grid = np.full((size, size), np.nan)
    for t in ax.texts:
        if t.get_visible() and "×" not in t.get_text():
            x, y = t.get_position()
            value = int(t.get_text())
            # A cell's digit may be written twice (under and over the kernel): never two values.
            assert np.isnan(grid[int(y), int(x)]) or grid[int(y), int(x)] == value
            grid[int(y), int(x)] = value
    return grid


def _expected_padding(kwargs):
    k, d = kwargs.get("kernel_size", 3), kwargs.get("dilation", 1)
    p = kwargs.get("padding", "valid")
    if p == "full":
        return d * (k - 1), d * (k - 1)
    if p == "same":
        return same_padding(k, d)
    return (0, 0) if p == "valid" else (p, p)


def _expected_side(kwargs) -> int:
    n, k = kwargs.get("input_size", 5), kwargs.get("kernel_size", 3)
    before, _ = _expected_padding(kwargs)
    pad = "same" if kwargs.get("padding") == "same" else before
    return conv_output_size(n, k, kwargs.get("stride", 1), pad, kwargs.get("dilation", 1))


def _expected_frames(kwargs) -> int:
    return _expected_side(kwargs) ** 2


@pytest.mark.torch
@pytest.mark.parametrize("name", ["valid", "same", "stride 2", "dilation 2"])
def test_last_frame_shows_torch_conv2d_of_the_input_and_kernel_it_draws(name):
    kwargs = ANIMATIONS[name]
    n, k = kwargs.get("input_size", 5), kwargs.get("kernel_size", 3)
    s, d = kwargs.get("stride", 1), kwargs.get("dilation", 1)
    before, after = _expected_padding(kwargs)
    anim = ConvolutionAnimation(**kwargs)
    ax_in, ax_out = anim.show(len(anim) - 1).axes
    padded = _cells(ax_in, n + before + after)
    shown = _cells(ax_out, _expected_side(kwargs))
    title = ax_out.get_title()
    # The first frame marks the kernel taps of output (0, 0) row by row with "×w".
    anim.show(0)
    weights = [int(t.get_text()[1:]) for t in ax_in.texts if "×" in t.get_text()]
    kernel = np.array(weights).reshape(k, k)
    expected = F.conv2d(
        torch.tensor(padded)[None, None],
        torch.tensor(kernel, dtype=torch.float64)[None, None],
        stride=s,
        dilation=d,
    )[0, 0].numpy()
    oh = expected.shape[0]
    np.testing.assert_array_equal(shown, expected)
    assert title == f"output {oh} x {oh}"


@pytest.mark.parametrize("name", list(ANIMATIONS))
def test_one_frame_per_output_cell_as_conv_output_size_says(name):
    assert len(ConvolutionAnimation(**ANIMATIONS[name])) == _expected_frames(ANIMATIONS[name])


def test_frame_t_highlights_the_window_of_output_t():
    ax_in = ConvolutionAnimation(input_size=4, kernel_size=2, stride=2).show(3).axes[0]
    # output (1, 1) reads rows 2..3, cols 2..3
    dark = {(p.get_x(), p.get_y()) for p in ax_in.patches if p.get_linewidth() == 2}
    assert dark == {(2, 2), (3, 2), (2, 3), (3, 3)}


@pytest.mark.parametrize(("name", "frames"), [("same", [0, 7, 24, 3]), ("dilation 2", [8])])
def test_blitted_frame_equals_a_full_redraw_of_the_same_frame(name, frames):
    anim = ConvolutionAnimation(**ANIMATIONS[name])
    canvas = anim.figure.canvas
    for t in frames:  # forward, then backward (which restarts from the static picture)
        blitted = anim.render(t)
        anim.show(t)
        canvas.draw()
        np.testing.assert_array_equal(blitted, np.asarray(canvas.buffer_rgba())[..., :3])


@pytest.mark.parametrize("name", ["same", "dilation 2"])
def test_every_number_shown_reads_at_wcag_contrast_on_its_cell(name):
    anim = ConvolutionAnimation(**ANIMATIONS[name])
    for t in (0, len(anim) // 2, len(anim) - 1):
        for ax in anim.show(t).axes:
            cells = [p for p in ax.patches if p.get_visible()]
            for text in (t for t in ax.texts if t.get_visible()):
                x, y = text.get_position()
                if "×" in text.get_text():
                    x, y = x - 0.1, y + 0.1  # the weight is anchored at its cell's corner
                under = [p for p in cells if p.get_x() < x < p.get_x() + 1]
                under = [p for p in under if p.get_y() < y < p.get_y() + 1]
                if any(p.get_zorder() > text.get_zorder() for p in under):
                    # Hidden by the kernel's opaque cell, which writes the digit again.
                    assert all(p.get_facecolor()[3] == 1 for p in under)
                    continue
                background = max(under, key=lambda p: p.get_zorder()).get_facecolor()
                contrast = wcag_contrast(text.get_color(), background)
                assert contrast >= 4.5, (t, text.get_text(), contrast)


@pytest.mark.parametrize("name", ["valid", "stride 2"])
def test_gif_is_byte_identical_across_writes_and_holds_the_rendered_frames(tmp_path, name):
    a, b = tmp_path / "a.gif", tmp_path / "b.gif"
    expected = _expected_frames(ANIMATIONS[name])
    assert save_convolution_animation(a, **ANIMATIONS[name]) == expected
    save_convolution_animation(b, **ANIMATIONS[name])
    assert a.read_bytes() == b.read_bytes()
    frames = convolution_animation_frames(**ANIMATIONS[name])
    assert len(frames) == expected
    assert all(f.dtype == np.uint8 and f.shape == frames[0].shape for f in frames)
    assert len({f.tobytes() for f in frames}) == expected  # every frame shows a new step
    with Image.open(a) as im:
        assert im.format == "GIF"
        assert im.n_frames == expected
        for t in (0, expected // 2, expected - 1):
            im.seek(t)
            shown = np.asarray(im.convert("RGB"), dtype=int)
            # 64 shared colours: flat cells exact, anti-aliased glyph edges nearly so.
            error = np.abs(shown - frames[t]).max(axis=-1)
            assert np.median(error) == 0
            assert error.mean() < 2


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"padding": "same", "stride": 2}, r"requires stride 1"),
        ({"input_size": 2, "kernel_size": 3}, r"must be at least 1"),
        ({"padding": -1}, r"padding \(=-1\) must be non-negative"),
        ({"padding": "circular"}, r"padding \(='circular'\) must be"),
    ],
)
def test_rejects_impossible_animations(kwargs, match):
    with pytest.raises(ValueError, match=match):
        convolution_animation_frames(**kwargs)
    with pytest.raises(ValueError, match=match):
        ConvolutionAnimation(**kwargs)
