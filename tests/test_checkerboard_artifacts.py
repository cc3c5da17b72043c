"""Checkerboard artefacts: a stride-2 transposed convolution paints a period-2 grid on a
constant input when the kernel size is not a multiple of the stride; resize-convolution
does not."""

from __future__ import annotations

import numpy as np
import pytest

from cnnbook import (
    conv_transpose2d,
    interior_spread,
    overlap_counts,
    transposed_conv_output_size,
    upsampled_constant,
)


def _interior(y, margin):
    return y[margin:-margin, margin:-margin]


@pytest.mark.parametrize(("kernel", "stride"), [(3, 2), (5, 2), (2, 3), (4, 3), (5, 3)])
def test_uneven_overlap_when_the_stride_does_not_divide_the_kernel(kernel, stride):
    counts = overlap_counts(kernel, stride, size=9)
    assert counts.shape == (transposed_conv_output_size(9, kernel, stride),) * 2
    inner = _interior(counts, kernel)
    assert inner.max() > inner.min()
    # the pattern repeats every `stride` pixels
    np.testing.assert_array_equal(inner[stride:], inner[:-stride])
    np.testing.assert_array_equal(inner[:, stride:], inner[:, :-stride])


@pytest.mark.parametrize(("kernel", "stride"), [(2, 2), (4, 2), (6, 2), (3, 3), (6, 3), (1, 1)])
def test_even_overlap_when_the_stride_divides_the_kernel(kernel, stride):
    inner = _interior(overlap_counts(kernel, stride, size=9), kernel)
    # every interior pixel is covered by (k / s)^2 copies
    assert (inner == (kernel // stride) ** 2).all()


def test_overlap_counts_by_hand_for_kernel_3_stride_2():
    # 1-D: output t gets input i when 0 <= t - 2i <= 2, so even t twice, odd t once
    counts = overlap_counts(3, 2, size=4)
    row = counts[4]  # an even row: 2 copies from above
    np.testing.assert_array_equal(row[2:7], [4, 2, 4, 2, 4])
    np.testing.assert_array_equal(counts[3][2:7], [2, 1, 2, 1, 2])


@pytest.mark.parametrize("seed", range(5))
def test_random_positive_kernels_give_a_period_2_pattern_and_resize_conv_a_constant(seed):
    w = np.random.default_rng(seed).uniform(0.1, 1.0, size=(3, 3))
    t = _interior(upsampled_constant(w, 2, size=10), 3)
    np.testing.assert_allclose(t[2:], t[:-2], rtol=1e-12)
    np.testing.assert_allclose(t[:, 2:], t[:, :-2], rtol=1e-12)
    # the four phases: sums of the taps with the same parity, e.g. w[0,0]+w[0,2]+w[2,0]+w[2,2]
    phases = {(a, b): w[a::2, b::2].sum() for a in (0, 1) for b in (0, 1)}
    full = upsampled_constant(w, 2, size=10)
    for (a, b), value in phases.items():
        # output pixel t = 2i + a' collects taps a with a == t (mod 2)
        np.testing.assert_allclose(full[4 + a, 4 + b], value, rtol=1e-12)
    assert interior_spread(t, 0).ratio > 1.01
    r = upsampled_constant(w, 2, size=10, method="resize-convolution")
    spread = interior_spread(r, 3)
    assert spread.std < 1e-12 and spread.ratio == pytest.approx(1.0, abs=1e-12)
    assert spread.max == pytest.approx(w.sum())


def test_kernel_of_ones_ratio_is_4_for_k3_and_1_for_k4():
    ones3 = interior_spread(upsampled_constant(np.ones((3, 3)), 2), 3)
    ones4 = interior_spread(upsampled_constant(np.ones((4, 4)), 2), 4)
    assert (ones3.max, ones3.min, ones3.ratio) == (4.0, 1.0, 4.0) and ones3.std > 1
    assert (ones4.max, ones4.min, ones4.ratio, ones4.std) == (4.0, 4.0, 1.0, 0.0)


def test_the_transposed_method_is_conv_transpose2d_of_ones():
    w = np.arange(1.0, 10.0).reshape(3, 3)
    expected = conv_transpose2d(np.ones((1, 1, 5, 5)), w[None, None], stride=2)[0, 0]
    np.testing.assert_array_equal(upsampled_constant(w, 2, size=5), expected)


def test_interior_spread_leaves_out_the_margin():
    y = np.full((5, 5), 2.0)
    y[0, 0] = 100.0
    assert interior_spread(y, 1) == (2.0, 2.0, 1.0, 0.0)
    assert interior_spread(y, 0).max == 100.0
    assert interior_spread(-np.ones((3, 3)), 0).ratio == 1.0
    z = np.ones((3, 3))
    z[1, 1] = 0.0
    assert interior_spread(z, 0).ratio == float("inf")
