"""Training parity: cnnbook's `fit` and the identical torch model (to_torch) on the same batches."""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np
import pytest
import torch
from threadpoolctl import threadpool_limits

from cnnbook import nn, optim
from cnnbook.data import DataLoader, load_digits, random_shifts, train_test_split
from cnnbook.models import reference_cnn
from cnnbook.torch_bridge import to_torch
from cnnbook.train import evaluate, fit, step_lr

pytestmark = [pytest.mark.torch, pytest.mark.slow]

EPOCHS, BATCH, LR, SEED = 2, 32, 2e-3, 0


def replay_batches(x: np.ndarray, y: np.ndarray, seed: int, epochs: int):
    """fit's batches: one Generator feeds the shuffles and then each batch's shifts."""
    generator = np.random.default_rng(seed)
    loader = DataLoader(x, y, BATCH, shuffle=True, rng=generator)
    for epoch in range(1, epochs + 1):
        for xb, yb in loader:
            yield epoch, random_shifts(xb, generator, 1, 0.5), yb


@pytest.fixture(scope="module")
def both_trained() -> Iterator[dict]:
    # Small matrices: one thread each is fastest, and spares a shared machine's cores.
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    with threadpool_limits(1, user_api="blas"):
        yield train_both()
    torch.set_num_threads(threads)


def train_both() -> dict:
    x, y = load_digits(dtype=np.float64)
    train, test = train_test_split(x, y, 0.2, SEED)
    # float64 and no dropout: the two runs are the same computation up to rounding
    model = reference_cnn(np.random.default_rng(SEED), dtype=np.float64, dropout=0.0)
    tmodel = to_torch(model)
    schedule = step_lr(LR, [1])
    seen: list[np.ndarray] = []

    def shifts(xb: np.ndarray, g: np.random.Generator) -> np.ndarray:
        seen.append(random_shifts(xb, g, 1, 0.5))
        return seen[-1]

    history = fit(
        model,
        nn.CrossEntropyLoss(),
        optim.Adam(model.parameters(), lr=LR),
        train,
        epochs=EPOCHS,
        batch_size=BATCH,
        rng=SEED,
        progress=False,
        transform=shifts,
        lr_schedule=schedule,
    )
    topt = torch.optim.Adam(tmodel.parameters(), lr=LR)
    torch_losses, replayed = [], []
    for epoch, xb, yb in replay_batches(*train, SEED, EPOCHS):
        replayed.append(xb)
        for group in topt.param_groups:
            group["lr"] = schedule(epoch)
        topt.zero_grad()
        loss = torch.nn.functional.cross_entropy(tmodel(torch.from_numpy(xb)), torch.from_numpy(yb))
        loss.backward()
        topt.step()
        torch_losses.append(loss.item())
    tmodel.eval()
    with torch.no_grad():
        t_pred = tmodel(torch.from_numpy(test[0])).argmax(1).numpy()
    return {
        "seen": seen,
        "replayed": replayed,
        "history": history,
        "torch_losses": torch_losses,
        "accuracy": evaluate(model, *test).accuracy,
        "torch_accuracy": float(np.mean(t_pred == test[1])),
        "model": model,
        "tmodel": tmodel,
    }


def test_torch_trains_on_exactly_the_batches_fit_used(both_trained: dict) -> None:
    assert len(both_trained["seen"]) == len(both_trained["replayed"]) == EPOCHS * 45
    for a, b in zip(both_trained["seen"], both_trained["replayed"], strict=True):
        np.testing.assert_array_equal(a, b)


def test_loss_curves_agree_step_for_step(both_trained: dict) -> None:
    np.testing.assert_allclose(
        both_trained["history"].step_loss, both_trained["torch_losses"], rtol=0, atol=1e-6
    )


def test_trained_parameters_agree(both_trained: dict) -> None:
    torch_params = dict(both_trained["tmodel"].named_parameters())
    for name, p in both_trained["model"].named_parameters():
        np.testing.assert_allclose(
            p.data, torch_params[name].detach().numpy(), atol=1e-6, err_msg=name
        )


def test_test_accuracy_agrees_within_a_point(both_trained: dict) -> None:
    assert both_trained["accuracy"] > 0.8  # it did learn
    assert abs(both_trained["accuracy"] - both_trained["torch_accuracy"]) <= 0.01
