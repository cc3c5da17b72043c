"""The detection data: real face crops, face-free photographs, and scenes with exact boxes.

Faces are the 100 real 25 x 25 face crops of `skimage.data.lfw_subset` (from Labeled
Faces in the Wild); its other 100 crops are non-faces. Backgrounds are bundled
photographs checked to hold no human face (`BACKGROUNDS`: ``camera`` (a cameraman),
``coins`` (heads on coins), ``astronaut`` and ``chelsea`` (a cat's face) are left out).
Each photograph's left half gives training negatives, its right half the test scenes'
backgrounds, so no test pixel is seen in training.

A scene pastes faces onto a background with a soft elliptical mask, at random positions
and sizes: the pasted square is the exact ground-truth box.
"""

from __future__ import annotations

from functools import cache

import numpy as np
from skimage import color, data, transform

__all__ = ["BACKGROUNDS", "WINDOW", "background_halves", "face_crops", "make_scene"]

#: Side of the detector's window (pixels): crops are resized from 25 to 24 so that two
#: 2 x 2 poolings divide it exactly (see the conversion to convolutions).
WINDOW = 24
#: Bundled photographs with no human face in them.
BACKGROUNDS = ("brick", "grass", "gravel", "coffee", "rocket", "moon", "text", "page")


@cache
def face_crops() -> tuple[np.ndarray, np.ndarray]:
    """Return (faces, non_faces): 100 crops each, float64 in [0, 1], resized to `WINDOW`."""
    crops = data.lfw_subset()
    resized = np.stack([transform.resize(c, (WINDOW, WINDOW), anti_aliasing=True) for c in crops])
    return resized[:100], resized[100:]


@cache
def background_halves() -> tuple[tuple[np.ndarray, ...], tuple[np.ndarray, ...]]:
    """Return (train, test): the left and right halves of each `BACKGROUNDS` photograph."""
    train, test = [], []
    for name in BACKGROUNDS:
        image = getattr(data, name)()
        gray = color.rgb2gray(image) if image.ndim == 3 else image / 255.0
        half = gray.shape[1] // 2
        train.append(np.ascontiguousarray(gray[:, :half], dtype=np.float64))
        test.append(np.ascontiguousarray(gray[:, half:], dtype=np.float64))
    return tuple(train), tuple(test)


@cache
def _mask(size: int) -> np.ndarray:
    # A soft ellipse: 1 on the face, fading to 0 in the corners, so no square seam shows.
    r = (np.arange(size) + 0.5) / size * 2 - 1
    radius = np.hypot(r[None, :] / 0.95, r[:, None] / 1.05)
    return np.clip((1.15 - radius) / 0.3, 0.0, 1.0)


def blend_face(background: np.ndarray, face: np.ndarray, x: int, y: int, size: int) -> None:
    """Paste `face`, resized to `size`, at column `x`, row `y` of `background` (in place)."""
    patch = transform.resize(face, (size, size), anti_aliasing=size < face.shape[0])
    alpha = _mask(size)
    region = background[y : y + size, x : x + size]
    region[...] = alpha * patch + (1 - alpha) * region


def _crop(rng: np.random.Generator, image: np.ndarray, side: int) -> np.ndarray:
    side = min(side, *image.shape)
    y = rng.integers(0, image.shape[0] - side + 1)
    x = rng.integers(0, image.shape[1] - side + 1)
    return image[y : y + side, x : x + side]


def make_scene(
    rng: np.random.Generator,
    faces: np.ndarray,
    backgrounds: tuple[np.ndarray, ...],
    size: int = 160,
    max_faces: int = 3,
    face_sizes: tuple[int, int] = (24, 64),
) -> tuple[np.ndarray, np.ndarray]:
    """Return (image, boxes): 1 to `max_faces` faces pasted on a random background crop.

    Face sides are log-uniform in `face_sizes`; boxes ``(x0, y0, x1, y1)`` never overlap.
    """
    lo, hi = face_sizes
    if not 4 <= lo <= hi <= size:
        raise ValueError(f"face_sizes (={face_sizes!r}) must satisfy 4 <= low <= high <= size")
    if not isinstance(max_faces, int) or max_faces < 1:
        raise ValueError(f"max_faces (={max_faces!r}) must be a positive int")
    background = backgrounds[rng.integers(len(backgrounds))]
    side = int(rng.integers(size * 3 // 4, int(size * 1.5) + 1))
    image = transform.resize(_crop(rng, background, side), (size, size), anti_aliasing=True)
    boxes: list[list[float]] = []
    for _ in range(int(rng.integers(1, max_faces + 1))):
        for _attempt in range(20):
            s = round(np.exp(rng.uniform(*np.log(face_sizes))))
            x, y = (int(v) for v in rng.integers(0, size - s + 1, size=2))
            box = [x, y, x + s, y + s]
            if all(
                box[2] <= b[0] or b[2] <= box[0] or box[3] <= b[1] or b[3] <= box[1] for b in boxes
            ):
                blend_face(image, faces[rng.integers(len(faces))], x, y, s)
                boxes.append(box)
                break
    return image, np.array(boxes, dtype=np.float64).reshape(-1, 4)
