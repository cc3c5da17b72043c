"""Running a trained model on a data set: predictions and evaluation (accuracy, mean loss)."""

from __future__ import annotations

import numbers
from typing import Any, NamedTuple

import numpy as np

from cnnbook.nn import CrossEntropyLoss, Module

__all__ = ["Evaluation", "evaluate", "predict"]


class Evaluation(NamedTuple):
    """Accuracy (fraction correct) and mean loss of a model on a data set."""

    accuracy: float
    loss: float


def check_model(model: Any) -> Module:
    """Return `model` if it is a `cnnbook.nn.Module`, else a TypeError naming what it is."""
    if not isinstance(model, Module):
        raise TypeError(
            f"model (={model!r}) must be a cnnbook.nn.Module (e.g. cnnbook.models.reference_cnn())"
        )
    return model


def positive_count(name: str, value: Any) -> int:
    """Return `value` as an int >= 1 (a ValueError naming `name` otherwise)."""
    if not isinstance(value, numbers.Integral) or isinstance(value, bool | np.bool_) or value < 1:
        raise ValueError(f"{name} (={value!r}) must be a positive int")
    return int(value)


def _model_dtype(model: Module) -> np.dtype | None:
    return next((p.data.dtype for p in model.parameters()), None)


def check_data(name: str, data: Any, model: Module) -> tuple[np.ndarray, np.ndarray]:
    """Return ``(x, y)`` of `data`, or raise a ValueError naming `name`."""
    if not isinstance(data, tuple | list) or len(data) != 2:
        raise ValueError(f"{name} must be a pair (x, y); got {type(data).__name__}")
    arrays = []
    for part, value in zip("xy", data, strict=True):
        try:
            arrays.append(np.asarray(value))
        except ValueError as err:  # NumPy's "inhomogeneous shape" for ragged nested lists
            raise ValueError(
                f"{name}: {part} is a ragged nested sequence (rows of different lengths); "
                "expected a rectangular array"
            ) from err
    x, y = arrays
    if x.ndim == 0 or len(x) == 0 or x.size == 0:
        raise ValueError(f"{name} is empty (x has shape {x.shape}); expected at least one sample")
    if y.shape != (len(x),):
        raise ValueError(f"{name}: y has shape {y.shape}; expected ({len(x)},) for x {x.shape}")
    if x.dtype.kind != "f":
        raise ValueError(f"{name}: x has dtype {x.dtype}; expected floats (scale images to [0, 1])")
    if y.dtype.kind not in "iu":
        raise ValueError(f"{name}: y has dtype {y.dtype}; expected integer class labels")
    dtype = _model_dtype(model)
    if dtype is not None and x.dtype != dtype:
        raise ValueError(
            f"{name}: x has dtype {x.dtype} but the model's parameters are {dtype}; "
            f"use x.astype(np.{dtype}) or model.to(np.{x.dtype})"
        )
    return x, y


def logits_of(model: Module, x: np.ndarray, batch_size: int) -> np.ndarray:
    """Eval-mode forward pass in batches; the model's train/eval mode is restored after."""
    was_training = model.training
    model.eval()
    try:
        return np.concatenate([model(x[i : i + batch_size]) for i in range(0, len(x), batch_size)])
    finally:
        model.train(was_training)


def predict(model: Module, x: np.ndarray, batch_size: int = 256) -> np.ndarray:
    """Predicted class of each image: the arg-max of the logits, in evaluation mode.

    Parameters
    ----------
    model : Module
    x : ndarray of shape (N, C, H, W), the model's dtype
    batch_size : int, default 256

    Returns
    -------
    ndarray of shape (N,), int64

    Raises
    ------
    TypeError
        If `model` is not a `cnnbook.nn.Module`.
    ValueError
        If `x` is empty, ragged or not of the model's dtype, or `batch_size` < 1.

    Examples
    --------
    >>> from cnnbook import nn
    >>> model = nn.Sequential(nn.Flatten(), nn.Linear(4, 3, rng=np.random.default_rng(0)))
    >>> predict(model, np.zeros((2, 1, 2, 2), dtype=np.float32)).shape
    (2,)
    """
    check_model(model)
    positive_count("batch_size", batch_size)
    x_checked, _ = check_data("x", (x, np.zeros(len(np.asarray(x)), np.int64)), model)
    return logits_of(model, x_checked, batch_size).argmax(axis=1).astype(np.int64)


def evaluate(
    model: Module,
    x: np.ndarray,
    y: np.ndarray,
    loss_fn: CrossEntropyLoss | None = None,
    batch_size: int = 256,
) -> Evaluation:
    r"""Accuracy and mean loss of `model` on ``(x, y)``, in evaluation mode (no dropout).

    Parameters
    ----------
    model : Module
    x : ndarray of shape (N, C, H, W)
    y : ndarray of shape (N,), int
    loss_fn : CrossEntropyLoss, optional
        Default ``CrossEntropyLoss()``.
    batch_size : int, default 256

    Returns
    -------
    Evaluation
        ``accuracy`` $= \frac1N\sum_n [\hat y_n = y_n]$ and the mean ``loss``.

    Examples
    --------
    >>> from cnnbook import nn
    >>> model = nn.Sequential(nn.Flatten(), nn.Linear(4, 3, rng=np.random.default_rng(0)))
    >>> model[1].weight.data[:] = 0; model[1].bias.data[:] = [0, 1, 0]  # always predicts 1
    >>> evaluate(model, np.zeros((4, 1, 2, 2), np.float32), np.array([1, 1, 0, 2]))
    Evaluation(accuracy=0.5, loss=1.051...)
    """
    check_model(model)
    x, y = check_data("data", (x, y), model)
    positive_count("batch_size", batch_size)
    if loss_fn is not None and not callable(loss_fn):
        raise TypeError(f"loss_fn (={loss_fn!r}) must be callable, e.g. nn.CrossEntropyLoss()")
    loss_fn = CrossEntropyLoss() if loss_fn is None else loss_fn
    logits = logits_of(model, x, batch_size)
    loss = loss_fn(logits, y)
    return Evaluation(float(np.mean(logits.argmax(axis=1) == y)), float(loss))
