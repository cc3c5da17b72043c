"""Figures of "Medical Imaging": they draw the cached run (the page's run)."""

from __future__ import annotations

import io

import numpy as np
import pytest

from cnnbook import usecases
from cnnbook.figures.usecases_segmentation import (
    error_map,
    segmentation_count_figure,
    segmentation_examples_figure,
    segmentation_real_figure,
    segmentation_training_figure,
)


def test_error_map_colours_hits_false_positives_and_misses_apart() -> None:
    true = np.array([[True, True, False, False]])
    pred = np.array([[True, False, True, False]])
    rgb = error_map(pred, true)
    hit, miss, false, background = rgb[0]
    assert len({tuple(c) for c in (hit, miss, false, background)}) == 4
    np.testing.assert_array_equal(background, 0)


@pytest.mark.slow
def test_training_figure_draws_the_run_and_otsus_line() -> None:
    result = usecases.run("segmentation")
    fig = segmentation_training_figure()
    loss_line = fig.axes[0].get_lines()[0]
    dice_line, otsu_line = fig.axes[1].get_lines()[:2]
    np.testing.assert_array_equal(loss_line.get_ydata(), result.arrays["epoch_loss"])
    np.testing.assert_array_equal(dice_line.get_ydata(), result.arrays["epoch_dice"])
    assert otsu_line.get_ydata()[0] == result.metrics["otsu_dice"]


@pytest.mark.slow
@pytest.mark.parametrize("kind", ["successes", "failures", "noisy"])
def test_example_figures_show_image_truth_and_both_methods(kind: str) -> None:
    fig = segmentation_examples_figure(kind=kind)
    fig.savefig(io.BytesIO(), format="png")
    assert len(fig.axes) == 15  # three rows: image, truth, U-Net, Otsu, local threshold
    titles = [ax.get_title() for ax in fig.axes]
    assert sum(t.startswith("U-Net: Dice") for t in titles) == 3


@pytest.mark.slow
def test_failures_are_the_lowest_unet_dice_images() -> None:
    result = usecases.run("segmentation")
    fig = segmentation_examples_figure(kind="failures")
    worst = np.sort(result.arrays["unet_per_image_dice"])[:3]
    shown = [
        float(ax.get_title().split()[-1]) for ax in fig.axes if ax.get_title().startswith("U-Net")
    ]
    np.testing.assert_allclose(shown, worst, atol=5e-4)


@pytest.mark.slow
def test_count_figure_shows_the_true_count_above_the_exact_masks_components() -> None:
    fig = segmentation_count_figure()
    titles = [ax.get_title() for ax in fig.axes]
    true = int(titles[1].split()[-1])
    exact = int(titles[2].split()[-2])
    assert exact < true  # touching nuclei merged


@pytest.mark.slow
def test_real_image_figure_is_labelled_qualitative() -> None:
    fig = segmentation_real_figure()
    fig.savefig(io.BytesIO(), format="png")
    assert "QUALITATIVE" in fig.get_suptitle()
