"""Image synthesis: a convolutional autoencoder against PCA with the same latent size.

The experiment of the page [[Image Synthesis]]. The data are scikit-learn's bundled
handwritten digits (8×8, 16 grey levels, scaled to [0, 1]), split into training and
held-out images by a stratified, seeded split. Both methods squeeze each image into
`LATENT_SIZE` numbers and rebuild it from them:

- the **autoencoder** is [`ConvAutoencoder`][cnnbook.models.ConvAutoencoder]: two
  stride-2 convolutions down to a latent map of `LATENT_CHANNELS` × 2 × 2, two
  transposed convolutions back up, trained with Adam on the mean squared error;
- the **baseline** is PCA (`sklearn.decomposition.PCA`) with as many components, the
  best *linear* code of that size for the training images.

Both are measured by the mean squared error of their reconstructions of held-out digits.
Interpolations decode straight lines between two images' latent codes; new samples
decode codes drawn from a Gaussian fitted to the training images' codes. The limit:
digits with their contrast inverted (white on black), which neither method ever saw.
"""

from __future__ import annotations

import time
from typing import Any

import numpy as np
from scipy.stats import spearmanr
from threadpoolctl import threadpool_limits

from cnnbook import nn, optim
from cnnbook._validation import as_numeric_array, positive_int
from cnnbook.data import load_digits, train_test_split
from cnnbook.models import ConvAutoencoder
from cnnbook.optim.lr_scheduler import CosineAnnealingLR
from cnnbook.usecases.cache import DemoResult, cached_run
from cnnbook.usecases.pca_baseline import (
    fit_pca,
    pca_error_curve,
    pca_interpolate,
    pca_reconstruct,
    pca_samples,
)
from cnnbook.usecases.training import check_run_arguments, parameter_total

__all__ = [
    "CHANNELS",
    "CONFIG",
    "LATENT_CHANNELS",
    "LATENT_SIZE",
    "digit_autoencoder",
    "interpolate",
    "load_model",
    "run",
]

NAME = "autoencoder"
#: Channels after each encoder step, and of the latent map (2 × 2 for an 8 × 8 digit).
CHANNELS, LATENT_CHANNELS = (32, 64), 2
#: Numbers per image in the code of both methods: the latent map's size.
LATENT_SIZE = LATENT_CHANNELS * 2 * 2
#: The full run and the reduced one of the tests (``small=True``).
CONFIG: dict[bool, dict[str, Any]] = {
    False: {"train_limit": None, "epochs": 100, "lr": 3e-3, "batch_size": 32},
    True: {"train_limit": 160, "epochs": 2, "lr": 3e-3, "batch_size": 32},
}
TEST_FRACTION = 0.3
#: Pairs of digit classes interpolated on the page, and the steps of each path.
PAIRS, STEPS = ((0, 6), (1, 7), (3, 8), (4, 9)), 8
N_SAMPLES = 12


def digit_autoencoder(rng: np.random.Generator | None = None) -> ConvAutoencoder:
    """Build the demonstration's network, ``ConvAutoencoder(1, CHANNELS, LATENT_CHANNELS)``.

    Examples
    --------
    >>> ae = digit_autoencoder(np.random.default_rng(0))
    >>> ae.encoder(np.zeros((3, 1, 8, 8), np.float32)).shape
    (3, 2, 2, 2)
    """
    if rng is not None and not isinstance(rng, np.random.Generator):
        raise TypeError(f"rng (={rng!r}) must be a numpy.random.Generator or None")
    return ConvAutoencoder(1, CHANNELS, LATENT_CHANNELS, rng=rng)


def _forward(part: nn.Module, x: np.ndarray) -> np.ndarray:
    return np.asarray(part(x.astype(np.float32)), dtype=np.float64)


def interpolate(model: ConvAutoencoder, a: Any, b: Any, steps: int = STEPS) -> np.ndarray:
    """Decode `steps` evenly spaced points of the segment between the codes of `a` and `b`.

    Parameters
    ----------
    model : ConvAutoencoder
    a, b : ndarray of shape (1, H, W)
        Two images; the first and last outputs are their reconstructions.
    steps : int, default 8
        At least 2.

    Returns
    -------
    ndarray of shape (steps, 1, H, W)

    Examples
    --------
    >>> ae = digit_autoencoder(np.random.default_rng(0))
    >>> interpolate(ae, np.zeros((1, 8, 8)), np.ones((1, 8, 8)), 5).shape
    (5, 1, 8, 8)
    """
    if not isinstance(model, ConvAutoencoder):
        raise TypeError(f"model (={type(model).__name__}) must be a ConvAutoencoder")
    steps = positive_int("steps", steps)
    if steps < 2:
        raise ValueError(f"steps (={steps}) must be >= 2 (the two ends)")
    pair = [as_numeric_array(n, v).astype(np.float64) for n, v in (("a", a), ("b", b))]
    if pair[0].shape != pair[1].shape or pair[0].ndim != 3:
        raise ValueError(f"a and b must be two images (C, H, W) of one shape; got "
                         f"{pair[0].shape} and {pair[1].shape}")  # fmt: skip
    codes = _forward(model.encoder, np.stack(pair))
    t = np.linspace(0.0, 1.0, steps)[:, None, None, None]
    return _forward(model.decoder, (1 - t) * codes[0] + t * codes[1])


def _train(
    model: ConvAutoencoder,
    data: tuple[np.ndarray, np.ndarray],
    cfg: dict[str, Any],
    rng: np.random.Generator,
    progress: bool,
) -> tuple[list[float], list[float]]:
    x_train, x_test = data
    optimizer = optim.Adam(model.parameters(), lr=cfg["lr"])
    schedule = CosineAnnealingLR(optimizer, T_max=cfg["epochs"])
    loss_fn = nn.MSELoss()
    train_loss, test_mse = [], []
    epochs = range(cfg["epochs"])
    if progress:
        from tqdm.auto import tqdm

        epochs = tqdm(epochs, desc=NAME, unit="epoch")
    for _ in epochs:
        order = rng.permutation(len(x_train))
        losses = []
        for i in range(0, len(order), cfg["batch_size"]):
            xb = x_train[order[i : i + cfg["batch_size"]]]
            losses.append(loss_fn(model(xb), xb) * len(xb))
            optimizer.zero_grad()
            model.backward(loss_fn.backward())
            optimizer.step()
        schedule.step()
        train_loss.append(float(np.sum(losses) / len(x_train)))
        model.eval()
        test_mse.append(float(np.mean((_forward(model, x_test) - x_test) ** 2)))
        model.train()
    return train_loss, test_mse


def _per_image(rebuilt: np.ndarray, x: np.ndarray) -> np.ndarray:
    return np.mean((rebuilt - x) ** 2, axis=(1, 2, 3))


def _edge_strength(images: np.ndarray) -> float:
    # Mean absolute difference between neighbouring pixels: lower means blurrier.
    rows = np.abs(np.diff(images, axis=-2)).mean()
    return float((rows + np.abs(np.diff(images, axis=-1)).mean()) / 2)


def _nearest(images: np.ndarray, flat_train: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    # Index of, and squared error per pixel to, the nearest training image of each image.
    flat = images.reshape(len(images), -1)
    d = (flat**2).sum(1)[:, None] - 2 * flat @ flat_train.T + (flat_train**2).sum(1)[None]
    index = np.argmin(d, axis=1)
    return index, np.mean((flat - flat_train[index]) ** 2, axis=1)


def _compute(seed: int, small: bool, progress: bool) -> tuple[dict[str, Any], dict[str, Any]]:
    cfg = CONFIG[small]
    x, y = load_digits(dtype=np.float32)
    (x_train, y_train), (x_test, y_test) = train_test_split(x, y, TEST_FRACTION, seed=seed)
    if cfg["train_limit"]:
        x_train, y_train = x_train[: cfg["train_limit"]], y_train[: cfg["train_limit"]]
        x_test, y_test = x_test[: cfg["train_limit"] // 2], y_test[: cfg["train_limit"] // 2]
    rng = np.random.default_rng([seed, 12])
    model = digit_autoencoder(rng)
    start = time.process_time()
    with threadpool_limits(limits=1):  # small GEMMs: one thread is fastest, and reproducible
        train_loss, test_mse = _train(model, (x_train, x_test), cfg, rng, progress)
        cpu_seconds = time.process_time() - start
        model.eval()
        cnn = _forward(model, x_test)
        codes = _forward(model.encoder, x_train).reshape(len(x_train), -1)
        inverted = 1.0 - x_test
        cnn_inverted = _forward(model, inverted)
        pairs = [[int(np.flatnonzero(y_test == c)[0]) for c in pair] for pair in PAIRS]
        interp = np.stack([interpolate(model, x_test[i], x_test[j]) for i, j in pairs])
        # New samples: codes drawn from a Gaussian fitted to the training codes, decoded.
        sample_rng = np.random.default_rng([seed, 13])
        mean, cov = codes.mean(axis=0), np.cov(codes, rowvar=False)
        drawn = sample_rng.multivariate_normal(mean, cov, size=N_SAMPLES)
        samples = _forward(model.decoder, drawn.reshape(N_SAMPLES, LATENT_CHANNELS, 2, 2))
    pca = fit_pca(x_train, LATENT_SIZE)
    pca_rec = pca_reconstruct(pca, x_test)
    pca_inverted = pca_reconstruct(pca, inverted)
    pca_interp = np.stack([pca_interpolate(pca, x_test[i], x_test[j], STEPS) for i, j in pairs])
    pca_new = pca_samples(pca, N_SAMPLES, sample_rng)
    flat_train = x_train.reshape(len(x_train), -1).astype(np.float64)
    nearest, sample_gap = _nearest(samples, flat_train)
    _, test_gap = _nearest(x_test.astype(np.float64), flat_train)
    # How many components PCA needs to do as well as the autoencoder's LATENT_SIZE numbers.
    curve = pca_error_curve(x_train, x_test)
    cnn_err, pca_err = _per_image(cnn, x_test), _per_image(pca_rec, x_test)
    cnn_mse, pca_mse = float(cnn_err.mean()), float(pca_err.mean())
    worst = np.argsort(cnn_err)[::-1][:10]
    show = [int(np.flatnonzero(y_test == c)[0]) for c in range(10) if (y_test == c).any()]
    matched = [k + 1 for k, e in enumerate(curve) if e <= cnn_mse]
    metrics: dict[str, Any] = {
        "latent_size": LATENT_SIZE,
        "cnn_mse": cnn_mse,
        "pca_mse": pca_mse,
        "error_ratio": cnn_mse / pca_mse,
        "cnn_better_fraction": float(np.mean(cnn_err < pca_err)),
        # Do the two methods find the same digits hard? (Spearman's rank correlation.)
        "error_rank_correlation": float(spearmanr(cnn_err, pca_err).statistic),
        "worst_pca_better": int(np.sum(pca_err[worst] < cnn_err[worst])),
        # Ink (sum of the pixels) of the ten worst-rebuilt digits, relative to the average.
        "worst_ink_ratio": float(x_test[worst].sum() / len(worst) / (x_test.sum() / len(x_test))),
        "pca_components_to_match": matched[0] if matched else None,
        "per_digit": {
            str(c): [float(cnn_err[y_test == c].mean()), float(pca_err[y_test == c].mean())]
            for c in range(10)
            if (y_test == c).any()
        },
        # Are the samples copies? Their distance to the nearest training digit, vs real ones'.
        "sample_nearest_mse": float(sample_gap.mean()),
        "test_nearest_mse": float(test_gap.mean()),
        "edge_strength": {
            "held_out": _edge_strength(x_test),
            "autoencoder": _edge_strength(cnn),
            "pca": _edge_strength(pca_rec),
            "samples": _edge_strength(samples),
        },
        "inverted_cnn_mse": float(np.mean((cnn_inverted - inverted) ** 2)),
        "inverted_pca_mse": float(np.mean((pca_inverted - inverted) ** 2)),
        "parameters": parameter_total(model),
        "pca_parameters": int(pca.components_.size + pca.mean_.size),
        "latent_shape": [LATENT_CHANNELS, 2, 2],
        "channels": list(CHANNELS),
        "train_size": len(x_train),
        "test_size": len(x_test),
        "epochs": cfg["epochs"],
        "lr": cfg["lr"],
        "batch_size": cfg["batch_size"],
        "samples": N_SAMPLES,
    }
    arrays: dict[str, Any] = {
        "train_loss": np.array(train_loss),
        "test_mse": np.array(test_mse),
        "pca_curve": curve,
        "cnn_errors": cnn_err,
        "pca_errors": pca_err,
        "y_test": y_test,
        "show": np.stack([x_test[show], cnn[show], pca_rec[show]]),
        "worst": np.stack([x_test[worst], cnn[worst], pca_rec[worst]]),
        "worst_index": worst,
        "inverted": np.stack([inverted[show], cnn_inverted[show], pca_inverted[show]]),
        "interp_cnn": interp,
        "interp_pca": pca_interp,
        "interp_pairs": np.array(PAIRS),
        "samples_cnn": samples,
        "samples_nearest": x_train[nearest],
        "samples_pca": pca_new,
        "cpu_seconds": np.array(cpu_seconds),
        **{f"weight:{k}": v for k, v in model.state_dict().items()},
    }
    return metrics, arrays


def load_model(arrays: dict[str, np.ndarray]) -> ConvAutoencoder:
    """Rebuild the trained autoencoder (evaluation mode) from a run's arrays."""
    if not isinstance(arrays, dict):
        raise TypeError(f"arrays (={type(arrays).__name__}) must be a run's dict of arrays")
    model = digit_autoencoder(np.random.default_rng(0))
    model.load_state_dict(
        {k[len("weight:") :]: v for k, v in arrays.items() if k.startswith("weight:")}
    )
    model.eval()
    return model


def run(
    seed: int = 0, *, small: bool = False, cache: bool = True, progress: bool = False
) -> DemoResult:
    """Train (or load) the digit autoencoder; measure it against PCA on held-out digits.

    Parameters
    ----------
    seed : int, default 0
        Seeds the split, the weights, the shuffles and the samples.
    small : bool, default False
        A reduced run for the tests (160 training digits, 2 epochs).
    cache : bool, default True
    progress : bool, default False

    Returns
    -------
    DemoResult
        ``metrics``: ``latent_size``, ``cnn_mse`` and ``pca_mse`` (mean squared error per
        pixel of held-out reconstructions, pixels in [0, 1]), ``cnn_better_fraction``,
        ``pca_components_to_match``, the inverted-digit limit and the sizes; ``arrays``:
        the training curve, reconstructions, interpolations, samples and the weights.
    """
    check_run_arguments(small, cache, progress)
    return cached_run(NAME, seed, small, lambda: _compute(seed, small, progress), cache)
