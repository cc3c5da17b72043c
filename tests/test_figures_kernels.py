"""The Kernel page's figure draws SciPy's correlation of the photograph detail with each kernel."""

from __future__ import annotations

import numpy as np
import scipy.signal
from matplotlib.backends.backend_agg import FigureCanvasAgg

from cnnbook import KERNELS, photograph
from cnnbook.figures import PHOTO_DETAIL, kernels_on_photograph_figure, photograph_detail


def test_photograph_detail_is_the_boxed_part_of_the_photograph():
    top, bottom, left, right = PHOTO_DETAIL
    np.testing.assert_array_equal(photograph_detail(), photograph()[top:bottom, left:right])


def test_kernels_on_photograph_draws_scipy_correlation_of_the_detail_per_kernel():
    fig = kernels_on_photograph_figure()
    FigureCanvasAgg(fig).draw()
    detail = photograph_detail()
    np.testing.assert_array_equal(np.asarray(fig.axes[0].images[0].get_array()), detail)
    panels = [ax for ax in fig.axes if ax.get_label() != "<colorbar>"]
    assert len(panels) == len(KERNELS) + 1
    for ax, (name, k) in zip(panels[1:], KERNELS.items(), strict=True):
        assert ax.get_title() == f"{name} (sum {k.sum():.3g})"
        expected = scipy.signal.correlate2d(detail, k, "valid")
        np.testing.assert_allclose(np.asarray(ax.images[0].get_array()), expected, atol=1e-12)


def test_sum_one_kernels_use_the_grey_scale_and_sum_zero_kernels_a_centred_one():
    fig = kernels_on_photograph_figure()
    panels = [ax for ax in fig.axes if ax.get_label() != "<colorbar>"]
    for ax, k in zip(panels[1:], KERNELS.values(), strict=True):
        image = ax.images[0]
        vmin, vmax = image.get_clim()
        if np.isclose(k.sum(), 1.0):
            assert (image.get_cmap().name, vmin, vmax) == ("gray", 0.0, 1.0)
        else:
            assert np.isclose(k.sum(), 0.0)
            assert image.get_cmap().name == "RdBu_r" and vmin == -vmax
