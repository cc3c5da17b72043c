r"""The training loop: `fit` repeats forward, loss, backward and step, and records a `History`.

One step is the whole algorithm of a neural network, in four lines:
forward (``loss_fn(model(xb), yb)``), backward (``model.backward(loss_fn.backward())``),
``optimizer.step()``, ``optimizer.zero_grad()``. A loss that becomes NaN or infinite
stops training at once with a `NonFiniteLossError`.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from cnnbook._rng import generator
from cnnbook._validation import boolean, finite_real
from cnnbook.data import DataLoader
from cnnbook.nn import CrossEntropyLoss, Module
from cnnbook.optim import Optimizer
from cnnbook.train.evaluation import check_data, check_model, evaluate, positive_count

__all__ = ["History", "NonFiniteLossError", "Transform", "fit"]

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


def _check_lr(name: str, lr: Any) -> float:
    if not finite_real(name, lr) > 0:
        raise ValueError(f"{name} (={lr!r}) must be positive (> 0)")
    return float(lr)


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
    check_model(model)
    if not callable(loss_fn) or not callable(getattr(loss_fn, "backward", None)):
        raise TypeError(
            f"loss_fn (={loss_fn!r}) must be a loss with a backward(), e.g. nn.CrossEntropyLoss()"
        )
    if not isinstance(optimizer, Optimizer):
        raise TypeError(
            f"optimizer (={optimizer!r}) must be a cnnbook.optim.Optimizer, "
            "e.g. optim.Adam(model.parameters())"
        )
    x, y = check_data("train_data", train_data, model)
    test = None if test_data is None else check_data("test_data", test_data, model)
    epochs = positive_count("epochs", epochs)
    batch_size = positive_count("batch_size", batch_size)
    for group in optimizer.param_groups:
        _check_lr("lr", group["lr"])
    for name, hook in (("transform", transform), ("lr_schedule", lr_schedule)):
        if hook is not None and not callable(hook):
            raise TypeError(f"{name} (={hook!r}) must be callable or None")
    progress = boolean("progress", progress)
    shuffles = generator("rng", rng)
    loader = DataLoader(x, y, batch_size, shuffle=True, rng=shuffles)
    history = History()
    model.train()
    for epoch in range(1, epochs + 1):
        if lr_schedule is not None:
            lr = _check_lr(f"lr_schedule({epoch})", lr_schedule(epoch))
            for group in optimizer.param_groups:
                group["lr"] = lr
        bar = _progress_bar(len(loader), f"epoch {epoch}/{epochs}", progress)
        try:  # the bar is closed on every exit, Ctrl-C included, so messages start a line
            loss_sum, correct, seen = 0.0, 0, 0
            start = time.perf_counter()
            for xb, yb in loader:
                if transform is not None:
                    xb = transform(xb, shuffles)
                optimizer.zero_grad()
                logits = model(xb)
                loss = loss_fn(logits, yb)
                step = len(history.step_loss) + 1
                if not math.isfinite(loss):
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
        finally:
            if bar is not None:
                bar.close()
    return history
