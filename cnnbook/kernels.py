r"""Classic hand-made kernels, and edge detection with an explicit coordinate system.

Before a CNN *learns* its kernels, people designed them: blur, sharpen, and
the derivative filters of Sobel and Prewitt that find edges. Each function
here returns a fresh float64 array; `KERNELS` holds read-only copies by name.

**Coordinates.** Row $i$ points *down*, column $j$ points *right* (the way an
image is stored and shown). A $3 \times 3$ kernel is indexed from its centre:
offsets $a, b \in \{-1, 0, 1\}$, so ``kernel[a + 1, b + 1]`` multiplies the
pixel $x_{i+a,\, j+b}$ — every kernel here is a **correlation** kernel, applied
with `cnnbook.correlate2d` as a CNN layer applies its weights. Textbooks often
print Sobel for convolution, i.e. flipped; the flipped table convolved gives
the same numbers as this table correlated.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from types import MappingProxyType
from typing import Literal, NamedTuple

import numpy as np
from numpy.typing import ArrayLike

from cnnbook._validation import as_numeric_array, finite_real, positive_int
from cnnbook.correlation import correlate2d

__all__ = [
    "KERNELS",
    "EdgeMap",
    "box_blur",
    "edge_detect",
    "gaussian_kernel",
    "identity",
    "laplacian",
    "prewitt_x",
    "prewitt_y",
    "sharpen",
    "sobel_x",
    "sobel_y",
]


def identity() -> np.ndarray:
    """Return the 3x3 identity kernel: correlating with it returns the image.

    Examples
    --------
    >>> identity()
    array([[0., 0., 0.],
           [0., 1., 0.],
           [0., 0., 0.]])
    """
    k = np.zeros((3, 3))
    k[1, 1] = 1.0
    return k


def box_blur(size: int = 3) -> np.ndarray:
    r"""Return the ``size x size`` box (mean) filter: every entry $1/\text{size}^2$.

    Parameters
    ----------
    size : int, default 3
        Side of the kernel, positive.

    Raises
    ------
    TypeError, ValueError
        If `size` is not a positive int.

    Examples
    --------
    >>> box_blur(2)
    array([[0.25, 0.25],
           [0.25, 0.25]])
    """
    n = positive_int("size", size)
    return np.full((n, n), 1.0 / (n * n))


def gaussian_kernel(size: int = 5, sigma: float = 1.0) -> np.ndarray:
    r"""Return a ``size x size`` Gaussian blur kernel, normalised to sum to 1.

    Parameters
    ----------
    size : int, default 5
        Side of the kernel, positive (odd sizes have a centre pixel).
    sigma : float, default 1.0
        Standard deviation in pixels, positive.

    Returns
    -------
    ndarray of shape (size, size)
        $g_{ab} \propto \exp\!\big(-(a^2 + b^2) / 2\sigma^2\big)$ with $a, b$ measured
        from the kernel's centre $(\text{size} - 1)/2$.

    Raises
    ------
    TypeError, ValueError
        If `size` is not a positive int, or `sigma` is not a finite positive real
        number (NumPy scalars such as ``np.float32(1.0)`` are accepted).

    Examples
    --------
    >>> g = gaussian_kernel(3, sigma=1.0)
    >>> float(g.sum()), bool(g[1, 1] > g[0, 1] > g[0, 0])
    (1.0, True)
    """
    n = positive_int("size", size)
    s = finite_real("sigma", sigma)  # any real type (np.float32 too); inf/NaN refused
    if not s > 0:
        raise ValueError(f"sigma (={sigma!r}) must be positive (> 0)")
    r = np.arange(n) - (n - 1) / 2
    g1 = np.exp(-(r**2) / (2.0 * s**2))
    g = np.outer(g1, g1)  # the 2-D Gaussian is separable
    return g / g.sum()


def sharpen() -> np.ndarray:
    """Return the 3x3 sharpening kernel: the identity minus the Laplacian.

    Examples
    --------
    >>> sharpen()
    array([[ 0., -1.,  0.],
           [-1.,  5., -1.],
           [ 0., -1.,  0.]])
    """
    return identity() - laplacian()


def laplacian() -> np.ndarray:
    r"""Return the 3x3 (4-neighbour) Laplacian: $\partial_i^2 + \partial_j^2$ by finite differences.

    Examples
    --------
    >>> laplacian()
    array([[ 0.,  1.,  0.],
           [ 1., -4.,  1.],
           [ 0.,  1.,  0.]])
    """
    return np.array([[0.0, 1.0, 0.0], [1.0, -4.0, 1.0], [0.0, 1.0, 0.0]])


def _derivative(smooth: list[float], axis: int) -> np.ndarray:
    """Central difference along `axis` (0 = i, down; 1 = j, right), smoothed across it."""
    diff = np.array([-1.0, 0.0, 1.0])  # x[+1] - x[-1]: positive where values increase
    s = np.asarray(smooth)
    return np.outer(s, diff) if axis == 1 else np.outer(diff, s)


def sobel_x() -> np.ndarray:
    r"""Return the Sobel kernel for $\partial/\partial j$ (left to right), for correlation.

    Examples
    --------
    >>> sobel_x()
    array([[-1.,  0.,  1.],
           [-2.,  0.,  2.],
           [-1.,  0.,  1.]])
    """
    return _derivative([1.0, 2.0, 1.0], axis=1)


def sobel_y() -> np.ndarray:
    r"""Return the Sobel kernel for $\partial/\partial i$ (top to bottom), for correlation.

    Examples
    --------
    >>> sobel_y()
    array([[-1., -2., -1.],
           [ 0.,  0.,  0.],
           [ 1.,  2.,  1.]])
    """
    return _derivative([1.0, 2.0, 1.0], axis=0)


def prewitt_x() -> np.ndarray:
    r"""Return the Prewitt kernel for $\partial/\partial j$ (left to right), for correlation.

    Examples
    --------
    >>> prewitt_x()
    array([[-1.,  0.,  1.],
           [-1.,  0.,  1.],
           [-1.,  0.,  1.]])
    """
    return _derivative([1.0, 1.0, 1.0], axis=1)


def prewitt_y() -> np.ndarray:
    r"""Return the Prewitt kernel for $\partial/\partial i$ (top to bottom), for correlation.

    Examples
    --------
    >>> prewitt_y()
    array([[-1., -1., -1.],
           [ 0.,  0.,  0.],
           [ 1.,  1.,  1.]])
    """
    return _derivative([1.0, 1.0, 1.0], axis=0)


def _frozen(k: np.ndarray) -> np.ndarray:
    k.setflags(write=False)
    return k


_FACTORIES: dict[str, Callable[[], np.ndarray]] = {
    "identity": identity,
    "box blur": box_blur,
    "gaussian blur": gaussian_kernel,
    "sharpen": sharpen,
    "sobel x": sobel_x,
    "sobel y": sobel_y,
    "prewitt x": prewitt_x,
    "prewitt y": prewitt_y,
    "laplacian": laplacian,
}

#: Every named kernel with its default arguments, read-only, for galleries.
KERNELS: Mapping[str, np.ndarray] = MappingProxyType(
    {name: _frozen(make()) for name, make in _FACTORIES.items()}
)

_OPERATORS = {"sobel": (sobel_x, sobel_y), "prewitt": (prewitt_x, prewitt_y)}


class EdgeMap(NamedTuple):
    """Gradient of an image: both components, the magnitude and the direction (radians).

    A named tuple, so ``gx, gy, magnitude, direction = edge_detect(image)`` works too.

    Examples
    --------
    >>> e = edge_detect(np.eye(3), mode="valid")
    >>> e._fields
    ('gx', 'gy', 'magnitude', 'direction')
    """

    gx: np.ndarray
    gy: np.ndarray
    magnitude: np.ndarray
    direction: np.ndarray


def edge_detect(
    image: ArrayLike,
    operator: Literal["sobel", "prewitt"] = "sobel",
    mode: Literal["same", "valid"] = "same",
) -> EdgeMap:
    r"""Estimate the image gradient with Sobel or Prewitt kernels: where edges are, and which way.

    Parameters
    ----------
    image : array_like of shape (H, W)
        Grayscale image, row $i$ pointing down and column $j$ pointing right.
    operator : {"sobel", "prewitt"}, default "sobel"
        Which pair of derivative kernels to use.
    mode : {"same", "valid"}, default "same"
        ``"same"`` keeps the image size but pads with zeros, so the one-pixel frame
        sees an artificial edge against the padding; ``"valid"`` drops that frame
        (shape $(H-2, W-2)$).

    Returns
    -------
    EdgeMap
        ``(gx, gy, magnitude, direction)``, float64 arrays of the output shape.

    Raises
    ------
    TypeError, ValueError
        As `correlate2d`; ``ValueError`` for an unknown `operator` or `mode`.

    Notes
    -----
    With the kernel indexed from its centre (offsets $a, b \in \{-1,0,1\}$):

    $$g_x = \sum_{a,b} K^x_{ab}\, x_{i+a,\,j+b} \approx c\,\partial x/\partial j, \qquad
      g_y = \sum_{a,b} K^y_{ab}\, x_{i+a,\,j+b} \approx c\,\partial x/\partial i,$$

    i.e. `correlate2d` with `sobel_x` / `sobel_y` (correlation, because that is
    what a CNN layer computes, and the kernels are stored in that convention).
    with the gain $c = 8$ for Sobel and $c = 6$ for Prewitt (on a ramp of slope 1:
    the sum of the smoothing weights times the two-pixel span of the central
    difference); no rescaling, so divide by $c$ for brightness per pixel.
    $g_x > 0$ where the image brightens to the right, $g_y > 0$ where it
    brightens downward. Magnitude $\sqrt{g_x^2 + g_y^2}$; direction
    $\theta = \operatorname{arctan2}(g_y, g_x) \in (-\pi, \pi]$, the angle from
    the $+j$ axis towards the $+i$ axis (clockwise on screen): $0$ points
    right, $\pi/2$ points down, toward the brighter side of the edge.

    Examples
    --------
    >>> x = np.array([[0, 0, 1, 1]] * 4)  # dark left, bright right: a vertical edge
    >>> e = edge_detect(x, mode="valid")
    >>> e.gx
    array([[4., 4.],
           [4., 4.]])
    >>> e.direction  # pointing right, towards the bright side
    array([[0., 0.],
           [0., 0.]])
    """
    if operator not in _OPERATORS:
        raise ValueError(f"operator (={operator!r}) must be one of 'sobel', 'prewitt'")
    if mode not in ("same", "valid"):
        raise ValueError(f"mode (={mode!r}) must be 'same' or 'valid'")
    x = as_numeric_array("image", image, ndim=2).astype(np.float64, copy=False)
    kx, ky = (make() for make in _OPERATORS[operator])
    gx = correlate2d(x, kx, mode)
    gy = correlate2d(x, ky, mode)
    # `+ 0.0` turns -0.0 into +0.0, so an exactly leftward gradient is pi, not -pi.
    return EdgeMap(gx, gy, np.hypot(gx, gy), np.arctan2(gy + 0.0, gx))
