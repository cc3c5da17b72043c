import numpy as np
import pytest

from cnnbook import fold_windows, pad2d, sliding_windows
from cnnbook.im2col import col2im, col2im_by_offset, im2col, im2col_blocks, im2col_shape


def test_sliding_windows_reads_the_strided_dilated_pixels():
    x = np.random.default_rng(0).normal(size=(2, 3, 9, 8))
    w = sliding_windows(x, (2, 3), stride=(2, 1), dilation=(3, 2))
    assert w.shape == (2, 3, 3, 4, 2, 3)
    for i, j, a, b in [(0, 0, 0, 0), (2, 3, 1, 2), (1, 2, 1, 0)]:
        assert w[1, 2, i, j, a, b] == x[1, 2, i * 2 + a * 3, j * 1 + b * 2]


def test_fold_windows_is_the_adjoint_of_sliding_windows():
    rng = np.random.default_rng(1)
    x = rng.normal(size=(1, 2, 7, 6))
    g = rng.normal(size=sliding_windows(x, (3, 2), (2, 1), (1, 2)).shape)
    lhs = np.sum(sliding_windows(x, (3, 2), (2, 1), (1, 2)) * g)
    rhs = np.sum(x * fold_windows(g, x.shape, (2, 1), (1, 2)))
    assert np.isclose(lhs, rhs)


def test_pad2d_places_the_input_inside_the_border():
    x = np.arange(4.0).reshape(2, 2)
    p = pad2d(x, (1, 2, 0, 1), value=-1.0)
    assert p.shape == (5, 3)
    np.testing.assert_array_equal(p[1:3, 0:2], x)
    assert (p[0] == -1).all() and (p[3:] == -1).all() and (p[:, 2] == -1).all()


def test_window_larger_than_input_is_rejected():
    with pytest.raises(ValueError, match="does not fit"):
        sliding_windows(np.zeros((2, 2)), (3, 3))


GEOMETRIES = [
    # kernel_size, stride, padding (top, bottom, left, right), dilation
    ((3, 3), (1, 1), (1, 1, 1, 1), (1, 1)),
    ((2, 3), (2, 1), (0, 1, 2, 0), (1, 2)),
    ((1, 4), (1, 3), (0, 0, 0, 0), (3, 1)),
    ((3, 2), (3, 2), (2, 2, 1, 1), (2, 2)),
]


@pytest.mark.parametrize(("k", "s", "p", "d"), GEOMETRIES)
def test_im2col_rows_are_the_sliding_windows_of_the_padded_input(k, s, p, d):
    x = np.random.default_rng(2).normal(size=(2, 3, 7, 8))
    windows = sliding_windows(pad2d(x, p), k, s, d)  # (N, C, OH, OW, kh, kw)
    cols = im2col(x, k, s, p, d)
    ow = windows.shape[3]
    expected = windows.transpose(1, 4, 5, 0, 2, 3).reshape(
        -1, *windows.shape[0:1], *windows.shape[2:4]
    )
    np.testing.assert_array_equal(cols[..., :ow], expected)


@pytest.mark.parametrize(("k", "s", "p", "d"), GEOMETRIES)
def test_col2im_is_the_exact_adjoint_of_im2col_scratch_columns_included(k, s, p, d):
    rng = np.random.default_rng(3)
    x = rng.normal(size=(2, 3, 7, 8))
    cols = im2col(x, k, s, p, d)
    g = rng.normal(size=cols.shape)
    assert np.sum(cols * g) == pytest.approx(np.sum(x * col2im(g, x.shape, k, s, p, d)))


def test_col2im_by_offset_equals_col2im():
    rng = np.random.default_rng(4)
    shape, k = (2, 3, 6, 5), (2, 3)
    g = rng.normal(size=im2col(np.zeros(shape), k, (1, 1), (1, 0, 0, 1)).shape)
    blocks = g.reshape(3, 2, 3, *g.shape[1:])
    by_offset = col2im_by_offset(lambda a, b: blocks[:, a, b], shape, k, (1, 1), (1, 0, 0, 1))
    np.testing.assert_allclose(by_offset, col2im(g, shape, k, (1, 1), (1, 0, 0, 1)), atol=1e-12)


def test_im2col_rejects_a_window_larger_than_the_padded_input():
    with pytest.raises(ValueError, match="does not fit"):
        im2col(np.zeros((1, 1, 2, 2)), (3, 3))


@pytest.mark.parametrize(("k", "s", "p", "d"), GEOMETRIES)
@pytest.mark.parametrize("images", [1, 2, 5])
def test_im2col_blocks_equal_im2col_outside_the_scratch_columns(k, s, p, d, images):
    x = np.random.default_rng(5).normal(size=(5, 3, 7, 8))
    full = im2col(x, k, s, p, d)
    ow = sliding_windows(pad2d(x, p), k, s, d).shape[3]
    kept = np.empty(im2col_shape(x.shape, k, s, p, d))
    seen = []
    for batch, block in im2col_blocks(x, k, s, p, d, images):
        assert block.shape[1] == batch.stop - batch.start <= images
        np.testing.assert_array_equal(block[..., :ow], full[:, batch, :, :ow])
        seen.extend(range(batch.start, batch.stop))
    assert seen == list(range(5))
    for _ in im2col_blocks(x, k, s, p, d, images, out=kept):
        pass
    np.testing.assert_array_equal(kept[..., :ow], full[..., :ow])


def test_im2col_blocks_zero_padding_survives_a_reused_buffer_of_another_layout():
    # Both padded inputs are 6 x 6 per image: the scratch buffer has the same size.
    rng = np.random.default_rng(6)
    a, b = rng.normal(size=(1, 1, 5, 5)), rng.normal(size=(1, 1, 4, 4))
    for x, pad in [(a, (0, 1, 0, 1)), (b, (1, 1, 1, 1)), (a, (0, 1, 0, 1))]:
        full = im2col(x, (3, 3), (1, 1), pad)
        (_, block), *rest = im2col_blocks(x, (3, 3), (1, 1), pad)
        assert not rest
        np.testing.assert_array_equal(block[..., :4], full[..., :4])


@pytest.mark.parametrize("use_out", [False, True])
def test_im2col_blocks_ones_row_appends_ones_under_the_columns(use_out):
    x = np.random.default_rng(7).normal(size=(3, 2, 5, 6))
    full = im2col(x, (3, 3), (1, 1), (1, 1, 1, 1))
    k, *rest = full.shape
    kept = np.empty((k + 1, *rest)) if use_out else None
    blocks = im2col_blocks(x, (3, 3), (1, 1), (1, 1, 1, 1), (1, 1), 2, kept, ones_row=True)
    for batch, block in blocks:
        assert block.shape[0] == k + 1
        np.testing.assert_array_equal(block[:k, ..., :6], full[:, batch, :, :6])
        assert (block[k] == 1).all()
    # A plain request after a ones-row one must not see the ones row.
    (_, plain), *_ = im2col_blocks(x, (3, 3), (1, 1), (1, 1, 1, 1), (1, 1), 2)
    assert plain.shape[0] == k


@pytest.mark.parametrize(("k", "s", "p", "d"), GEOMETRIES)
def test_im2col_blocks_compact_are_the_windows_without_scratch_columns(k, s, p, d):
    x = np.random.default_rng(8).normal(size=(3, 2, 7, 8))
    windows = sliding_windows(pad2d(x, p), k, s, d)  # (N, C, OH, OW, kh, kw)
    n, _, oh, ow = windows.shape[:4]
    expected = windows.transpose(1, 4, 5, 0, 2, 3).reshape(-1, n, oh, ow)
    for batch, block in im2col_blocks(x, k, s, p, d, 2, compact=True):
        np.testing.assert_array_equal(block, expected[:, batch])


def test_scratch_buffers_of_alternating_shapes_are_each_kept_not_reallocated():
    # A network's layers alternate shapes; each must keep its own buffer across calls.
    from cnnbook.im2col import scratch_buffer

    a = scratch_buffer("test_alternating", (3, 4), np.float32)
    b = scratch_buffer("test_alternating", (5,), np.float32)
    assert scratch_buffer("test_alternating", (3, 4), np.float32) is a
    assert scratch_buffer("test_alternating", (5,), np.float32) is b
    assert scratch_buffer("test_alternating", (3, 4), np.float64) is not a
    assert not a.any() and a.shape == (3, 4) and b.shape == (5,)


def test_im2col_and_its_adjoint_col2im_are_right_for_random_geometries_call_after_call():
    # Strides with several phase planes, kernels larger than the output (one add per
    # output pixel), asymmetric padding; calls share a reused buffer.
    rng = np.random.default_rng(5)
    checked = 0
    while checked < 300:
        shape = (*rng.integers(1, 3, 2), *rng.integers(1, 7, 2))
        k, s, d = (tuple(int(v) for v in rng.integers(1, hi, 2)) for hi in (5, 4, 3))
        p = tuple(int(v) for v in rng.integers(0, 3, 4))
        x = rng.normal(size=shape)
        try:
            cols = im2col(x, k, s, p, d)
        except ValueError:  # the window does not fit
            continue
        windows = sliding_windows(pad2d(x, p), k, s, d)  # (N, C, OH, OW, kh, kw)
        expected = windows.transpose(1, 4, 5, 0, 2, 3).reshape((*cols.shape[:3], -1))
        np.testing.assert_array_equal(cols[..., : windows.shape[3]], expected)
        g = rng.normal(size=cols.shape)
        back = col2im(g, x.shape, k, s, p, d)
        assert np.sum(cols * g) == pytest.approx(np.sum(x * back)), (shape, k, s, p, d)
        blocks = g.reshape(shape[1], *k, *g.shape[1:])
        by_offset = col2im_by_offset(lambda a, b, blocks=blocks: blocks[:, a, b], shape, k, s, p, d)
        np.testing.assert_allclose(by_offset, back, atol=1e-12)
        checked += 1
