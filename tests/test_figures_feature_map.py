"""The feature-map figure draws SciPy's correlation of the photograph with each kernel."""

from __future__ import annotations

import numpy as np
import pytest
import scipy.signal

from cnnbook import KERNELS, photograph
from cnnbook.figures import feature_maps_figure
from tests.figure_panels import image, panels, render


def test_feature_maps_equal_scipy_correlation_of_the_photograph():
    names = ("box blur", "sobel y", "laplacian")
    fig = feature_maps_figure(names)
    render(fig)
    photo = photograph()
    for ax, name in zip(panels(fig)[1:], names, strict=True):
        expected = scipy.signal.correlate2d(photo, KERNELS[name], "valid")
        np.testing.assert_allclose(image(ax), expected, atol=1e-12)
        assert ax.get_title() == f"{name}: {expected.shape[0]} x {expected.shape[1]}"


def test_feature_maps_rejects_an_unknown_kernel_name():
    with pytest.raises(KeyError, match="emboss"):
        feature_maps_figure(("emboss",))
