r"""Deep learning in miniature: a two-layer network learns XOR by gradient descent.

The smallest problem a single layer cannot solve and two layers can: four clouds of
points at the corners of a square, the class the XOR of the signs of the coordinates
(`xor_data`). `two_layer_network` builds ``Linear → Tanh → Linear`` from
`cnnbook.nn`; `gradient_descent` trains it on the whole set at every step with the
cross-entropy loss and an optimizer of `cnnbook.optim`, recording the loss and the
accuracy; `gradient_check` compares every parameter gradient that backpropagation
returns with central finite differences.

A linear model draws one straight line through the plane: on XOR it gets about half the
points right at best. The hidden layer bends the plane first, and then a line suffices.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, NamedTuple, cast

import numpy as np

from cnnbook._rng import generator
from cnnbook._validation import as_numeric_array, finite_real, positive_int
from cnnbook.backpropagation import numerical_gradient
from cnnbook.nn import CrossEntropyLoss, Linear, ReLU, Sequential, Sigmoid, Tanh
from cnnbook.nn.module import Module
from cnnbook.optim import SGD, Optimizer

__all__ = ["DescentHistory", "gradient_check", "gradient_descent", "two_layer_network", "xor_data"]

_ACTIVATIONS: dict[str, Callable[[], Module]] = {"tanh": Tanh, "relu": ReLU, "sigmoid": Sigmoid}
# The corners (+,+), (-,-) are class 0, (+,-), (-,+) class 1: the XOR of the two signs.
_CORNERS = np.array([[1.0, 1.0], [-1.0, -1.0], [1.0, -1.0], [-1.0, 1.0]])


class DescentHistory(NamedTuple):
    """The history of `gradient_descent`: entry ``t`` is measured after ``t`` updates."""

    loss: np.ndarray
    """Mean cross-entropy on the training set, shape ``(steps + 1,)``."""
    accuracy: np.ndarray
    """Fraction of the training set classified correctly, shape ``(steps + 1,)``."""


def xor_data(n: int = 200, noise: float = 0.3, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    r"""Points around the four corners of a square, labelled by the XOR of their signs.

    Parameters
    ----------
    n : int, default 200
        Number of points; each picks one of the corners $(\pm 1, \pm 1)$ at random.
    noise : float, default 0.3
        Standard deviation of the Gaussian noise added to the corner, finite and >= 0.
    seed : int, default 0
        Seed of the corners and the noise.

    Returns
    -------
    x : ndarray of shape (n, 2), float64
    y : ndarray of shape (n,), int64
        0 for the corners $(1, 1)$ and $(-1, -1)$, 1 for $(1, -1)$ and $(-1, 1)$.

    Raises
    ------
    TypeError, ValueError
        If `n` is not a positive int, `noise` not finite and >= 0, or `seed` negative.

    Examples
    --------
    >>> x, y = xor_data(4, noise=0.0, seed=1)
    >>> x.shape, bool(np.all((x[:, 0] * x[:, 1] < 0) == (y == 1)))
    ((4, 2), True)
    """
    n = positive_int("n", n)
    noise = finite_real("noise", noise, minimum=0.0)
    rng = generator("seed", seed)
    corner = rng.integers(0, 4, n)
    x = _CORNERS[corner] + noise * rng.standard_normal((n, 2))
    return x, (corner >= 2).astype(np.int64)


def two_layer_network(
    hidden: int = 8,
    activation: str = "tanh",
    in_features: int = 2,
    classes: int = 2,
    rng: np.random.Generator | int | None = None,
) -> Sequential:
    """Build a hidden layer and an output layer: ``Linear → activation → Linear``, in float64.

    Parameters
    ----------
    hidden : int, default 8
        Number of hidden neurons.
    activation : {"tanh", "relu", "sigmoid"}, default "tanh"
    in_features : int, default 2
    classes : int, default 2
        Number of outputs (one logit per class).
    rng : numpy.random.Generator or int, optional
        Source (or seed) of the initial weights; torch's default initialisation.

    Returns
    -------
    cnnbook.nn.Sequential

    Raises
    ------
    ValueError, TypeError
        For sizes below 1, an unknown `activation`, or a bad `rng`.

    Examples
    --------
    >>> two_layer_network(hidden=4, rng=0)
    Sequential(
      (0): Linear(in_features=2, out_features=4, bias=True)
      (1): Tanh()
      (2): Linear(in_features=4, out_features=2, bias=True)
    )
    """
    hidden = positive_int("hidden", hidden)
    in_features = positive_int("in_features", in_features)
    classes = positive_int("classes", classes)
    if activation not in _ACTIVATIONS:
        raise ValueError(f"activation (={activation!r}) must be one of {sorted(_ACTIVATIONS)}")
    weights = generator("rng", rng)
    return Sequential(
        Linear(in_features, hidden, rng=weights, dtype=np.float64),
        _ACTIVATIONS[activation](),
        Linear(hidden, classes, rng=weights, dtype=np.float64),
    )


def _inputs(model: Any, x: Any, y: Any) -> tuple[Module, np.ndarray, np.ndarray]:
    if not isinstance(model, Module):
        raise TypeError(f"model (={model!r}) must be a cnnbook.nn.Module")
    features = as_numeric_array("x", x, ndim=2).astype(np.float64)
    labels = as_numeric_array("y", y, ndim=1)
    if labels.dtype.kind not in "iu":
        raise TypeError(f"y has dtype {labels.dtype}; expected integer class labels")
    if len(labels) != len(features):
        raise ValueError(f"y has {len(labels)} labels; x has {len(features)} rows")
    return model, features, labels.astype(np.int64)


def gradient_descent(
    model: Module,
    x: Any,
    y: Any,
    steps: int = 300,
    lr: float = 0.5,
    optimizer: type[Optimizer] = SGD,
    **optimizer_kwargs: Any,
) -> DescentHistory:
    r"""Train `model` on all of ``(x, y)`` at every step; record loss and accuracy.

    Each step is forward, cross-entropy, backward, ``optimizer.step()`` — the loop of
    every network on the site, here without mini-batches.

    Parameters
    ----------
    model : cnnbook.nn.Module
        Maps ``(N, features)`` float64 inputs to ``(N, classes)`` logits; trained in place.
    x : ndarray of shape (N, features)
    y : ndarray of shape (N,), int
    steps : int, default 300
        Number of updates.
    lr : float, default 0.5
        Learning rate, finite and > 0.
    optimizer : subclass of `cnnbook.optim.Optimizer`, default `cnnbook.optim.SGD`
        Built as ``optimizer(model.parameters(), lr=lr, **optimizer_kwargs)``.
    **optimizer_kwargs
        Passed to the optimizer (``momentum=0.9``...).

    Returns
    -------
    DescentHistory
        Loss and accuracy after 0, 1, ..., `steps` updates.

    Raises
    ------
    TypeError, ValueError
        A `model` that is not a Module, labels that are not integers or do not match
        `x`, non-positive `steps` or `lr`, an `optimizer` that is not an Optimizer class.

    Notes
    -----
    Plain SGD on the whole set is gradient descent: $\theta \leftarrow \theta - \eta
    \nabla_\theta \frac1N\sum_n \ell(f_\theta(x_n), y_n)$.

    Examples
    --------
    >>> x, y = xor_data(100, seed=0)
    >>> history = gradient_descent(two_layer_network(rng=0), x, y, steps=200)
    >>> bool(history.loss[-1] < 0.1 * history.loss[0]), float(history.accuracy[-1])
    (True, 1.0)
    """
    model, features, labels = _inputs(model, x, y)
    steps = positive_int("steps", steps)
    if not finite_real("lr", lr) > 0:
        raise ValueError(f"lr (={lr!r}) must be > 0")
    if not (isinstance(optimizer, type) and issubclass(optimizer, Optimizer)):
        got = repr(optimizer) if isinstance(optimizer, type) else f"a {type(optimizer).__name__}"
        raise TypeError(
            f"optimizer (={got}) must be a cnnbook.optim.Optimizer subclass (the class, "
            "e.g. optim.SGD: gradient_descent builds it on the model's parameters)"
        )
    # Every concrete optimizer takes lr=...; the base class's signature is (params, defaults).
    opt = cast(Any, optimizer)(model.parameters(), lr=lr, **optimizer_kwargs)
    loss_fn = CrossEntropyLoss()
    losses, accuracy = np.empty(steps + 1), np.empty(steps + 1)
    for step in range(steps + 1):
        logits = model(features)
        losses[step] = loss_fn(logits, labels)
        accuracy[step] = np.mean(logits.argmax(axis=1) == labels)
        if step == steps:
            break
        opt.zero_grad()
        model.backward(loss_fn.backward())
        opt.step()
    return DescentHistory(losses, accuracy)


def gradient_check(model: Module, x: Any, y: Any, eps: float = 1e-6) -> dict[str, float]:
    r"""Largest |backpropagation − finite differences| of each parameter's gradient.

    The loss is the mean cross-entropy of ``model(x)`` against `y`. Backpropagation's
    gradient comes from ``model.backward``; the reference perturbs one weight at a time
    by $\pm\varepsilon$ (`cnnbook.numerical_gradient`). The
    parameters are left as they were, their ``.grad`` cleared.

    Parameters
    ----------
    model : cnnbook.nn.Module
        A float64 model (in float32 the finite differences drown in rounding).
    x : ndarray of shape (N, features)
    y : ndarray of shape (N,), int
    eps : float, default 1e-6

    Returns
    -------
    dict of str to float
        Parameter name (torch's, ``"0.weight"``) → max absolute difference.

    Raises
    ------
    TypeError, ValueError
        As `gradient_descent` for the model and data; a model that is not float64.

    Examples
    --------
    >>> x, y = xor_data(20, seed=0)
    >>> errors = gradient_check(two_layer_network(hidden=3, rng=0), x, y)
    >>> list(errors), max(errors.values()) < 1e-8
    (['0.weight', '0.bias', '2.weight', '2.bias'], True)
    """
    model, features, labels = _inputs(model, x, y)
    params = dict(model.named_parameters())
    if any(p.data.dtype != np.float64 for p in params.values()):
        raise TypeError("model must be float64 for a finite-difference check (use model.double())")
    loss_fn = CrossEntropyLoss()
    model.zero_grad()
    loss_fn(model(features), labels)
    model.backward(loss_fn.backward())
    errors = {}
    for name, p in params.items():
        analytic = np.array(p.grad, copy=True)
        saved = p.data.copy()

        def loss_at(values: np.ndarray, p: Any = p) -> float:
            p.data[...] = values
            return float(loss_fn(model(features), labels))

        numeric = numerical_gradient(loss_at, saved, eps=eps)
        p.data[...] = saved
        errors[name] = float(np.abs(analytic - numeric).max())
    model.zero_grad()
    return errors
