"""Row padding (cnnbook.row_padding, scratch_rows): GEMM operands with rows an odd number
of cache lines apart, laid out without copies, and the engine's buffers using it."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from cnnbook.conv2d_cache import conv2d_forward
from cnnbook.row_padding import buffer_shape, empty_rows, padded_row_length, rows_view
from cnnbook.scratch import scratch_rows


@given(st.integers(0, 5000), st.sampled_from([1, 2, 4, 8, 16]))
def test_the_padded_row_is_the_smallest_odd_number_of_64_byte_lines_that_holds_the_row(
    length, itemsize
):
    padded = padded_row_length(length, itemsize)
    per_line = 64 // itemsize
    # Brute force: the first stride at or past `length` that is an odd number of lines.
    expected = next(
        s for s in range(length, length + 3 * per_line) if s % (2 * per_line) == per_line
    )
    assert padded == expected
    assert (padded * itemsize) % 4096 != 0


@pytest.mark.parametrize(
    ("shape", "row_axes"), [((3, 2, 16, 32), 3), ((2, 5, 7), 1), ((4, 3, 2, 5, 6), 2)]
)
def test_rows_view_is_a_view_of_the_buffer_rows_never_a_copy(shape, row_axes):
    rows = int(np.prod(shape[: len(shape) - row_axes]))
    row = int(np.prod(shape[len(shape) - row_axes :]))
    buffer = np.zeros(buffer_shape(shape, row_axes, 8), np.float64)
    assert buffer.shape == (rows, padded_row_length(row, 8))
    view = rows_view(buffer, shape, row_axes)
    values = np.arange(np.prod(shape), dtype=np.float64).reshape(shape)
    view[...] = values
    assert np.shares_memory(view, buffer)
    # Row r of the view (C order) is buffer[r, :row]; the padding is never written.
    np.testing.assert_array_equal(buffer[:, :row], values.reshape(rows, row))
    assert not buffer[:, row:].any()


def test_rows_view_refuses_a_buffer_that_cannot_hold_the_rows():
    with pytest.raises(ValueError, match="cannot hold 6 rows of 10"):
        rows_view(np.zeros((5, 16)), (6, 10), 1)
    with pytest.raises(ValueError, match="C-contiguous 2-D"):
        rows_view(np.zeros((6, 32))[:, ::2], (6, 10), 1)


def test_scratch_rows_are_zero_kept_between_calls_and_padded_apart():
    a = scratch_rows("test_rows", (4, 2, 512), 2, np.float32)
    assert a.shape == (4, 2, 512) and not a.any()
    assert a.strides[0] == 4 * padded_row_length(1024, 4) != 4 * 1024
    assert scratch_rows("test_rows", (4, 2, 512), 2, np.float32) is a
    assert scratch_rows("test_rows", (4, 2, 512), 2, np.float32, "other") is not a


def test_empty_rows_has_the_shape_and_padded_rows():
    a = empty_rows((3, 32, 32), 2, np.float32)
    assert a.shape == (3, 32, 32) and a[0].flags.c_contiguous
    assert a.strides[0] == 4 * padded_row_length(1024, 4)


def test_the_columns_kept_for_the_backward_pass_have_padded_rows_and_the_forward_values():
    # 32 images 32x32, padding 1: 32 * 32 * 33 columns per row, a multiple of 1024 floats.
    rng = np.random.default_rng(0)
    x = rng.standard_normal((32, 3, 32, 32)).astype(np.float32)
    w = rng.standard_normal((8, 3, 3, 3)).astype(np.float32)
    y, cache = conv2d_forward(x, w, padding=1)
    k, n, oh, pitch = cache.cols.shape
    assert (n * oh * pitch * 4) % 4096 == 0  # the shape that needs the padding
    assert cache.cols.strides[0] == 4 * padded_row_length(n * oh * pitch, 4)
    expected = np.einsum("ok,knip->noip", w.reshape(8, k), cache.cols)[..., :32]
    np.testing.assert_allclose(y, expected, rtol=1e-4, atol=1e-4)
