"""Figures of the training page: learning curves, learned filters, feature maps, confusion matrix.

Every number drawn comes from the package: a `cnnbook.train.History`, the
weights of a `cnnbook.nn` model, its layers' outputs, `cnnbook.train.confusion_matrix`.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from matplotlib.figure import Figure

from cnnbook import nn
from cnnbook.train import History

__all__ = [
    "confusion_matrix_figure",
    "learned_filters_figure",
    "network_feature_maps_figure",
    "training_curves_figure",
]


def training_curves_figure(history: History) -> Figure:
    """Loss (left) and accuracy (right) per epoch, on the training and the test data.

    Parameters
    ----------
    history : History
        From `cnnbook.train.fit`; the test curves are drawn when it has them.

    Returns
    -------
    Figure
        Two axes; each line's data are the history's lists, epochs numbered from 1.
    """
    fig = Figure(figsize=(8, 3.2), layout="constrained")
    ax_loss, ax_acc = fig.subplots(1, 2)
    epochs = np.arange(1, history.epochs + 1)
    for ax, key, title in ((ax_loss, "loss", "loss"), (ax_acc, "accuracy", "accuracy")):
        for part, style in (("train", "-o"), ("test", "-s")):
            values = getattr(history, f"{part}_{key}")
            if values:
                ax.plot(epochs[: len(values)], values, style, ms=3, label=part)
        ax.set_xlabel("epoch")
        ax.set_title(title)
        ax.grid(alpha=0.3)
        ax.legend()
    if history.test_accuracy:
        ax_acc.set_title(f"accuracy (final test {history.test_accuracy[-1]:.2%})")
    return fig


def _first_conv(model: nn.Module) -> nn.Conv2d:
    for module in model.modules():
        if isinstance(module, nn.Conv2d):
            return module
    raise ValueError(f"model has no Conv2d layer: {model!r}")


def learned_filters_figure(model: nn.Module, columns: int = 8) -> Figure:
    """Draw the kernels of the model's first `Conv2d` layer, one small image each.

    One shared, symmetric colour scale (blue negative, red positive, white 0),
    so kernels can be compared; for several input channels channel 0 is shown.

    Parameters
    ----------
    model : nn.Module
    columns : int, default 8

    Returns
    -------
    Figure
        One axes per output channel, whose image is ``weight[o, 0]``.

    Raises
    ------
    ValueError
        If the model has no `Conv2d`.
    """
    weight = _first_conv(model).weight.data
    n = weight.shape[0]
    cols = min(columns, n)
    rows = -(-n // cols)
    vmax = float(np.abs(weight).max()) or 1.0
    fig = Figure(figsize=(1.1 * cols, 1.1 * rows + 0.4), layout="constrained")
    axes = np.atleast_1d(fig.subplots(rows, cols)).ravel()
    image = None
    for o, ax in enumerate(axes):
        ax.set_axis_off()
        if o < n:
            image = ax.imshow(weight[o, 0], cmap="RdBu_r", vmin=-vmax, vmax=vmax)
            ax.set_title(str(o), fontsize=7)
    if image is not None:
        fig.colorbar(image, ax=list(axes), shrink=0.8)
    fig.suptitle(f"first-layer filters {tuple(weight.shape)}")
    return fig


def network_feature_maps_figure(
    model: nn.Sequential,
    image: np.ndarray,
    layers: Sequence[int] | None = None,
    max_maps: int = 8,
) -> Figure:
    """One image through a trained network: the input, then each chosen layer's maps.

    Parameters
    ----------
    model : nn.Sequential
    image : ndarray of shape (C, H, W), the model's dtype
    layers : sequence of int, optional
        Indices of the layers whose outputs are drawn; default every activation
        (`ReLU`, `Tanh`) and pooling layer with a 4-D output.
    max_maps : int, default 8
        Maps drawn per layer (the first ones).

    Returns
    -------
    Figure
        Row 0 is the input; row ``r`` shows ``model[: layers[r-1] + 1](image)``.
        The model's train/eval mode is restored after (maps are computed in eval mode).
    """
    x = np.asarray(image)[None]
    outputs: list[tuple[int, nn.Module, np.ndarray]] = []
    was_training = model.training
    model.eval()
    try:
        for i, layer in enumerate(model):
            x = layer(x)
            wanted = (
                isinstance(layer, nn.ReLU | nn.Tanh | nn.MaxPool2d | nn.AvgPool2d)
                if layers is None
                else i in layers
            )
            if wanted and x.ndim == 4:
                outputs.append((i, layer, x[0]))
    finally:
        model.train(was_training)
    cols = max(min(max_maps, max(o.shape[0] for _, _, o in outputs)) if outputs else 1, 1)
    fig = Figure(figsize=(1.2 * cols, 1.3 * (len(outputs) + 1)), layout="constrained")
    axes = np.asarray(fig.subplots(len(outputs) + 1, cols, squeeze=False))
    for ax in axes.ravel():
        ax.set_axis_off()
    axes[0, 0].imshow(np.asarray(image)[0], cmap="gray_r")
    axes[0, 0].set_title("input", fontsize=8)
    for row, (i, layer, maps) in enumerate(outputs, start=1):
        for k in range(min(cols, maps.shape[0])):
            axes[row, k].imshow(maps[k], cmap="viridis")
        axes[row, 0].set_title(
            f"[{i}] {type(layer).__name__}: {maps.shape[0]}×{maps.shape[1]}×{maps.shape[2]}",
            fontsize=8,
            loc="left",
        )
    return fig


def confusion_matrix_figure(matrix: np.ndarray, labels: Sequence[str] | None = None) -> Figure:
    """Draw a confusion matrix as a heat map with the count written in each cell.

    Parameters
    ----------
    matrix : ndarray of shape (K, K)
        From `cnnbook.train.confusion_matrix` (rows: true class, columns: predicted).
    labels : sequence of str, optional
        Class names; default ``"0"`` ... ``"K-1"``.

    Returns
    -------
    Figure
        One axes whose image is `matrix` and whose texts are its counts, row by row.
    """
    m = np.asarray(matrix)
    names = list(labels) if labels is not None else [str(i) for i in range(len(m))]
    fig = Figure(figsize=(0.45 * len(m) + 1.8, 0.45 * len(m) + 1.4), layout="constrained")
    ax = fig.subplots()
    ax.imshow(m, cmap="Blues")
    threshold = m.max() / 2 if m.size else 0
    for (i, j), count in np.ndenumerate(m):
        ax.text(
            j,
            i,
            str(count),
            ha="center",
            va="center",
            fontsize=8,
            color="white" if count > threshold else "black",
        )
    ax.set_xticks(range(len(m)), names)
    ax.set_yticks(range(len(m)), names)
    ax.set_xlabel("predicted")
    ax.set_ylabel("true")
    correct = int(np.trace(m))
    ax.set_title(f"{correct}/{int(m.sum())} correct")
    return fig
