"""The layer figures draw what SciPy and the shape formula say a convolutional layer connects."""

from __future__ import annotations

import numpy as np
import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg
from scipy.signal import correlate2d as scipy_correlate2d

from cnnbook.figures.layers import connectivity_figure, conv_layer_figure


@pytest.mark.parametrize(("size", "k"), [(6, 3), (7, 2), (5, 5)])
def test_connectivity_figure_conv_matrix_applied_to_an_image_is_scipy_valid_correlation(size, k):
    fig = connectivity_figure(size, k, seed=2)
    FigureCanvasAgg(fig).draw()
    ax_dense, ax_conv = fig.axes
    matrix = np.nan_to_num(np.asarray(ax_conv.images[0].get_array(), dtype=float))
    kernel = matrix[0].reshape(size, size)[:k, :k]  # output (0, 0) reads the top-left window
    x = np.random.default_rng(0).standard_normal((size, size))
    np.testing.assert_allclose(matrix @ x.ravel(), scipy_correlate2d(x, kernel, "valid").ravel())
    n_out = (size - k + 1) ** 2
    assert np.count_nonzero(matrix) == n_out * k * k  # each output sees a k x k window only
    dense = np.asarray(ax_dense.images[0].get_array())
    assert dense.shape == (n_out, size * size) and np.count_nonzero(dense) == dense.size
    assert ax_conv.get_title().startswith(
        f"convolution {k} x {k}: {n_out * k * k} connections, {k * k} weights"
    )
    assert ax_dense.get_title().startswith(f"fully connected: {n_out * size * size} weights")


@pytest.mark.parametrize(
    ("cin", "cout", "size", "k", "p"), [(3, 4, 8, 3, 0), (1, 2, 10, 5, 2), (2, 6, 7, 3, 1)]
)
def test_conv_layer_figure_labels_are_the_nchw_shapes_of_the_formula(cin, cout, size, k, p):
    fig = conv_layer_figure(cin, cout, size, k, p)
    texts = [t.get_text() for t in fig.axes[0].texts]
    out = size + 2 * p - k + 1
    assert f"x: {(1, cin, size, size)}" in texts
    assert f"weight: {(cout, cin, k, k)}\nbias: {(cout,)}" in texts
    assert f"y: {(1, cout, out, out)}" in texts
    assert f"{cout} filters, each over all {cin} input channels" in texts
