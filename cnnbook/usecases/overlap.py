r"""How well a predicted mask matches the true one: Dice, IoU, and a count of objects.

Segmentation is scored pixel by pixel. With $P$ the predicted and $T$ the true foreground
pixels, the **Dice coefficient** $2|P \cap T| / (|P| + |T|)$ is the F1 score of the
flattened masks, and the **intersection over union** (Jaccard index)
$|P \cap T| / |P \cup T|$ is stricter, $IoU = D / (2 - D)$. Counting objects takes the
connected components of a mask (`skimage.measure.label`): objects that touch become one.
The page [[Medical Imaging]] uses all three.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from skimage import measure

from cnnbook._validation import as_numeric_array

__all__ = ["count_nuclei", "dice", "iou"]


def _masks(name: str, value: Any) -> np.ndarray:
    arr = as_numeric_array(name, value)
    if arr.dtype != bool:
        if not np.isin(arr, (0, 1)).all():
            raise ValueError(f"{name} must be a mask: booleans, or numbers that are all 0 or 1")
        arr = arr.astype(bool)
    return arr


def _pair(pred: Any, true: Any) -> tuple[np.ndarray, np.ndarray]:
    p, t = _masks("pred", pred), _masks("true", true)
    if p.shape != t.shape:
        raise ValueError(f"pred has shape {p.shape} and true {t.shape}; they must be equal")
    return p, t


def dice(pred: Any, true: Any) -> float:
    r"""Dice coefficient of two masks, all pixels pooled: $2|P \cap T| / (|P| + |T|)$.

    Equal to the F1 score of the flattened masks. Two empty masks agree perfectly (1.0).

    Examples
    --------
    >>> dice([[1, 1, 0, 0]], [[0, 1, 1, 0]])
    0.5
    """
    p, t = _pair(pred, true)
    total = int(p.sum()) + int(t.sum())
    return 1.0 if total == 0 else 2 * int((p & t).sum()) / total


def iou(pred: Any, true: Any) -> float:
    r"""Intersection over union (Jaccard index) of two masks: $|P \cap T| / |P \cup T|$.

    Related to Dice by $IoU = D / (2 - D)$. Two empty masks agree perfectly (1.0).

    Examples
    --------
    >>> iou([[1, 1, 0, 0]], [[0, 1, 1, 0]])
    0.3333333333333333
    """
    p, t = _pair(pred, true)
    union = int((p | t).sum())
    return 1.0 if union == 0 else int((p & t).sum()) / union


def count_nuclei(mask: Any) -> int:
    """Count the connected components of a 2-D mask (8-connected; `skimage.measure.label`).

    Examples
    --------
    >>> count_nuclei([[1, 0, 0], [0, 1, 0], [0, 0, 0]]), count_nuclei([[1, 0, 1]])
    (1, 2)
    """
    m = _masks("mask", mask)
    if m.ndim != 2:
        raise ValueError(f"mask has ndim {m.ndim} (shape {m.shape}); expected one 2-D mask")
    return int(measure.label(m, connectivity=2).max())
