"""Frames drawn by blitting: the static picture rasterised once, each frame drawn over it.

An animation whose frames share most of their picture (the grids, the titles, the
numbers) need not redraw the whole Figure per frame. A `BlittedFrames` keeps the Agg
canvas and a saved picture: the static artists, plus the artists that earlier frames
finished (an output cell once computed stays). Frame ``t`` restores that picture, adds the
artists finished since, and draws only the current frame's own artists on top -- the same
pixels as a full ``canvas.draw()`` of the frame, for a few draws. Going back to an earlier
frame redraws the static picture first.

A subclass says what changes: `BlittedFrames.show` sets every changing artist for frame
``t``; `BlittedFrames.finished_artists` are those that stay once frame ``u`` is past,
`BlittedFrames.current_artists` those drawn for frame ``t`` only. The artists must be drawn
in the order ``Axes.draw`` would draw them (zorder, then age), opaque where they change
pixels, so a blitted frame needs nothing below it, and no static artist may lie above them
(axes spines would: turn the axis off). `cnnbook.figures.animations` draws the
convolution animations this way.

Examples
--------
>>> from matplotlib.figure import Figure
>>> class Dots(BlittedFrames):
...     def __init__(self) -> None:
...         fig = Figure(figsize=(1.5, 0.5), dpi=40)
...         ax = fig.add_axes((0, 0, 1, 1), xlim=(0, 3), ylim=(0, 1))
...         ax.axis("off")
...         self.dots = [ax.plot([i + 0.5], [0.5], "o")[0] for i in range(3)]
...         super().__init__(fig, self.dots)
...     def __len__(self) -> int:
...         return 3
...     def show(self, t):
...         for i, dot in enumerate(self.dots):
...             dot.set_visible(i <= t)
...         return self.figure
...     def finished_artists(self, u):
...         return [self.dots[u]]
...     def current_artists(self, t):
...         return [self.dots[t]]
>>> dots = Dots()
>>> frames = [dots.render(t) for t in (2, 0, 1)]
>>> redrawn = Dots().show(1)
>>> redrawn.canvas.draw()
>>> bool((np.asarray(redrawn.canvas.buffer_rgba())[..., :3] == frames[2]).all())
True
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Sequence
from typing import Any

import numpy as np
from matplotlib.artist import Artist
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

__all__ = ["BlittedFrames"]


class BlittedFrames(ABC):
    """A Figure whose frames are rendered by blitting over a saved picture.

    Parameters
    ----------
    figure : matplotlib.figure.Figure
        The Figure every frame is drawn on (an Agg canvas is attached to it).
    dynamic : sequence of Artist
        Every artist that changes between frames; all are hidden while the static
        picture is drawn.

    Attributes
    ----------
    figure : matplotlib.figure.Figure
        The Figure; after `show` it holds the frame, for a full ``canvas.draw()``.
    """

    def __init__(self, figure: Figure, dynamic: Sequence[Artist]) -> None:
        self.figure = figure
        self._canvas = FigureCanvasAgg(figure)
        self._dynamic = list(dynamic)
        self._progress: Any = None  # saved picture: the static artists and frames < _done
        self._done = 0

    @abstractmethod
    def __len__(self) -> int:
        """Return the number of frames."""

    @abstractmethod
    def show(self, t: int) -> Figure:
        """Set every changing artist for frame ``t`` and return the Figure."""

    @abstractmethod
    def finished_artists(self, u: int) -> Sequence[Artist]:
        """Return the artists that frame ``u`` leaves on the picture once it is past."""

    @abstractmethod
    def current_artists(self, t: int) -> Sequence[Artist]:
        """Return the artists drawn on top for frame ``t`` only, in drawing order."""

    def hide_changing_artists(self) -> None:
        """Hide every changing artist, before the static picture is drawn.

        A subclass that remembers what `show` set (to touch only what changed)
        extends this to forget it.
        """
        for artist in self._dynamic:
            artist.set_visible(False)

    def render(self, t: int) -> np.ndarray:
        """Return frame ``t`` as an RGB image of shape (height, width, 3), dtype uint8.

        Gives the same pixels as a full ``canvas.draw()`` of ``show(t)`` but draws far
        less: the static artists are drawn once, finished artists are added to a saved
        picture as the animation advances, and each frame restores that picture and draws
        only its current artists on top.
        """
        t = range(len(self))[t]  # IndexError out of range, like a list of frames
        if self._progress is None or t < self._done:
            self.hide_changing_artists()
            self._canvas.draw()
            self._progress, self._done = self._canvas.copy_from_bbox(self.figure.bbox), 0
        self.show(t)
        restore = self._canvas.restore_region
        if t > self._done:  # add frames done..t-1, finished, to the saved picture
            restore(self._progress)
            for u in range(self._done, t):
                self._draw(*self.finished_artists(u))
            self._progress, self._done = self._canvas.copy_from_bbox(self.figure.bbox), t
        restore(self._progress)
        self._draw(*self.current_artists(t))
        return np.asarray(self._canvas.buffer_rgba())[..., :3].copy()

    def _draw(self, *artists: Artist) -> None:
        renderer = self._canvas.get_renderer()
        for artist in artists:
            artist.draw(renderer)
