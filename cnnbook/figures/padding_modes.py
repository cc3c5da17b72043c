"""Figure of the Padding Modes page: the four modes on the photograph and at a map's border.

Every pixel drawn comes from `cnnbook`: `photograph`, `pad` (the four modes, as
`torch.nn.functional.pad`), `box_blur` and `conv2d`; nothing is typed in.
"""

from __future__ import annotations

import numpy as np
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle

from cnnbook.conv2d import conv2d
from cnnbook.images import photograph
from cnnbook.kernels import box_blur
from cnnbook.padding import pad

__all__ = ["PADDING_MODE_NAMES", "blurred_with_padding_mode", "padding_modes_figure"]

# torch's names: `nn.Conv2d(padding_mode=...)` first, then `F.pad(mode=...)`.
PADDING_MODE_NAMES = {
    "zeros": "constant",
    "reflect": "reflect",
    "replicate": "replicate",
    "circular": "circular",
}


def _photo(step: int) -> np.ndarray:
    """Return the photograph, every `step`-th pixel, as a (1, 1, H, W) batch."""
    return photograph()[::step, ::step][None, None]


def blurred_with_padding_mode(mode: str, kernel_size: int = 15, step: int = 4) -> np.ndarray:
    """Box-blur the photograph (every `step`-th pixel) with "same" padding in `mode`.

    What ``nn.Conv2d(1, 1, kernel_size, padding="same", padding_mode=mode)`` with a box
    kernel computes: `pad` with ``kernel_size // 2`` on every side, then `conv2d`.

    Examples
    --------
    >>> blurred_with_padding_mode("reflect", 3).shape
    (150, 128)
    """
    p = kernel_size // 2
    x = pad(_photo(step), (p, p, p, p), PADDING_MODE_NAMES[mode])
    return conv2d(x, box_blur(kernel_size)[None, None])[0, 0]


def padding_modes_figure(width: int = 40, kernel_size: int = 15, step: int = 4) -> Figure:
    """Draw the photograph padded in each mode (top) and blurred through that padding (bottom).

    Parameters
    ----------
    width : int, default 40
        Padding drawn on each side in the top row, in pixels of the subsampled photograph.
    kernel_size : int, default 15
        Side of the box blur of the bottom row (``"same"`` padding: ``kernel_size // 2``).
    step : int, default 4
        The photograph is subsampled to every `step`-th pixel (150 x 128).

    Returns
    -------
    matplotlib.figure.Figure
        Two rows of four panels, one column per mode, on one grey scale (one colour bar);
        a frame marks the original image (top) and the band of outputs whose window
        reaches into the padding (bottom).

    Examples
    --------
    >>> fig = padding_modes_figure()
    >>> [ax.get_title() for ax in fig.axes[:2]]
    ['zeros (constant)', 'reflect']
    """
    x = _photo(step)
    h, w = x.shape[2:]
    p = kernel_size // 2
    fig = Figure(figsize=(12, 6.6), layout="constrained")
    axes = fig.subplots(2, 4)
    for col, (mode, f_mode) in enumerate(PADDING_MODE_NAMES.items()):
        padded = pad(x, (width, width, width, width), f_mode)[0, 0]
        top = axes[0, col]
        top.imshow(padded, cmap="gray", vmin=0, vmax=1)
        top.add_patch(
            Rectangle((width - 0.5, width - 0.5), w, h, fill=False, edgecolor="tab:orange", lw=2)
        )
        top.set_title(mode if mode == f_mode else f"{mode} ({f_mode})", fontsize=10)
        bottom = axes[1, col]
        # All eight panels on the photograph's one grey scale (0 black, 1 white): compared.
        shared = bottom.imshow(
            blurred_with_padding_mode(mode, kernel_size, step), cmap="gray", vmin=0, vmax=1
        )
        bottom.add_patch(
            Rectangle(
                (p - 0.5, p - 0.5),
                w - 2 * p,
                h - 2 * p,
                fill=False,
                ls="--",
                lw=1.5,
                edgecolor="tab:orange",
            )
        )
        bottom.set_title(f"{kernel_size} x {kernel_size} box blur, same size", fontsize=9)
        for ax in (top, bottom):
            ax.set_xticks([])
            ax.set_yticks([])
    fig.colorbar(shared, ax=axes.ravel().tolist(), shrink=0.6, label="brightness")
    fig.suptitle(
        f"Padding modes: {width} pixels on each side (top); outside the dashed frame the "
        f"blur's window reaches into the padding (bottom)",
        fontsize=10,
    )
    return fig
