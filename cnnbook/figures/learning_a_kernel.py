"""A hidden kernel learned by gradient descent: loss and error per step, learned next to true.

Every curve and number comes from `cnnbook.learn_kernel` on `cnnbook.kernel_pairs`.
"""

from __future__ import annotations

import numpy as np
from matplotlib.figure import Figure

from cnnbook.kernels import sobel_x
from cnnbook.learning_a_kernel import kernel_pairs, learn_kernel

__all__ = ["learning_a_kernel_figure"]


def learning_a_kernel_figure(steps: int = 60, lr: float = 0.2, seed: int = 0) -> Figure:
    """Draw the loss and the kernel error per step, and each learned kernel beside the truth.

    Two hidden kernels: Sobel x and a random 5 x 5 (standard normal, seeded).

    Parameters
    ----------
    steps : int, default 60
        SGD steps.
    lr : float, default 0.2
        Learning rate.
    seed : int, default 0
        Seed of the random kernel and of the images.

    Returns
    -------
    matplotlib.figure.Figure

    Examples
    --------
    >>> len(learning_a_kernel_figure(steps=5).axes)
    5
    """
    truths = {
        "Sobel x": sobel_x(),
        "random 5×5": np.random.default_rng(seed).standard_normal((5, 5)),
    }
    fig = Figure(figsize=(11, 3.4), layout="constrained")
    grid = fig.add_gridspec(2, 3, width_ratios=[2.2, 1, 1])
    curves = fig.add_subplot(grid[:, 0])
    for row, (name, truth) in enumerate(truths.items()):
        images, targets = kernel_pairs(truth, count=8, size=16, seed=seed + 1)
        kernel, history = learn_kernel(
            images, targets, truth.shape, steps=steps, lr=lr, true_kernel=truth
        )
        assert history.kernel_error is not None
        curves.semilogy(history.loss, label=f"{name}: loss")
        curves.semilogy(history.kernel_error, "--", label=f"{name}: max |w − w*|")
        bound = float(np.abs(truth).max())
        for col, (title, values) in enumerate(
            ((f"{name}: true", truth), (f"learned, {steps} steps", kernel))
        ):
            ax = fig.add_subplot(grid[row, col + 1])
            ax.imshow(values, cmap="RdBu", vmin=-1.4 * bound, vmax=1.4 * bound)
            if values.shape[0] <= 3:
                for (i, j), v in np.ndenumerate(values):
                    ax.text(
                        j,
                        i,
                        f"{round(float(v), 2) + 0.0:.2f}",
                        ha="center",
                        va="center",
                        fontsize=7,
                    )
            ax.set_title(title, fontsize=8)
            ax.set_xticks([])
            ax.set_yticks([])
    curves.set_xlabel("SGD step")
    curves.set_title("loss and kernel error (log scale)", fontsize=9)
    curves.legend(fontsize=7)
    return fig
