"""The ERF figure draws the measured maps inside their theoretical boxes and the depth study."""

from __future__ import annotations

import numpy as np
import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg

from cnnbook import ERFDepthStudy
from cnnbook.figures import effective_receptive_field as erf_figures
from cnnbook.figures.effective_receptive_field import effective_receptive_field_figure


@pytest.fixture
def no_training(monkeypatch):
    """Stand in an untrained denoiser's fields for the cached trained run (no training)."""
    from cnnbook import effective_receptive_field, image_patches
    from cnnbook.usecases.denoising import DnCNN

    def fields(seed=0, count=4):
        model = DnCNN(rng=np.random.default_rng(seed))
        x = image_patches([np.ones((30, 30))], erf_figures.PATCH, count, noise=0.1)
        x = x.astype(np.float32)
        f = effective_receptive_field(model.body, inputs=x)
        return {"untrained body": f, "trained body": f, "trained denoiser": f}

    monkeypatch.setattr(erf_figures, "denoiser_fields", fields)


def test_maps_lie_inside_their_boxes_and_the_curve_is_the_study(no_training):
    study = ERFDepthStudy((1, 4, 16), (0.8, 1.6, 3.3), (0.8, 1.6, 3.3), (3, 9, 33))
    fig = effective_receptive_field_figure(study=study)
    FigureCanvasAgg(fig).draw()
    maps = [ax for ax in fig.axes if ax.images]
    assert len(maps) == 5
    for ax in maps:
        image = np.asarray(ax.images[0].get_array())
        (box,) = ax.patches
        x0, y0 = box.get_xy()
        left, top = int(x0 + 0.5), int(y0 + 0.5)
        right, bottom = left + int(box.get_width()) - 1, top + int(box.get_height()) - 1
        outside = image.copy()
        outside[top : bottom + 1, left : right + 1] = 0
        assert image.max() == 1.0 and np.all(outside == 0)
    curve = next(ax for ax in fig.axes if not ax.images)
    measured, _fit, box = curve.lines
    np.testing.assert_array_equal(measured.get_ydata(), study.spread)
    np.testing.assert_allclose(box.get_ydata(), [1, 4, 16])
