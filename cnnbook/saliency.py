"""Where the network looks: saliency, occlusion sensitivity, and the randomisation check.

The page [[Where the Network Looks]]. Three ways to ask a trained classifier which pixels
its answer depends on, and one way to ask whether the answer means anything:

- **saliency** (Simonyan et al., 2014): the gradient of the class score with respect to
  the input, by the network's own backward pass;
- **occlusion sensitivity** (Zeiler & Fergus, 2014): grey out a patch, see how far the
  class score falls, for every position of the patch (all positions in one batched
  forward pass);
- **the randomisation check** (Adebayo et al., 2018): re-initialise the weights, layer
  by layer from the top, and measure how much the saliency map changes. A map that stays
  the same when the weights are random describes the input, not what the network learned.
"""

from __future__ import annotations

import copy
from typing import Any

import numpy as np

from cnnbook import nn
from cnnbook._validation import positive_pair

__all__ = ["occlusion_map", "randomized_saliency", "rank_correlation", "saliency_map"]


def _check(model: Any, x: Any, target: Any) -> tuple[np.ndarray, int]:
    if not isinstance(model, nn.Sequential):
        raise TypeError(f"model (={type(model).__name__}) must be an nn.Sequential")
    arr = np.asarray(x)
    if arr.ndim != 3 or arr.dtype.kind != "f":
        raise ValueError(
            f"x must be one float image of shape (C, H, W); got {arr.dtype} {arr.shape}"
        )
    if not np.isfinite(arr).all():
        raise ValueError("x must be finite (no NaN or inf)")
    classes = model(arr[None].astype(_model_dtype(model)))[0].shape[0]
    if (
        isinstance(target, bool)
        or not isinstance(target, (int, np.integer))
        or not (0 <= target < classes)
    ):
        raise ValueError(f"target (={target!r}) must be a class index in [0, {classes})")
    return arr, int(target)


def _model_dtype(model: nn.Module) -> np.dtype:
    """Return the dtype of the model's parameters (float32 unless converted)."""
    for p in model.parameters():
        return p.data.dtype
    return np.dtype(np.float64)


def saliency_map(model: nn.Sequential, x: np.ndarray, target: int) -> np.ndarray:
    r"""Gradient of class `target`'s score (logit) with respect to the image `x`.

    $S = \partial z_{\text{target}} / \partial x$, by one forward and one backward pass of
    the model in eval mode (its parameters' gradients are left untouched).

    Returns
    -------
    ndarray of the shape of `x`, the model's dtype.

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> model = nn.Sequential(nn.Flatten(), nn.Linear(4, 2, rng=rng))
    >>> s = saliency_map(model, np.ones((1, 2, 2), np.float32), 1)
    >>> bool(np.allclose(s.ravel(), model[1].weight.data[1]))  # a linear score's gradient
    True
    """
    arr, target = _check(model, x, target)
    model.eval()
    saved = [p.grad for p in model.parameters()]
    logits = model(arr[None].astype(_model_dtype(model)))
    grad = np.zeros_like(logits)
    grad[0, target] = 1
    out = model.backward(grad)
    for p, g in zip(model.parameters(), saved, strict=True):
        p.grad = g
    assert out is not None
    return out[0]


def occlusion_map(
    model: nn.Sequential,
    x: np.ndarray,
    target: int,
    patch: int | tuple[int, int] = 2,
    fill: float = 0.0,
) -> np.ndarray:
    """Fall of class `target`'s probability when a `patch` of `x` is set to `fill`.

    Entry ``[i, j]`` is ``p(x) - p(x with the patch whose top-left is (i, j) occluded)``;
    the patch slides with stride 1 over every position where it fits, so the map has
    shape ``(H - ph + 1, W - pw + 1)``. Positive: the pixels under the patch supported the
    class. All occluded images go through the network as one batch.

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> model = nn.Sequential(nn.Flatten(), nn.Linear(9, 2, rng=rng))
    >>> occlusion_map(model, np.zeros((1, 3, 3), np.float32), 0).shape
    (2, 2)
    """
    arr, target = _check(model, x, target)
    ph, pw = positive_pair("patch", patch)
    _, h, w = arr.shape
    if ph > h or pw > w:
        raise ValueError(f"patch (={(ph, pw)}) must fit in the image of size {(h, w)}")
    if isinstance(fill, bool) or not isinstance(fill, (int, float)) or not np.isfinite(fill):
        raise ValueError(f"fill (={fill!r}) must be a finite number")
    oh, ow = h - ph + 1, w - pw + 1
    batch = np.repeat(arr[None], oh * ow + 1, axis=0).astype(_model_dtype(model))
    # One mask per position: a strided view of a padded indicator gives every window.
    rows = np.arange(h)[None, :] - np.arange(oh)[:, None]
    cols = np.arange(w)[None, :] - np.arange(ow)[:, None]
    inside = ((rows >= 0) & (rows < ph))[:, None, :, None] & ((cols >= 0) & (cols < pw))[
        None, :, None, :
    ]
    masks = inside.reshape(oh * ow, 1, h, w)
    batch[1:] = np.where(masks, np.asarray(fill, batch.dtype), batch[1:])
    model.eval()
    logits = model(batch).astype(np.float64)
    z = logits - logits.max(axis=1, keepdims=True)
    prob = np.exp(z[:, target]) / np.exp(z).sum(axis=1)
    return (prob[0] - prob[1:]).reshape(oh, ow)


def rank_correlation(a: np.ndarray, b: np.ndarray) -> float:
    """Spearman's rank correlation of two maps' absolute values (ties ranked by order).

    Adebayo et al. compare saliency maps this way: 1 means the same ranking of pixels.

    Examples
    --------
    >>> rank_correlation(np.array([1.0, 2, 3]), np.array([10.0, 20, 30]))
    1.0
    """
    a, b = (
        np.abs(np.asarray(a, dtype=np.float64)).ravel(),
        np.abs(np.asarray(b, np.float64)).ravel(),
    )
    if a.shape != b.shape or a.size < 2:
        raise ValueError(
            f"a and b must have the same number (>= 2) of values; got {a.size}, {b.size}"
        )
    ra, rb = _ranks(a), _ranks(b)
    ra, rb = ra - ra.mean(), rb - rb.mean()
    denom = np.sqrt((ra**2).sum() * (rb**2).sum())
    return float((ra * rb).sum() / denom) if denom > 0 else 0.0


def _ranks(v: np.ndarray) -> np.ndarray:
    """Average ranks (ties share their mean rank), as scipy.stats.rankdata."""
    order = np.argsort(v, kind="stable")
    sorted_v = v[order]
    starts = np.r_[True, sorted_v[1:] != sorted_v[:-1]]
    group = np.cumsum(starts) - 1
    first = np.flatnonzero(starts)
    last = np.r_[first[1:], v.size] - 1
    mean_rank = (first + last) / 2 + 1
    ranks = np.empty(v.size)
    ranks[order] = mean_rank[group]
    return ranks


def randomized_saliency(
    model: nn.Sequential, x: np.ndarray, target: int, rng: np.random.Generator | None = None
) -> list[tuple[str, float]]:
    """Adebayo et al.'s cascading randomisation: re-initialise layers from the top down.

    After each layer with parameters is re-drawn (from its own default initialisation,
    the ones above it staying random), the saliency map of `target` is compared with
    the trained network's by `rank_correlation`. The model itself is not modified.

    Returns
    -------
    list of (str, float)
        ``("trained", 1.0)`` then one ``(layer name, correlation)`` per re-drawn layer.

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> model = nn.Sequential(nn.Conv2d(1, 2, 3, rng=rng), nn.ReLU(), nn.Flatten(),
    ...                       nn.Linear(8, 2, rng=rng))
    >>> x = rng.random((1, 4, 4)).astype(np.float32)
    >>> [name for name, _ in randomized_saliency(model, x, 0)]
    ['trained', '3 Linear', '0 Conv2d']
    """
    arr, target = _check(model, x, target)
    gen = np.random.default_rng(0) if rng is None else rng
    reference = saliency_map(model, arr, target)
    work = copy.deepcopy(model)
    results = [("trained", 1.0)]
    for index in range(len(work) - 1, -1, -1):
        layer = work[index]
        if not hasattr(layer, "reset_parameters") or not list(layer.parameters()):
            continue
        layer.reset_parameters(rng=gen)
        corr = rank_correlation(reference, saliency_map(work, arr, target))
        results.append((f"{index} {type(layer).__name__}", corr))
    return results
