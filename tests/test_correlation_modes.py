"""The three modes: each output's shape and its crop of the full output are SciPy's."""

from __future__ import annotations

import numpy as np
import pytest
import scipy.signal

from cnnbook.correlation_modes import MODES, check_operands, full_offset, output_shape

SHAPES = [((5, 6), (3, 2)), ((4, 4), (4, 1)), ((7, 3), (2, 3)), ((3, 3), (1, 1))]


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize(("image_shape", "kernel_shape"), SHAPES)
@pytest.mark.parametrize("convolve", [False, True])
def test_mode_is_scipys_crop_of_the_full_output(mode, image_shape, kernel_shape, convolve):
    rng = np.random.default_rng(0)
    x, k = rng.standard_normal(image_shape), rng.standard_normal(kernel_shape)
    op = scipy.signal.convolve2d if convolve else scipy.signal.correlate2d
    expected = op(x, k, mode)
    assert output_shape(image_shape, kernel_shape, mode) == expected.shape
    oi, oj = full_offset(kernel_shape, mode, flipped=convolve)
    full = op(x, k, "full")
    np.testing.assert_array_equal(
        full[oi : oi + expected.shape[0], oj : oj + expected.shape[1]], expected
    )


def test_check_operands_sums_integers_in_64_bits_and_keeps_floats():
    small, tiny = np.ones((2, 2), np.uint8), np.ones((1, 1), np.int8)
    assert check_operands(small, tiny, "full")[2] == np.int64
    single = np.ones((2, 2), np.float32)
    assert check_operands(single, single[:1, :1], "same")[2] == np.float32
