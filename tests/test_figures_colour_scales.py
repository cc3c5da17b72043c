"""Panels that are compared share one colour scale and one colour bar (issue 15).

Each figure below puts several panels side by side so that the reader compares their
values: a colour must mean the same value in all of them (equal ``vmin``/``vmax``) and
one colour bar must say which. The edge-direction panel of Edge Detection is masked
exactly where the page says the gradient is too weak to be an edge.
"""

from __future__ import annotations

import re
from collections.abc import Callable

import numpy as np
import pytest
from matplotlib.figure import Figure

from cnnbook import KERNELS, edge_detect, photograph
from cnnbook.figures.convolution import (
    EDGE_SLOPE,
    convolution_modes_figure,
    correlation_vs_convolution_figure,
    edge_detection_figure,
    feature_maps_figure,
    kernel_gallery_figure,
)
from cnnbook.figures.kernels import kernels_on_photograph_figure
from cnnbook.figures.padding_modes import padding_modes_figure
from tests.sitebuild import DOCS


def panels(fig: Figure) -> list:
    return [ax for ax in fig.axes if ax.get_label() != "<colorbar>"]


def colour_bars(fig: Figure) -> list:
    return [ax for ax in fig.axes if ax.get_label() == "<colorbar>"]


def is_signed_kernel_panel(ax) -> bool:
    return "(sum 0)" in ax.get_title()


# figure, which of its panels are compared (by title), how many colour bars in all.
COMPARED: dict[str, tuple[Callable[[], Figure], Callable[[object], bool]]] = {
    "kernel gallery": (kernel_gallery_figure, lambda ax: ax.get_title() in KERNELS),
    "correlation vs convolution": (correlation_vs_convolution_figure, lambda ax: True),
    "convolution modes: outputs": (
        convolution_modes_figure,
        lambda ax: re.fullmatch(r"\w+: \d+ x \d+", ax.get_title()) is not None,
    ),
    "feature maps": (feature_maps_figure, lambda ax: not ax.get_title().startswith("photo")),
    "kernels on the photograph: signed outputs": (
        kernels_on_photograph_figure,
        is_signed_kernel_panel,
    ),
    "padding modes": (padding_modes_figure, lambda ax: True),
    "edge detection: g_x and g_y": (
        edge_detection_figure,
        lambda ax: ax.get_title().startswith(("g_x", "g_y")),
    ),
}


@pytest.mark.parametrize("name", list(COMPARED))
def test_compared_panels_share_one_colour_scale_and_one_colour_bar(name: str) -> None:
    make, compared = COMPARED[name]
    fig = make()
    images = [ax.images[0] for ax in panels(fig) if ax.images and compared(ax)]
    assert len(images) >= 2, "a comparison needs at least two panels"
    scales = {image.get_clim() for image in images}
    assert len(scales) == 1, scales
    (bar,) = colour_bars(fig)  # exactly one
    # The bar shows that very scale.
    bar_image = bar._colorbar.mappable
    assert bar_image.get_clim() == scales.pop()
    assert bar_image in images


def test_the_shared_scale_covers_every_compared_grid_value() -> None:
    # Grids write their numbers in the cells: the scale must not clip any of them.
    fig = kernel_gallery_figure()
    (vmin, vmax) = panels(fig)[0].images[0].get_clim()
    weights = np.concatenate([k.ravel() for k in KERNELS.values()])
    assert vmin <= weights.min() and weights.max() <= vmax
    assert max(abs(weights.min()), abs(weights.max())) == vmax  # and is not wider


def stated_edge_slope() -> float:
    """The edge threshold Edge Detection states: brightness changing faster than 1/16."""
    text = (DOCS / "edge-detection.md").read_text(encoding="utf-8")
    fractions = set(re.findall(r"\\tfrac\{(\d+)\}\{(\d+)\}", text))
    assert len(fractions) == 1, fractions  # the page states one threshold, in both places
    (numerator, denominator), *_ = fractions
    return int(numerator) / int(denominator)


def test_edge_direction_is_masked_exactly_below_the_threshold_the_page_states() -> None:
    slope = stated_edge_slope()
    assert slope == EDGE_SLOPE
    fig = edge_detection_figure()
    (direction_ax,) = [ax for ax in panels(fig) if ax.get_title().startswith("direction")]
    shown = direction_ax.images[0].get_array()
    edges = edge_detect(photograph(), mode="valid")
    # Sobel's gain, from its definition (smoothing weights 1 + 2 + 1 times a span of 2).
    gain = (1 + 2 + 1) * 2
    weak = edges.magnitude <= gain * slope
    np.testing.assert_array_equal(np.ma.getmaskarray(shown), weak)
    assert 0 < weak.mean() < 1  # both kinds of pixel exist
    np.testing.assert_array_equal(shown.compressed(), edges.direction[~weak])


def test_the_masked_direction_is_drawn_in_a_neutral_grey() -> None:
    fig = edge_detection_figure()
    (direction_ax,) = [ax for ax in panels(fig) if ax.get_title().startswith("direction")]
    bad = direction_ax.images[0].get_cmap().get_bad()
    assert bad[0] == bad[1] == bad[2] and bad[3] == 1.0
