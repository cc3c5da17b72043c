"""A small U-Net (Ronneberger, Fischer & Brox, 2015): per-pixel logits for segmentation.

The encoder halves the map at each level (two 3×3 convolutions with batch norm
and ReLU, then 2×2 max-pooling) and keeps each level's output; the decoder
doubles the map back (an upsampling layer, then a convolution) and
concatenates the kept map of the same size — the *skip connection*, which
hands the decoder the fine detail the pooling threw away — before two more
convolutions. A 1×1 convolution gives one logit per class and pixel.

Its forward is not a chain, so `UNet` is a `cnnbook.nn.Module` with its own
``forward`` (which keeps and concatenates the skips with `cnnbook.nn.cat`) and
its own ``backward`` (which splits each concatenation's gradient with
`cnnbook.nn.split` and adds the skip's share to the encoder's gradient).
"""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.typing import DTypeLike

from cnnbook import nn
from cnnbook._validation import positive_int

__all__ = ["UNet", "double_conv"]

UP_MODES = ("transpose", "bilinear")


def double_conv(
    in_channels: int,
    out_channels: int,
    *,
    rng: np.random.Generator | None = None,
    dtype: DTypeLike = np.float32,
) -> nn.Sequential:
    """Return U-Net's unit: (3×3 convolution, BatchNorm2d, ReLU) twice, size kept.

    Examples
    --------
    >>> double_conv(1, 4, rng=np.random.default_rng(0))[0]
    Conv2d(1, 4, kernel_size=(3, 3), stride=(1, 1), padding=(1, 1), bias=False)
    """
    return nn.Sequential(
        nn.Conv2d(in_channels, out_channels, 3, padding=1, bias=False, rng=rng, dtype=dtype),
        nn.BatchNorm2d(out_channels, dtype=dtype),
        nn.ReLU(),
        nn.Conv2d(out_channels, out_channels, 3, padding=1, bias=False, rng=rng, dtype=dtype),
        nn.BatchNorm2d(out_channels, dtype=dtype),
        nn.ReLU(),
    )


def _up(channels: int, mode: str, rng: Any, dtype: DTypeLike) -> nn.Module:
    """Double the map and halve the channels, by transposed convolution or bilinear + conv.

    The second avoids the checkerboard artefacts of a stride-2 transposed convolution.
    """
    if mode == "transpose":
        return nn.ConvTranspose2d(channels, channels // 2, 2, stride=2, rng=rng, dtype=dtype)
    return nn.Sequential(
        nn.Upsample(scale_factor=2, mode="bilinear"),
        nn.Conv2d(channels, channels // 2, 3, padding=1, rng=rng, dtype=dtype),
    )


class UNet(nn.Module):
    r"""A small U-Net: `depth` levels down and up, skip concatenations, per-pixel logits.

    Parameters
    ----------
    in_channels : int, default 1
    n_classes : int, default 2
        Output channels: one logit per class and pixel (train with
        ``CrossEntropyLoss`` on ``(N, H, W)`` targets, or ``BCEWithLogitsLoss``).
    base_channels : int, default 8
        Channels of the first level; each level below doubles them.
    depth : int, default 2
        Number of poolings; the input's height and width must be multiples of $2^{depth}$.
    up_mode : {"transpose", "bilinear"}, default "transpose"
        How the decoder doubles the map: ``ConvTranspose2d(c, c/2, 2, stride=2)``
        or ``Upsample(scale_factor=2, mode="bilinear")`` then a 3×3 ``Conv2d``.
    rng : numpy.random.Generator, optional
    dtype : float dtype, default float32

    Attributes
    ----------
    down : Sequential of `double_conv`
        The encoder levels (``down.0`` sees the input).
    pools : Sequential of MaxPool2d
        One 2×2 pooling per level (each remembers its own forward).
    bottleneck : Sequential
    up, dec : Sequential
        Per decoder step, deepest first: the upsampling and the `double_conv`
        applied to ``cat([skip, up(h)], dim=1)``.
    head : Conv2d
        The 1×1 convolution to `n_classes` logits.

    Notes
    -----
    At a concatenation $z = [s, u]$ along the channels, the gradient splits:
    $\partial L/\partial s$ is the first $C_s$ channels of $\partial L/\partial z$
    and goes back to the encoder level that produced $s$, where it is *added* to
    the gradient arriving through the pooling (the map fed both).

    Examples
    --------
    >>> net = UNet(1, 3, base_channels=4, up_mode="bilinear", rng=np.random.default_rng(0))
    >>> logits = net(np.zeros((2, 1, 8, 12), np.float32))
    >>> logits.shape, net.backward(np.ones_like(logits)).shape
    ((2, 3, 8, 12), (2, 1, 8, 12))
    """

    def __init__(
        self,
        in_channels: int = 1,
        n_classes: int = 2,
        base_channels: int = 8,
        depth: int = 2,
        up_mode: str = "transpose",
        *,
        rng: np.random.Generator | None = None,
        dtype: DTypeLike = np.float32,
    ) -> None:
        super().__init__()
        self.in_channels = positive_int("in_channels", in_channels)
        self.n_classes = positive_int("n_classes", n_classes)
        self.base_channels = positive_int("base_channels", base_channels)
        self.depth = positive_int("depth", depth)
        if up_mode not in UP_MODES:
            raise ValueError(f"up_mode (={up_mode!r}) must be one of {UP_MODES}")
        self.up_mode = up_mode
        widths = [self.base_channels * 2**i for i in range(self.depth + 1)]
        ins = [self.in_channels, *widths[:-2]]
        kw: dict[str, Any] = {"rng": rng, "dtype": dtype}
        self.down = nn.Sequential(
            *(double_conv(i, o, **kw) for i, o in zip(ins, widths, strict=False))
        )
        self.pools = nn.Sequential(*(nn.MaxPool2d(2) for _ in range(self.depth)))
        self.bottleneck = double_conv(widths[-2], widths[-1], **kw)
        deep_first = widths[::-1]  # e.g. 32, 16, 8
        self.up = nn.Sequential(*(_up(c, up_mode, rng, dtype) for c in deep_first[:-1]))
        self.dec = nn.Sequential(*(double_conv(c, c // 2, **kw) for c in deep_first[:-1]))
        self.head = nn.Conv2d(widths[0], self.n_classes, 1, rng=rng, dtype=dtype)
        self._skip_channels: list[int] = []

    def forward(self, x: Any) -> np.ndarray:
        """Return the logits ``(N, n_classes, H, W)`` of `x` ``(N, in_channels, H, W)``."""
        x = np.asarray(x)
        step = 2**self.depth
        if x.ndim != 4 or x.shape[2] % step or x.shape[3] % step:
            raise ValueError(
                f"{type(self).__name__}: input of shape {x.shape} must be (N, C, H, W) with H "
                f"and W multiples of 2**depth (={step}), so every skip matches its decoder map"
            )
        skips = []
        h = x
        for enc, pool in zip(self.down, self.pools, strict=True):
            h = enc(h)
            skips.append(h)
            h = pool(h)
        h = self.bottleneck(h)
        for up, dec, skip in zip(self.up, self.dec, reversed(skips), strict=True):
            h = dec(nn.cat([skip, up(h)], dim=1))
        self._skip_channels = [s.shape[1] for s in skips]
        return self.head(h)

    def backward(self, grad_output: np.ndarray) -> np.ndarray:
        """Route the gradient back: split at each concatenation, add at each skip's source."""
        if not self._skip_channels:
            self._saved(None)
        g: Any = self.head.backward(grad_output)
        # Decoder steps in reverse: the last one (the shallowest level) first.
        skip_grads: list[np.ndarray] = [np.empty(0)] * self.depth  # by encoder level
        for step in reversed(range(self.depth)):
            level = self.depth - 1 - step  # the encoder level whose map this step concatenated
            c_skip = self._skip_channels[level]
            dec: Any = self.dec[step]
            g_skip, g = nn.split(dec.backward(g), [c_skip, dec[0].in_channels - c_skip], dim=1)
            skip_grads[level] = g_skip
            g = self.up[step].backward(g)
        g = self.bottleneck.backward(g)
        for level in reversed(range(self.depth)):  # the map fed both the pool and the skip
            g = self.down[level].backward(self.pools[level].backward(g) + skip_grads[level])
        return g
