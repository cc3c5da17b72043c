r"""Verification: an embedding compares digits of classes it never saw, against raw pixels.

Facial recognition is detection, then an embedding, then a comparison. No face set with
identity labels ships inside a Python package (`skimage.data.lfw_subset` has none;
scikit-learn's Olivetti and LFW faces are downloaded on first use), so the embedding
idea is measured on scikit-learn's bundled 8 x 8 digits, with digit classes standing in
for identities: the network is trained on `TRAIN_CLASSES` and judged on pairs drawn from
`TEST_CLASSES`, which it never saw. "Same identity?" is decided by thresholding the
distance of two embeddings; the ROC curve sweeps that threshold.

What makes the experiment face-like, and how the network is trained:

- **Position varies.** A detector's face crops are never aligned to the pixel, so every
  digit is pasted on a `CANVAS` x `CANVAS` canvas at the centre moved by up to `JITTER`
  pixels each way — the *same* test images for the CNN and for the raw-pixel baseline.
  The centred images (no jitter) are measured too.
- **More identities.** Face systems learn "what makes two faces different" from
  thousands of people; six digit classes are too few. Each training class is turned by
  the 8 symmetries of the square (`dihedral_views`): 48 training identities, none of them
  a test class.
- **The loss** is the large-margin cosine loss of face recognition
  ([`cosine_margin_loss`][cnnbook.usecases.cosine_margin.cosine_margin_loss], CosFace):
  a classifier of the training identities whose logits are cosines, with a margin. Its
  classes are thrown away after training; the L2-normalised features are the embedding.

The parts have their own modules, and stay importable from here: the data
(`cnnbook.usecases.digit_identities`), the loss (`cnnbook.usecases.cosine_margin`) and the
comparison of pairs (`cnnbook.usecases.pair_distances`); this module trains and measures.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from sklearn.datasets import load_digits
from sklearn.metrics import roc_auc_score, roc_curve
from threadpoolctl import threadpool_limits

from cnnbook import nn, optim
from cnnbook.usecases.cache import DemoResult, cached_run
from cnnbook.usecases.cosine_margin import MARGIN, SCALE, cosine_margin_loss, unit_rows
from cnnbook.usecases.digit_identities import CANVAS, JITTER, dihedral_views, jitter_on_canvas
from cnnbook.usecases.pair_distances import (
    aligned_pixel_distances,
    equal_error_rate,
    pair_distances,
)
from cnnbook.usecases.training import check_run_arguments

__all__ = [
    "CANVAS",
    "JITTER",
    "TEST_CLASSES",
    "TRAIN_CLASSES",
    "aligned_pixel_distances",
    "cosine_margin_loss",
    "dihedral_views",
    "equal_error_rate",
    "jitter_on_canvas",
    "make_embedding",
    "pair_distances",
    "run",
]

NAME = "verification"
#: Digit classes ("identities") the embedding is trained on, and those it is tested on.
TRAIN_CLASSES = (0, 1, 2, 3, 4, 5)
TEST_CLASSES = (6, 7, 8, 9)
EMBEDDING = 64
_FULL = {"steps": 1000, "batch": 128, "log_every": 50}
_SMALL = {"steps": 6, "batch": 32, "log_every": 2}


def make_embedding(rng: np.random.Generator) -> nn.Sequential:
    """Return the embedding network: two conv-pool stages and two dense layers, 12x12 -> 64."""
    if not isinstance(rng, np.random.Generator):
        raise TypeError(f"rng (={rng!r}) must be a numpy.random.Generator")
    side = CANVAS // 4
    return nn.Sequential(
        nn.Conv2d(1, 16, 3, padding=1, rng=rng),
        nn.ReLU(),
        nn.MaxPool2d(2),  # 6 x 6
        nn.Conv2d(16, 32, 3, padding=1, rng=rng),
        nn.ReLU(),
        nn.MaxPool2d(2),  # 3 x 3
        nn.Flatten(),
        nn.Linear(32 * side * side, 64, rng=rng),
        nn.ReLU(),
        nn.Linear(64, EMBEDDING, rng=rng),
    )


def _embed(model: nn.Sequential, x: np.ndarray) -> np.ndarray:
    model.eval()
    out = unit_rows(model(x).astype(np.float64))[0]
    model.train()
    return out


def _compute(
    seed: int, small: bool, progress: bool
) -> tuple[dict[str, Any], dict[str, np.ndarray]]:
    # One BLAS thread: these GEMMs are small, and on a shared machine threads only contend.
    with threadpool_limits(limits=1):
        return _experiment(seed, small, progress)


def _roc_points(same: np.ndarray, distance: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    fpr, tpr, _ = roc_curve(same, -distance)
    keep = np.unique(np.linspace(0, len(fpr) - 1, 400).astype(int))  # ~400 points for a page
    return fpr[keep], tpr[keep]


def _experiment(
    seed: int, small: bool, progress: bool
) -> tuple[dict[str, Any], dict[str, np.ndarray]]:
    size = _SMALL if small else _FULL
    digits = load_digits()
    x = (digits.images / 16.0).astype(np.float32)[:, None]
    y = digits.target.astype(np.int64)
    rng = np.random.default_rng(seed)
    # A fifth of the seen classes' images is kept out too: verification on new images of
    # known identities, to set against new identities.
    seen_idx = rng.permutation(np.flatnonzero(np.isin(y, TRAIN_CLASSES)))
    cut = len(seen_idx) // 5
    train_idx, held_idx = seen_idx[cut:], seen_idx[:cut]
    unseen = np.flatnonzero(np.isin(y, TEST_CLASSES))
    if small:
        unseen = unseen[::8]
    views, identity = dihedral_views(x[train_idx], y[train_idx])
    # The test images: drawn once from their own stream, the same for the CNN and pixels.
    test_rng = np.random.default_rng([seed, 1])
    x_test, y_test = jitter_on_canvas(x[unseen], test_rng), y[unseen]
    x_centred = jitter_on_canvas(x[unseen], test_rng, jitter=0)
    x_held, y_held = jitter_on_canvas(x[held_idx], test_rng), y[held_idx]

    model = make_embedding(rng)
    head = nn.Parameter(rng.standard_normal((8 * len(TRAIN_CLASSES), EMBEDDING)).astype(np.float32))
    optimizer = optim.Adam([*model.parameters(), head], lr=1e-3)
    batch = size["batch"]
    log_steps, log_loss, log_auc, running = [], [], [], []
    steps = range(1, size["steps"] + 1)
    if progress:
        from tqdm.auto import tqdm

        steps = tqdm(steps, desc=NAME)
    for step in steps:
        pick = rng.integers(len(identity), size=batch)
        e = model(jitter_on_canvas(views[pick], rng))
        loss, g_e, g_head = cosine_margin_loss(e, head.data, identity[pick])
        optimizer.zero_grad()
        model.backward(g_e.astype(np.float32))
        head.grad = g_head.astype(np.float32)
        optimizer.step()
        running.append(loss)
        if step % size["log_every"] == 0 or step == size["steps"]:
            # Logged only, never used to choose anything: the unseen-class AUC as training goes.
            d, same = pair_distances(_embed(model, x_test), y_test)
            log_steps.append(step)
            log_loss.append(float(np.mean(running)))
            log_auc.append(float(roc_auc_score(same, -d)))
            running = []

    embedding = _embed(model, x_test)
    d, same = pair_distances(embedding, y_test)
    d_pixel, _ = pair_distances(x_test, y_test)
    d_aligned, _ = aligned_pixel_distances(x_test, y_test)
    d_centred, _ = pair_distances(_embed(model, x_centred), y_test)
    d_centred_pixel, _ = pair_distances(x_centred, y_test)
    d_seen, same_seen = pair_distances(_embed(model, x_held), y_held)
    metrics = {
        "auc": float(roc_auc_score(same, -d)),
        "eer": equal_error_rate(same, d),
        "pixel_auc": float(roc_auc_score(same, -d_pixel)),
        "pixel_eer": equal_error_rate(same, d_pixel),
        "aligned_pixel_auc": float(roc_auc_score(same, -d_aligned)),
        "aligned_pixel_eer": equal_error_rate(same, d_aligned),
        "centred_auc": float(roc_auc_score(same, -d_centred)),
        "centred_eer": equal_error_rate(same, d_centred),
        "centred_pixel_auc": float(roc_auc_score(same, -d_centred_pixel)),
        "centred_pixel_eer": equal_error_rate(same, d_centred_pixel),
        "seen_auc": float(roc_auc_score(same_seen, -d_seen)),
        "test_images": len(y_test),
        "test_pairs": len(d),
        "same_pairs": int(same.sum()),
        "train_images": len(train_idx),
        "train_identities": 8 * len(TRAIN_CLASSES),
        "train_classes": list(TRAIN_CLASSES),
        "test_classes": list(TEST_CLASSES),
        "canvas": CANVAS,
        "jitter": JITTER,
        "embedding_size": EMBEDDING,
        "scale": SCALE,
        "margin": MARGIN,
        "steps": size["steps"],
        "batch": batch,
    }
    roc = {"roc": (same, d), "pixel": (same, d_pixel), "aligned": (same, d_aligned)}
    arrays: dict[str, np.ndarray] = {
        "log_steps": np.array(log_steps),
        "log_loss": np.array(log_loss),
        "log_auc": np.array(log_auc),
        "test_images": x_test[:, 0],
        "test_labels": y_test,
        "test_embedding": embedding,
        "head": head.data,
        **{f"weight:{k}": v for k, v in model.state_dict().items()},
    }
    for key, (s, dist) in roc.items():
        arrays[f"{key}_fpr"], arrays[f"{key}_tpr"] = _roc_points(s, dist)
    return metrics, arrays


def run(
    seed: int = 0, *, small: bool = False, cache: bool = True, progress: bool = False
) -> DemoResult:
    """Train (or load) the embedding and measure verification on classes it never saw.

    Returns
    -------
    DemoResult
        Metrics ``auc``, ``eer``, ``pixel_auc`` (and more: the centred images, the aligned
        pixel baseline, new images of the training classes); arrays: the training log, the
        ROC curves, the test images and their embeddings, the weights.
    """
    check_run_arguments(small, cache, progress)
    return cached_run(NAME, seed, small, lambda: _compute(seed, small, progress), cache)
