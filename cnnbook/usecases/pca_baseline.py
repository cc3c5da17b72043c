"""PCA as an autoencoder: the best *linear* code of a given size ([[Image Synthesis]]'s baseline).

PCA (scikit-learn's `sklearn.decomposition.PCA`) encodes an image as its coordinates along
the `k` directions in which the training images vary most and decodes them as the mean
image plus those directions. No linear encoder and decoder with `k` numbers rebuild the
training images with a smaller squared error. Every output is clipped to [0, 1], the range
of the pixels (which only helps PCA). Images are ``(N, 1, H, W)`` arrays.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from sklearn.decomposition import PCA

from cnnbook._validation import as_numeric_array, positive_int

__all__ = ["fit_pca", "pca_error_curve", "pca_interpolate", "pca_reconstruct", "pca_samples"]


def _flat(name: str, images: Any) -> tuple[np.ndarray, tuple[int, ...]]:
    x = as_numeric_array(name, images).astype(np.float64)
    if x.ndim != 4 or x.shape[1] != 1:
        raise ValueError(f"{name} has shape {x.shape}; expected (N, 1, H, W) grey images")
    if not np.isfinite(x).all():
        raise ValueError(f"{name} contains NaN or infinite values")
    return x.reshape(len(x), -1), x.shape[1:]


def _fitted(pca: Any) -> PCA:
    if not isinstance(pca, PCA) or not hasattr(pca, "image_shape_"):
        raise TypeError(f"pca (={type(pca).__name__}) must be a sklearn PCA fitted by fit_pca")
    return pca


def _images(pca: PCA, flat: np.ndarray) -> np.ndarray:
    return np.clip(flat, 0.0, 1.0).reshape(len(flat), *pca.image_shape_)


def fit_pca(x_train: Any, latent_size: int) -> PCA:
    """Fit scikit-learn's PCA with `latent_size` components to images ``(N, 1, H, W)``.

    Examples
    --------
    >>> x = np.random.default_rng(0).random((20, 1, 8, 8))
    >>> fit_pca(x, 3).components_.shape
    (3, 64)
    """
    flat, shape = _flat("x_train", x_train)
    k = positive_int("latent_size", latent_size)
    if k > min(flat.shape):
        raise ValueError(f"latent_size (={k}) must be <= min(N, pixels) (={min(flat.shape)})")
    pca = PCA(n_components=k).fit(flat)
    pca.image_shape_ = shape  # to decode codes into images of the training images' shape
    return pca


def pca_reconstruct(pca: PCA, images: Any) -> np.ndarray:
    """Encode `images` with `pca` and decode them: ``(N, 1, H, W)`` in [0, 1].

    Examples
    --------
    >>> x = np.random.default_rng(0).random((20, 1, 8, 8))
    >>> bool(np.allclose(pca_reconstruct(fit_pca(x, 20), x), x))
    True
    """
    pca = _fitted(pca)
    flat, shape = _flat("images", images)
    if shape != pca.image_shape_:
        raise ValueError(f"images are {shape}; pca was fitted to {pca.image_shape_}")
    return _images(pca, pca.inverse_transform(pca.transform(flat)))


def pca_interpolate(pca: PCA, a: Any, b: Any, steps: int) -> np.ndarray:
    """Decode `steps` points of the segment between the PCA codes of images `a` and `b`.

    The decoder is linear, so (before clipping) this is a crossfade of the two
    reconstructions. `a` and `b` are ``(1, H, W)``; the result is ``(steps, 1, H, W)``.

    Examples
    --------
    >>> x = np.random.default_rng(0).random((20, 1, 8, 8))
    >>> pca_interpolate(fit_pca(x, 4), x[0], x[1], 5).shape
    (5, 1, 8, 8)
    """
    pca = _fitted(pca)
    steps = positive_int("steps", steps)
    if steps < 2:
        raise ValueError(f"steps (={steps}) must be >= 2 (the two ends)")
    codes = pca.transform(_flat("a and b", np.stack([np.asarray(a), np.asarray(b)]))[0])
    t = np.linspace(0.0, 1.0, steps)[:, None]
    return _images(pca, pca.inverse_transform((1 - t) * codes[0] + t * codes[1]))


def pca_samples(pca: PCA, n: int, rng: np.random.Generator) -> np.ndarray:
    """Decode `n` codes drawn from PCA's Gaussian (independent, the explained variances).

    Examples
    --------
    >>> x = np.random.default_rng(0).random((20, 1, 8, 8))
    >>> pca_samples(fit_pca(x, 4), 3, np.random.default_rng(1)).shape
    (3, 1, 8, 8)
    """
    pca = _fitted(pca)
    n = positive_int("n", n)
    if not isinstance(rng, np.random.Generator):
        raise TypeError(f"rng (={rng!r}) must be a numpy.random.Generator")
    codes = rng.standard_normal((n, pca.n_components_)) * np.sqrt(pca.explained_variance_)
    return _images(pca, pca.inverse_transform(codes))


def pca_error_curve(x_train: Any, x_test: Any) -> np.ndarray:
    """Held-out mean squared error per pixel of PCA with 1, 2, ... components.

    One PCA with every component is fitted; keeping its first `k` components is PCA with
    `k` (entry ``k - 1`` of the result).

    Examples
    --------
    >>> x = np.random.default_rng(0).random((30, 1, 4, 4))
    >>> curve = pca_error_curve(x[:20], x[20:])
    >>> curve.shape, bool(curve[-1] < 1e-20)  # 16 components: every 4 x 4 image exactly
    ((16,), True)
    """
    train, _ = _flat("x_train", x_train)
    test, shape = _flat("x_test", x_test)
    if train.shape[1] != test.shape[1]:
        raise ValueError(f"x_test's images {shape} differ from x_train's in size")
    full = PCA().fit(train)
    coords = full.transform(test)
    curve = []
    for k in range(1, len(full.components_) + 1):
        rebuilt = np.clip(coords[:, :k] @ full.components_[:k] + full.mean_, 0.0, 1.0)
        curve.append(float(np.mean((rebuilt - test) ** 2)))
    return np.array(curve)
