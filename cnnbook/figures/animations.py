"""Convolution animations in the spirit of conv_arithmetic: the kernel sliding over the input.

Each frame shows the zero-padded input (padding pale), the cells the (dilated)
kernel reads at one output position, and the output filled in so far. The
output values are computed by `cnnbook.correlate2d` and the number of frames
(one per output cell) by `cnnbook.conv_output_size`; nothing is hard-coded.
GIFs are written with Pillow, which stores no timestamp: the same arguments
give the same bytes.
"""

from __future__ import annotations

import io
import os
from typing import Any, Literal

import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle

from cnnbook.correlation import correlate2d
from cnnbook.output_size import conv_output_size, same_padding

__all__ = [
    "ANIMATIONS",
    "convolution_animation_frames",
    "save_convolution_animation",
]

Padding = int | Literal["valid", "same", "full"]

#: The conv_arithmetic set: name -> keyword arguments of `convolution_animation_frames`.
ANIMATIONS: dict[str, dict[str, Any]] = {
    "valid": {"padding": "valid"},
    "same": {"padding": "same"},
    "full": {"padding": "full"},
    "stride 2": {"input_size": 5, "padding": 1, "stride": 2},
    "dilation 2": {"input_size": 7, "dilation": 2},
}


def _setup(
    input_size: int, kernel_size: int, stride: int, padding: Padding, dilation: int, seed: int
) -> tuple[np.ndarray, tuple[int, int], np.ndarray, np.ndarray]:
    """Return the input, its per-side padding, the kernel and the output values."""
    if padding == "full":
        before = after = dilation * (kernel_size - 1)
    elif padding == "same":
        before, after = same_padding(kernel_size, dilation)
    elif padding == "valid":
        before = after = 0
    else:
        before = after = padding
    size_arg: int | Literal["same"] = "same" if padding == "same" else before
    out = conv_output_size(input_size, kernel_size, stride, size_arg, dilation)  # checks all
    rng = np.random.default_rng(seed)
    x = rng.integers(0, 4, size=(input_size, input_size))
    k = rng.integers(-1, 2, size=(kernel_size, kernel_size))
    # A dilated kernel is the kernel with d-1 zeros between taps; stride keeps every s-th output.
    dilated = np.zeros((dilation * (kernel_size - 1) + 1,) * 2, dtype=k.dtype)
    dilated[::dilation, ::dilation] = k
    padded = np.pad(x, (before, after))
    y = correlate2d(padded, dilated, "valid")[::stride, ::stride]
    if y.shape != (out, out):  # the two package functions must agree
        raise AssertionError(f"correlate2d gave {y.shape}, conv_output_size {out}")
    return x, (before, after), k, y


def convolution_animation_frames(
    input_size: int = 5,
    kernel_size: int = 3,
    stride: int = 1,
    padding: Padding = "valid",
    dilation: int = 1,
    seed: int = 0,
) -> list[Figure]:
    """Draw one frame per output position of a 2-D cross-correlation.

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

    Returns
    -------
    list of matplotlib.figure.Figure
        ``OH * OW`` frames in row-major order; frame ``t`` highlights the cells read
        for output ``(t // OW, t % OW)`` and shows outputs ``0..t``.

    Raises
    ------
    ValueError
        As `conv_output_size` (e.g. ``"same"`` with stride > 1, or an output below 1).

    Examples
    --------
    >>> len(convolution_animation_frames(input_size=3, kernel_size=2, padding="full"))
    16
    """
    x, (before, after), k, y = _setup(input_size, kernel_size, stride, padding, dilation, seed)
    padded_size = input_size + before + after
    oh, ow = y.shape
    frames = []
    for t in range(oh * ow):
        oi, oj = divmod(t, ow)
        fig = Figure(figsize=(6.4, 3.4), dpi=60)
        ax_in, ax_out = fig.subplots(1, 2, gridspec_kw={"width_ratios": [padded_size, oh]})
        for (i, j), v in np.ndenumerate(np.pad(x, (before, after))):
            inside = before <= i < before + input_size and before <= j < before + input_size
            ax_in.add_artist(
                Rectangle((j, i), 1, 1, facecolor="#5b9bd5" if inside else "#dde8f3", ec="white")
            )
            ax_in.text(j + 0.5, i + 0.5, str(v), ha="center", va="center", fontsize=8)
        for a in range(kernel_size):
            for b in range(kernel_size):
                r, c = oi * stride + a * dilation, oj * stride + b * dilation
                ax_in.add_artist(Rectangle((c, r), 1, 1, fc="#1f3b73", alpha=0.7, ec="black", lw=2))
                ax_in.text(
                    c + 0.95,
                    r + 0.05,
                    f"×{k[a, b]}",
                    color="yellow",
                    fontsize=7,
                    ha="right",
                    va="top",
                )
        for (i, j), v in np.ndenumerate(y):
            done = i * ow + j <= t
            color = "#2e8b57" if (i, j) == (oi, oj) else ("#9fd5b4" if done else "#eef6f0")
            ax_out.add_artist(Rectangle((j, i), 1, 1, facecolor=color, ec="white"))
            if done:
                ax_out.text(j + 0.5, i + 0.5, str(v), ha="center", va="center", fontsize=9)
        for ax, n in ((ax_in, padded_size), (ax_out, oh)):
            ax.set_xlim(0, n)
            ax.set_ylim(n, 0)  # row i downward
            ax.set_aspect("equal")
            ax.axis("off")
        ax_in.set_title(
            f"input {input_size}, padding {before}/{after}, stride {stride}, dilation {dilation}",
            fontsize=8,
        )
        ax_out.set_title(f"output {oh} x {ow}", fontsize=8)
        frames.append(fig)
    return frames


def _to_rgb(fig: Figure) -> np.ndarray:
    canvas = FigureCanvasAgg(fig)
    canvas.draw()
    return np.asarray(canvas.buffer_rgba())[..., :3].copy()


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
    from PIL import Image

    rgb = [_to_rgb(f) for f in convolution_animation_frames(**kwargs)]
    images = [Image.fromarray(a) for a in rgb]
    # One palette shared by all frames keeps colours steady; the first and last frames
    # together contain every colour drawn (pending, current and finished outputs).
    both = Image.fromarray(np.concatenate([rgb[0], rgb[-1]]))
    palette = both.quantize(colors=64, method=Image.Quantize.MEDIANCUT)
    frames = [im.quantize(palette=palette, dither=Image.Dither.NONE) for im in images]
    buffer = io.BytesIO()
    frames[0].save(
        buffer,
        format="GIF",
        save_all=True,
        append_images=frames[1:],
        duration=duration_ms,
        loop=0,
    )
    with open(path, "wb") as f:
        f.write(buffer.getvalue())
    return len(frames)
