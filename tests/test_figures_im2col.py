"""The im2col figure: a column per window, and weights @ columns is conv2d's output."""

from __future__ import annotations

import numpy as np
import pytest

from cnnbook import conv2d
from cnnbook.figures.im2col import im2col_figure, im2col_matrix
from cnnbook.site.figures_registry import CHANNELS_W, CHANNELS_X


def _texts(ax) -> list[float]:
    return [float(t.get_text()) for t in ax.texts]


@pytest.mark.parametrize(
    ("shape", "k"), [((2, 3, 3), (2, 2)), ((3, 5, 4), (3, 2)), ((1, 4, 4), (1, 1))]
)
def test_each_column_is_one_window_and_the_product_is_conv2d(shape, k):
    rng = np.random.default_rng(sum(shape))
    x = rng.standard_normal(shape)
    w = rng.standard_normal((4, shape[0], *k))
    cols = im2col_matrix(x, k)
    oh, ow = shape[1] - k[0] + 1, shape[2] - k[1] + 1
    assert cols.shape == (shape[0] * k[0] * k[1], oh * ow)
    for p in range(oh * ow):  # column p is window (i, j) read channel, row, column
        i, j = divmod(p, ow)
        np.testing.assert_array_equal(cols[:, p], x[:, i : i + k[0], j : j + k[1]].ravel())
    product = w.reshape(4, -1) @ cols
    np.testing.assert_allclose(product.reshape(4, oh, ow), conv2d(x, w), rtol=1e-12, atol=1e-12)


def test_the_figure_prints_the_columns_the_weights_and_conv2ds_output():
    x, w = np.array(CHANNELS_X, float), np.array(CHANNELS_W, float)
    fig = im2col_figure(x, w)
    *_, cols_ax, w_ax, out_ax = fig.axes
    assert _texts(cols_ax) == im2col_matrix(x, (2, 2)).ravel().tolist()
    assert _texts(w_ax) == w.reshape(2, -1).ravel().tolist()
    assert _texts(out_ax) == conv2d(x, w).reshape(2, -1).ravel().tolist()
