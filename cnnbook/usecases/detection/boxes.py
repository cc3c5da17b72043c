r"""Boxes: intersection over union, non-maximum suppression and average precision.

Boxes are ``(x0, y0, x1, y1)`` in continuous pixel coordinates (area
$(x_1 - x_0)(y_1 - y_0)$, no "+1"), as in torchvision and COCO. The names and signatures
mirror `torchvision.ops.box_iou` and `torchvision.ops.nms`.

Average precision follows COCO: detections of every image sorted by score (stable),
each matched greedily to the unmatched ground-truth box it overlaps most, if that IoU
reaches the threshold; precision is made non-increasing from the right, then either
integrated over every recall step (``"all-points"``, PASCAL VOC 2010+) or sampled at the
101 recalls $0, 0.01, \dots, 1$ (``"101-point"``, COCO's, what `pycocotools` computes).

Examples
--------
>>> a = np.array([[0.0, 0.0, 10.0, 10.0]])
>>> b = np.array([[5.0, 0.0, 15.0, 10.0], [20.0, 20.0, 30.0, 30.0]])
>>> box_iou(a, b)
array([[0.3333, 0.    ]])
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, NamedTuple

import numpy as np

from cnnbook._validation import as_numeric_array, finite_real

__all__ = ["Matches", "average_precision", "box_iou", "match_detections", "nms"]

_INTERPOLATIONS = ("all-points", "101-point")


def _boxes(name: str, boxes: Any) -> np.ndarray:
    if np.size(boxes) == 0:  # no boxes (an image without detections) is valid
        return np.zeros((0, 4))
    array = as_numeric_array(name, boxes)
    if array.ndim != 2 or array.shape[1] != 4:
        raise ValueError(f"{name} has shape {array.shape}; expected (N, 4) boxes (x0, y0, x1, y1)")
    array = array.astype(np.float64)
    if not np.isfinite(array).all():
        raise ValueError(f"{name} holds NaN or infinite coordinates")
    if (array[:, 2] < array[:, 0]).any() or (array[:, 3] < array[:, 1]).any():
        raise ValueError(f"{name} has a box with x1 < x0 or y1 < y0; expected (x0, y0, x1, y1)")
    return array


def _scores(name: str, scores: Any) -> np.ndarray:
    if np.size(scores) == 0:
        return np.zeros(0)
    return as_numeric_array(name, scores, ndim=1).astype(np.float64)


def _fraction(name: str, value: Any) -> float:
    value = finite_real(name, value)
    if not 0.0 <= value <= 1.0:
        raise ValueError(f"{name} (={value!r}) must be in [0, 1]")
    return value


def box_iou(boxes1: Any, boxes2: Any) -> np.ndarray:
    r"""Intersection over union of every pair of boxes (as `torchvision.ops.box_iou`).

    Parameters
    ----------
    boxes1 : array_like of shape (N, 4)
    boxes2 : array_like of shape (M, 4)
        Boxes ``(x0, y0, x1, y1)`` with ``x0 <= x1`` and ``y0 <= y1``.

    Returns
    -------
    ndarray of shape (N, M)
        $|A \cap B| / |A \cup B|$, 0 where the union is empty.

    Examples
    --------
    >>> box_iou([[0, 0, 2, 2]], [[1, 1, 3, 3], [0, 0, 2, 2]])
    array([[0.1429, 1.    ]])
    """
    return _iou(_boxes("boxes1", boxes1), _boxes("boxes2", boxes2))


def _iou(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    area_a = (a[:, 2] - a[:, 0]) * (a[:, 3] - a[:, 1])
    area_b = (b[:, 2] - b[:, 0]) * (b[:, 3] - b[:, 1])
    lo = np.maximum(a[:, None, :2], b[None, :, :2])
    hi = np.minimum(a[:, None, 2:], b[None, :, 2:])
    inter = np.prod(np.clip(hi - lo, 0, None), axis=2)
    union = area_a[:, None] + area_b[None, :] - inter
    return np.divide(inter, union, out=np.zeros_like(inter), where=union > 0)


def nms(boxes: Any, scores: Any, iou_threshold: float) -> np.ndarray:
    """Non-maximum suppression (as `torchvision.ops.nms`): keep the best, drop its overlaps.

    Repeatedly keeps the highest-scoring remaining box and discards every remaining box
    whose IoU with it exceeds `iou_threshold` (strictly).

    Parameters
    ----------
    boxes : array_like of shape (N, 4)
    scores : array_like of shape (N,)
    iou_threshold : float in [0, 1]

    Returns
    -------
    ndarray of int64
        Indices of the kept boxes, by decreasing score.

    Examples
    --------
    >>> boxes = [[0, 0, 10, 10], [1, 1, 11, 11], [20, 20, 30, 30]]
    >>> nms(boxes, [0.9, 0.8, 0.7], iou_threshold=0.5)
    array([0, 2])
    """
    b = _boxes("boxes", boxes)
    s = _scores("scores", scores)
    if s.shape[0] != b.shape[0]:
        raise ValueError(f"scores has {s.shape[0]} entries for {b.shape[0]} boxes")
    if not np.isfinite(s).all():
        raise ValueError("scores holds NaN or infinite values")
    threshold = _fraction("iou_threshold", iou_threshold)
    order = np.argsort(-s, kind="stable")
    keep = []
    while order.size:  # one kept box per step, compared with all remaining at once
        best, order = order[0], order[1:]
        keep.append(best)
        order = order[_iou(b[best : best + 1], b[order])[0] <= threshold]
    return np.array(keep, dtype=np.int64)


class Matches(NamedTuple):
    """Detections of a data set matched to its ground truth.

    Attributes
    ----------
    scores : ndarray of shape (D,)
        Every detection's score, sorted decreasingly (stable, images in order).
    true_positive : ndarray of bool, shape (D,)
        Whether each detection matched a ground-truth box.
    ground_truths : int
        Number of ground-truth boxes.
    """

    scores: np.ndarray
    true_positive: np.ndarray
    ground_truths: int


def match_detections(
    detections: Sequence[tuple[Any, Any]],
    ground_truths: Sequence[Any],
    iou_threshold: float = 0.5,
) -> Matches:
    """Match each image's detections to its ground-truth boxes, greedily by score (COCO).

    Parameters
    ----------
    detections : sequence of (boxes (D_i, 4), scores (D_i,))
        One pair per image.
    ground_truths : sequence of array_like (G_i, 4)
        One array per image, in the same order.
    iou_threshold : float in [0, 1], default 0.5
        A detection is a true positive when its best still-unmatched ground-truth box
        overlaps it at least this much.

    Returns
    -------
    Matches

    Examples
    --------
    >>> dets = [([[0, 0, 10, 10], [1, 0, 11, 10]], [0.9, 0.8])]
    >>> match_detections(dets, [[[0, 0, 10, 10]]]).true_positive
    array([ True, False])
    """
    threshold = _fraction("iou_threshold", iou_threshold)
    if len(detections) != len(ground_truths):
        raise ValueError(
            f"detections has {len(detections)} images but ground_truths has {len(ground_truths)}"
        )
    all_scores, all_tp, total = [], [], 0
    for i, (det, gt) in enumerate(zip(detections, ground_truths, strict=False)):
        if not isinstance(det, (tuple, list)) or len(det) != 2:
            raise ValueError(f"detections[{i}] must be a pair (boxes, scores)")
        boxes = _boxes(f"detections[{i}] boxes", det[0])
        scores = _scores(f"detections[{i}] scores", det[1])
        if scores.shape[0] != boxes.shape[0]:
            raise ValueError(f"detections[{i}] has {len(scores)} scores for {len(boxes)} boxes")
        truth = _boxes(f"ground_truths[{i}]", gt)
        order = np.argsort(-scores, kind="stable")
        iou = _iou(boxes[order], truth)
        taken = np.zeros(len(truth), dtype=bool)
        tp = np.zeros(len(order), dtype=bool)
        for d in range(len(order)):
            candidates = np.where(taken, -1.0, iou[d])
            if candidates.size and candidates.max() >= threshold:
                taken[int(np.argmax(candidates))] = True
                tp[d] = True
        all_scores.append(scores[order])
        all_tp.append(tp)
        total += len(truth)
    scores = np.concatenate(all_scores) if all_scores else np.zeros(0)
    tp = np.concatenate(all_tp) if all_tp else np.zeros(0, dtype=bool)
    order = np.argsort(-scores, kind="stable")
    return Matches(scores[order], tp[order], total)


def average_precision(
    detections: Sequence[tuple[Any, Any]],
    ground_truths: Sequence[Any],
    iou_threshold: float = 0.5,
    interpolation: str = "all-points",
) -> float:
    r"""Average precision of scored detections at one IoU threshold (AP50 by default).

    Parameters
    ----------
    detections, ground_truths, iou_threshold
        As in [`match_detections`][cnnbook.usecases.detection.boxes.match_detections].
    interpolation : {"all-points", "101-point"}, default "all-points"
        ``"all-points"``: the area under the interpolated precision-recall curve,
        $\sum_k (r_k - r_{k-1}) \max_{r \ge r_k} p(r)$ (PASCAL VOC 2010 and later).
        ``"101-point"``: the mean of the interpolated precision at recalls
        $0, 0.01, \dots, 1$ (COCO; `pycocotools` with ``iouThrs=[0.5]``).

    Returns
    -------
    float in [0, 1]
        0 when there is no ground truth.

    Examples
    --------
    >>> dets = [([[0, 0, 10, 10], [20, 20, 30, 30]], [0.9, 0.8])]
    >>> average_precision(dets, [[[0, 0, 10, 10], [40, 40, 50, 50]]])
    0.5
    """
    if interpolation not in _INTERPOLATIONS:
        raise ValueError(f"interpolation (={interpolation!r}) must be one of {_INTERPOLATIONS}")
    matches = match_detections(detections, ground_truths, iou_threshold)
    if matches.ground_truths == 0:
        return 0.0
    tp = np.cumsum(matches.true_positive)
    fp = np.cumsum(~matches.true_positive)
    recall = tp / matches.ground_truths
    precision = tp / np.maximum(tp + fp, np.finfo(np.float64).eps)
    # Interpolate: the precision at recall r is the best precision at any recall >= r.
    envelope = np.maximum.accumulate(precision[::-1])[::-1] if len(precision) else precision
    if interpolation == "all-points":
        steps = np.diff(np.concatenate([[0.0], recall]))
        return float(np.sum(steps * envelope))
    points = np.linspace(0.0, 1.0, 101)
    where = np.searchsorted(recall, points, side="left")
    sampled = np.where(where < len(envelope), envelope[np.minimum(where, len(envelope) - 1)], 0.0)
    return float(sampled.mean())
