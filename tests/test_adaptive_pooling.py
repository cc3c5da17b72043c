"""adaptive_avg_pool2d: global pooling at size 1, avg_pool2d when the size divides, overlaps."""

from __future__ import annotations

import numpy as np
import pytest

from cnnbook import (
    adaptive_avg_pool2d,
    adaptive_avg_pool2d_backward,
    avg_pool2d,
    avg_pool2d_backward,
    global_avg_pool2d,
)


def test_output_size_one_is_global_average_pooling():
    x = np.random.default_rng(0).standard_normal((2, 3, 7, 5))
    np.testing.assert_allclose(adaptive_avg_pool2d(x, 1), global_avg_pool2d(x), rtol=1e-14)


@pytest.mark.parametrize(("size", "output_size"), [((8, 6), (4, 3)), ((9, 9), 3), ((4, 6), (1, 2))])
def test_a_dividing_output_size_is_avg_pool2d_with_kernel_and_stride_size_over_output(
    size, output_size
):
    x = np.random.default_rng(1).standard_normal((2, 2, *size))
    out = (output_size, output_size) if isinstance(output_size, int) else output_size
    kernel = (size[0] // out[0], size[1] // out[1])
    np.testing.assert_allclose(
        adaptive_avg_pool2d(x, output_size), avg_pool2d(x, kernel), rtol=1e-14
    )
    g = np.random.default_rng(2).standard_normal((2, 2, *out))
    np.testing.assert_allclose(
        adaptive_avg_pool2d_backward(g, x, output_size),
        avg_pool2d_backward(g, x, kernel),
        rtol=1e-14,
    )


def test_windows_overlap_when_the_output_size_does_not_divide():
    # rows [0, 3) and [2, 5): the middle row counts in both windows
    x = np.zeros((1, 5, 1))
    x[0, 2, 0] = 6.0
    np.testing.assert_array_equal(adaptive_avg_pool2d(x, (2, 1)), [[[2.0], [2.0]]])


def test_none_keeps_the_input_size_and_unbatched_input_works():
    x = np.arange(12.0).reshape(1, 3, 4)
    assert adaptive_avg_pool2d(x, (None, 2)).shape == (1, 3, 2)


def test_backward_is_the_adjoint_of_the_forward():
    rng = np.random.default_rng(3)
    x = rng.standard_normal((2, 2, 7, 11))
    g = rng.standard_normal((2, 2, 3, 4))
    lhs = np.vdot(adaptive_avg_pool2d(x, (3, 4)), g)
    np.testing.assert_allclose(
        lhs, np.vdot(x, adaptive_avg_pool2d_backward(g, x, (3, 4))), rtol=1e-12
    )
