"""Blitted frames: any order of frames gives the pixels of a full redraw of each frame."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pytest
from matplotlib.artist import Artist
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle

from cnnbook.figures.frame_blitting import BlittedFrames


class Bars(BlittedFrames):
    """Frame t: bars 0..t-1 filled (finished), bar t highlighted and a marker over it."""

    def __init__(self, n: int = 4) -> None:
        fig = Figure(figsize=(2, 1), dpi=30)
        ax = fig.add_axes((0, 0, 1, 1), xlim=(0, n), ylim=(0, 1))
        ax.axis("off")  # the spines would lie above the bars: no static artist on top
        ax.add_patch(Rectangle((0, 0), n, 0.2, color="0.8"))  # static
        self.bars = [Rectangle((i, 0.2), 0.8, 0.5, zorder=2) for i in range(n)]
        for bar in self.bars:
            ax.add_patch(bar)
        self.marker = Rectangle((0, 0.75), 0.8, 0.2, color="black", zorder=3)
        ax.add_patch(self.marker)
        super().__init__(fig, [*self.bars, self.marker])

    def __len__(self) -> int:
        return len(self.bars)

    def show(self, t: int) -> Figure:
        for i, bar in enumerate(self.bars):
            bar.set_visible(i <= t)
            bar.set_facecolor("tab:orange" if i == t else "tab:blue")
        self.marker.set_x(t)
        self.marker.set_visible(True)
        return self.figure

    def finished_artists(self, u: int) -> Sequence[Artist]:
        return [self.bars[u]]

    def current_artists(self, t: int) -> Sequence[Artist]:
        return [self.bars[t], self.marker]


def full_redraw(t: int) -> np.ndarray:
    fig = Bars().show(t)
    fig.canvas.draw()
    return np.asarray(fig.canvas.buffer_rgba())[..., :3]


@pytest.mark.parametrize("order", [[0, 1, 2, 3], [3, 1, 2, 0], [2, 2, -1, 0, 3]])
def test_frames_rendered_in_any_order_equal_a_full_redraw(order: list[int]) -> None:
    bars = Bars()
    for t in order:
        frame = bars.render(t)
        assert frame.dtype == np.uint8 and frame.shape == (30, 60, 3)
        np.testing.assert_array_equal(frame, full_redraw(t % len(bars)))


def test_consecutive_frames_differ_only_where_the_animation_moved() -> None:
    bars = Bars()
    first, second = bars.render(0), bars.render(1)
    changed = np.argwhere((first != second).any(axis=2))
    assert changed.size and changed[:, 1].min() < 30  # bar 0 turns blue (left half), bar 1 appears


def test_a_frame_out_of_range_is_an_index_error_like_a_list() -> None:
    with pytest.raises(IndexError):
        Bars().render(4)
