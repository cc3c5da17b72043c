"""Softmax and cross-entropy drawn: logits to probabilities, and the loss with its gradient.

Every value comes from `cnnbook.nn.log_softmax` and `cnnbook.nn.CrossEntropyLoss`.
"""

from __future__ import annotations

import numpy as np
from matplotlib.figure import Figure

from cnnbook.nn.loss import CrossEntropyLoss, log_softmax

__all__ = ["softmax_figure"]


def softmax_figure(logits: tuple[float, ...] = (2.0, 1.0, -1.0, 0.5), target: int = 0) -> Figure:
    """Draw logits beside their softmax, and the loss and gradient as the target's logit moves.

    Parameters
    ----------
    logits : tuple of float
        Scores of the classes.
    target : int, default 0
        The correct class; its logit is swept in the right panel, the others kept.

    Returns
    -------
    matplotlib.figure.Figure

    Examples
    --------
    >>> len(softmax_figure().axes)
    3
    """
    z = np.asarray(logits, dtype=float)
    fig = Figure(figsize=(11, 3.2), layout="constrained")
    ax_z, ax_p, ax_l = fig.subplots(1, 3)
    classes = np.arange(len(z))
    ax_z.bar(classes, z, color="0.6")
    ax_z.set_title("logits z", fontsize=9)
    probs = np.exp(log_softmax(z[None]))[0]
    ax_p.bar(classes, probs, color=["C0" if c == target else "0.6" for c in classes])
    for c, p in zip(classes, probs, strict=True):
        ax_p.text(c, p, f"{p:.3f}", ha="center", va="bottom", fontsize=8)
    ax_p.set_title(f"softmax(z) (class {target} correct)", fontsize=9)
    for ax in (ax_z, ax_p):
        ax.set_xticks(classes)
        ax.set_xlabel("class")
    sweep = np.linspace(-6.0, 6.0, 121)
    losses, grads = [], []
    loss_fn = CrossEntropyLoss()
    for v in sweep:
        zz = z.copy()
        zz[target] = v
        losses.append(loss_fn(zz[None], np.array([target])))
        grads.append(loss_fn.backward()[0, target])
    ax_l.plot(sweep, losses, label="loss −log softmax(z)_y")
    ax_l.plot(sweep, grads, label="∂L/∂z_y = softmax_y − 1")
    ax_l.axhline(0, color="0.7", lw=0.8)
    ax_l.set_xlabel(f"logit of the correct class z_{target}")
    ax_l.set_title("cross-entropy and its gradient", fontsize=9)
    ax_l.legend(fontsize=7)
    return fig
