from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from cnnbook import nn, optim
from cnnbook.models import lenet_like, reference_cnn
from cnnbook.train import (
    CheckpointError,
    Evaluation,
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


def tiny_model(seed: int = 0, dropout: float = 0.0) -> nn.Sequential:
    rng = np.random.default_rng(seed)
    return nn.Sequential(
        nn.Conv2d(1, 3, 3, padding=1, rng=rng),
        nn.ReLU(),
        nn.MaxPool2d(2),
        nn.Flatten(),
        nn.Dropout(dropout, rng=rng),
        nn.Linear(3 * 2 * 2, 3, rng=rng),
    )


def tiny_data(n: int = 30, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """Three classes told apart by which quarter of a 4×4 image is bright."""
    rng = np.random.default_rng(seed)
    y = np.arange(n) % 3
    x = rng.random((n, 1, 4, 4)).astype(np.float32) * 0.1
    for k in range(3):
        x[y == k, 0, (k // 2) * 2 : (k // 2) * 2 + 2, (k % 2) * 2 : (k % 2) * 2 + 2] += 1
    return x, y.astype(np.int64)


def run(model: nn.Module, data: tuple, **kwargs: object) -> object:
    opt = optim.Adam(model.parameters(), lr=0.05)
    args: dict = {"epochs": 3, "batch_size": 8, "rng": 0, "progress": False, **kwargs}
    return fit(model, nn.CrossEntropyLoss(), opt, data, **args)


# -- fit ----------------------------------------------------------------------------------------


def test_fit_learns_a_separable_problem() -> None:
    data = tiny_data()
    model = tiny_model()
    history = run(model, data, epochs=25)
    assert history.epochs == 25
    assert history.train_loss[-1] < history.train_loss[0] / 5
    assert history.train_accuracy[-1] == 1.0
    assert evaluate(model, *tiny_data(12, seed=5)).accuracy == 1.0


def test_history_has_one_step_loss_per_batch_and_epoch_means_weighted_by_batch() -> None:
    history = run(tiny_model(), tiny_data(30), epochs=2, batch_size=8)  # batches 8, 8, 8, 6
    assert len(history.step_loss) == 2 * 4
    sizes = np.array([8, 8, 8, 6])
    for epoch in range(2):
        losses = np.array(history.step_loss[4 * epoch : 4 * epoch + 4])
        assert history.train_loss[epoch] == pytest.approx((losses * sizes).sum() / 30)
    assert len(history.epoch_seconds) == 2 and min(history.epoch_seconds) > 0


def test_fit_is_reproducible_from_its_seeds() -> None:
    a = run(tiny_model(1, dropout=0.3), tiny_data(), epochs=2)
    b = run(tiny_model(1, dropout=0.3), tiny_data(), epochs=2)
    assert a.step_loss == b.step_loss


def test_fit_records_test_metrics_equal_to_evaluate() -> None:
    data, test = tiny_data(30, seed=0), tiny_data(12, seed=1)
    model = tiny_model(dropout=0.5)
    history = run(model, data, test_data=test)
    result = evaluate(model, *test)
    assert history.test_accuracy[-1] == result.accuracy
    assert history.test_loss[-1] == pytest.approx(result.loss)
    assert len(history.test_loss) == history.epochs == 3
    assert model.training  # left in training mode


def test_fit_applies_the_learning_rate_schedule() -> None:
    model = tiny_model()
    opt = optim.SGD(model.parameters(), lr=1.0)
    seen: list[float] = []

    def spy(xb: np.ndarray, _: np.random.Generator) -> np.ndarray:
        seen.append(opt.param_groups[0]["lr"])
        return xb

    fit(
        model,
        nn.CrossEntropyLoss(),
        opt,
        tiny_data(16),
        epochs=3,
        batch_size=8,
        progress=False,
        transform=spy,
        lr_schedule=step_lr(0.5, [1, 2], gamma=0.5),
    )
    assert seen == [0.5, 0.5, 0.25, 0.25, 0.125, 0.125]


def test_fit_transform_sees_every_training_batch() -> None:
    shapes: list[tuple[int, ...]] = []
    run(
        tiny_model(),
        tiny_data(20),
        epochs=1,
        batch_size=8,
        transform=lambda xb, rng: shapes.append(xb.shape) or xb,
    )
    assert shapes == [(8, 1, 4, 4), (8, 1, 4, 4), (4, 1, 4, 4)]


def test_fit_shows_a_progress_bar_on_stderr(capsys: pytest.CaptureFixture[str]) -> None:
    run(tiny_model(), tiny_data(16), epochs=2, progress=True, test_data=tiny_data(6, 1))
    err = capsys.readouterr().err
    assert "epoch 1/2" in err and "epoch 2/2" in err and "test_acc" in err


def test_fit_without_progress_prints_nothing(capsys: pytest.CaptureFixture[str]) -> None:
    run(tiny_model(), tiny_data(16), epochs=1, progress=False)
    assert capsys.readouterr() == ("", "")


def test_a_non_finite_loss_stops_training_naming_epoch_and_step() -> None:
    def poison_in_epoch_2(xb: np.ndarray, rng: np.random.Generator) -> np.ndarray:
        poison_in_epoch_2.calls += 1  # type: ignore[attr-defined]
        return xb * np.float32("nan") if poison_in_epoch_2.calls == 6 else xb  # type: ignore[attr-defined]

    poison_in_epoch_2.calls = 0  # type: ignore[attr-defined]
    with pytest.raises(NonFiniteLossError, match=r"loss became nan at epoch 2, step 6") as info:
        run(tiny_model(), tiny_data(32), epochs=3, batch_size=8, transform=poison_in_epoch_2)
    assert (info.value.epoch, info.value.step) == (2, 6)
    assert isinstance(info.value, ValueError) and isinstance(info.value, FloatingPointError)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ((np.zeros((0, 1, 4, 4), np.float32), np.zeros(0, np.int64)), r"train_data is empty"),
        (
            (np.zeros((2, 1, 4, 4), np.uint8), np.zeros(2, np.int64)),
            r"train_data: x has dtype uint8; expected floats",
        ),
        (
            (np.zeros((2, 1, 4, 4), np.float32), np.zeros(2)),
            r"train_data: y has dtype float64; expected integer",
        ),
        (
            (np.zeros((2, 1, 4, 4), np.float64), np.zeros(2, np.int64)),
            r"train_data: x has dtype float64 but the model's parameters are float32",
        ),
        (
            (np.zeros((2, 1, 4, 4), np.float32), np.zeros(3, np.int64)),
            r"train_data: y has shape \(3,\); expected \(2,\)",
        ),
        (np.zeros(3), r"train_data must be a pair \(x, y\)"),
    ],
)
def test_fit_rejects_bad_training_data(data: object, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        run(tiny_model(), data)


def test_fit_rejects_empty_test_data() -> None:
    empty = (np.zeros((0, 1, 4, 4), np.float32), np.zeros(0, np.int64))
    with pytest.raises(ValueError, match="test_data is empty"):
        run(tiny_model(), tiny_data(), test_data=empty)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"epochs": 0}, r"epochs \(=0\) must be a positive int"),
        ({"batch_size": 0}, r"batch_size \(=0\) must be a positive int"),
        ({"lr_schedule": lambda e: 0.0}, r"lr_schedule\(1\) \(=0.0\) must be positive"),
    ],
)
def test_fit_rejects_bad_arguments(kwargs: dict, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        run(tiny_model(), tiny_data(), **kwargs)


@pytest.mark.parametrize("lr", [0.0, -0.1])
def test_fit_rejects_a_non_positive_learning_rate(lr: float) -> None:
    model = tiny_model()
    opt = optim.SGD(model.parameters(), lr=0.1)
    opt.param_groups[0]["lr"] = lr  # changed after construction, which checks it too
    with pytest.raises(ValueError, match=rf"lr \(={lr}\) must be positive \(> 0\)"):
        fit(model, nn.CrossEntropyLoss(), opt, tiny_data(), epochs=1, progress=False)
    with pytest.raises(ValueError, match=r"lr \(=.*\) must be positive"):
        optim.Adam(model.parameters(), lr=lr)


def test_step_lr_matches_torch_multisteplr_semantics_by_hand() -> None:
    schedule = step_lr(1.0, [3, 5], gamma=0.5)
    assert [schedule(e) for e in range(1, 8)] == [1, 1, 1, 0.5, 0.5, 0.25, 0.25]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ((0.0, [1]), r"lr \(=0.0\) must be positive"),
        ((0.1, [1], 0.0), r"gamma \(=0.0\) must be in \(0, 1\]"),
    ],
)
def test_step_lr_rejects_bad_arguments(args: tuple, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        step_lr(*args)


# -- evaluate / predict -------------------------------------------------------------------------


def constant_model(logits: list[float]) -> nn.Sequential:
    """A model whose output is `logits` for every input (zero weight, bias = logits)."""
    model = nn.Sequential(
        nn.Flatten(), nn.Linear(4, len(logits), rng=np.random.default_rng(0), dtype=np.float64)
    )
    model[1].weight.data[:] = 0
    model[1].bias.data[:] = logits
    return model


def test_evaluate_gives_accuracy_and_cross_entropy_by_hand() -> None:
    model = constant_model([0.0, np.log(3.0), 0.0])  # softmax = (1/5, 3/5, 1/5)
    x, y = np.zeros((4, 1, 2, 2)), np.array([1, 1, 1, 0])
    result = evaluate(model, x, y)
    assert isinstance(result, Evaluation)
    assert result.accuracy == 0.75
    assert result.loss == pytest.approx((3 * -np.log(3 / 5) - np.log(1 / 5)) / 4)


def test_evaluate_runs_in_eval_mode_and_restores_the_mode() -> None:
    model = tiny_model(dropout=0.9)
    x, y = tiny_data()
    a, b = evaluate(model, x, y), evaluate(model, x, y)
    assert a == b  # no dropout noise
    assert model.training
    model.eval()
    evaluate(model, x, y)
    assert not model.training


@pytest.mark.parametrize("batch_size", [1, 7, 256])
def test_predict_is_the_argmax_whatever_the_batch_size(batch_size: int) -> None:
    model = tiny_model(3)
    x, _ = tiny_data(20)
    model.eval()
    expected = model(x).argmax(axis=1)
    np.testing.assert_array_equal(predict(model, x, batch_size=batch_size), expected)


# -- confusion matrix ---------------------------------------------------------------------------


@given(hnp.arrays(np.int64, st.integers(1, 40), elements=st.integers(0, 4)), st.randoms())
def test_confusion_matrix_matches_sklearn(y_true: np.ndarray, random: object) -> None:
    from sklearn.metrics import confusion_matrix as sk_confusion_matrix

    y_pred = np.array([random.randint(0, 4) for _ in y_true])  # type: ignore[attr-defined]
    got = confusion_matrix(y_true, y_pred, n_classes=5)
    np.testing.assert_array_equal(got, sk_confusion_matrix(y_true, y_pred, labels=range(5)))
    assert got.sum() == len(y_true) and np.trace(got) == np.sum(y_true == y_pred)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ((np.array([0, 1]), np.array([0])), r"must be 1-D of the same length"),
        ((np.array([0.0, 1.0]), np.array([0, 1])), r"y_true has dtype float64"),
        ((np.array([0, 3]), np.array([0, 1]), 3), r"y_true has labels outside \[0, 3\)"),
        ((np.array([0, 1]), np.array([-1, 1]), 3), r"y_pred has labels outside \[0, 3\)"),
    ],
)
def test_confusion_matrix_rejects_bad_labels(args: tuple, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        confusion_matrix(*args)


def test_formatted_confusion_matrix_reads_back_as_the_matrix() -> None:
    m = np.array([[12, 0, 1], [3, 100, 0], [0, 0, 7]])
    lines = format_confusion_matrix(m).splitlines()
    assert lines[0].split()[1:] == ["0", "1", "2"]
    rows = np.array([[int(v) for v in line.split()[1:]] for line in lines[1:]])
    np.testing.assert_array_equal(rows, m)


# -- checkpoints --------------------------------------------------------------------------------


def test_checkpoint_round_trip_is_bitwise_exact(tmp_path: Path) -> None:
    a, b = reference_cnn(np.random.default_rng(0)), reference_cnn(np.random.default_rng(1))
    path = save_checkpoint(a, tmp_path / "weights")
    assert path == tmp_path / "weights.npz" and path.is_file()
    load_checkpoint(b, path)
    for (name, p), (_, q) in zip(a.named_parameters(), b.named_parameters(), strict=True):
        assert p.data.dtype == q.data.dtype, name
        assert p.data.tobytes() == q.data.tobytes(), name
    x = np.random.default_rng(2).random((3, 1, 8, 8)).astype(np.float32)
    np.testing.assert_array_equal(predict(a, x), predict(b, x))


def test_checkpoint_from_another_architecture_names_the_parameter_and_shapes(
    tmp_path: Path,
) -> None:
    path = save_checkpoint(
        reference_cnn(np.random.default_rng(0), in_channels=3), tmp_path / "rgb.npz"
    )
    with pytest.raises(
        ValueError,
        match=r"rgb.npz does not fit the model: state\['0.weight'\] "
        r"has shape \(32, 3, 3, 3\); the model's parameter '0.weight' has shape "
        r"\(32, 1, 3, 3\)",
    ):
        load_checkpoint(reference_cnn(np.random.default_rng(0)), path)


def test_checkpoint_with_other_layer_names_lists_them(tmp_path: Path) -> None:
    path = save_checkpoint(
        lenet_like(np.random.default_rng(0), image_size=8, padding=1), tmp_path / "lenet.npz"
    )
    with pytest.raises(
        ValueError,
        match=r"lenet.npz does not fit the model: .*missing keys "
        r"\['8.bias', '8.weight'\], unexpected keys \['7.bias', '7.weight'\]",
    ):
        load_checkpoint(reference_cnn(np.random.default_rng(0)), path)


def test_checkpoint_save_is_atomic_and_leaves_no_temporary_file(tmp_path: Path) -> None:
    path = save_checkpoint(reference_cnn(np.random.default_rng(0)), tmp_path / "w.npz")
    save_checkpoint(reference_cnn(np.random.default_rng(1)), path)  # overwrite in place
    assert sorted(p.name for p in tmp_path.iterdir()) == ["w.npz"]


def test_an_interrupted_checkpoint_save_keeps_the_old_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = save_checkpoint(reference_cnn(np.random.default_rng(0)), tmp_path / "w.npz")
    before = path.read_bytes()

    def interrupted(*args: object, **kwargs: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(np, "savez", interrupted)
    with pytest.raises(KeyboardInterrupt):
        save_checkpoint(reference_cnn(np.random.default_rng(1)), path)
    assert path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["w.npz"]


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (1j, r"'0.weight' has dtype complex128; .*imaginary part would be lost"),
        (1e300, r"'0.weight' holds 1e\+300, which overflows the model's float32"),
    ],
)
def test_a_checkpoint_value_the_model_cannot_hold_is_refused_and_the_model_kept(
    tmp_path: Path, value: complex, message: str
) -> None:
    model = reference_cnn(np.random.default_rng(0))
    state = model.state_dict()
    state["0.weight"] = state["0.weight"].astype(np.asarray(value).dtype)
    state["0.weight"].flat[3] = value
    np.savez(tmp_path / "bad.npz", **state)
    before = {k: v.copy() for k, v in model.state_dict().items()}
    with pytest.raises(CheckpointError, match=message):
        load_checkpoint(model, tmp_path / "bad.npz")
    for name, p in model.named_parameters():
        np.testing.assert_array_equal(p.data, before[name])


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", r"is not an \.npz file"),
        (b"not a zip at all", r"is not an \.npz file"),
        ("truncated", r"is (not an \.npz file|corrupt or truncated)"),
        ("pickle", r"is not an \.npz file .*pickle"),
        ("npy", r"holds a single array \(\.npy\)"),
    ],
)
def test_a_corrupt_checkpoint_names_the_file_and_the_fault(
    tmp_path: Path, content: object, message: str
) -> None:
    path = tmp_path / "broken.npz"
    if content == "truncated":
        good = save_checkpoint(reference_cnn(np.random.default_rng(0)), tmp_path / "good.npz")
        path.write_bytes(good.read_bytes()[: good.stat().st_size // 2])
    elif content == "pickle":
        np.save(path.with_suffix(".npy"), np.array([{"a": 1}], dtype=object), allow_pickle=True)
        path = path.with_suffix(".npy")
    elif content == "npy":
        np.save(path.with_suffix(".npy"), np.zeros(3))
        path = path.with_suffix(".npy")
    else:
        path.write_bytes(content)  # type: ignore[arg-type]
    with pytest.raises(CheckpointError, match=rf"checkpoint .*{path.name} {message}"):
        load_checkpoint(reference_cnn(np.random.default_rng(0)), path)
