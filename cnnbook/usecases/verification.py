"""Verification: a triplet-loss embedding compares digits of classes it never saw, vs raw pixels.

Facial recognition is detection, then an embedding, then a comparison. No face set with
identity labels ships inside a Python package (`skimage.data.lfw_subset` has none;
scikit-learn's Olivetti and LFW faces are downloaded on first use), so the embedding
idea is measured on scikit-learn's bundled 8 x 8 digits, with digit classes standing in
for identities: the network is trained with a triplet loss on `TRAIN_CLASSES` and judged
on pairs drawn from `TEST_CLASSES`, which it never saw. "Same identity?" is decided by
thresholding the distance of two embeddings; the ROC curve sweeps that threshold.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from sklearn.datasets import load_digits
from sklearn.metrics import roc_auc_score, roc_curve
from threadpoolctl import threadpool_limits

from cnnbook import nn, optim
from cnnbook._validation import as_numeric_array, boolean
from cnnbook.usecases.cache import DemoResult, cached_run

__all__ = [
    "TEST_CLASSES",
    "TRAIN_CLASSES",
    "equal_error_rate",
    "make_embedding",
    "pair_distances",
    "run",
]

NAME = "verification"
#: Digit classes ("identities") the embedding is trained on, and those it is tested on.
TRAIN_CLASSES = (0, 1, 2, 3, 4, 5)
TEST_CLASSES = (6, 7, 8, 9)
EMBEDDING = 16
MARGIN = 0.5
_FULL = {"steps": 400, "batch": 64, "log_every": 20}
_SMALL = {"steps": 6, "batch": 16, "log_every": 2}


def make_embedding(rng: np.random.Generator) -> nn.Sequential:
    """Return the embedding network: two conv-pool stages and two dense layers, 8x8 -> 16."""
    if not isinstance(rng, np.random.Generator):
        raise TypeError(f"rng (={rng!r}) must be a numpy.random.Generator")
    return nn.Sequential(
        nn.Conv2d(1, 16, 3, padding=1, rng=rng),
        nn.ReLU(),
        nn.MaxPool2d(2),  # 4 x 4
        nn.Conv2d(16, 32, 3, padding=1, rng=rng),
        nn.ReLU(),
        nn.MaxPool2d(2),  # 2 x 2
        nn.Flatten(),
        nn.Linear(32 * 2 * 2, 64, rng=rng),
        nn.ReLU(),
        nn.Linear(64, EMBEDDING, rng=rng),
    )


def _unit(e: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    norm = np.linalg.norm(e, axis=1, keepdims=True) + 1e-12
    return e / norm, norm


def pair_distances(embeddings: Any, labels: Any) -> tuple[np.ndarray, np.ndarray]:
    """Euclidean distance and "same label?" of every unordered pair of rows.

    Parameters
    ----------
    embeddings : array_like of shape (N, ...)
        One vector (or image, flattened) per item.
    labels : array_like of int, shape (N,)

    Returns
    -------
    distance : ndarray of shape (N (N - 1) / 2,)
    same : ndarray of bool, same shape

    Examples
    --------
    >>> d, same = pair_distances([[0.0], [3.0], [4.0]], [1, 1, 2])
    >>> d.tolist(), same.tolist()
    ([3.0, 4.0, 1.0], [True, False, False])
    """
    e = as_numeric_array("embeddings", embeddings).astype(np.float64)
    e = e.reshape(len(e), -1)
    y = as_numeric_array("labels", labels, ndim=1)
    if len(y) != len(e):
        raise ValueError(f"labels has {len(y)} entries for {len(e)} embeddings")
    i, j = np.triu_indices(len(e), 1)
    # |a - b|^2 = |a|^2 + |b|^2 - 2 a.b: one GEMM instead of N^2 / 2 vector differences.
    sq = (e**2).sum(axis=1)
    gram = e @ e.T
    d2 = np.maximum(sq[i] + sq[j] - 2 * gram[i, j], 0.0)
    return np.sqrt(d2), y[i] == y[j]


def equal_error_rate(same: Any, distance: Any) -> float:
    """Return the error rate where false accepts equal false rejects (the ROC's EER).

    Computed on `sklearn.metrics.roc_curve` of the score ``-distance``: the mean of the
    false positive rate and the false negative rate where they are closest.

    Examples
    --------
    >>> equal_error_rate([True, True, False, False], [0.1, 0.2, 0.3, 0.4])
    0.0
    """
    y = as_numeric_array("same", same, ndim=1).astype(bool)
    d = as_numeric_array("distance", distance, ndim=1).astype(np.float64)
    if len(y) != len(d):
        raise ValueError(f"same has {len(y)} entries but distance has {len(d)}")
    if y.all() or not y.any():
        raise ValueError("same must hold both True and False pairs")
    fpr, tpr, _ = roc_curve(y, -d, drop_intermediate=False)  # every threshold, none skipped
    fnr = 1 - tpr
    k = int(np.argmin(np.abs(fpr - fnr)))
    return float((fpr[k] + fnr[k]) / 2)


def _triplets(rng: np.random.Generator, y: np.ndarray, n: int) -> tuple[np.ndarray, ...]:
    by_class = {c: np.flatnonzero(y == c) for c in np.unique(y)}
    anchor = rng.integers(len(y), size=n)
    positive = np.array([rng.choice(by_class[y[a]]) for a in anchor])
    negative = rng.integers(len(y), size=n)
    while (clash := y[negative] == y[anchor]).any():  # redraw negatives of the anchor's class
        negative[clash] = rng.integers(len(y), size=int(clash.sum()))
    return anchor, positive, negative


def _shift(x: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    # Each image moved by -1, 0 or +1 pixel along each axis (zeros come in at the border).
    padded = np.pad(x, ((0, 0), (0, 0), (1, 1), (1, 1)))
    dy, dx = rng.integers(0, 3, size=(2, len(x)))
    rows = dy[:, None] + np.arange(8)
    cols = dx[:, None] + np.arange(8)
    return padded[np.arange(len(x))[:, None, None], 0, rows[:, :, None], cols[:, None, :]][:, None]


def _embed(model: nn.Sequential, x: np.ndarray) -> np.ndarray:
    model.eval()
    out = _unit(model(x).astype(np.float64))[0]
    model.train()
    return out


def _compute(
    seed: int, small: bool, progress: bool
) -> tuple[dict[str, Any], dict[str, np.ndarray]]:
    # One BLAS thread: these GEMMs are small, and on a shared machine threads only contend.
    with threadpool_limits(limits=1):
        return _experiment(seed, small, progress)


def _experiment(
    seed: int, small: bool, progress: bool
) -> tuple[dict[str, Any], dict[str, np.ndarray]]:
    size = _SMALL if small else _FULL
    digits = load_digits()
    x = (digits.images / 16.0).astype(np.float32)[:, None]
    y = digits.target.astype(np.int64)
    seen, unseen = np.isin(y, TRAIN_CLASSES), np.isin(y, TEST_CLASSES)
    rng = np.random.default_rng(seed)
    # A fifth of the seen classes' images is kept out too: verification on new images of
    # known identities, to set against new identities.
    seen_idx = rng.permutation(np.flatnonzero(seen))
    held = seen_idx[: len(seen_idx) // 5]
    x_train, y_train = x[seen_idx[len(seen_idx) // 5 :]], y[seen_idx[len(seen_idx) // 5 :]]
    x_test, y_test, x_held, y_held = x[unseen], y[unseen], x[held], y[held]
    if small:
        x_test, y_test = x_test[::8], y_test[::8]
    model = make_embedding(rng)
    optimizer = optim.Adam(model.parameters(), lr=1e-3)
    loss_fn = nn.TripletMarginLoss(margin=MARGIN)
    batch = size["batch"]
    log_steps, log_loss, log_auc = [], [], []
    running = []
    for step in range(1, size["steps"] + 1):
        a, p, n = _triplets(rng, y_train, batch)
        e = model(_shift(np.concatenate([x_train[a], x_train[p], x_train[n]]), rng))
        z, norm = _unit(e)  # compare directions: the length of an embedding carries nothing
        loss = loss_fn(z[:batch], z[batch : 2 * batch], z[2 * batch :])
        gz = np.concatenate(loss_fn.backward())
        grad = (gz - z * (gz * z).sum(axis=1, keepdims=True)) / norm  # through z = e / |e|
        optimizer.zero_grad()
        model.backward(grad.astype(np.float32))
        optimizer.step()
        running.append(loss)
        if step % size["log_every"] == 0 or step == size["steps"]:
            # Logged only, never used to choose anything: the held-out AUC as training goes.
            d, same = pair_distances(_embed(model, x_test), y_test)
            log_steps.append(step)
            log_loss.append(float(np.mean(running)))
            log_auc.append(float(roc_auc_score(same, -d)))
            running = []

    embedding = _embed(model, x_test)
    d, same = pair_distances(embedding, y_test)
    d_pixel, _ = pair_distances(x_test, y_test)
    d_seen, same_seen = pair_distances(_embed(model, x_held), y_held)
    fpr, tpr, _ = roc_curve(same, -d)
    fpr_pixel, tpr_pixel, _ = roc_curve(same, -d_pixel)
    metrics = {
        "auc": float(roc_auc_score(same, -d)),
        "eer": equal_error_rate(same, d),
        "pixel_auc": float(roc_auc_score(same, -d_pixel)),
        "pixel_eer": equal_error_rate(same, d_pixel),
        "seen_auc": float(roc_auc_score(same_seen, -d_seen)),
        "test_images": len(y_test),
        "test_pairs": len(d),
        "same_pairs": int(same.sum()),
        "train_images": len(y_train),
        "train_classes": list(TRAIN_CLASSES),
        "test_classes": list(TEST_CLASSES),
        "embedding_size": EMBEDDING,
        "margin": MARGIN,
        "steps": size["steps"],
    }
    # ROC curves thinned to ~400 points each for the page.
    keep = np.unique(np.linspace(0, len(fpr) - 1, 400).astype(int))
    keep_pixel = np.unique(np.linspace(0, len(fpr_pixel) - 1, 400).astype(int))
    arrays = {
        "log_steps": np.array(log_steps),
        "log_loss": np.array(log_loss),
        "log_auc": np.array(log_auc),
        "roc_fpr": fpr[keep],
        "roc_tpr": tpr[keep],
        "pixel_fpr": fpr_pixel[keep_pixel],
        "pixel_tpr": tpr_pixel[keep_pixel],
        "test_images": x_test[:, 0],
        "test_labels": y_test,
        "test_embedding": embedding,
        **{f"weight:{k}": v for k, v in model.state_dict().items()},
    }
    return metrics, arrays


def run(
    seed: int = 0, *, small: bool = False, cache: bool = True, progress: bool = False
) -> DemoResult:
    """Train (or load) the triplet embedding and measure verification on unseen classes.

    Returns
    -------
    DemoResult
        Metrics ``auc``, ``eer``, ``pixel_auc`` (and more); arrays: the training log, the
        ROC curves, the test images and their embeddings, the weights.
    """
    small, cache, progress = (
        boolean("small", small),
        boolean("cache", cache),
        boolean("progress", progress),
    )
    return cached_run(NAME, seed, small, lambda: _compute(seed, small, progress), cache)
