"""The bundled photograph and the synthetic test images are what they claim."""

from __future__ import annotations

import matplotlib.cbook
import numpy as np
import pytest
from PIL import Image

from cnnbook import LUMA_WEIGHTS, checkerboard, photograph, square


def test_photograph_is_a_float64_grayscale_image_in_the_unit_interval():
    img = photograph()
    assert img.dtype == np.float64
    assert img.ndim == 2
    assert 0.0 <= img.min() < img.max() <= 1.0
    assert img.std() > 0.1  # a real picture, not a flat field


def test_photograph_equals_pillow_luma_conversion_of_the_matplotlib_sample():
    path = matplotlib.cbook.get_sample_data("grace_hopper.jpg", asfileobj=False)
    with Image.open(path) as im:
        luma = np.asarray(im.convert("L"), dtype=np.float64) / 255.0
    # Pillow rounds to 8 bits; the same BT.601 weights otherwise.
    np.testing.assert_allclose(photograph(), luma, atol=0.5 / 255 + 1e-9)


def test_luma_weights_sum_to_one():
    assert sum(LUMA_WEIGHTS) == pytest.approx(1.0)


def test_photograph_returns_a_fresh_writable_copy():
    a = photograph()
    a[:] = 0.0
    assert photograph().max() > 0.0


@pytest.mark.parametrize(("shape", "cell"), [((3, 4), 1), (8, 2), ((5, 7), 3)])
def test_checkerboard_neighbouring_cells_differ(shape, cell):
    board = checkerboard(shape, cell)
    h, w = (shape, shape) if isinstance(shape, int) else shape
    assert board.shape == (h, w)
    assert board[0, 0] == 0.0
    i, j = np.indices((h, w))
    np.testing.assert_array_equal(board, ((i // cell) + (j // cell)) % 2)


@pytest.mark.parametrize(("size", "side"), [(8, None), (5, 3), (6, 6), (7, 1)])
def test_square_has_side_squared_bright_pixels_centred(size, side):
    img = square(size, side)
    s = size // 2 if side is None else side
    assert img.sum() == s * s
    rows, cols = np.nonzero(img)
    for idx in (rows, cols):
        top, bottom = idx.min(), size - 1 - idx.max()
        assert idx.max() - idx.min() == s - 1  # one contiguous block
        assert abs(top - bottom) <= 1  # centred, to the pixel


@pytest.mark.parametrize(
    ("call", "error", "match"),
    [
        (lambda: checkerboard(0), ValueError, r"shape \(=0\) must be positive"),
        (lambda: checkerboard(4, cell=0), ValueError, r"cell \(=0\) must be positive"),
        (lambda: checkerboard(4.0), TypeError, r"shape \(=4.0\) must be an int"),
        (lambda: square(4, side=5), ValueError, r"side \(=5\) must be at most size \(=4\)"),
        (lambda: square(0), ValueError, r"size \(=0\) must be positive"),
    ],
)
def test_rejects_bad_arguments(call, error, match):
    with pytest.raises(error, match=match):
        call()
