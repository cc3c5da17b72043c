"""cnnbook.nn vs torch.nn on random architectures: logits, loss, every gradient, training steps.

Each test builds a random CNN in cnnbook (float64), copies it to torch with
`to_torch`, and runs both by hand here (not through the parity report, which
has its own tests), so a bug in the report cannot hide a disagreement.
"""

from __future__ import annotations

import numpy as np
import pytest
import torch

from cnnbook import nn, optim
from cnnbook.torch_bridge import to_torch

pytestmark = [
    pytest.mark.torch,
    # torch's own notice that it copies the input for an even kernel with padding="same"
    pytest.mark.filterwarnings("ignore:Using padding='same' with even kernel:UserWarning"),
]

TOL = 1e-8


@pytest.fixture(autouse=True)
def one_torch_thread():
    """Run torch single-threaded: tiny ops on a shared, loaded machine are 100x faster so."""
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(threads)


def random_model(seed: int, dropout: str = "eval") -> tuple[nn.Sequential, tuple[int, ...], int]:
    """A random valid CNN (float64), its input shape (C, H, W) and its class count.

    `dropout`: "eval" (a Dropout that the caller switches off with eval()), "zero" (p=0)
    or "train" (p=0.3, for tests that inject the mask).
    """
    rng = np.random.default_rng(seed)
    c, h, w = int(rng.integers(1, 4)), int(rng.integers(8, 13)), int(rng.integers(8, 13))
    shape = (c, h, w)
    model = nn.Sequential()

    def try_add(layer: nn.Module) -> bool:
        try:
            model.append(layer)
            model(np.zeros((1, *shape)))
            return True
        except ValueError:
            del model._modules[str(len(model) - 1)]
            return False

    channels = c
    for _ in range(int(rng.integers(1, 3))):
        groups = int(rng.choice([g for g in (1, 2, 3) if channels % g == 0]))
        out = groups * int(rng.integers(1, 4))
        stride = int(rng.integers(1, 3))
        padding = rng.choice(["same", 0, 1]) if stride == 1 else int(rng.integers(0, 2))
        padding = padding if padding == "same" else int(padding)
        conv = nn.Conv2d(
            channels,
            out,
            (int(rng.integers(1, 4)), int(rng.integers(1, 4))),
            stride=stride,
            padding=padding,
            dilation=int(rng.integers(1, 3)),
            groups=groups,
            bias=bool(rng.random() < 0.8),
            rng=rng,
            dtype=np.float64,
        )
        if not try_add(conv):
            continue
        channels = out
        model.append(nn.ReLU() if rng.random() < 0.6 else nn.Tanh())
        kind = rng.integers(0, 3)
        k = int(rng.integers(2, 4))
        pad = int(rng.integers(0, k // 2 + 1))
        ceil = bool(rng.random() < 0.5)
        if kind == 1:
            try_add(
                nn.MaxPool2d(
                    k, int(rng.integers(1, k + 1)), pad, int(rng.integers(1, 3)), ceil_mode=ceil
                )
            )
        elif kind == 2:
            try_add(
                nn.AvgPool2d(k, int(rng.integers(1, k + 1)), pad, ceil, bool(rng.random() < 0.5))
            )
    model.append(nn.Flatten())
    features = model(np.zeros((1, *shape))).shape[1]
    model.append(nn.Dropout({"eval": 0.5, "zero": 0.0, "train": 0.3}[dropout], rng=rng))
    hidden = int(rng.integers(3, 9))
    classes = int(rng.integers(2, 6))
    model.append(nn.Linear(features, hidden, rng=rng, dtype=np.float64))
    model.append(nn.Tanh() if rng.random() < 0.5 else nn.ReLU())
    model.append(nn.Linear(hidden, classes, rng=rng, dtype=np.float64))
    return model, shape, classes


def _batch(seed: int, shape: tuple[int, ...], classes: int, n: int = 6):
    rng = np.random.default_rng(seed + 1000)
    return rng.standard_normal((n, *shape)), rng.integers(0, classes, n)


def _torch_pass(tmodel, x, y):
    tx = torch.from_numpy(x.copy()).requires_grad_(True)
    logits = tmodel(tx)
    loss = torch.nn.functional.cross_entropy(logits, torch.from_numpy(y))
    loss.backward()
    return logits.detach().numpy(), loss.item(), tx.grad.numpy()


def _numpy_pass(model, loss_fn, x, y):
    logits = model(x)
    loss = loss_fn(logits, y)
    return logits, loss, model.backward(loss_fn.backward())


SEEDS = range(16)


@pytest.mark.parametrize("seed", SEEDS)
def test_logits_loss_and_every_gradient_equal_torch(seed):
    model, shape, classes = random_model(seed)
    model.eval() if seed % 2 else model[[type(m) for m in model].index(nn.Dropout)].eval()
    tmodel = to_torch(model)
    x, y = _batch(seed, shape, classes)
    logits, loss, grad_x = _numpy_pass(model, nn.CrossEntropyLoss(), x, y)
    t_logits, t_loss, t_grad_x = _torch_pass(tmodel, x, y)
    np.testing.assert_allclose(logits, t_logits, rtol=0, atol=TOL)
    assert abs(loss - t_loss) < TOL
    np.testing.assert_allclose(grad_x, t_grad_x, rtol=0, atol=TOL)
    pairs = list(zip(model.named_parameters(), tmodel.named_parameters(), strict=True))
    assert pairs, "every random model has parameters"
    for (name, p), (t_name, tp) in pairs:
        assert name == t_name
        np.testing.assert_allclose(p.grad, tp.grad.numpy(), rtol=0, atol=TOL, err_msg=name)


OPTIMIZERS = [
    ("sgd", {"lr": 0.1}),
    ("sgd", {"lr": 0.05, "momentum": 0.9, "weight_decay": 1e-3}),
    ("sgd", {"lr": 0.05, "momentum": 0.8, "weight_decay": 1e-2, "nesterov": True}),
    ("sgd", {"lr": 0.05, "momentum": 0.9, "dampening": 0.3}),
    ("adam", {}),
    ("adam", {"lr": 0.01, "betas": (0.8, 0.99), "eps": 1e-6, "weight_decay": 1e-3}),
]


@pytest.mark.parametrize("seed", range(4))
@pytest.mark.parametrize(("kind", "kwargs"), OPTIMIZERS, ids=lambda v: str(v))
def test_parameters_after_several_steps_equal_torch(seed, kind, kwargs):
    model, shape, classes = random_model(seed, dropout="zero")
    tmodel = to_torch(model)
    opt = {"sgd": optim.SGD, "adam": optim.Adam}[kind](model.parameters(), **kwargs)
    t_opt = {"sgd": torch.optim.SGD, "adam": torch.optim.Adam}[kind](tmodel.parameters(), **kwargs)
    loss_fn = nn.CrossEntropyLoss()
    for step in range(6):
        x, y = _batch(seed + step, shape, classes)
        opt.zero_grad()
        t_opt.zero_grad()
        _, loss, _ = _numpy_pass(model, loss_fn, x, y)
        _, t_loss, _ = _torch_pass(tmodel, x, y)
        assert abs(loss - t_loss) < TOL
        opt.step()
        t_opt.step()
    for (name, p), (_, tp) in zip(model.named_parameters(), tmodel.named_parameters(), strict=True):
        np.testing.assert_allclose(p.data, tp.detach().numpy(), rtol=0, atol=TOL, err_msg=name)


@pytest.mark.parametrize(
    ("kind", "kwargs"),
    [("sgd", {"lr": 0.05, "momentum": 0.9, "weight_decay": 1e-4}), ("adam", {"lr": 3e-3})],
)
def test_a_100_step_training_run_gives_the_same_loss_curve(kind, kwargs):
    model, shape, classes = random_model(3, dropout="zero")
    tmodel = to_torch(model)
    opt = {"sgd": optim.SGD, "adam": optim.Adam}[kind](model.parameters(), **kwargs)
    t_opt = {"sgd": torch.optim.SGD, "adam": torch.optim.Adam}[kind](tmodel.parameters(), **kwargs)
    loss_fn = nn.CrossEntropyLoss()
    rng = np.random.default_rng(7)
    data = rng.standard_normal((64, *shape))
    labels = np.argmax(data.reshape(64, -1) @ rng.standard_normal((data[0].size, classes)), axis=1)
    curve, t_curve = [], []
    for _ in range(100):
        idx = rng.choice(64, 16, replace=False)
        x, y = data[idx], labels[idx]
        opt.zero_grad()
        t_opt.zero_grad()
        curve.append(_numpy_pass(model, loss_fn, x, y)[1])
        t_curve.append(_torch_pass(tmodel, x, y)[1])
        opt.step()
        t_opt.step()
    np.testing.assert_allclose(curve, t_curve, rtol=0, atol=1e-6)
    assert np.mean(curve[-10:]) < np.mean(curve[:10])  # it did train


def test_dropout_with_torchs_mask_equals_torch():
    torch.manual_seed(0)
    x = np.random.default_rng(0).standard_normal((8, 10))
    tx = torch.from_numpy(x).requires_grad_(True)
    t_drop = torch.nn.Dropout(0.4).train()
    t_out = t_drop(tx)
    g = np.random.default_rng(1).standard_normal((8, 10))
    t_out.backward(torch.from_numpy(g))
    # torch's mask: where the gradient of the output w.r.t. the input is non-zero
    mask = tx.grad.numpy() != 0
    drop = nn.Dropout(0.4)
    np.testing.assert_allclose(drop(x, mask=mask), t_out.detach().numpy(), rtol=0, atol=1e-15)
    np.testing.assert_allclose(drop.backward(g), tx.grad.numpy(), rtol=0, atol=1e-15)


def test_cross_entropy_equals_torch_on_extreme_logits():
    rng = np.random.default_rng(4)
    logits = rng.standard_normal((7, 5)) * 200
    y = rng.integers(0, 5, 7)
    for reduction in ("mean", "sum"):
        loss_fn = nn.CrossEntropyLoss(reduction=reduction)
        tl = torch.from_numpy(logits.copy()).requires_grad_(True)
        t_loss = torch.nn.functional.cross_entropy(tl, torch.from_numpy(y), reduction=reduction)
        t_loss.backward()
        assert loss_fn(logits, y) == pytest.approx(t_loss.item(), rel=1e-14, abs=1e-12)
        np.testing.assert_allclose(loss_fn.backward(), tl.grad.numpy(), rtol=0, atol=1e-14)


def test_float32_models_agree_with_torch_float32():
    model, shape, classes = random_model(5, dropout="zero")
    model.float()
    tmodel = to_torch(model)
    x, y = _batch(5, shape, classes)
    x = x.astype(np.float32)
    logits, loss, grad_x = _numpy_pass(model, nn.CrossEntropyLoss(), x, y)
    t_logits, t_loss, t_grad_x = _torch_pass(tmodel, x, y)
    assert logits.dtype == np.float32 and grad_x.dtype == np.float32
    np.testing.assert_allclose(logits, t_logits, rtol=1e-4, atol=1e-5)
    np.testing.assert_allclose(grad_x, t_grad_x, rtol=1e-3, atol=1e-6)
    assert loss == pytest.approx(t_loss, rel=1e-5)
