"""Bad input to `cnnbook.train` (loop, evaluation, metrics, schedules, checkpoints), by cause."""

from __future__ import annotations

import struct
import tempfile
import zipfile
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from cnnbook import nn, optim
from cnnbook.train import (
    CheckpointError,
    Evaluation,
    History,
    NonFiniteLossError,
    confusion_matrix,
    evaluate,
    fit,
    format_confusion_matrix,
    load_checkpoint,
    predict,
    save_checkpoint,
    step_lr,
)


def model() -> nn.Sequential:
    return nn.Sequential(nn.Flatten(), nn.Linear(4, 2, rng=np.random.default_rng(0)))


X = np.zeros((4, 1, 2, 2), np.float32)
Y = np.array([0, 1, 0, 1])


def run(**kwargs: object) -> History:
    m = kwargs.pop("model") if "model" in kwargs else model()
    if "optimizer" not in kwargs:
        kwargs["optimizer"] = optim.SGD(m.parameters(), lr=0.1)  # type: ignore[union-attr]
    args = {
        "model": m,
        "loss_fn": nn.CrossEntropyLoss(),
        "train_data": (X, Y),
        "epochs": 1,
        "progress": False,
    }
    args.update(kwargs)
    return fit(**args)  # type: ignore[arg-type]


# The cases' files live in one folder per process, removed when the process exits (the
# cases are zero-argument lambdas, so pytest's tmp_path cannot reach them).
_FILES = tempfile.TemporaryDirectory(prefix="bad-ckpt-")


def tmp(name: str) -> Path:
    return Path(tempfile.mkdtemp(dir=_FILES.name)) / name


def written(name: str, content: bytes) -> Path:
    path = tmp(name)
    path.write_bytes(content)
    return path


def saved_state(name: str, **changes: np.ndarray) -> Path:
    """A checkpoint of `model()` with some arrays replaced."""
    state = {**model().state_dict(), **changes}
    path = tmp(name)
    np.savez(path, **state)
    return path


def half_of_a_checkpoint() -> Path:
    good = save_checkpoint(model(), tmp("good.npz"))
    return written("half.npz", good.read_bytes()[: good.stat().st_size // 2])


def zip_with_a_corrupt_member() -> Path:
    """A zip whose member's compressed bytes are damaged: the CRC check fails on read."""
    path = tmp("crc.npz")
    np.savez_compressed(path, **model().state_dict())
    raw = bytearray(path.read_bytes())
    with zipfile.ZipFile(path) as archive:
        info = max(archive.infolist(), key=lambda i: i.compress_size)
    # The local header: 30 bytes, then the name and extra field whose lengths it gives.
    name_len, extra_len = struct.unpack(
        "<HH", raw[info.header_offset + 26 : info.header_offset + 30]
    )
    start = info.header_offset + 30 + name_len + extra_len
    middle = start + info.compress_size // 2
    raw[middle : middle + 8] = bytes(b ^ 0xFF for b in raw[middle : middle + 8])
    path.write_bytes(bytes(raw))
    return path


WEIGHT = model().state_dict()["1.weight"]

CASES = [  # (public dotted name, zero-arg call, exception type, regex the message matches)
    # -- None or wrong objects where a model, optimizer or loss belongs -------------------------
    (
        "cnnbook.train.fit",
        lambda: run(model=None, optimizer=optim.SGD(model().parameters(), lr=0.1)),
        TypeError,
        r"model \(=None\) must be a cnnbook.nn.Module",
    ),
    (
        "cnnbook.train.fit",
        lambda: run(optimizer=None),
        TypeError,
        r"optimizer \(=None\) must be a cnnbook.optim.Optimizer",
    ),
    (
        "cnnbook.train.fit",
        lambda: run(loss_fn=np.mean),
        TypeError,
        r"loss_fn \(=.*\) must be a loss with a backward\(\)",
    ),
    (
        "cnnbook.train.fit",
        lambda: run(transform="shift"),
        TypeError,
        r"transform \(='shift'\) must be callable or None",
    ),
    (
        "cnnbook.train.fit",
        lambda: run(progress="no"),
        TypeError,
        r"progress \(='no'\) must be a bool",
    ),
    (
        "cnnbook.train.evaluate",
        lambda: evaluate(None, X, Y),
        TypeError,
        r"model \(=None\) must be a cnnbook.nn.Module",
    ),
    (
        "cnnbook.train.evaluate",
        lambda: evaluate(model(), X, Y, loss_fn="ce"),
        TypeError,
        r"loss_fn \(='ce'\) must be callable",
    ),
    (
        "cnnbook.train.predict",
        lambda: predict(None, X),
        TypeError,
        r"model \(=None\) must be a cnnbook.nn.Module",
    ),
    (
        "cnnbook.train.save_checkpoint",
        lambda: save_checkpoint(None, tmp("w.npz")),
        TypeError,
        r"model \(=None\) must be a cnnbook.nn.Module",
    ),
    (
        "cnnbook.train.save_checkpoint",
        lambda: save_checkpoint(model(), None),
        TypeError,
        r"path \(=None\) must be a str or a pathlib.Path",
    ),
    (
        "cnnbook.train.load_checkpoint",
        lambda: load_checkpoint(None, tmp("w.npz")),
        TypeError,
        r"model \(=None\) must be a cnnbook.nn.Module",
    ),
    # -- data: empty, ragged, wrong dtype or shape --------------------------------------------
    (
        "cnnbook.train.fit",
        lambda: run(train_data=([[1.0, 2.0], [3.0]], [0, 1])),
        ValueError,
        r"train_data: x is a ragged nested sequence",
    ),
    (
        "cnnbook.train.fit",
        lambda: run(train_data=(X[:0], Y[:0])),
        ValueError,
        r"train_data is empty",
    ),
    (
        "cnnbook.train.evaluate",
        lambda: evaluate(model(), X.astype(np.float64), Y),
        ValueError,
        r"data: x has dtype float64 but the model's parameters are float32",
    ),
    (
        "cnnbook.train.predict",
        lambda: predict(model(), X.astype(np.uint8)),
        ValueError,
        r"x: x has dtype uint8; expected floats",
    ),
    (
        "cnnbook.train.predict",
        lambda: predict(model(), X, batch_size=0),
        ValueError,
        r"batch_size \(=0\) must be a positive int",
    ),
    # -- hyperparameters: non-finite, non-positive, non-integer ---------------------------------
    (
        "cnnbook.train.fit",
        lambda: run(epochs=1.5),
        ValueError,
        r"epochs \(=1.5\) must be a positive int",
    ),
    (
        "cnnbook.train.fit",
        lambda: run(lr_schedule=lambda epoch: float("inf")),
        ValueError,
        r"lr_schedule\(1\) \(=inf\) must be finite",
    ),
    (
        "cnnbook.train.step_lr",
        lambda: step_lr(0.1, [1.7]),
        ValueError,
        r"milestones \(=\[1.7\]\) must hold non-negative int epochs; got 1.7",
    ),
    (
        "cnnbook.train.step_lr",
        lambda: step_lr(0.1, [-2]),
        ValueError,
        r"milestones \(=\[-2\]\) must hold non-negative int epochs",
    ),
    (
        "cnnbook.train.step_lr",
        lambda: step_lr(0.1, 5),
        TypeError,
        r"milestones \(=5\) must be a sequence of epochs",
    ),
    (
        "cnnbook.train.step_lr",
        lambda: step_lr(float("inf"), [1]),
        ValueError,
        r"lr \(=inf\) must be finite",
    ),
    (
        "cnnbook.train.step_lr",
        lambda: step_lr(0.1, [1], gamma=float("nan")),
        ValueError,
        r"gamma \(=nan\) must be finite",
    ),
    # -- labels and matrices ------------------------------------------------------------------
    (
        "cnnbook.train.confusion_matrix",
        lambda: confusion_matrix([0, 1], [0, 2], n_classes=2),
        ValueError,
        r"y_pred has labels outside \[0, 2\)",
    ),
    (
        "cnnbook.train.confusion_matrix",
        lambda: confusion_matrix([[0], [0, 1]], [0, 1]),
        ValueError,
        r"y_true is a ragged nested sequence",
    ),
    (
        "cnnbook.train.confusion_matrix",
        lambda: confusion_matrix([0.5], [0]),
        ValueError,
        r"y_true has dtype float64; expected integer class labels",
    ),
    (
        "cnnbook.train.confusion_matrix",
        lambda: confusion_matrix([0], [0], n_classes=10**6),
        ValueError,
        r"the confusion matrix would need 7450.6 GiB",
    ),
    (
        "cnnbook.train.format_confusion_matrix",
        lambda: format_confusion_matrix(np.ones(3, int)),
        ValueError,
        r"matrix has shape \(3,\); expected a square",
    ),
    (
        "cnnbook.train.format_confusion_matrix",
        lambda: format_confusion_matrix(np.eye(2)),
        ValueError,
        r"matrix \(dtype float64\) must hold non-negative integer counts",
    ),
    (
        "cnnbook.train.format_confusion_matrix",
        lambda: format_confusion_matrix(np.eye(2, dtype=int), ["a"]),
        ValueError,
        r"labels has 1 names; matrix has 2 classes",
    ),
    # -- checkpoints the model cannot hold ----------------------------------------------------
    (
        "cnnbook.train.load_checkpoint",
        lambda: load_checkpoint(model(), saved_state("c.npz", **{"1.weight": WEIGHT + 1j})),
        CheckpointError,
        r"'1.weight' has dtype complex64; .*imaginary part would be lost",
    ),
    (
        "cnnbook.train.load_checkpoint",
        lambda: load_checkpoint(
            model(), saved_state("o.npz", **{"1.weight": np.full(WEIGHT.shape, 1e300)})
        ),
        CheckpointError,
        r"'1.weight' holds 1e\+300, which overflows the model's float32",
    ),
    (
        "cnnbook.train.load_checkpoint",
        lambda: load_checkpoint(model(), saved_state("s.npz", **{"1.weight": np.array(["a"])})),
        CheckpointError,
        r"'1.weight' has dtype <U1; expected real numbers",
    ),
    # -- corrupt checkpoint files ---------------------------------------------------------------
    (
        "cnnbook.train.load_checkpoint",
        lambda: load_checkpoint(model(), written("e.npz", b"")),
        CheckpointError,
        r"checkpoint .*e.npz is not an .npz file written by save_checkpoint",
    ),
    (
        "cnnbook.train.load_checkpoint",
        lambda: load_checkpoint(model(), half_of_a_checkpoint()),
        CheckpointError,
        r"checkpoint .*half.npz is (not an .npz file|corrupt or truncated)",
    ),
    (
        "cnnbook.train.load_checkpoint",
        lambda: load_checkpoint(model(), zip_with_a_corrupt_member()),
        CheckpointError,
        r"checkpoint .*crc.npz is corrupt or truncated",
    ),
    (
        "cnnbook.train.load_checkpoint",
        lambda: load_checkpoint(model(), written("p.npz", b"\x80\x04\x95pickled")),
        CheckpointError,
        r"checkpoint .*p.npz is not an .npz file .*pickle",
    ),
    (
        "cnnbook.train.load_checkpoint",
        lambda: load_checkpoint(model(), tmp("")),
        CheckpointError,
        r"checkpoint .* is a directory, not an .npz file",
    ),
    (
        "cnnbook.train.load_checkpoint",
        lambda: load_checkpoint(model(), tmp("missing.npz")),
        FileNotFoundError,
        r"checkpoint .*missing.npz does not exist",
    ),
    # -- bad seeds ------------------------------------------------------------------------------
    (
        "cnnbook.train.fit",
        lambda: run(rng=-1),
        ValueError,
        r"rng \(=-1\) must be a non-negative int",
    ),
    (
        "cnnbook.train.fit",
        lambda: run(rng=2.5),
        TypeError,
        r"rng \(=2.5\) must be a non-negative int seed",
    ),
]


@pytest.mark.parametrize(("name", "call", "exc", "match"), CASES, ids=[c[0] for c in CASES])
def test_bad_input_is_named(name: str, call: object, exc: type, match: str) -> None:
    with pytest.raises(exc, match=match):
        call()  # type: ignore[operator]


def test_the_named_errors_are_value_errors() -> None:
    assert issubclass(CheckpointError, ValueError)
    assert issubclass(NonFiniteLossError, ValueError)


def test_records_hold_what_they_are_given() -> None:
    """`Evaluation` and `History` are plain records `evaluate` and `fit` fill in."""
    assert Evaluation(0.5, 1.0).accuracy == 0.5 and History().epochs == 0


@given(milestone=st.floats())
def test_no_float_milestone_is_truncated_to_an_epoch(milestone: float) -> None:
    with pytest.raises(ValueError, match=r"milestones .* must hold non-negative int epochs"):
        step_lr(0.1, [milestone])  # type: ignore[list-item]


@given(lr=st.sampled_from([0.0, -1.0, float("inf"), float("-inf"), float("nan")]))
def test_no_schedule_may_return_a_non_positive_or_non_finite_lr(lr: float) -> None:
    with pytest.raises(ValueError, match=r"lr_schedule\(1\) \(=.*\) must be"):
        run(lr_schedule=lambda epoch: lr)


def test_a_refused_checkpoint_leaves_the_model_unchanged() -> None:
    m = model()
    before = m.state_dict()
    with pytest.raises(CheckpointError):
        load_checkpoint(m, saved_state("o.npz", **{"1.weight": np.full(WEIGHT.shape, 1e300)}))
    for name, value in m.state_dict().items():
        np.testing.assert_array_equal(value, before[name])
