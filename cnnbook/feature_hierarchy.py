"""The hierarchy of features a CNN learns: filters, top patches, activation maximisation.

The page [[Feature Hierarchy]]. A two-convolution network (`feature_network`) learns the
digits at 28 × 28 (the 8 × 8 digits resized bilinearly), twice: with Adam, and with AdamW's
decoupled weight decay, which removes what is left of the random initialisation where
the data do not sustain it, so the first layer's 5 × 5 filters become legible edges and
bars. For any unit the module finds the input patches that excite it most, each cropped
to the unit's receptive field (`cnnbook.receptive_field`), and the input that excites it
most by gradient ascent (activation maximisation, with a stated regulariser).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from cnnbook import nn, optim
from cnnbook._validation import finite_real, positive_int
from cnnbook.conv2d import conv2d
from cnnbook.data import load_digits, resize, train_test_split
from cnnbook.receptive_field import receptive_field
from cnnbook.train import fit
from cnnbook.usecases.cache import DemoResult, cached_run

__all__ = [
    "activation_maximization",
    "feature_network",
    "initial_similarity",
    "load_feature_network",
    "top_patches",
    "trained_feature_networks",
]

NAME = "feature-hierarchy"
SIDE = 28
#: Two trainings of the same network: Adam, and AdamW with decoupled weight decay.
RUNS = {"adam": 0.0, "adamw": 2.0}
CONFIG: dict[bool, dict[str, Any]] = {
    False: {"epochs": 10, "n_images": None},
    True: {"epochs": 1, "n_images": 300},
}
LR = 3e-3


def feature_network(rng: np.random.Generator | None = None) -> nn.Sequential:
    """Build conv 8@5×5, ReLU, pool 2, conv 16@5×5, ReLU, pool 2, linear: 28 → 4 → 10.

    Examples
    --------
    >>> feature_network(np.random.default_rng(0))[3]
    Conv2d(8, 16, kernel_size=(5, 5), stride=(1, 1))
    """
    return nn.Sequential(
        nn.Conv2d(1, 8, 5, rng=rng),
        nn.ReLU(),
        nn.MaxPool2d(2),
        nn.Conv2d(8, 16, 5, rng=rng),
        nn.ReLU(),
        nn.MaxPool2d(2),
        nn.Flatten(),
        nn.Linear(16 * 4 * 4, 10, rng=rng),
    )


def _compute(seed: int, small: bool) -> tuple[dict[str, Any], dict[str, np.ndarray]]:
    cfg = CONFIG[small]
    x8, y = load_digits(dtype=np.float32)
    if cfg["n_images"] is not None:
        x8, y = x8[: cfg["n_images"]], y[: cfg["n_images"]]
    x = resize(x8, SIDE).astype(np.float32)
    (xtr, ytr), (xte, yte) = train_test_split(x, y, 0.2, seed)
    metrics: dict[str, Any] = {"epochs": cfg["epochs"], "lr": LR, "train_size": len(ytr)}
    arrays: dict[str, np.ndarray] = {"x_test": xte, "y_test": yte}
    for run, decay in RUNS.items():
        rng = np.random.default_rng([seed, 8])
        model = feature_network(rng)
        first: Any = model[0]
        arrays[f"{run}_initial_conv1"] = first.weight.data.copy()
        opt = optim.AdamW(model.parameters(), lr=LR, weight_decay=decay)
        history = fit(
            model,
            nn.CrossEntropyLoss(),
            opt,
            (xtr, ytr),
            epochs=cfg["epochs"],
            batch_size=32,
            test_data=(xte, yte),
            rng=rng,
            progress=False,
        )
        metrics[f"{run}_weight_decay"] = decay
        metrics[f"{run}_accuracy"] = float(history.test_accuracy[-1])
        for key, value in model.state_dict().items():
            arrays[f"{run}_weights.{key}"] = value
    return metrics, arrays


def trained_feature_networks(seed: int = 0, small: bool = False, cache: bool = True) -> DemoResult:
    """Train (or load from the demonstrations' cache) the two runs of the page.

    Returns
    -------
    DemoResult
        ``metrics``: ``adam_accuracy``, ``adamw_accuracy`` (held-out), their weight
        decays, epochs, learning rate; ``arrays``: each run's weights
        (``"adam_weights.0.weight"``...), its first layer before training, the test images.
    """
    return cached_run(NAME, seed, small, lambda: _compute(seed, small), cache, module=__name__)


def load_feature_network(result: DemoResult, run: str) -> nn.Sequential:
    """Rebuild run `run` (``"adam"`` or ``"adamw"``) of `result` in eval mode."""
    if not isinstance(result, DemoResult) or result.name != NAME:
        raise TypeError(f"result (={type(result).__name__}) must be trained_feature_networks()'s")
    if run not in RUNS:
        raise ValueError(f"run (={run!r}) must be one of {sorted(RUNS)}")
    model = feature_network(np.random.default_rng(0))
    prefix = f"{run}_weights."
    model.load_state_dict(
        {k[len(prefix) :]: v for k, v in result.arrays.items() if k.startswith(prefix)}
    )
    model.eval()
    return model


def initial_similarity(result: DemoResult, run: str) -> float:
    """Mean cosine similarity of run `run`'s first-layer filters with their initial values.

    Near 1: the filters are still mostly their random start (training moved them
    little); near 0: what they show was learned.
    """
    first: Any = load_feature_network(result, run)[0]
    final = first.weight.data.reshape(len(first.weight.data), -1).astype(np.float64)
    start = result.arrays[f"{run}_initial_conv1"].reshape(final.shape).astype(np.float64)
    cos = (final * start).sum(1) / (np.linalg.norm(final, axis=1) * np.linalg.norm(start, axis=1))
    return float(cos.mean())


def _check_unit(model: Any, layer: Any, channel: Any) -> tuple[nn.Sequential, int, int]:
    if not isinstance(model, nn.Sequential):
        raise TypeError(f"model (={type(model).__name__}) must be an nn.Sequential")
    if (
        isinstance(layer, bool)
        or not isinstance(layer, (int, np.integer))
        or not (0 <= layer < len(model))
    ):
        raise ValueError(
            f"layer (={layer!r}) must be an index of the model's layers, 0 to {len(model) - 1}"
        )
    channel = (
        int(channel)
        if isinstance(channel, (int, np.integer)) and not isinstance(channel, bool)
        else -1
    )
    return model[: int(layer) + 1], int(layer), channel


def top_patches(
    model: nn.Sequential, layer: int, channel: int, images: np.ndarray, k: int = 9
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Return the `k` input patches that excite unit `channel` of layer `layer` most.

    Every position of the channel's map over every image is a candidate; the `k` largest
    activations win, and each is returned as the input window that unit sees: its
    receptive field (`cnnbook.receptive_field`), zero where the field leaves the image.

    Returns
    -------
    patches : ndarray of shape (k, C, r, r)
    values : ndarray of shape (k,)
        The activations, largest first.
    positions : ndarray of shape (k, 3), int
        ``(image, row, col)`` of each unit in the layer's map.

    Examples
    --------
    >>> model = feature_network(np.random.default_rng(0))
    >>> images = np.random.default_rng(1).random((4, 1, 28, 28)).astype(np.float32)
    >>> patches, values, positions = top_patches(model, 0, 2, images, k=3)
    >>> patches.shape, bool(values[0] >= values[-1])
    ((3, 1, 5, 5), True)
    """
    head, layer, channel = _check_unit(model, layer, channel)
    k = positive_int("k", k)
    x = np.asarray(images)
    if x.ndim != 4:
        raise ValueError(f"images must be a batch of shape (N, C, H, W); got shape {x.shape}")
    head.eval()
    maps = head(x)
    if maps.ndim != 4 or not 0 <= channel < maps.shape[1]:
        raise ValueError(f"channel (={channel}) must index a channel of layer {layer}'s maps")
    flat = maps[:, channel].reshape(-1)
    if k > flat.size:
        raise ValueError(f"k (={k}) must be at most the number of units, {flat.size}")
    best = np.argsort(flat, kind="stable")[::-1][:k]
    n, i, j = np.unravel_index(best, maps[:, channel].shape)
    field = receptive_field(list(head))[-1]
    size = field.size
    padded = np.pad(x, ((0, 0), (0, 0), (size[0], size[0]), (size[1], size[1])))
    patches = np.empty((k, x.shape[1], size[0], size[1]), dtype=x.dtype)
    for m in range(k):  # k windows, not pixels
        (r0, _), (c0, _) = field.bounds(int(i[m]), int(j[m]))
        patches[m] = padded[
            n[m], :, r0 + size[0] : r0 + 2 * size[0], c0 + size[1] : c0 + 2 * size[1]
        ]
    return patches, flat[best], np.stack([n, i, j], axis=1)


_BLUR = (np.outer([1, 2, 1], [1, 2, 1]) / 16.0)[None, None]


def activation_maximization(
    model: nn.Sequential,
    layer: int,
    channel: int,
    shape: tuple[int, int, int],
    steps: int = 200,
    lr: float = 0.05,
    l2: float = 0.01,
    blur_every: int = 4,
    blur: float = 0.3,
    rng: np.random.Generator | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    r"""Find the input that most excites the centre unit of `channel` in `layer` (ascent).

    Starting from faint noise, each step moves the image $x$ up the gradient of
    $a(x) - \lambda \lVert x \rVert^2$ ($a$: the unit's activation, $\lambda$ = `l2`),
    normalised to unit RMS and scaled by `lr`; then clips $x$ to the inputs' range
    $[0, 1]$, and every `blur_every` steps mixes a fraction `blur` of a 3 × 3 binomial
    blur into it (the regulariser: without it the ascent finds high-frequency patterns
    no digit has).

    Returns
    -------
    image : ndarray of shape `shape`
    trace : ndarray of shape (steps,)
        The unit's activation after each step.

    Examples
    --------
    >>> model = feature_network(np.random.default_rng(0))
    >>> image, trace = activation_maximization(model, 0, 1, (1, 28, 28), steps=20)
    >>> image.shape, bool(trace[-1] > trace[0])
    ((1, 28, 28), True)
    """
    head, layer, channel = _check_unit(model, layer, channel)
    steps = positive_int("steps", steps)
    blur_every = positive_int("blur_every", blur_every)
    blur = finite_real("blur", blur)
    if not 0 <= blur <= 1:
        raise ValueError(f"blur (={blur!r}) must be in [0, 1]")
    gen = np.random.default_rng(0) if rng is None else rng
    dtype = next(iter(head.parameters())).data.dtype
    x = (0.5 + 0.01 * gen.standard_normal((1, *shape))).astype(dtype)
    head.eval()
    out = head(x)
    if out.ndim != 4 or not 0 <= channel < out.shape[1]:
        raise ValueError(f"channel (={channel}) must index a channel of layer {layer}'s maps")
    ci, cj = out.shape[2] // 2, out.shape[3] // 2
    saved = [p.grad for p in head.parameters()]
    trace = np.empty(steps)
    for step in range(steps):
        out = head(x)
        grad_out = np.zeros_like(out)
        grad_out[0, channel, ci, cj] = 1
        g = head.backward(grad_out)
        assert g is not None
        g = g - 2 * l2 * x
        x = x + lr * g / (np.sqrt(np.mean(g**2)) + 1e-12)
        x = np.clip(x, 0, 1).astype(dtype)
        if (step + 1) % blur_every == 0:
            blurred = conv2d(x.reshape(-1, 1, *shape[1:]), _BLUR.astype(dtype), padding=1)
            x = ((1 - blur) * x + blur * blurred.reshape(x.shape)).astype(dtype)
        trace[step] = head(x)[0, channel, ci, cj]
    for p, grad in zip(head.parameters(), saved, strict=True):
        p.grad = grad
    return x[0], trace
