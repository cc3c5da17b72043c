"""Figures of "Why Convolutions": they draw the cached run's numbers (the page's run)."""

from __future__ import annotations

import io

import numpy as np
import pytest

from cnnbook import usecases
from cnnbook.figures.usecases_inductive_bias import (
    inductive_bias_data_figure,
    inductive_bias_examples_figure,
    inductive_bias_learning_curve_figure,
    inductive_bias_training_figure,
)

pytestmark = pytest.mark.slow


def test_learning_curve_draws_the_run_curve() -> None:
    result = usecases.run("inductive-bias")
    fig = inductive_bias_learning_curve_figure()
    fig.savefig(io.BytesIO(), format="png")
    lines = fig.axes[0].get_lines()
    np.testing.assert_array_equal(lines[0].get_ydata(), result.arrays["curve_cnn"])
    np.testing.assert_array_equal(lines[1].get_ydata(), result.arrays["curve_mlp"])


def test_training_figure_has_one_panel_per_data_set_with_both_networks() -> None:
    fig = inductive_bias_training_figure()
    assert len(fig.axes) == 4
    assert all(len(ax.get_lines()) == 2 for ax in fig.axes)


def test_examples_and_data_figures_render() -> None:
    for fig in (inductive_bias_examples_figure(), inductive_bias_data_figure()):
        fig.savefig(io.BytesIO(), format="png")
        assert fig.axes
