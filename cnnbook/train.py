r"""Training a `cnnbook.nn` model: the loop, its history, evaluation, metrics and checkpoints.

One step is the whole algorithm of a neural network, in four lines:
forward (``loss_fn(model(xb), yb)``), backward (``model.backward(loss_fn.backward())``),
``optimizer.step()``, ``optimizer.zero_grad()``. [`fit`][cnnbook.train.fit] repeats
it over shuffled mini-batches for some epochs, with a progress bar, and records a
[`History`][cnnbook.train.History]; a loss that becomes NaN or infinite stops it at
once with a [`NonFiniteLossError`][cnnbook.train.NonFiniteLossError].

Checkpoints are ``.npz`` files keyed by torch's parameter names (``"0.weight"``, ...).
"""

from __future__ import annotations

import math
import numbers
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple

import numpy as np

from cnnbook.data import DataLoader
from cnnbook.nn import CrossEntropyLoss, Module
from cnnbook.optim import Optimizer

__all__ = [
    "Evaluation",
    "History",
    "NonFiniteLossError",
    "confusion_matrix",
    "evaluate",
    "fit",
    "format_confusion_matrix",
    "load_checkpoint",
    "predict",
    "save_checkpoint",
    "step_lr",
]

#: ``transform(xb, rng) -> xb``, applied to each training batch (e.g. random shifts).
Transform = Callable[[np.ndarray, np.random.Generator], np.ndarray]


class NonFiniteLossError(ValueError, FloatingPointError):
    """The training loss became NaN or infinite (the message names the epoch and step).

    Attributes
    ----------
    epoch : int
        1-based epoch.
    step : int
        1-based optimizer step, counted from the start of training.
    """

    def __init__(self, message: str, epoch: int, step: int) -> None:
        super().__init__(message)
        self.epoch, self.step = epoch, step


class Evaluation(NamedTuple):
    """Accuracy (fraction correct) and mean loss of a model on a data set."""

    accuracy: float
    loss: float


@dataclass
class History:
    """What `fit` recorded: per-epoch means (train: over the epoch's batches, in training mode).

    Attributes
    ----------
    train_loss, train_accuracy, test_loss, test_accuracy : list of float
        One entry per epoch (test lists stay empty without test data).
    step_loss : list of float
        The loss of every optimizer step, in order.
    epoch_seconds : list of float
        Wall-clock time of each epoch's training steps (not the evaluation).
    """

    train_loss: list[float] = field(default_factory=list)
    train_accuracy: list[float] = field(default_factory=list)
    test_loss: list[float] = field(default_factory=list)
    test_accuracy: list[float] = field(default_factory=list)
    step_loss: list[float] = field(default_factory=list)
    epoch_seconds: list[float] = field(default_factory=list)

    @property
    def epochs(self) -> int:
        """Number of completed epochs."""
        return len(self.train_loss)


def _positive_int(name: str, value: Any) -> int:
    if not isinstance(value, numbers.Integral) or isinstance(value, bool) or value < 1:
        raise ValueError(f"{name} (={value!r}) must be a positive int")
    return int(value)


def _model_dtype(model: Module) -> np.dtype | None:
    return next((p.data.dtype for p in model.parameters()), None)


def _check_data(name: str, data: Any, model: Module) -> tuple[np.ndarray, np.ndarray]:
    """Return ``(x, y)`` of `data`, or raise a ValueError naming `name`."""
    if not isinstance(data, tuple | list) or len(data) != 2:
        raise ValueError(f"{name} must be a pair (x, y); got {type(data).__name__}")
    x, y = np.asarray(data[0]), np.asarray(data[1])
    if len(x) == 0 or x.size == 0:
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


def _logits(model: Module, x: np.ndarray, batch_size: int) -> np.ndarray:
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

    Examples
    --------
    >>> from cnnbook import nn
    >>> model = nn.Sequential(nn.Flatten(), nn.Linear(4, 3, rng=np.random.default_rng(0)))
    >>> predict(model, np.zeros((2, 1, 2, 2), dtype=np.float32)).shape
    (2,)
    """
    _positive_int("batch_size", batch_size)
    return _logits(model, np.asarray(x), batch_size).argmax(axis=1).astype(np.int64)


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
    x, y = _check_data("data", (x, y), model)
    _positive_int("batch_size", batch_size)
    loss_fn = CrossEntropyLoss() if loss_fn is None else loss_fn
    logits = _logits(model, x, batch_size)
    loss = loss_fn(logits, y)
    return Evaluation(float(np.mean(logits.argmax(axis=1) == y)), float(loss))


def confusion_matrix(
    y_true: np.ndarray, y_pred: np.ndarray, n_classes: int | None = None
) -> np.ndarray:
    """Count how often each true class (row) was predicted as each class (column).

    Parameters
    ----------
    y_true, y_pred : ndarray of shape (N,), int
    n_classes : int, optional
        Default: ``max(y_true.max(), y_pred.max()) + 1``.

    Returns
    -------
    ndarray of shape (n_classes, n_classes), int64
        ``m[i, j]`` = number of samples of class ``i`` predicted as ``j``; the
        diagonal holds the correct ones (scikit-learn's convention).

    Raises
    ------
    ValueError
        If the labels are not integers in ``[0, n_classes)`` or the shapes differ.

    Examples
    --------
    >>> confusion_matrix(np.array([0, 0, 1, 2]), np.array([0, 1, 1, 2]))
    array([[1, 1, 0],
           [0, 1, 0],
           [0, 0, 1]])
    """
    t, p = np.asarray(y_true), np.asarray(y_pred)
    if t.ndim != 1 or t.shape != p.shape:
        raise ValueError(f"y_true {t.shape} and y_pred {p.shape} must be 1-D of the same length")
    for name, labels in (("y_true", t), ("y_pred", p)):
        if labels.dtype.kind not in "iu":
            raise ValueError(f"{name} has dtype {labels.dtype}; expected integer class labels")
    if n_classes is None:
        n_classes = int(max(t.max(initial=0), p.max(initial=0))) + 1
    n_classes = _positive_int("n_classes", n_classes)
    for name, labels in (("y_true", t), ("y_pred", p)):
        if labels.size and (labels.min() < 0 or labels.max() >= n_classes):
            raise ValueError(f"{name} has labels outside [0, {n_classes}) (n_classes={n_classes})")
    counts = np.bincount(t * n_classes + p, minlength=n_classes * n_classes)
    return counts.reshape(n_classes, n_classes).astype(np.int64)


def format_confusion_matrix(matrix: np.ndarray, labels: list[str] | None = None) -> str:
    r"""Format a confusion matrix as an aligned table (rows: true class, columns: predicted).

    Examples
    --------
    >>> print(format_confusion_matrix(np.array([[5, 0], [1, 4]])))
    true\pred  0  1
             0  5  0
             1  1  4
    """
    m = np.asarray(matrix)
    names = labels if labels is not None else [str(i) for i in range(len(m))]
    width = max(len(str(int(m.max(initial=0)))), *(len(s) for s in names))
    head = "true\\pred"
    lines = [head + " " + " ".join(s.rjust(width) for s in names)]
    for name, row in zip(names, m, strict=True):
        lines.append(name.rjust(len(head)) + " " + " ".join(str(v).rjust(width) for v in row))
    return "\n".join(lines)


def _progress_bar(total: int, desc: str, enabled: bool) -> Any:
    if not enabled:
        return None
    try:
        from tqdm.auto import tqdm
    except ImportError as exc:  # pragma: no cover - depends on the environment
        raise ImportError(
            "the progress bar needs tqdm: pip install 'cnnbook[train]' (or progress=False)"
        ) from exc
    return tqdm(total=total, desc=desc, unit="batch", leave=True, dynamic_ncols=True)


def fit(
    model: Module,
    loss_fn: CrossEntropyLoss,
    optimizer: Optimizer,
    train_data: tuple[np.ndarray, np.ndarray],
    epochs: int,
    batch_size: int = 64,
    test_data: tuple[np.ndarray, np.ndarray] | None = None,
    rng: np.random.Generator | int | None = None,
    progress: bool = True,
    transform: Transform | None = None,
    lr_schedule: Callable[[int], float] | None = None,
) -> History:
    r"""Train `model` with mini-batch gradient descent; return the per-epoch history.

    Every epoch reshuffles the training set (with `rng`) and, for each batch,
    runs forward, loss, backward and ``optimizer.step()``; then, given `test_data`,
    evaluates the model (in evaluation mode). The model is left in training mode.

    Parameters
    ----------
    model : Module
        Maps ``(N, C, H, W)`` images to ``(N, classes)`` logits.
    loss_fn : CrossEntropyLoss
    optimizer : Optimizer
        Built on ``model.parameters()`` (e.g. `cnnbook.optim.Adam`).
    train_data : (x, y)
        ``x`` of shape ``(N, C, H, W)`` in the model's dtype, ``y`` int of shape ``(N,)``.
    epochs : int
    batch_size : int, default 64
    test_data : (x, y), optional
    rng : numpy.random.Generator or int, optional
        Source of the shuffles (and of `transform`'s randomness).
    progress : bool, default True
        Show a tqdm bar per epoch (on stderr) with the running loss and accuracy.
    transform : callable ``(xb, rng) -> xb``, optional
        Data augmentation applied to every training batch.
    lr_schedule : callable ``epoch -> lr``, optional
        Learning rate of each epoch (numbered from 1), set on every parameter
        group before the epoch starts (e.g. [`step_lr`][cnnbook.train.step_lr]).

    Returns
    -------
    History

    Raises
    ------
    ValueError
        An empty data set, ``x`` not floating or not of the model's dtype, ``y`` not
        integer, `epochs` or `batch_size` < 1, or a learning rate ``<= 0``.
    NonFiniteLossError
        When a step's loss is NaN or infinite (naming the epoch and step).

    Notes
    -----
    The step is $\theta \leftarrow \text{update}(\theta, \nabla_\theta \frac1B
    \sum_{n \in \text{batch}} \ell(f_\theta(x_n), y_n))$, the update being the optimizer's.

    Examples
    --------
    >>> from cnnbook import nn, optim
    >>> rng = np.random.default_rng(0)
    >>> x = rng.standard_normal((40, 1, 2, 2)).astype(np.float32)
    >>> y = (x[:, 0, 0, 0] > 0).astype(np.int64)  # the class is the sign of one pixel
    >>> model = nn.Sequential(nn.Flatten(), nn.Linear(4, 2, rng=rng))
    >>> opt = optim.SGD(model.parameters(), lr=0.5)
    >>> history = fit(model, nn.CrossEntropyLoss(), opt, (x, y), epochs=20, batch_size=8,
    ...               rng=0, progress=False)
    >>> history.epochs, history.train_loss[-1] < history.train_loss[0], history.train_accuracy[-1]
    (20, True, 1.0)
    """
    x, y = _check_data("train_data", train_data, model)
    test = None if test_data is None else _check_data("test_data", test_data, model)
    epochs = _positive_int("epochs", epochs)
    batch_size = _positive_int("batch_size", batch_size)
    for group in optimizer.param_groups:
        if not group["lr"] > 0:
            raise ValueError(f"lr (={group['lr']!r}) must be positive (> 0)")
    generator = np.random.default_rng(rng)
    loader = DataLoader(x, y, batch_size, shuffle=True, rng=generator)
    history = History()
    model.train()
    for epoch in range(1, epochs + 1):
        if lr_schedule is not None:
            lr = lr_schedule(epoch)
            if not lr > 0:
                raise ValueError(f"lr_schedule({epoch}) (={lr!r}) must be positive (> 0)")
            for group in optimizer.param_groups:
                group["lr"] = lr
        bar = _progress_bar(len(loader), f"epoch {epoch}/{epochs}", progress)
        loss_sum, correct, seen = 0.0, 0, 0
        start = time.perf_counter()
        for xb, yb in loader:
            if transform is not None:
                xb = transform(xb, generator)
            optimizer.zero_grad()
            logits = model(xb)
            loss = loss_fn(logits, yb)
            step = len(history.step_loss) + 1
            if not math.isfinite(loss):
                if bar is not None:
                    bar.close()
                raise NonFiniteLossError(
                    f"the loss became {loss} at epoch {epoch}, step {step} "
                    f"(lr={optimizer.param_groups[0]['lr']}); try a smaller learning rate",
                    epoch,
                    step,
                )
            model.backward(loss_fn.backward(), need_input_grad=False)
            optimizer.step()
            history.step_loss.append(loss)
            loss_sum += loss * len(yb)
            correct += int(np.sum(logits.argmax(axis=1) == yb))
            seen += len(yb)
            if bar is not None:
                bar.update(1)
                bar.set_postfix(loss=f"{loss_sum / seen:.4f}", acc=f"{correct / seen:.3f}")
        history.epoch_seconds.append(time.perf_counter() - start)
        history.train_loss.append(loss_sum / seen)
        history.train_accuracy.append(correct / seen)
        if test is not None:
            result = evaluate(model, *test, loss_fn=loss_fn)
            history.test_loss.append(result.loss)
            history.test_accuracy.append(result.accuracy)
            if bar is not None:
                bar.set_postfix(
                    loss=f"{history.train_loss[-1]:.4f}",
                    acc=f"{history.train_accuracy[-1]:.3f}",
                    test_acc=f"{result.accuracy:.3f}",
                )
        if bar is not None:
            bar.close()
    return history


def step_lr(lr: float, milestones: Sequence[int], gamma: float = 0.1) -> Callable[[int], float]:
    r"""Return a learning-rate schedule for `fit`: multiply `lr` by `gamma` at each milestone epoch.

    Like ``torch.optim.lr_scheduler.MultiStepLR``: epoch $e$ (from 1) trains with
    $\eta\,\gamma^{\#\{m \in \text{milestones} : m < e\}}$.

    Examples
    --------
    >>> schedule = step_lr(0.1, milestones=[2])
    >>> [round(schedule(e), 4) for e in (1, 2, 3, 4)]
    [0.1, 0.1, 0.01, 0.01]
    """
    if not lr > 0:
        raise ValueError(f"lr (={lr!r}) must be positive (> 0)")
    if not 0 < gamma <= 1:
        raise ValueError(f"gamma (={gamma!r}) must be in (0, 1]")
    marks = sorted(int(m) for m in milestones)
    return lambda epoch: lr * gamma ** sum(m < epoch for m in marks)


def save_checkpoint(model: Module, path: str | Path) -> Path:
    """Save every parameter of `model` to an ``.npz`` file keyed by torch's names.

    Returns
    -------
    Path
        The file written (``.npz`` is appended if missing, as `numpy.savez` does).

    Examples
    --------
    >>> import tempfile
    >>> from cnnbook import nn
    >>> model = nn.Sequential(nn.Linear(3, 2, rng=np.random.default_rng(0)))
    >>> path = save_checkpoint(model, Path(tempfile.mkdtemp()) / "weights")
    >>> path.name, sorted(np.load(path).files)
    ('weights.npz', ['0.bias', '0.weight'])
    """
    path = Path(path)
    if path.suffix != ".npz":
        path = path.with_name(path.name + ".npz")
    path.parent.mkdir(parents=True, exist_ok=True)
    state: dict[str, Any] = model.state_dict()
    np.savez(path, **state)
    return path


def load_checkpoint(model: Module, path: str | Path) -> Module:
    """Load a checkpoint written by `save_checkpoint` into `model` (in place); return it.

    Raises
    ------
    ValueError
        If the checkpoint was saved from another architecture: the message names
        the file, the parameter and both shapes (or the missing/unexpected names).

    Examples
    --------
    >>> import tempfile
    >>> from cnnbook import nn
    >>> a = nn.Sequential(nn.Linear(3, 2, rng=np.random.default_rng(0)))
    >>> b = nn.Sequential(nn.Linear(3, 2, rng=np.random.default_rng(1)))
    >>> path = save_checkpoint(a, Path(tempfile.mkdtemp()) / "a.npz")
    >>> np.array_equal(load_checkpoint(b, path)[0].weight.data, a[0].weight.data)
    True
    """
    with np.load(Path(path)) as archive:
        state = {name: archive[name] for name in archive.files}
    try:
        model.load_state_dict(state)
    except ValueError as err:
        raise ValueError(f"checkpoint {path} does not fit the model: {err}") from err
    return model
