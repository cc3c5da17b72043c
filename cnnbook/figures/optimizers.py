"""The paths of SGD, momentum, Nesterov, Adam and AdamW on a 2-D loss surface.

Each path is `cnnbook.optim.optimizer_path` with the package's own optimizers, on
`ravine`, a long narrow quadratic valley (curvature 1 along x, 10 along y) — the
shape that makes plain gradient descent zig-zag.
"""

from __future__ import annotations

import numpy as np
from matplotlib.figure import Figure

from cnnbook.optim import SGD, Adam, AdamW, optimizer_path

__all__ = ["OPTIMIZER_RUNS", "RAVINE_MINIMUM", "RAVINE_START", "optimizer_paths_figure", "ravine"]

RAVINE_MINIMUM = np.array([1.0, 0.5])
RAVINE_START = np.array([-4.0, 2.0])
_CURVATURE = np.array([1.0, 10.0])

#: label -> (optimizer class, options): the runs drawn and tabulated on the Optimizers page.
OPTIMIZER_RUNS: dict[str, tuple[type, dict[str, object]]] = {
    "SGD": (SGD, {"lr": 0.18}),
    "SGD + momentum": (SGD, {"lr": 0.03, "momentum": 0.8}),
    "SGD + Nesterov": (SGD, {"lr": 0.03, "momentum": 0.8, "nesterov": True}),
    "Adam": (Adam, {"lr": 0.4}),
    "AdamW": (AdamW, {"lr": 0.4, "weight_decay": 0.1}),
}


def ravine(p: np.ndarray) -> tuple[float, np.ndarray]:
    r"""$L(x, y) = \frac12\big((x - 1)^2 + 10 (y - 0.5)^2\big)$ and its gradient.

    Examples
    --------
    >>> ravine(np.array([1.0, 0.5]))
    (0.0, array([0., 0.]))
    """
    d = p - RAVINE_MINIMUM
    return float(0.5 * (_CURVATURE * d**2).sum()), _CURVATURE * d


def optimizer_paths_figure(steps: int = 40) -> Figure:
    """Draw the contour lines of `ravine` and each optimizer's path from `RAVINE_START`.

    Parameters
    ----------
    steps : int, default 40
        Steps per optimizer.

    Returns
    -------
    matplotlib.figure.Figure

    Examples
    --------
    >>> len(optimizer_paths_figure(steps=3).axes[0].lines)  # five paths and the minimum
    6
    """
    fig = Figure(figsize=(8, 4.2), layout="constrained")
    ax = fig.add_subplot()
    xs, ys = np.meshgrid(np.linspace(-4.5, 2.5, 200), np.linspace(-1.0, 2.5, 120))
    zs = 0.5 * ((xs - RAVINE_MINIMUM[0]) ** 2 + 10 * (ys - RAVINE_MINIMUM[1]) ** 2)
    ax.contour(xs, ys, zs, levels=np.geomspace(0.02, 60, 14), cmap="Greys", linewidths=0.6)
    for label, (cls, kwargs) in OPTIMIZER_RUNS.items():
        path = optimizer_path(cls, ravine, RAVINE_START, steps, **kwargs)
        options = ", ".join(f"{k}={v}" for k, v in kwargs.items())
        ax.plot(path[:, 0], path[:, 1], ".-", ms=3, lw=1, label=f"{label} ({options})")
    ax.plot(*RAVINE_MINIMUM, "k*", ms=10)
    ax.set_xlabel("x")
    ax.set_ylabel("y")
    ax.set_title(
        f"{steps} steps from {tuple(RAVINE_START.tolist())} on ½((x−1)² + 10(y−0.5)²)", fontsize=9
    )
    ax.legend(fontsize=7, loc="lower right")
    return fig
