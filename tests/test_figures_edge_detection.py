"""The edge-detection figure draws SciPy's Sobel of the photograph and the coordinate axes."""

from __future__ import annotations

import numpy as np
import scipy.ndimage

from cnnbook import photograph
from cnnbook.figures import edge_detection_figure
from tests.figure_panels import image, panels, render


def test_edge_detection_figure_draws_sobel_of_the_photograph_and_the_axes():
    fig = edge_detection_figure()
    render(fig)
    photo = photograph()
    photo_ax, kernel_ax, gx_ax, gy_ax, mag_ax, dir_ax = panels(fig)
    np.testing.assert_array_equal(image(photo_ax), photo)
    gx = scipy.ndimage.sobel(photo, axis=1)[1:-1, 1:-1]
    gy = scipy.ndimage.sobel(photo, axis=0)[1:-1, 1:-1]
    np.testing.assert_allclose(image(gx_ax), gx, atol=1e-12)
    np.testing.assert_allclose(image(gy_ax), gy, atol=1e-12)
    np.testing.assert_allclose(image(mag_ax), np.hypot(gx, gy), atol=1e-12)
    direction = image(dir_ax)
    # Compare angles on the circle: SciPy's -0.0 gradients give -pi where ours give pi.
    # Where the gradient is rounding noise (flat patches) its direction is arbitrary.
    wrapped = (direction - np.arctan2(gy, gx) + np.pi) % (2 * np.pi) - np.pi
    np.testing.assert_allclose(wrapped[np.hypot(gx, gy) > 1e-9], 0.0, atol=1e-9)
    # The coordinate system: i down, j right, kernel offsets -1..1 from the centre.
    labels = [t.get_text() for t in photo_ax.texts]
    assert any(s.startswith("j (column)") for s in labels)
    assert any(s.startswith("i (row)") for s in labels)
    assert [t.get_text() for t in kernel_ax.get_xticklabels()] == ["-1", "0", "1"]
    assert [t.get_text() for t in kernel_ax.get_yticklabels()] == ["-1", "0", "1"]
    assert photo_ax.yaxis_inverted()  # row 0 at the top
