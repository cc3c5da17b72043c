"""Figures of "Image Synthesis": they draw the cached run (the page's run)."""

from __future__ import annotations

import io

import numpy as np
import pytest

from cnnbook import usecases
from cnnbook.figures.usecases_autoencoder import (
    autoencoder_interpolation_figure,
    autoencoder_reconstructions_figure,
    autoencoder_samples_figure,
    autoencoder_training_figure,
)

pytestmark = pytest.mark.slow


def test_training_figure_draws_the_run_and_pcas_error() -> None:
    result = usecases.run("autoencoder")
    fig = autoencoder_training_figure()
    left, right = fig.axes[:2]
    lines = left.get_lines()
    np.testing.assert_array_equal(lines[0].get_ydata(), result.arrays["train_loss"])
    np.testing.assert_array_equal(lines[1].get_ydata(), result.arrays["test_mse"])
    assert lines[2].get_ydata()[0] == result.metrics["pca_mse"]
    np.testing.assert_array_equal(right.get_lines()[0].get_ydata(), result.arrays["pca_curve"][:32])


@pytest.mark.parametrize("kind", ["successes", "failures", "inverted"])
def test_reconstruction_figures_show_input_autoencoder_and_pca_rows(kind: str) -> None:
    fig = autoencoder_reconstructions_figure(kind=kind)
    fig.savefig(io.BytesIO(), format="png")
    assert len(fig.axes) == 3 * 10
    assert [fig.axes[10 * r].get_ylabel() for r in range(3)] == ["input", "autoencoder", "PCA"]


def test_interpolation_and_samples_figures_draw_every_image() -> None:
    a = usecases.run("autoencoder").arrays
    interp = autoencoder_interpolation_figure()
    assert len(interp.axes) == a["interp_cnn"].size // 64 + a["interp_pca"].size // 64
    samples = autoencoder_samples_figure()
    assert len(samples.axes) == 3 * len(a["samples_cnn"])
    shown = samples.axes[0].get_images()[0].get_array()
    np.testing.assert_array_equal(shown, a["samples_cnn"][0].reshape(8, 8))
