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


def _cells(ax, size: int) -> np.ndarray:
    """Read back the integers an axis writes into its unit cells (skipping "×w" weight labels)."""
    grid = np.full((size, size), np.nan)
    for t in ax.texts:
        if "×" not in t.get_text():
            x, y = t.get_position()
            grid[int(y), int(x)] = int(t.get_text())
    return grid


def _expected_padding(kwargs):
    k, d = kwargs.get("kernel_size", 3), kwargs.get("dilation", 1)
    p = kwargs.get("padding", "valid")
    if p == "full":
        return d * (k - 1), d * (k - 1)
    if p == "same":
        return same_padding(k, d)
    return (0, 0) if p == "valid" else (p, p)


@pytest.mark.torch
@pytest.mark.parametrize("name", ["valid", "same", "stride 2", "dilation 2"])
def test_last_frame_shows_torch_conv2d_of_the_input_and_kernel_it_draws(name):
    kwargs = ANIMATIONS[name]
    n, k = kwargs.get("input_size", 5), kwargs.get("kernel_size", 3)
    s, d = kwargs.get("stride", 1), kwargs.get("dilation", 1)
    before, after = _expected_padding(kwargs)
    frames = convolution_animation_frames(**kwargs)
    ax_in, ax_out = frames[-1].axes
    padded = _cells(ax_in, n + before + after)
    # The first frame marks the kernel taps of output (0, 0) row by row with "×w".
    weights = [int(t.get_text()[1:]) for t in frames[0].axes[0].texts if "×" in t.get_text()]
    kernel = np.array(weights).reshape(k, k)
    expected = F.conv2d(
        torch.tensor(padded)[None, None],
        torch.tensor(kernel, dtype=torch.float64)[None, None],
        stride=s,
        dilation=d,
    )[0, 0].numpy()
    oh = expected.shape[0]
    np.testing.assert_array_equal(_cells(ax_out, oh), expected)
    assert ax_out.get_title() == f"output {oh} x {oh}"


@pytest.mark.parametrize("name", list(ANIMATIONS))
def test_one_frame_per_output_cell_as_conv_output_size_says(name):
    kwargs = ANIMATIONS[name]
    n, k = kwargs.get("input_size", 5), kwargs.get("kernel_size", 3)
    before, _ = _expected_padding(kwargs)
    pad = "same" if kwargs.get("padding") == "same" else before
    out = conv_output_size(n, k, kwargs.get("stride", 1), pad, kwargs.get("dilation", 1))
    assert len(convolution_animation_frames(**kwargs)) == out * out


def test_frame_t_highlights_the_window_of_output_t():
    frames = convolution_animation_frames(input_size=4, kernel_size=2, stride=2)
    ax_in = frames[3].axes[0]  # output (1, 1) reads rows 2..3, cols 2..3
    dark = {(p.get_x(), p.get_y()) for p in ax_in.patches if p.get_linewidth() == 2}
    assert dark == {(2, 2), (3, 2), (2, 3), (3, 3)}


def test_gif_is_byte_identical_across_writes_and_has_every_frame(tmp_path):
    a, b = tmp_path / "a.gif", tmp_path / "b.gif"
    assert save_convolution_animation(a, **ANIMATIONS["valid"]) == 9
    save_convolution_animation(b, **ANIMATIONS["valid"])
    assert a.read_bytes() == b.read_bytes()
    with Image.open(a) as im:
        assert im.format == "GIF"
        assert im.n_frames == 9


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
