"""Synthetic fluorescence microscopy with exact masks: the data of [[Medical Imaging]].

Real annotated nuclei images do not ship in any installed package, and a hand-drawn
outline is never exact; so the images are simulated, the way a fluorescence microscope
forms them, from shapes whose masks are known exactly:

1. **Nuclei**: ellipses of random size, elongation and orientation whose outline is
   bent by two low harmonics (no two alike). Some are placed against an earlier one so
   that they *touch* (a clump); the shared boundary goes where the two shapes'
   normalised distances are equal, as two pressed nuclei flatten against each other.
   The mask is the set of pixels whose centre lies inside a nucleus, and the instance
   labels say which nucleus each pixel belongs to — exact by construction.
2. **Stain**: each nucleus has its own brightness (dim and bright ones in one image),
   a slightly brighter centre and a grainy chromatin texture.
3. **Optics**: the stained image is blurred by a Gaussian point-spread function, so
   edges are soft; a smooth background haze is added.
4. **Illumination**: the whole field is multiplied by a gain that ramps across the
   image in a random direction (uneven illumination, common in wide-field microscopes).
5. **Sensor**: Poisson-like shot noise (its variance grows with the brightness) plus
   Gaussian read noise.

The mask describes the *object*, not the blurred, noisy picture of it: a segmenter has to
recover the true outline from a degraded image, as in real microscopy.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
from scipy import ndimage

from cnnbook._validation import as_numeric_array, finite_real, positive_int

__all__ = ["Microscopy", "make_microscopy", "nucleus_distance"]


class Microscopy(NamedTuple):
    """A batch of synthetic microscopy images and their exact ground truth.

    Attributes
    ----------
    images : ndarray of shape (N, H, W), float32
        Intensities, roughly in [0, 1.5] (no clipping: the noise is Gaussian-like).
    masks : ndarray of shape (N, H, W), bool
        True where a pixel's centre lies inside a nucleus.
    labels : ndarray of shape (N, H, W), int32
        0 for the background, ``k`` for the k-th nucleus of the image.
    counts : ndarray of shape (N,), int64
        The number of nuclei of each image (the true count).
    """

    images: np.ndarray
    masks: np.ndarray
    labels: np.ndarray
    counts: np.ndarray


def nucleus_distance(
    rows: np.ndarray,
    cols: np.ndarray,
    centre: tuple[float, float],
    axes: tuple[float, float],
    angle: float,
    wobble: tuple[float, float, float, float] = (0.0, 0.0, 0.0, 0.0),
) -> np.ndarray:
    r"""Normalised distance of each pixel centre to a bent ellipse: < 1 inside, 1 on the outline.

    $$d = \frac{\sqrt{(u/a)^2 + (v/b)^2}}
               {1 + w_2 \cos 2(\theta - \phi_2) + w_3 \cos 3(\theta - \phi_3)}$$

    with $(u, v)$ the pixel's position in the ellipse's own axes, $\theta$ its polar angle
    and ``wobble`` $= (w_2, \phi_2, w_3, \phi_3)$.

    Examples
    --------
    >>> r, c = np.mgrid[0:7, 0:7]
    >>> inside = nucleus_distance(r, c, (3.0, 3.0), (2.5, 2.5), 0.0) < 1
    >>> int(inside.sum()), bool(inside[3, 3]), bool(inside[0, 0])
    (21, True, False)
    """
    rows = as_numeric_array("rows", rows)
    cols = as_numeric_array("cols", cols)
    if rows.shape != cols.shape:
        raise ValueError(f"rows has shape {rows.shape} and cols {cols.shape}; they must be equal")
    if len(axes) != 2 or not all(finite_real("axes", a) > 0 for a in axes):
        raise ValueError(f"axes (={axes!r}) must be two positive semi-axes, in pixels")
    if (
        len(wobble) != 4
        or abs(finite_real("wobble", wobble[0])) + abs(finite_real("wobble", wobble[2])) >= 1
    ):
        raise ValueError(f"wobble (={wobble!r}) must be (w2, phi2, w3, phi3) with |w2| + |w3| < 1")
    dy, dx = rows - centre[0], cols - centre[1]
    u = dx * np.cos(angle) + dy * np.sin(angle)
    v = -dx * np.sin(angle) + dy * np.cos(angle)
    theta = np.arctan2(v, u)
    w2, p2, w3, p3 = wobble
    bend = 1 + w2 * np.cos(2 * (theta - p2)) + w3 * np.cos(3 * (theta - p3))
    out: np.ndarray = np.sqrt((u / axes[0]) ** 2 + (v / axes[1]) ** 2) / bend
    return out


def _reach(axes: tuple[float, float], wobble: tuple[float, ...]) -> float:
    return max(axes) * (1 + abs(wobble[0]) + abs(wobble[2]))


def _place(rng: np.random.Generator, size: int, n: int, touching: float) -> list[tuple]:
    """Draw the nuclei's shapes and positions; a fraction `touching` leans on an earlier one."""
    shapes: list[tuple] = []
    for _ in range(n):
        radius = rng.uniform(3.0, 7.5)
        ratio = rng.uniform(1.0, 1.6)  # elongation
        axes = (radius * np.sqrt(ratio), radius / np.sqrt(ratio))
        angle = rng.uniform(0, np.pi)
        wobble = (
            rng.uniform(0, 0.1),
            rng.uniform(0, np.pi),
            rng.uniform(0, 0.06),
            rng.uniform(0, np.pi),
        )
        centre = None
        if shapes and rng.random() < touching:
            # Lean on an earlier nucleus: centres a little closer than the sum of the radii.
            other = shapes[rng.integers(len(shapes))]
            direction = rng.uniform(0, 2 * np.pi)
            gap = (np.mean(other[1]) + radius) * rng.uniform(0.8, 0.95)
            c = (other[0][0] + gap * np.sin(direction), other[0][1] + gap * np.cos(direction))
            if radius <= c[0] < size - radius and radius <= c[1] < size - radius:
                centre = c
        for _ in range(30 if centre is None else 0):
            # Elsewhere: a free spot, at least 2 pixels from every earlier nucleus (each
            # reaches at most its long semi-axis times its largest bend from its centre).
            c = tuple(rng.uniform(radius / 2, size - radius / 2, size=2))
            if all(
                np.hypot(c[0] - s[0][0], c[1] - s[0][1])
                > _reach(axes, wobble) + _reach(*s[1::2]) + 2
                for s in shapes
            ):
                centre = c
                break
        if centre is not None:
            shapes.append((centre, axes, angle, wobble))
    return shapes


def _one_image(
    rng: np.random.Generator, size: int, n: int, touching: float, blur: float, noise: float
) -> tuple[np.ndarray, np.ndarray, int]:
    rows, cols = np.mgrid[0:size, 0:size].astype(np.float64)
    shapes = _place(rng, size, n, touching)
    labels = np.zeros((size, size), np.int32)
    stain = np.zeros((size, size))
    if shapes:
        dist = np.stack([nucleus_distance(rows, cols, *s) for s in shapes])
        nearest = np.argmin(dist, axis=0)
        inside = np.min(dist, axis=0) < 1
        # A nucleus hidden entirely under its neighbours is not counted: drop empty labels.
        present = np.unique(nearest[inside])
        relabel = np.zeros(len(shapes), np.int32)
        relabel[present] = np.arange(1, len(present) + 1)
        labels[inside] = relabel[nearest[inside]]
        brightness = rng.uniform(0.15, 1.0, size=len(shapes))
        d = np.take_along_axis(dist, nearest[None], axis=0)[0]
        dome = 0.75 + 0.25 * np.clip(1 - d**2, 0, 1)  # a brighter centre
        grain = ndimage.gaussian_filter(rng.standard_normal((size, size)), 1.0)
        grain = 1 + 0.1 * grain / grain.std()  # chromatin: a grainy +-10 % texture
        stain[inside] = (brightness[nearest] * dome * grain)[inside]
    optics = ndimage.gaussian_filter(stain, blur)
    haze = ndimage.gaussian_filter(rng.standard_normal((size, size)), size / 4)
    haze = 0.06 + 0.04 * haze / (np.abs(haze).max() + 1e-12)
    direction = rng.uniform(0, 2 * np.pi)
    ramp = np.cos(direction) * (cols / size - 0.5) + np.sin(direction) * (rows / size - 0.5)
    gain = 1 + rng.uniform(0.3, 0.6) * 2 * ramp  # the gain ranges over about 1 +- 0.3..0.6
    clean = gain * (optics + haze)
    shot = 0.01 * np.sqrt(np.clip(clean, 0, None))
    image = clean + np.sqrt(shot**2 + noise**2) * rng.standard_normal((size, size))
    return image, labels, len(np.unique(labels)) - 1


def make_microscopy(
    n: int,
    rng: np.random.Generator,
    size: int = 64,
    nuclei: tuple[int, int] = (5, 14),
    touching: float = 0.35,
    blur: float = 1.0,
    noise: tuple[float, float] = (0.02, 0.06),
) -> Microscopy:
    """Simulate `n` fluorescence images of nuclei, with their exact masks and instance labels.

    Parameters
    ----------
    n : int
        Number of images.
    rng : numpy.random.Generator
    size : int, default 64
        Side of the square images, in pixels.
    nuclei : (int, int), default (5, 14)
        Each image draws its number of nuclei uniformly from this range (inclusive); one
        that finds no room is left out, and the true count says so.
    touching : float in [0, 1], default 0.35
        Probability that a nucleus is placed against an earlier one (a clump).
    blur : float, default 1.0
        Standard deviation of the Gaussian point-spread function, in pixels (0: none).
    noise : (float, float), default (0.02, 0.06)
        Range of the read-noise standard deviation, one value drawn per image.

    Returns
    -------
    Microscopy
        ``images``, ``masks``, ``labels`` (instances) and ``counts``.

    Examples
    --------
    >>> data = make_microscopy(3, np.random.default_rng(0))
    >>> data.images.shape, data.masks.dtype, data.labels.dtype
    ((3, 64, 64), dtype('bool'), dtype('int32'))
    >>> bool(np.array_equal(data.masks, data.labels > 0))
    True
    >>> [int(data.labels[i].max()) for i in range(3)] == data.counts.tolist()
    True
    """
    n = positive_int("n", n)
    if not isinstance(rng, np.random.Generator):
        raise TypeError(f"rng (={rng!r}) must be a numpy.random.Generator")
    size = positive_int("size", size)
    if size < 16:
        raise ValueError(f"size (={size}) must be >= 16 pixels (a nucleus is up to 15 across)")
    if (
        not isinstance(nuclei, tuple)
        or len(nuclei) != 2
        or not all(isinstance(k, int) and not isinstance(k, bool) for k in nuclei)
        or not 0 <= nuclei[0] <= nuclei[1]
    ):
        raise ValueError(
            f"nuclei (={nuclei!r}) must be a pair of ints (low, high), 0 <= low <= high"
        )
    touching = finite_real("touching", touching, minimum=0.0, maximum=1.0)
    blur = finite_real("blur", blur, minimum=0.0)
    if (
        not isinstance(noise, tuple)
        or len(noise) != 2
        or not all(isinstance(s, int | float) and np.isfinite(s) for s in noise)
        or not 0 <= noise[0] <= noise[1]
    ):
        raise ValueError(f"noise (={noise!r}) must be a pair of finite numbers 0 <= low <= high")
    images = np.empty((n, size, size), np.float32)
    labels = np.empty((n, size, size), np.int32)
    counts = np.empty(n, np.int64)
    for i in range(n):
        k = int(rng.integers(nuclei[0], nuclei[1] + 1))
        sigma = float(rng.uniform(*noise))
        images[i], labels[i], counts[i] = _one_image(rng, size, k, touching, blur, sigma)
    return Microscopy(images, labels > 0, labels, counts)
