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
  ([`cosine_margin_loss`][cnnbook.usecases.verification.cosine_margin_loss], CosFace):
  a classifier of the training identities whose logits are cosines, with a margin. Its
  classes are thrown away after training; the L2-normalised features are the embedding.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from sklearn.datasets import load_digits
from sklearn.metrics import roc_auc_score, roc_curve
from threadpoolctl import threadpool_limits

from cnnbook import nn, optim
from cnnbook._validation import as_numeric_array, finite_real
from cnnbook.nn.loss import log_softmax
from cnnbook.usecases.cache import DemoResult, cached_run
from cnnbook.usecases.canvas import place_on_canvas
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
#: Side of the canvas the 8 x 8 digits are pasted on, and the largest move from its centre.
CANVAS, JITTER = 12, 1
EMBEDDING = 64
#: Cosine-margin loss: logit scale s and margin m (CosFace's usual s, a margin for 48 classes).
SCALE, MARGIN = 16.0, 0.2
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


def dihedral_views(images: Any, labels: Any) -> tuple[np.ndarray, np.ndarray]:
    """Return the 8 symmetries of the square of every image, each one a new identity.

    Parameters
    ----------
    images : array_like of shape (N, C, H, H)
    labels : array_like of int, shape (N,)

    Returns
    -------
    views : ndarray of shape (8 N, C, H, H)
        Rotations by 0, 90, 180, 270 degrees, then the same of the mirror image.
    identities : ndarray of shape (8 N,), int
        ``8 * label + k`` for the k-th symmetry.

    Examples
    --------
    >>> views, ids = dihedral_views(np.arange(4.0).reshape(1, 1, 2, 2), [3])
    >>> views[1, 0].tolist(), ids.tolist()
    ([[1.0, 3.0], [0.0, 2.0]], [24, 25, 26, 27, 28, 29, 30, 31])
    """
    x = as_numeric_array("images", images)
    if x.ndim != 4 or x.shape[2] != x.shape[3]:
        raise ValueError(f"images has shape {x.shape}; expected (N, C, H, H), square images")
    y = as_numeric_array("labels", labels, ndim=1)
    if y.dtype.kind not in "iu" or len(y) != len(x):
        raise ValueError(
            f"labels must be {len(x)} integers, one per image; got {y.dtype} {y.shape}"
        )
    views = []
    for k in range(8):
        v = np.rot90(x, k % 4, axes=(2, 3))
        views.append(v[..., ::-1] if k >= 4 else v)
    return np.concatenate(views), np.concatenate([8 * y.astype(np.int64) + k for k in range(8)])


def jitter_on_canvas(
    images: Any, rng: np.random.Generator, jitter: int = JITTER, canvas: int = CANVAS
) -> np.ndarray:
    """Paste each image on a zero canvas at the centre moved by up to `jitter` pixels each way.

    The moves are uniform integers in ``[-jitter, jitter]`` along each axis; the whole image
    stays on the canvas (no ink is lost), as
    [`place_on_canvas`][cnnbook.usecases.canvas.place_on_canvas].

    Examples
    --------
    >>> jitter_on_canvas(np.ones((1, 1, 2, 2)), np.random.default_rng(0), 0, 4)[0, 0]
    array([[0., 0., 0., 0.],
           [0., 1., 1., 0.],
           [0., 1., 1., 0.],
           [0., 0., 0., 0.]])
    """
    x = as_numeric_array("images", images)
    if x.ndim != 4:
        raise ValueError(f"images has shape {x.shape}; expected (N, C, H, W)")
    if not isinstance(rng, np.random.Generator):
        raise TypeError(f"rng (={rng!r}) must be a numpy.random.Generator")
    if not isinstance(jitter, int | np.integer) or jitter < 0:
        raise ValueError(f"jitter (={jitter!r}) must be a non-negative integer")
    centre = (canvas - x.shape[2]) // 2
    if centre - jitter < 0 or centre + jitter + max(x.shape[2:]) > canvas:
        raise ValueError(
            f"jitter (={jitter}) moves a {x.shape[2]}x{x.shape[3]} image off the "
            f"{canvas}x{canvas} canvas"
        )
    moves = rng.integers(-jitter, jitter + 1, size=(len(x), 2))
    return place_on_canvas(x, canvas, centre + moves)


def _unit(e: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    norm = np.linalg.norm(e, axis=1, keepdims=True) + 1e-12
    return e / norm, norm


def _through_unit(grad: np.ndarray, unit: np.ndarray, norm: np.ndarray) -> np.ndarray:
    # The gradient of z = e / |e| taken back to e: the radial part of grad is dropped.
    return (grad - unit * (grad * unit).sum(axis=1, keepdims=True)) / norm


def cosine_margin_loss(
    features: Any, weight: Any, targets: Any, scale: float = SCALE, margin: float = MARGIN
) -> tuple[float, np.ndarray, np.ndarray]:
    r"""Large-margin cosine loss (CosFace, Wang et al. 2018), with its gradients.

    Features and class weights are scaled to length 1, so each logit is a cosine; the
    target's cosine is lowered by the margin before the softmax cross-entropy:

    $$\ell = -\log \frac{e^{s(\cos\theta_y - m)}}{e^{s(\cos\theta_y - m)}
    + \sum_{j \ne y} e^{s \cos\theta_j}}, \qquad
    \cos\theta_j = \frac{f \cdot w_j}{\lVert f\rVert \lVert w_j\rVert}.$$

    The class must win by a margin *in angle*, so features of one class gather in a
    narrow cone: a cosine between two features then says "same class?" — and it keeps
    meaning that for classes the loss never saw, which is how face verifiers are trained.

    Parameters
    ----------
    features : array_like of shape (N, D)
    weight : array_like of shape (K, D)
        One vector per training class.
    targets : array_like of int, shape (N,)
        Class indices in ``[0, K)``.
    scale, margin : float
        $s > 0$ and $m \ge 0$.

    Returns
    -------
    loss : float
        Mean over the batch.
    grad_features : ndarray of shape (N, D)
    grad_weight : ndarray of shape (K, D)

    Examples
    --------
    >>> f = np.array([[1.0, 0.0]]); w = np.array([[1.0, 0.0], [0.0, 1.0]])
    >>> round(cosine_margin_loss(f, w, [0], scale=1.0, margin=0.0)[0], 4)  # log(1 + e^-1)
    0.3133
    """
    f = as_numeric_array("features", features, ndim=2).astype(np.float64)
    w = as_numeric_array("weight", weight, ndim=2).astype(np.float64)
    y = as_numeric_array("targets", targets, ndim=1)
    if w.shape[1] != f.shape[1]:
        raise ValueError(f"weight has shape {w.shape}; expected (classes, {f.shape[1]})")
    if y.dtype.kind not in "iu" or len(y) != len(f) or y.min() < 0 or y.max() >= len(w):
        raise ValueError(f"targets must be {len(f)} class indices in [0, {len(w)})")
    s = finite_real("scale", scale)
    m = finite_real("margin", margin)
    if s <= 0 or m < 0:
        raise ValueError(f"scale (={s}) must be > 0 and margin (={m}) >= 0")
    fu, fn = _unit(f)
    wu, wn = _unit(w)
    onehot = np.eye(len(w))[y]
    logits = s * (fu @ wu.T - m * onehot)
    logp = log_softmax(logits, axis=1)
    loss = float(-np.mean(logp[np.arange(len(y)), y]))
    g_logits = (np.exp(logp) - onehot) * (s / len(y))  # d loss / d cos
    return loss, _through_unit(g_logits @ wu, fu, fn), _through_unit(g_logits.T @ fu, wu, wn)


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


def aligned_pixel_distances(images: Any, labels: Any, reach: int = 2) -> tuple[np.ndarray, ...]:
    """Pixel distance of every pair after the best of the shifts up to `reach` pixels each way.

    A hand-made invariance, the classical answer to images that are not aligned: image
    `j` is moved by every ``(dy, dx)`` in ``[-reach, reach]^2`` (on a border of `reach`
    zeros, so nothing falls off) and the smallest Euclidean distance to image `i` is kept.

    Returns
    -------
    distance, same : as [`pair_distances`][cnnbook.usecases.verification.pair_distances]

    Examples
    --------
    >>> x = np.zeros((2, 1, 5, 5)); x[0, 0, 1, 1] = 1; x[1, 0, 2, 3] = 1
    >>> aligned_pixel_distances(x, [0, 0])[0].tolist()  # one moved copy of the other
    [0.0]
    """
    x = as_numeric_array("images", images).astype(np.float64)
    if x.ndim != 4:
        raise ValueError(f"images has shape {x.shape}; expected (N, C, H, W)")
    y = as_numeric_array("labels", labels, ndim=1)
    if len(y) != len(x):
        raise ValueError(f"labels has {len(y)} entries for {len(x)} images")
    if not isinstance(reach, int | np.integer) or reach < 0:
        raise ValueError(f"reach (={reach!r}) must be a non-negative integer")
    n = len(x)
    x = np.pad(x, ((0, 0), (0, 0), (reach, reach), (reach, reach)))
    flat = x.reshape(n, -1)
    sq = (flat**2).sum(axis=1)  # the border is wide enough: a move keeps each image's norm
    best = np.full((n, n), np.inf)
    for dy in range(-reach, reach + 1):
        for dx in range(-reach, reach + 1):
            moved = np.roll(x, (dy, dx), axis=(2, 3)).reshape(n, -1)
            best = np.minimum(best, sq[:, None] + sq[None, :] - 2 * flat @ moved.T)
    i, j = np.triu_indices(n, 1)  # moving j by +v or i by -v is the same comparison
    d2 = best[i, j]
    return np.sqrt(np.maximum(d2, 0.0)), y[i] == y[j]


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
