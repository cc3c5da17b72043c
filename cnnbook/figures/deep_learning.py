"""A two-layer network learning XOR: its decision regions, and its loss beside a linear model's.

Every curve and region comes from `cnnbook.two_layer_network` (`xor_data`,
`two_layer_network`, `gradient_descent`).
"""

from __future__ import annotations

import numpy as np
from matplotlib.figure import Figure

from cnnbook.nn import Linear, Sequential
from cnnbook.two_layer_network import gradient_descent, two_layer_network, xor_data

__all__ = ["two_layer_network_figure"]


def two_layer_network_figure(
    hidden: int = 8, steps: int = 300, lr: float = 0.5, seed: int = 0
) -> Figure:
    """Draw the XOR points with both models' decision regions, and loss and accuracy per step.

    Both models start from weights seeded by `seed` and train by full-batch gradient
    descent on ``xor_data(seed=seed)``: the two-layer network
    (``two_layer_network(hidden, rng=seed)``) and a linear model (one `Linear(2, 2)`).

    Parameters
    ----------
    hidden : int, default 8
        Hidden neurons of the two-layer network.
    steps : int, default 300
        Gradient-descent steps.
    lr : float, default 0.5
        Learning rate.
    seed : int, default 0
        Seed of the data and of both initialisations.

    Returns
    -------
    matplotlib.figure.Figure
        Axes: the two-layer regions, the linear regions, the loss, the accuracy.

    Examples
    --------
    >>> len(two_layer_network_figure(steps=5).axes)
    4
    """
    x, y = xor_data(seed=seed)
    models = {
        f"two layers ({hidden} tanh neurons)": two_layer_network(hidden, rng=seed),
        "one linear layer": Sequential(
            Linear(2, 2, rng=np.random.default_rng(seed), dtype=np.float64)
        ),
    }
    fig = Figure(figsize=(12, 3.2), layout="constrained")
    axes = fig.subplots(1, 4, gridspec_kw={"width_ratios": [1, 1, 1.3, 1.3]})
    grid = np.linspace(-2.2, 2.2, 121)
    gx, gy = np.meshgrid(grid, grid)
    points = np.column_stack([gx.ravel(), gy.ravel()])
    for ax, (name, model) in zip(axes[:2], models.items(), strict=True):
        history = gradient_descent(model, x, y, steps=steps, lr=lr)
        logits = model(points)
        p1 = np.exp(logits[:, 1] - np.logaddexp(logits[:, 0], logits[:, 1])).reshape(gx.shape)
        ax.contourf(gx, gy, p1, levels=np.linspace(0, 1, 11), cmap="RdBu_r", alpha=0.6)
        ax.contour(gx, gy, p1, levels=[0.5], colors="k", linewidths=1)
        for label, marker in ((0, "o"), (1, "s")):
            pts = x[y == label]
            ax.scatter(
                pts[:, 0],
                pts[:, 1],
                s=9,
                marker=marker,
                c="k" if label else "w",
                edgecolors="k",
                linewidths=0.5,
            )
        ax.set_title(f"{name}\naccuracy {history.accuracy[-1]:.0%}", fontsize=9)
        ax.set_aspect("equal")
        ax.set_xticks([-2, 0, 2])
        ax.set_yticks([-2, 0, 2])
        axes[2].plot(history.loss, label=name)
        axes[3].plot(history.accuracy, label=name)
    axes[2].axhline(np.log(2), color="grey", ls=":", lw=1, label="ln 2 (a coin flip)")
    axes[2].set_title("cross-entropy loss", fontsize=9)
    axes[3].set_title("training accuracy", fontsize=9)
    for ax in axes[2:]:
        ax.set_xlabel("gradient-descent step")
        ax.legend(fontsize=7)
    return fig
