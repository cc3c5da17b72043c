"""Each converter maps another source's convention onto cnnbook's, checked against that source.

The array layouts (NHWC, HWIO, the flipped kernel) are tested in ``test_layouts.py``.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
import torch
import torch.nn.functional as F
from hypothesis import given
from hypothesis import strategies as st

from cnnbook import (
    conv2d,
    conv_output_size,
    dilation_from_gap,
    exact_conv_output_size,
    flip_kernel,
    gap_from_dilation,
    hwio_to_oihw,
    nhwc_to_nchw,
    pad2d,
    pool_output_size,
    same_padding,
    split_padding,
    tf_same_padding,
)

sizes = st.integers(1, 14)
kernels = st.integers(1, 6)
steps = st.integers(1, 4)


@given(total=st.integers(0, 50))
def test_split_padding_sums_to_the_total_with_the_odd_cell_after(total: int) -> None:
    before, after = split_padding(total)
    assert before + after == total
    assert after - before in (0, 1)


@pytest.mark.torch
@pytest.mark.filterwarnings("ignore:Using padding='same' with even kernel:UserWarning")
@pytest.mark.parametrize("k", [1, 2, 3, 4, 5, 6])
@pytest.mark.parametrize("d", [1, 2, 3])
def test_split_total_padding_reproduces_torch_same_convolution(k: int, d: int) -> None:
    rng = np.random.default_rng(k * 10 + d)
    x = rng.standard_normal((1, 1, 13, 11))
    w = rng.standard_normal((1, 1, k, k))
    top, bottom = split_padding(d * (k - 1))
    ours = conv2d(pad2d(x, (top, bottom, top, bottom)), w, dilation=d)
    expected = F.conv2d(torch.from_numpy(x), torch.from_numpy(w), padding="same", dilation=d)
    np.testing.assert_allclose(ours, expected.numpy(), rtol=1e-12, atol=1e-12)


@given(i=sizes, k=kernels, s=steps, d=steps)
def test_tf_same_padding_gives_ceil_of_input_over_stride_outputs(
    i: int, k: int, s: int, d: int
) -> None:
    # TensorFlow's documented SAME rule: out = ceil(in / stride), pad_top = total // 2.
    before, after = tf_same_padding(i, k, s, d)
    assert after - before in (0, 1)
    windows = (i + before + after - d * (k - 1) - 1) // s + 1
    assert windows == math.ceil(i / s)
    # and the total is the smallest that reaches that output size
    total = before + after
    assert total == 0 or (i + total - 1 - d * (k - 1) - 1) // s + 1 < math.ceil(i / s)


@given(i=sizes, k=kernels, d=steps)
def test_tf_same_padding_with_stride_one_is_torchs_same_padding(i: int, k: int, d: int) -> None:
    assert tf_same_padding(i, k, 1, d) == same_padding(k, d)


@pytest.mark.parametrize("gap", [0, 1, 2, 3])
def test_dilation_from_gap_leaves_gap_zeros_between_taps(gap: int) -> None:
    rng = np.random.default_rng(gap)
    x = rng.standard_normal((1, 2, 15, 14))
    w = rng.standard_normal((3, 2, 3, 2))
    # The dense kernel with `gap` zeros inserted between neighbouring taps.
    dense = np.zeros((3, 2, 3 + 2 * gap, 2 + gap))
    dense[..., :: gap + 1, :: gap + 1] = w
    np.testing.assert_allclose(
        conv2d(x, w, dilation=dilation_from_gap(gap)), conv2d(x, dense), rtol=1e-12, atol=1e-12
    )


@given(gap=st.integers(0, 20))
def test_gap_and_dilation_convert_back_and_forth(gap: int) -> None:
    assert gap_from_dilation(dilation_from_gap(gap)) == gap


@given(i=sizes, k=kernels, s=steps, p=st.integers(0, 3), d=steps)
def test_exact_output_size_is_the_floor_formula_when_the_stride_divides(
    i: int, k: int, s: int, p: int, d: int
) -> None:
    span = i + 2 * p - d * (k - 1) - 1
    if span < 0:
        return
    if span % s == 0:
        assert exact_conv_output_size(i, k, s, p, d) == conv_output_size(i, k, s, p, d)
    else:
        with pytest.raises(ValueError, match=r"stride \(=\d+\) must divide"):
            exact_conv_output_size(i, k, s, p, d)


def test_exact_output_size_rejects_cs231n_invalid_example() -> None:
    # CS231n: W=10, F=3, P=0, S=2 gives (10 - 3 + 0)/2 + 1 = 4.5, "invalid".
    with pytest.raises(ValueError, match=r"stride \(=2\) must divide .* \(=7\)"):
        exact_conv_output_size(10, 3, stride=2)
    assert conv_output_size(10, 3, stride=2) == math.floor((10 - 3) / 2 + 1)


@given(i=sizes, k=kernels, s=steps, p=st.integers(0, 3))
def test_ceil_mode_pool_output_size_equals_caffes_pooling_formula(
    i: int, k: int, s: int, p: int
) -> None:
    # Caffe's PoolingLayer: ceil((I + 2p - k) / s) + 1, minus one if the last window
    # starts in the padding (checked only when padded, so we compare where k >= s or p > 0).
    if p > k // 2 or i + 2 * p < k or (k < s and p == 0):
        return
    caffe = math.ceil((i + 2 * p - k) / s) + 1
    if p and (caffe - 1) * s >= i + p:
        caffe -= 1
    assert pool_output_size(i, k, stride=s, padding=p, ceil_mode=True) == caffe


@pytest.mark.parametrize(
    ("call", "error", "match"),
    [
        (lambda: split_padding(-1), ValueError, r"total \(=-1\) must be >= 0"),
        (lambda: split_padding(1.5), TypeError, r"total \(=1.5\) must be an int"),
        (lambda: tf_same_padding(0, 3), ValueError, r"input_size \(=0\) must be >= 1"),
        (lambda: tf_same_padding(5, 3, stride=0), ValueError, r"stride \(=0\) must be >= 1"),
        (lambda: dilation_from_gap(-1), ValueError, r"gap \(=-1\) must be >= 0"),
        (lambda: gap_from_dilation(0), ValueError, r"dilation \(=0\) must be >= 1"),
        (lambda: gap_from_dilation(True), TypeError, r"dilation \(=True\) must be an int"),
        (lambda: nhwc_to_nchw(np.zeros((2, 3))), ValueError, r"x has ndim 2"),
        (lambda: hwio_to_oihw(np.zeros((3, 3, 1))), ValueError, r"weight has ndim 3"),
        (lambda: flip_kernel([1, 2, 3]), ValueError, r"weight has 1 axes; expected at least 2"),
        (lambda: flip_kernel([["a"]]), TypeError, r"weight has dtype"),
    ],
)
def test_bad_arguments_raise_naming_the_argument_and_rule(call, error, match) -> None:
    with pytest.raises(error, match=match):
        call()
