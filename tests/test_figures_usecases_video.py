"""Figures of "Video": they draw the cached run (the page's run)."""

from __future__ import annotations

import io

import numpy as np
import pytest

from cnnbook import usecases
from cnnbook.figures.usecases_video import video_clips_figure, video_training_figure

pytestmark = pytest.mark.slow


def test_training_figure_draws_both_networks_and_chance() -> None:
    result = usecases.run("video")
    fig = video_training_figure()
    lines = fig.axes[0].get_lines()
    np.testing.assert_array_equal(lines[0].get_ydata(), result.arrays["video_test_accuracy"])
    np.testing.assert_array_equal(lines[1].get_ydata(), result.arrays["single_frame_test_accuracy"])


@pytest.mark.parametrize("kind", ["successes", "failures"])
def test_clip_figures_show_four_frames_per_row(kind: str) -> None:
    fig = video_clips_figure(kind=kind)
    fig.savefig(io.BytesIO(), format="png")
    assert len(fig.axes) % 4 == 0 and fig.axes
