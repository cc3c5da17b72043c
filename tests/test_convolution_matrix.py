"""The connectivity matrix: C @ x is conv2d(x), C.T @ y is conv_transpose2d(y), C.T C is not I."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from cnnbook import (
    conv2d,
    conv2d_matrix,
    conv_transpose2d,
    conv_transpose2d_matrix,
    round_trip,
    transposed_conv_output_size,
)

GEOMETRIES = [  # (input_size, kernel, stride, padding, dilation, groups)
    ((4, 4), (3, 3), 1, 0, 1, 1),
    ((5, 5), (3, 3), 2, 1, 1, 1),
    ((6, 5), (2, 3), (2, 1), (1, 0), 1, 1),
    ((7, 7), (3, 3), 1, 2, 2, 1),
    ((6, 6), (3, 3), 3, 1, 1, 2),
    ((5, 6), (3, 2), 1, "same", 1, 1),
]


def _weights(kernel, groups, seed=0, in_channels=2, out_channels=4):
    rng = np.random.default_rng(seed)
    return rng.normal(size=(out_channels, in_channels // groups, *kernel))


@pytest.mark.parametrize(("size", "kernel", "stride", "padding", "dilation", "groups"), GEOMETRIES)
def test_matrix_times_flattened_image_is_conv2d(size, kernel, stride, padding, dilation, groups):
    w = _weights(kernel, groups)
    x = np.random.default_rng(1).normal(size=(2, *size))
    c = conv2d_matrix(w, size, stride, padding, dilation, groups)
    y = conv2d(x, w, None, stride, padding, dilation, groups)
    assert c.shape == (y.size, x.size)
    np.testing.assert_allclose(c @ x.ravel(), y.ravel(), rtol=0, atol=1e-12)


# conv_transpose2d takes integer padding only, as torch's
INTEGER_PADDING = [g for g in GEOMETRIES if not isinstance(g[3], str)]


@pytest.mark.parametrize(
    ("size", "kernel", "stride", "padding", "dilation", "groups"), INTEGER_PADDING
)
def test_transposed_matrix_times_output_is_conv_transpose2d(
    size, kernel, stride, padding, dilation, groups
):
    w = _weights(kernel, groups)  # conv2d's (O, C/g, kh, kw) is conv_transpose2d's (in, out/g)
    c = conv2d_matrix(w, size, stride, padding, dilation, groups)
    oh, ow = conv2d(np.zeros((2, *size)), w, None, stride, padding, dilation, groups).shape[1:]
    y = np.random.default_rng(2).normal(size=(4, oh, ow))
    s, p = np.broadcast_to(stride, 2), np.broadcast_to(padding, 2)
    # the output padding that gives back the conv's input size (strides drop a remainder)
    op = tuple(
        int(n - transposed_conv_output_size(m, k, si, pi, 0, dilation))
        for n, m, k, si, pi in zip(size, (oh, ow), kernel, s, p, strict=True)
    )
    back = conv_transpose2d(y, w, None, stride, padding, op, groups, dilation)
    assert back.shape == (2, *size)
    np.testing.assert_allclose(c.T @ y.ravel(), back.ravel(), rtol=0, atol=1e-12)
    np.testing.assert_array_equal(
        conv_transpose2d_matrix(w, (oh, ow), stride, padding, op, groups, dilation), c.T
    )


def test_each_row_holds_one_copy_of_the_kernel_at_most():
    w = np.arange(1.0, 10.0).reshape(1, 1, 3, 3)
    c = conv2d_matrix(w, (5, 5), padding=1)
    interior = 2 * 5 + 2  # output pixel (2, 2): its window is inside the image
    assert sorted(c[interior][c[interior] != 0]) == list(range(1, 10))
    assert (np.count_nonzero(c, axis=1) <= 9).all()
    assert np.count_nonzero(c[0]) == 4  # the corner window reads 4 pixels, 5 taps on padding


def test_the_matrix_is_built_from_the_definition_for_a_1d_case():
    # a 1 x 3 kernel, stride 2, on 1 x 5: rows are the kernel shifted by 2
    c = conv2d_matrix(np.array([[[[1.0, 2.0, 3.0]]]]), (1, 5), stride=2)
    np.testing.assert_array_equal(c, [[1, 2, 3, 0, 0], [0, 0, 1, 2, 3]])


@pytest.mark.parametrize(("stride", "padding"), list(itertools.product([1, 2], [0, 1])))
def test_a_convolution_then_its_transpose_is_not_the_identity(stride, padding):
    rng = np.random.default_rng(stride * 10 + padding)
    x, w = rng.normal(size=(1, 1, 8, 8)), rng.normal(size=(1, 1, 3, 3))
    rt = round_trip(x, w, stride, padding)
    c = conv2d_matrix(w, (8, 8), stride, padding)
    np.testing.assert_allclose(rt.output.ravel(), c.T @ c @ x.ravel(), atol=1e-12)
    assert rt.output.shape == x.shape
    assert rt.relative_error > 0.5 and rt.scaled_error > 0.5  # no rescaling undoes it
    assert np.linalg.norm(c.T @ c - np.eye(64)) > 1


def test_the_round_trip_is_exact_only_for_an_orthogonal_matrix():
    x = np.random.default_rng(0).normal(size=(1, 1, 5, 5))
    delta = np.zeros((1, 1, 3, 3))
    delta[0, 0, 1, 1] = 1.0  # a centred delta with padding 1: C = I
    rt = round_trip(x, delta, padding=1)
    assert rt.relative_error == 0 and rt.best_scale == 1
    # stride 2 with a 1 x 1 kernel keeps one pixel in four: C C^T = I, but C^T C is not
    rt2 = round_trip(x, np.ones((1, 1, 1, 1)), stride=2)
    np.testing.assert_array_equal(rt2.output[0, 0, ::2, ::2], x[0, 0, ::2, ::2])
    assert rt2.relative_error > 0.5


def test_the_best_scale_minimises_the_error():
    rng = np.random.default_rng(3)
    x, w = rng.normal(size=(1, 1, 6, 6)), rng.normal(size=(1, 1, 3, 3))
    rt = round_trip(x, w, padding=1)
    errors = [np.linalg.norm(a * rt.output - x) / np.linalg.norm(x) for a in (0.9, 1.1)]
    assert rt.scaled_error <= min(e for e in errors)
    assert rt.scaled_error <= rt.relative_error


def test_integer_weights_give_a_float64_matrix_and_inputs_are_not_modified():
    w = np.ones((1, 1, 2, 2), dtype=np.int64)
    c = conv2d_matrix(w, 3)
    assert c.dtype == np.float64 and c.shape == (4, 9)
    x = np.ones((1, 1, 3, 3))
    before = x.copy()
    round_trip(x, w)
    np.testing.assert_array_equal(x, before)
