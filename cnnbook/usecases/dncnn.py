"""DnCNN: the residual denoiser of the Image Denoising page, and applying it to an image.

The network (Zhang et al. 2017, "Beyond a Gaussian denoiser") predicts the *noise* and
subtracts it: ``output = input - body(input)``. The super-resolution demonstration uses
the same module to remove blur instead of noise.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from cnnbook import nn
from cnnbook._validation import as_numeric_array, positive_int

__all__ = ["DnCNN", "denoise"]


class DnCNN(nn.Module):
    """Residual denoiser: ``forward(x) = x - body(x)``, the body predicting the noise.

    The body is `depth` 3 x 3 convolutions (zero padding, so the output has the input's
    size) with ReLUs between them: ``1 -> channels -> ... -> channels -> 1``. Zhang et
    al. use depth 17, 64 channels and batch normalisation; this one is sized for two CPU
    cores.

    Parameters
    ----------
    channels : int, default 16
    depth : int, default 5
        Number of convolutions (>= 2).
    rng : numpy.random.Generator, optional

    Examples
    --------
    >>> net = DnCNN(channels=4, depth=3, rng=np.random.default_rng(0))
    >>> x = np.zeros((2, 1, 10, 12), np.float32)
    >>> net(x).shape, net.backward(np.ones_like(x)).shape
    ((2, 1, 10, 12), (2, 1, 10, 12))
    """

    def __init__(
        self, channels: int = 16, depth: int = 5, rng: np.random.Generator | None = None
    ) -> None:
        super().__init__()
        channels = positive_int("channels", channels)
        depth = positive_int("depth", depth)
        if depth < 2:
            raise ValueError(f"depth (={depth}) must be >= 2 (a first and a last convolution)")
        layers: list[nn.Module] = [nn.Conv2d(1, channels, 3, padding=1, rng=rng), nn.ReLU()]
        for _ in range(depth - 2):
            layers += [nn.Conv2d(channels, channels, 3, padding=1, rng=rng), nn.ReLU()]
        layers.append(nn.Conv2d(channels, 1, 3, padding=1, rng=rng))
        self.body = nn.Sequential(*layers)

    def forward(self, x: np.ndarray) -> np.ndarray:
        """Return ``x - body(x)``: the input with the predicted noise removed."""
        return x - self.body(x)

    def backward(self, grad: np.ndarray) -> np.ndarray:
        """Return the gradient of the input (parameter gradients accumulate in the body)."""
        # x feeds the shortcut (+grad) and the body, which enters with a minus sign: the
        # body must see -grad, or its parameters would be pushed uphill.
        return grad + self.body.backward(-grad)


def denoise(model: DnCNN, noisy: Any) -> np.ndarray:
    """Apply `model` to one grey image `noisy` (2-D, values near [0, 1]); float64 out.

    The model runs in evaluation mode and is put back in training mode after.

    Examples
    --------
    >>> net = DnCNN(channels=2, depth=2, rng=np.random.default_rng(0))
    >>> denoise(net, np.full((9, 11), 0.5)).shape
    (9, 11)
    """
    if not isinstance(model, DnCNN):
        raise TypeError(f"model (={type(model).__name__}) must be a DnCNN")
    image = as_numeric_array("noisy", noisy, ndim=2).astype(np.float64)
    if not np.isfinite(image).all():
        raise ValueError("noisy contains NaN or infinite values; an image must be finite")
    model.eval()
    out = model(image[None, None].astype(np.float32))[0, 0].astype(np.float64)
    model.train()
    return out
