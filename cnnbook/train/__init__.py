r"""Training a `cnnbook.nn` model: the loop, its history, evaluation, metrics and checkpoints.

One step is the whole algorithm of a neural network, in four lines:
forward (``loss_fn(model(xb), yb)``), backward (``model.backward(loss_fn.backward())``),
``optimizer.step()``, ``optimizer.zero_grad()``. [`fit`][cnnbook.train.fit] repeats
it over shuffled mini-batches for some epochs, with a progress bar, and records a
[`History`][cnnbook.train.History]; a loss that becomes NaN or infinite stops it at
once with a [`NonFiniteLossError`][cnnbook.train.NonFiniteLossError].
One module per concept:

- `cnnbook.train.loop`: [`fit`][cnnbook.train.fit] and its
  [`History`][cnnbook.train.History].
- `cnnbook.train.evaluation`: [`predict`][cnnbook.train.predict] and
  [`evaluate`][cnnbook.train.evaluate].
- `cnnbook.train.metrics`: [`confusion_matrix`][cnnbook.train.confusion_matrix] and
  [`format_confusion_matrix`][cnnbook.train.format_confusion_matrix].
- `cnnbook.train.schedules`: [`step_lr`][cnnbook.train.step_lr].
- `cnnbook.train.checkpoints`: ``.npz`` files keyed by torch's parameter names
  (``"0.weight"``, ...), written atomically; a bad file raises a
  [`CheckpointError`][cnnbook.train.CheckpointError] naming it.
"""

from __future__ import annotations

from cnnbook.train.checkpoints import CheckpointError, load_checkpoint, save_checkpoint
from cnnbook.train.evaluation import Evaluation, evaluate, predict
from cnnbook.train.loop import History, NonFiniteLossError, fit
from cnnbook.train.metrics import confusion_matrix, format_confusion_matrix
from cnnbook.train.schedules import step_lr

__all__ = [
    "CheckpointError",
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
