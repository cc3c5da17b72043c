"""Figure of the cross-check page: the loss curves of cnnbook and torch, overlaid.

The curves come from `cnnbook.torch_bridge.parity_report` (its ``losses_numpy`` and
``losses_torch``); this module does not import torch, it only reads those lists.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

import numpy as np
from matplotlib.figure import Figure

__all__ = ["parity_curves_figure"]


class _Curves(Protocol):
    """What the figure reads from a `cnnbook.torch_bridge.ParityReport`."""

    optimizer: str
    losses_numpy: list[float]
    losses_torch: list[float]


def parity_curves_figure(reports: Sequence[_Curves]) -> Figure:
    r"""Loss per step in cnnbook (lines) and torch (markers), and their difference.

    Parameters
    ----------
    reports : sequence of ParityReport
        From `cnnbook.torch_bridge.parity_report`, one per optimizer run.

    Returns
    -------
    Figure
        Left: for each report, the cnnbook curve (a line labelled
        ``"cnnbook <optimizer>"``) and the torch curve (markers, ``"torch <optimizer>"``)
        against the step (from 1). Right: $|\ell_\text{cnnbook} - \ell_\text{torch}|$
        per step on a log scale (exact zeros drawn at the axis' floor).

    Raises
    ------
    ValueError
        If `reports` is empty or a report's two curves differ in length.

    Examples
    --------
    >>> from types import SimpleNamespace
    >>> r = SimpleNamespace(
    ...     optimizer="SGD(lr=0.1)", losses_numpy=[2.0, 1.5], losses_torch=[2.0, 1.5]
    ... )
    >>> [line.get_label() for line in parity_curves_figure([r]).axes[0].get_lines()]
    ['cnnbook SGD(lr=0.1)', 'torch SGD(lr=0.1)']
    """
    if len(reports) == 0:
        raise ValueError("reports is empty; expected at least one parity report")
    for i, r in enumerate(reports):
        if len(r.losses_numpy) != len(r.losses_torch):
            raise ValueError(
                f"reports[{i}] has {len(r.losses_numpy)} cnnbook and "
                f"{len(r.losses_torch)} torch losses; expected equal lengths"
            )
    fig = Figure(figsize=(9, 3.4), layout="constrained")
    ax_loss, ax_diff = fig.subplots(1, 2)
    diffs = [np.abs(np.subtract(r.losses_numpy, r.losses_torch)) for r in reports]
    positive = np.concatenate([d[d > 0] for d in diffs]) if diffs else np.zeros(0)
    # Exact agreement (|Δ| = 0) has no place on a log axis: draw it at a floor below the rest.
    floor = float(positive.min()) / 10 if positive.size else 1e-17
    for k, (r, d) in enumerate(zip(reports, diffs, strict=True)):
        colour = f"C{k}"
        steps = np.arange(1, len(r.losses_numpy) + 1)
        ax_loss.plot(steps, r.losses_numpy, "-", color=colour, label=f"cnnbook {r.optimizer}")
        ax_loss.plot(
            steps, r.losses_torch, "o", color=colour, ms=4, mfc="none", label=f"torch {r.optimizer}"
        )
        ax_diff.semilogy(steps, np.maximum(d, floor), ".-", color=colour, label=r.optimizer)
    ax_loss.set_xlabel("optimizer step")
    ax_loss.set_ylabel("cross-entropy loss")
    ax_loss.set_title("loss curves: cnnbook (lines), torch (circles)")
    ax_loss.legend(fontsize=7)
    ax_diff.set_xlabel("optimizer step")
    ax_diff.set_title("|loss difference| per step")
    ax_diff.legend(fontsize=7)
    for ax in (ax_loss, ax_diff):
        ax.grid(alpha=0.3)
    return fig
