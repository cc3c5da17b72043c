"""Figures of the Kernel page: every classic kernel applied to a detail of the photograph.

The outputs drawn are `cnnbook.correlate2d` of a crop of `cnnbook.photograph` with
each kernel of `cnnbook.KERNELS`; nothing is typed in.
"""

from __future__ import annotations

import numpy as np
from matplotlib.figure import Figure

from cnnbook.correlation import correlate2d
from cnnbook.images import photograph
from cnnbook.kernels import KERNELS

__all__ = ["PHOTO_DETAIL", "kernels_on_photograph_figure", "photograph_detail"]

#: Rows and columns ``(top, bottom, left, right)`` of the detail shown: the face and glasses.
PHOTO_DETAIL = (140, 300, 150, 360)


def photograph_detail(box: tuple[int, int, int, int] = PHOTO_DETAIL) -> np.ndarray:
    """Return ``photograph()[top:bottom, left:right]``.

    Parameters
    ----------
    box : tuple of 4 int, default `PHOTO_DETAIL`
        ``(top, bottom, left, right)`` in pixels.

    Returns
    -------
    ndarray of shape (bottom - top, right - left)

    Examples
    --------
    >>> photograph_detail().shape
    (160, 210)
    """
    top, bottom, left, right = box
    return photograph()[top:bottom, left:right]


def kernels_on_photograph_figure(box: tuple[int, int, int, int] = PHOTO_DETAIL) -> Figure:
    """Draw a detail of the photograph and its correlation with every kernel of `KERNELS`.

    Parameters
    ----------
    box : tuple of 4 int, default `PHOTO_DETAIL`
        The detail ``(top, bottom, left, right)``.

    Returns
    -------
    matplotlib.figure.Figure
        The detail, then ``correlate2d(detail, KERNELS[name], "valid")`` per kernel,
        titled with the name and the sum of the kernel's weights. Kernels whose
        weights sum to 1 are shown on the detail's grey scale (0 black, 1 white);
        the others (sum 0, their outputs signed) on one red-blue scale centred at 0,
        shared by all of them, with its colour bar.

    Examples
    --------
    >>> [ax.get_title() for ax in kernels_on_photograph_figure().axes][:2]
    ['photograph detail 160 x 210', 'identity (sum 1)']
    """
    detail = photograph_detail(box)
    fig = Figure(figsize=(12, 4.6), layout="constrained")
    axes = fig.subplots(2, 5).ravel()
    axes[0].imshow(detail, cmap="gray", vmin=0, vmax=1)
    axes[0].set_title(f"photograph detail {detail.shape[0]} x {detail.shape[1]}", fontsize=9)
    outputs = {name: correlate2d(detail, k, "valid") for name, k in KERNELS.items()}
    signed = [out for name, out in outputs.items() if abs(KERNELS[name].sum() - 1.0) >= 1e-9]
    # The derivative kernels share one red-blue scale (one colour bar), clipped at the 99th
    # percentile of all their |outputs|; the sum-1 kernels share the detail's grey scale.
    v = float(np.percentile(np.abs(np.concatenate([o.ravel() for o in signed])), 99)) or 1.0
    derivative_axes = []
    for ax, (name, k) in zip(axes[1:], KERNELS.items(), strict=True):
        out = outputs[name]
        total = float(k.sum())
        if abs(total - 1.0) < 1e-9:
            ax.imshow(out, cmap="gray", vmin=0, vmax=1)
        else:
            shared = ax.imshow(out, cmap="RdBu_r", vmin=-v, vmax=v)
            derivative_axes.append(ax)
        ax.set_title(f"{name} (sum {total:.3g})", fontsize=9)
    for ax in axes:
        ax.set_xticks([])
        ax.set_yticks([])
    fig.colorbar(shared, ax=axes.tolist(), shrink=0.7, label="output of the sum-0 kernels")
    return fig
