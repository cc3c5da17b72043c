"""Convolution animations in the spirit of conv_arithmetic: the kernel sliding over the input.

Each frame shows the zero-padded input (padding pale), the cells the (dilated)
kernel reads at one output position, and the output filled in so far. The
output values are computed by `cnnbook.correlate2d` and the number of frames
(one per output cell) by `cnnbook.conv_output_size`; nothing is hard-coded
(`cnnbook.figures.conv_arithmetic` computes them, and lists the animations).

One Figure is built per animation; a frame only moves the kernel's cells and reveals
output cells. The static picture is rasterised once and each frame blits the changing
artists over a copy of it (`cnnbook.figures.frame_blitting`), so a frame costs a few
draws instead of a whole figure. GIFs are written by `cnnbook.figures.gif` (one exact
palette, no timestamp): the same arguments give the same bytes.
"""

from __future__ import annotations

import os
from typing import Any

import numpy as np
from matplotlib.artist import Artist
from matplotlib.axes import Axes
from matplotlib.colors import to_rgb
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle

from cnnbook.figures.conv_arithmetic import ANIMATIONS, Padding, animation_values
from cnnbook.figures.frame_blitting import BlittedFrames
from cnnbook.figures.gif import save_gif
from cnnbook.figures.number_grid import contrasting_text_color

__all__ = [
    "ANIMATIONS",
    "DIGIT_FONT_PX",
    "WEIGHT_FONT_PX",
    "ConvolutionAnimation",
    "convolution_animation_frames",
    "save_convolution_animation",
]

_DPI = 72  # one point is one pixel: the font sizes below are pixel sizes
#: Text sizes in pixels of the GIF: the input's and output's digits, the kernel's "×w"
#: weights, the titles. A GIF is shown at its own size up to the page's width (the
#: widest, "full", is 17 cells wide), so these are the sizes the reader sees.
DIGIT_FONT_PX, WEIGHT_FONT_PX, TITLE_FONT_PX = 16, 13, 13
_CELL = 40  # pixels per cell: a digit and a "×w" weight both fit, legible, in one cell
_INSIDE, _PADDING, _KERNEL = "#5b9bd5", "#dde8f3", "#1f3b73"
_PENDING, _DONE, _CURRENT = "#eef6f0", "#9fd5b4", "#2e8b57"
_WEIGHT = "#ffd966"  # pale yellow: >= 4.5:1 on the kernel's cells, as WCAG asks


def _over(top: str, alpha: float, bottom: str) -> tuple[float, float, float]:
    """Return the opaque colour of ``top`` at ``alpha`` over ``bottom``."""
    mixed = alpha * np.array(to_rgb(top)) + (1 - alpha) * np.array(to_rgb(bottom))
    return (float(mixed[0]), float(mixed[1]), float(mixed[2]))


# The kernel tints the cell under it; opaque, so a blitted frame needs no cell below it.
_KERNEL_ON = {True: _over(_KERNEL, 0.8, _INSIDE), False: _over(_KERNEL, 0.8, _PADDING)}
_BACKGROUNDS: list[str | tuple[float, float, float]] = [_INSIDE, _PADDING, _DONE, _CURRENT]
_INK = {color: contrasting_text_color(color) for color in [*_BACKGROUNDS, *_KERNEL_ON.values()]}


class ConvolutionAnimation(BlittedFrames):
    r"""One Figure of a 2-D cross-correlation whose frame ``t`` computes output ``t``.

    Parameters
    ----------
    input_size : int, default 5
        Side of the square input (random digits 0-3, from `seed`).
    kernel_size : int, default 3
        Side of the square kernel (random weights -1, 0, 1).
    stride : int, default 1
        Step of the kernel.
    padding : int or {"valid", "same", "full"}, default "valid"
        Zeros on each side; ``"full"`` means $d(k-1)$, ``"same"`` as `same_padding`.
    dilation : int, default 1
        Spacing of the kernel taps (1 means none).
    seed : int, default 0
        Seed of the input and kernel values.

    Attributes
    ----------
    figure : matplotlib.figure.Figure
        Axes 0 is the padded input, axes 1 the output.
    padded : ndarray of shape (n + p_before + p_after, n + p_before + p_after)
        The input with its zero padding, as drawn.
    kernel : ndarray of shape (k, k)
        The weights, as written ("×w") in the kernel's cells.
    output : ndarray of shape (OH, OW)
        ``correlate2d`` of the padded input with the dilated kernel, every ``stride``-th cell.

    Raises
    ------
    ValueError
        As `conv_output_size` (e.g. ``"same"`` with stride > 1, or an output below 1).

    Notes
    -----
    Frame $t$ shows output $(t \div OW, t \bmod OW)$, which reads input cells
    $(i s + a d, j s + b d)$ for $0 \le a, b < k$; there are $OH \cdot OW$ frames.

    Examples
    --------
    >>> anim = ConvolutionAnimation(input_size=3, kernel_size=2, padding="full")
    >>> len(anim), anim.output.shape, anim.render(0).shape
    (16, (4, 4), (248, 416, 3))
    """

    def __init__(
        self,
        input_size: int = 5,
        kernel_size: int = 3,
        stride: int = 1,
        padding: Padding = "valid",
        dilation: int = 1,
        seed: int = 0,
    ) -> None:
        x, (before, after), k, y = animation_values(
            input_size, kernel_size, stride, padding, dilation, seed
        )
        self.padded, self.kernel, self.output = np.pad(x, (before, after)), k, y
        self._step, self._before, self._size = (stride, dilation), before, input_size
        n, (oh, ow) = self.padded.shape[0], y.shape
        # Axes placed in whole pixels, so every cell is _CELL pixels and moves by whole pixels.
        margin, title = 8, 2 * TITLE_FONT_PX + 14
        width, height = 2 * margin + (n + ow + 1) * _CELL, title + max(n, oh) * _CELL + margin
        fig = Figure(figsize=(width / _DPI, height / _DPI), dpi=_DPI)

        def place(left: int, rows: int, cols: int) -> Axes:
            bottom = height - title - rows * _CELL
            return fig.add_axes(
                (left / width, bottom / height, cols * _CELL / width, rows * _CELL / height)
            )

        ax_in, ax_out = place(margin, n, n), place(margin + (n + 1) * _CELL, oh, ow)
        for ax, size in ((ax_in, n), (ax_out, oh)):
            ax.set_xlim(0, size)
            ax.set_ylim(size, 0)  # row i downward
            ax.axis("off")
        ax_in.set_title(
            f"input {input_size}, padding {before}/{after}\nstride {stride}, dilation {dilation}",
            fontsize=TITLE_FONT_PX,
        )
        ax_out.set_title(f"output {oh} x {ow}", fontsize=TITLE_FONT_PX)
        digit: dict[str, Any] = {"ha": "center", "va": "center", "fontsize": DIGIT_FONT_PX}
        for (i, j), v in np.ndenumerate(self.padded):
            color = _INSIDE if self._inside(i, j) else _PADDING
            ax_in.add_patch(Rectangle((j, i), 1, 1, facecolor=color, edgecolor="white"))
            ax_in.text(j + 0.5, i + 0.55, str(v), color=_INK[color], zorder=3, **digit)
        for i, j in np.ndindex(oh, ow):
            ax_out.add_patch(Rectangle((j, i), 1, 1, facecolor=_PENDING, edgecolor="white"))
        # The changing artists, created in the order Axes.draw draws them (zorder, then age).
        taps = range(kernel_size * kernel_size)
        self._window = [Rectangle((0, 0), 1, 1, ec="black", lw=2, zorder=4) for _ in taps]
        self._values = [ax_in.text(0, 0, "", zorder=5, **digit) for _ in taps]
        self._weights = [
            ax_in.text(
                0,
                0,
                f"×{w}",
                color=_WEIGHT,
                fontsize=WEIGHT_FONT_PX,
                ha="right",
                va="top",
                zorder=5,
            )
            for w in k.ravel()
        ]
        self._cells = [
            Rectangle((j, i), 1, 1, ec="white", zorder=2) for i, j in np.ndindex(y.shape)
        ]
        self._texts = [
            ax_out.text(j + 0.5, i + 0.55, str(v), zorder=3, **digit)
            for (i, j), v in np.ndenumerate(y)
        ]
        for rect in self._window:
            ax_in.add_patch(rect)
        for rect in self._cells:
            ax_out.add_patch(rect)
        self._states = ["unknown"] * y.size
        dynamic: list[Artist] = [*self._window, *self._values, *self._weights]
        super().__init__(fig, [*dynamic, *self._cells, *self._texts])

    def _inside(self, i: int, j: int) -> bool:
        b, n = self._before, self._size
        return b <= i < b + n and b <= j < b + n

    def __len__(self) -> int:
        """Return the number of frames, one per output cell."""
        return int(self.output.size)

    def show(self, t: int) -> Figure:
        """Set the figure to frame ``t`` (negative counts from the end) and return it."""
        t = range(len(self))[t]  # IndexError out of range, like a list of frames
        ow = self.output.shape[1]
        oi, oj = divmod(t, ow)
        k, (s, d) = self.kernel.shape[0], self._step
        for tap, (rect, value, weight) in enumerate(
            zip(self._window, self._values, self._weights, strict=True)
        ):
            a, b = divmod(tap, k)
            r, c = oi * s + a * d, oj * s + b * d
            tint = _KERNEL_ON[self._inside(r, c)]
            rect.set_xy((c, r))
            rect.set_facecolor(tint)
            value.set_position((c + 0.35, r + 0.68))  # the top-right corner holds the weight
            value.set_text(str(self.padded[r, c]))
            value.set_color(_INK[tint])
            weight.set_position((c + 0.97, r + 0.03))
            for artist in (rect, value, weight):
                artist.set_visible(True)
        for u, (cell, text) in enumerate(zip(self._cells, self._texts, strict=True)):
            state = "current" if u == t else "done" if u < t else "pending"
            if self._states[u] != state:  # touch only what changed: show() runs every frame
                self._states[u] = state
                color = _CURRENT if u == t else _DONE
                cell.set_facecolor(color)
                text.set_color(_INK[color])
                cell.set_visible(u <= t)
                text.set_visible(u <= t)
        return self.figure

    def hide_changing_artists(self) -> None:
        """Hide the kernel and the outputs; `show` then sets every output cell again."""
        super().hide_changing_artists()
        self._states = ["unknown"] * self.output.size

    def finished_artists(self, u: int) -> list[Artist]:
        """Return output ``u``'s cell and number: they stay once frame ``u`` is past."""
        return [self._cells[u], self._texts[u]]

    def current_artists(self, t: int) -> list[Artist]:
        """Return output ``t``'s cell and number, then the kernel's cells, values, weights."""
        return [self._cells[t], self._texts[t], *self._window, *self._values, *self._weights]


def convolution_animation_frames(
    input_size: int = 5,
    kernel_size: int = 3,
    stride: int = 1,
    padding: Padding = "valid",
    dilation: int = 1,
    seed: int = 0,
) -> list[np.ndarray]:
    """Render one RGB frame per output position of a 2-D cross-correlation.

    Parameters
    ----------
    input_size, kernel_size, stride, padding, dilation, seed
        As `ConvolutionAnimation`.

    Returns
    -------
    list of ndarray of shape (height, width, 3), dtype uint8
        ``OH * OW`` frames in row-major order; frame ``t`` highlights the cells read
        for output ``(t // OW, t % OW)`` and shows outputs ``0..t``
        (``ConvolutionAnimation(...).show(t)`` is the same frame as a Figure).

    Raises
    ------
    ValueError
        As `conv_output_size` (e.g. ``"same"`` with stride > 1, or an output below 1).

    Examples
    --------
    >>> len(convolution_animation_frames(input_size=3, kernel_size=2, padding="full"))
    16
    """
    anim = ConvolutionAnimation(input_size, kernel_size, stride, padding, dilation, seed)
    return [anim.render(t) for t in range(len(anim))]


def save_convolution_animation(
    path: str | os.PathLike[str], duration_ms: int = 600, **kwargs: Any
) -> int:
    """Write the frames of `convolution_animation_frames` as a looping GIF.

    Parameters
    ----------
    path : str or path-like
        Where to write the GIF.
    duration_ms : int, default 600
        Display time of each frame.
    **kwargs
        Arguments of `convolution_animation_frames` (e.g. one of `ANIMATIONS`).

    Returns
    -------
    int
        The number of frames written.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> with tempfile.TemporaryDirectory() as d:
    ...     save_convolution_animation(pathlib.Path(d) / "stride.gif", **ANIMATIONS["stride 2"])
    9
    """
    return save_gif(path, convolution_animation_frames(**kwargs), duration_ms)
