"""The face detector: a window classifier, made fully convolutional, run over an image pyramid.

The classifier sees a 24 x 24 window (`WINDOW`) and says face or not. Its dense head is
rewritten as convolutions ([`linear_to_conv2d`][cnnbook.nn.linear_to_conv2d]), so the
same weights score every window of a whole image in one pass, one score every
`STRIDE` pixels (the product of the poolings' strides). Faces larger than the window are
found on shrunk copies of the image (a pyramid); each score above a threshold becomes a
box, and non-maximum suppression keeps one box per face.
"""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np
from skimage import transform

from cnnbook import nn
from cnnbook._validation import as_numeric_array, finite_real
from cnnbook.usecases.detection.boxes import box_iou, nms
from cnnbook.usecases.detection.scenes import WINDOW, blend_face

__all__ = [
    "GAIN",
    "OFFSET",
    "STRIDE",
    "detect",
    "fully_convolutional",
    "heat_map",
    "make_classifier",
    "photometric_jitter",
]

#: Pixels between two neighbouring scores of the heat map: two 2 x 2 max-poolings.
STRIDE = 4
#: Range of the random contrast gain of a face crop and of every training window.
GAIN = (0.7, 1.3)
#: Largest random brightness offset (grey levels in [0, 1]), same use as `GAIN`.
OFFSET = 0.15
_PRE_NMS = 2000  # candidates kept per image before NMS
_FEATURES = (16, 4, 4)  # the feature maps a 24 x 24 window leaves before Flatten


def normalise(image: np.ndarray) -> np.ndarray:
    """Map [0, 1] grey levels to roughly zero mean and unit spread, as float32."""
    return ((np.asarray(image) - 0.5) / 0.25).astype(np.float32)


def photometric_jitter(windows: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Return normalised windows, each with its own random contrast gain and brightness offset.

    The training transform (`cnnbook.train.fit`'s ``transform``), applied anew every
    epoch to *every* window, faces and non-faces alike: grey levels ``g`` become
    ``clip(a g + b, 0, 1)`` with ``a`` uniform in `GAIN` and ``b`` in ``[-OFFSET, OFFSET]``.
    Jittering the faces alone would make brightness a clue ("a window brighter than any
    background seen in training is a face"), and a brighter test photograph then fills
    with false alarms.

    Parameters
    ----------
    windows : ndarray of shape (N, 1, H, W)
        Windows as `normalise` returns them (float32).
    rng : numpy.random.Generator

    Returns
    -------
    ndarray of float32, shape (N, 1, H, W)
        A new array; `windows` is left unchanged.

    Examples
    --------
    >>> x = normalise(np.full((2, 1, 24, 24), 0.5))[:, :, :1, :2]
    >>> out = photometric_jitter(x, np.random.default_rng(0))
    >>> out.shape, out.dtype, bool(np.all(out[0] == out[0, 0, 0, 0]))
    ((2, 1, 1, 2), dtype('float32'), True)
    """
    if not isinstance(rng, np.random.Generator):
        raise TypeError(f"rng (={rng!r}) must be a numpy.random.Generator")
    x = as_numeric_array("windows", windows, ndim=4)
    n = x.shape[0]
    gain = rng.uniform(*GAIN, size=(n, 1, 1, 1))
    offset = rng.uniform(-OFFSET, OFFSET, size=(n, 1, 1, 1))
    grey = x.astype(np.float64) * 0.25 + 0.5  # undo `normalise`
    return normalise(np.clip(grey * gain + offset, 0.0, 1.0))


def _grey_image(image: object) -> np.ndarray:
    array = as_numeric_array("image", image, ndim=2).astype(np.float64)
    if min(array.shape) < WINDOW:
        raise ValueError(f"image has shape {array.shape}; each side must be >= {WINDOW}")
    return array


def make_classifier(rng: np.random.Generator) -> nn.Sequential:
    """Return the window classifier: two conv-pool stages, then a dense head (2 logits)."""
    if not isinstance(rng, np.random.Generator):
        raise TypeError(f"rng (={rng!r}) must be a numpy.random.Generator")
    return nn.Sequential(
        nn.Conv2d(1, 8, 5, rng=rng),  # 24 -> 20
        nn.ReLU(),
        nn.MaxPool2d(2),  # -> 10
        nn.Conv2d(8, 16, 3, rng=rng),  # -> 8
        nn.ReLU(),
        nn.MaxPool2d(2),  # -> 4
        nn.Flatten(),
        nn.Linear(int(np.prod(_FEATURES)), 32, rng=rng),
        nn.ReLU(),
        nn.Dropout(0.25, rng=rng),
        nn.Linear(32, 2, rng=rng),
    )


def fully_convolutional(classifier: nn.Sequential) -> nn.Sequential:
    """Return the classifier with Flatten dropped and each dense layer made a convolution.

    The result maps an ``(N, 1, H, W)`` image to ``(N, 2, (H - 24) // 4 + 1, ...)`` logits:
    at ``(i, j)``, exactly the classifier's logits for the window at ``(4 i, 4 j)``.
    """
    if not isinstance(classifier, nn.Sequential):
        raise TypeError(
            f"classifier (={type(classifier).__name__}) must be the nn.Sequential "
            "of make_classifier"
        )
    layers: list[nn.Module] = []
    shape: tuple[int, int, int] | None = None
    for layer in classifier.children():
        if isinstance(layer, nn.Flatten):
            shape = _FEATURES
        elif isinstance(layer, nn.Linear):
            assert shape is not None, "a Linear layer must follow Flatten"
            layers.append(nn.linear_to_conv2d(layer, shape))
            shape = (layer.out_features, 1, 1)
        else:
            layers.append(layer)
    network = nn.Sequential(*layers)
    network.eval()
    return network


def background_pyramid(backgrounds: tuple[np.ndarray, ...]) -> list[np.ndarray]:
    """Return every background at scales 1, 1/sqrt 2, ..., 1/4: windows are then slices."""
    return [scaled for image in backgrounds for _, scaled in _pyramid(image, 0.25, 2**0.5)]


def _background_window(
    rng: np.random.Generator, levels: list[np.ndarray], out: int = WINDOW
) -> np.ndarray:
    # An out x out slice of a random photograph at a random scale of its pyramid.
    fitting = [level for level in levels if min(level.shape) >= out]
    image = fitting[rng.integers(len(fitting))]
    y = rng.integers(0, image.shape[0] - out + 1)
    x = rng.integers(0, image.shape[1] - out + 1)
    return image[y : y + out, x : x + out].copy()


def _face_window(
    rng: np.random.Generator,
    face: np.ndarray,
    levels: list[np.ndarray],
    scale: float,
    shift: tuple[int, int],
) -> np.ndarray:
    # The face at `scale` times the window, offset by `shift`, on a background crop: the
    # way it appears in a scene when the pyramid's scale and grid are slightly off.
    canvas = _background_window(rng, levels, 3 * WINDOW)
    size = max(4, round(WINDOW * scale))
    x, y = (int(np.clip(WINDOW + (WINDOW - size) // 2 + d, 0, 3 * WINDOW - size)) for d in shift)
    if rng.random() < 0.5:
        face = face[:, ::-1]
    face = np.clip(face * rng.uniform(*GAIN) + rng.uniform(-OFFSET, OFFSET), 0, 1)
    blend_face(canvas, face, x, y, size)
    return canvas[WINDOW : 2 * WINDOW, WINDOW : 2 * WINDOW]


def training_windows(
    rng: np.random.Generator,
    faces: np.ndarray,
    non_faces: np.ndarray,
    levels: list[np.ndarray],
    positives_per_face: int,
    negatives: int,
) -> tuple[np.ndarray, np.ndarray]:
    """Return (x, y) windows: faces (label 1) jittered in scale and position, non-faces (0).

    Negatives are the non-face crops, random background windows at every scale, and
    "near misses": a face too far off-centre or at the wrong size to count as found.
    """
    pos = [
        _face_window(rng, face, levels, rng.uniform(0.9, 1.12), tuple(rng.integers(-2, 3, size=2)))
        for face in faces
        for _ in range(positives_per_face)
    ]
    neg = list(non_faces) + [_background_window(rng, levels) for _ in range(negatives)]
    for _ in range(negatives // 4):
        face = faces[rng.integers(len(faces))]
        if rng.random() < 0.5:  # wrong size: half or double
            scale = float(rng.choice([rng.uniform(0.35, 0.6), rng.uniform(1.6, 2.5)]))
            shift = tuple(rng.integers(-3, 4, size=2))
        else:  # off-centre by at least half a window
            scale = rng.uniform(0.9, 1.12)
            shift = tuple(rng.choice([-1, 1], size=2) * rng.integers(WINDOW // 2, WINDOW, size=2))
        neg.append(_face_window(rng, face, levels, scale, shift))
    x = normalise(np.stack(pos + neg))[:, None]
    y = np.concatenate([np.ones(len(pos), np.int64), np.zeros(len(neg), np.int64)])
    return x, y


def pyramid_level(image: np.ndarray, scale: float) -> np.ndarray:
    """Return `image` shrunk by `scale` (anti-aliased), one level of the pyramid."""
    size = (round(image.shape[0] * scale), round(image.shape[1] * scale))
    return transform.resize(image, size, anti_aliasing=scale < 1)


def _pyramid(
    image: np.ndarray, min_scale: float, step: float
) -> Iterator[tuple[float, np.ndarray]]:
    scale = 1.0
    while scale >= min_scale and min(image.shape) * scale >= WINDOW:
        yield scale, pyramid_level(image, scale)
        scale /= step


def heat_map(network: nn.Sequential, image: np.ndarray) -> np.ndarray:
    """Return the face probability of every window of `image` (one per `STRIDE` pixels)."""
    image = _grey_image(image)
    logits = network(normalise(image)[None, None])[0].astype(np.float64)
    # Softmax of two logits is the logistic function of their difference.
    return 1.0 / (1.0 + np.exp(logits[0] - logits[1]))


def detect(
    network: nn.Sequential,
    image: np.ndarray,
    threshold: float = 0.05,
    iou_threshold: float = 0.3,
    min_scale: float = 0.3,
    step: float = 2**0.25,
) -> tuple[np.ndarray, np.ndarray]:
    """Return (boxes (D, 4), scores (D,)): faces found in a grey `image` in [0, 1].

    The fully convolutional `network` is run on the image shrunk by ``step ** -k`` down to
    `min_scale`; every window scoring above `threshold` is a box of side ``24 / scale``;
    `nms` with `iou_threshold` removes duplicates across positions and scales.
    """
    image = _grey_image(image)
    threshold = finite_real("threshold", threshold, minimum=0.0, maximum=1.0)
    iou_threshold = finite_real("iou_threshold", iou_threshold, minimum=0.0, maximum=1.0)
    min_scale = finite_real("min_scale", min_scale, minimum=1e-3, maximum=1.0)
    step = finite_real("step", step, minimum=1.01)
    boxes, scores = [], []
    for scale, scaled in _pyramid(image, min_scale, step):
        prob = heat_map(network, scaled)
        rows, cols = np.nonzero(prob > threshold)
        side = WINDOW / scale
        x0, y0 = cols * STRIDE / scale, rows * STRIDE / scale
        boxes.append(np.stack([x0, y0, x0 + side, y0 + side], axis=1))
        scores.append(prob[rows, cols])
    all_boxes = np.concatenate(boxes) if boxes else np.zeros((0, 4))
    all_scores = np.concatenate(scores) if scores else np.zeros(0)
    if len(all_scores) == 0:
        return all_boxes, all_scores
    best = np.argsort(-all_scores, kind="stable")[:_PRE_NMS]  # the usual pre-NMS top-k
    keep = best[nms(all_boxes[best], all_scores[best], iou_threshold)]
    return all_boxes[keep], all_scores[keep]


def hard_negatives(
    network: nn.Sequential,
    scenes: list[tuple[np.ndarray, np.ndarray]],
    limit: int,
    threshold: float = 0.5,
) -> np.ndarray:
    """Return up to `limit` windows of training scenes scored as faces that are not faces.

    A window is a false alarm when its box overlaps every true face by IoU < 0.3: plain
    background, or a part of a face or a face at the wrong scale. Mining them and
    training again is the classic cure for false alarms (random windows are mostly easy).
    """
    found: list[tuple[float, np.ndarray]] = []
    for image, truth in scenes:
        for scale, scaled in _pyramid(image, 0.3, 2**0.25):
            prob = heat_map(network, scaled)
            rows, cols = np.nonzero(prob > threshold)
            if len(rows) == 0:
                continue
            side = WINDOW / scale
            x0, y0 = cols * STRIDE / scale, rows * STRIDE / scale
            candidates = np.stack([x0, y0, x0 + side, y0 + side], axis=1)
            overlap = box_iou(candidates, truth).max(axis=1) if len(truth) else 0 * x0
            for r, c, o in zip(rows, cols, overlap, strict=False):
                if o < 0.3:
                    window = scaled[
                        r * STRIDE : r * STRIDE + WINDOW, c * STRIDE : c * STRIDE + WINDOW
                    ]
                    found.append((float(prob[r, c]), window))
    found.sort(key=lambda item: -item[0])
    windows = [w for _, w in found[:limit]]
    if not windows:
        return np.zeros((0, 1, WINDOW, WINDOW), np.float32)
    return normalise(np.stack(windows))[:, None]
