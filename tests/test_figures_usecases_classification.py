"""Figures of "Image Classification": they draw the cached run's numbers (the page's run)."""

from __future__ import annotations

import io

import numpy as np
import pytest

from cnnbook import usecases
from cnnbook.figures.usecases_classification import (
    classification_examples_figure,
    classification_ink_figure,
    classification_training_figure,
)

pytestmark = pytest.mark.slow


def test_ink_histogram_counts_every_test_digit() -> None:
    result = usecases.run("classification")
    fig = classification_ink_figure()
    fig.savefig(io.BytesIO(), format="png")
    hist = fig.axes[-1]
    heights = [patch.get_height() for patch in hist.patches]
    lost = result.arrays["old_ink_lost"]
    assert sum(heights) == np.sum(lost <= 0.5)


def test_training_figure_draws_the_three_networks() -> None:
    fig = classification_training_figure()
    assert [len(ax.get_lines()) for ax in fig.axes] == [3, 3]


def test_examples_figure_renders() -> None:
    fig = classification_examples_figure()
    fig.savefig(io.BytesIO(), format="png")
    assert len(fig.axes) == 24
