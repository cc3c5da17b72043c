r"""`Upsample`: a layer that resizes feature maps, a thin wrapper of `cnnbook.interpolate`.

Decoders (a U-Net's upward path, an autoencoder's, a super-resolution network)
make maps larger. ``Upsample`` followed by a convolution is the alternative to a
transposed convolution that avoids its checkerboard artefacts. It has no
parameters; its backward is `cnnbook.interpolate_backward`.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from cnnbook._validation import as_numeric_array
from cnnbook.interpolation import interpolate, interpolate_backward
from cnnbook.interpolation.coordinates import check_arguments
from cnnbook.nn.layer_input import named_errors
from cnnbook.nn.module import Module

__all__ = ["Upsample"]


class Upsample(Module):
    r"""Resize ``(N, C, H, W)`` maps by `scale_factor` or to `size`, as ``torch.nn.Upsample``.

    Parameters
    ----------
    size : int or pair of int, optional
        Output size ``(OH, OW)``; exactly one of `size` and `scale_factor`.
    scale_factor : float or pair of float, optional
        Multiplier of the input size (stored as float, as torch does).
    mode : {'nearest', 'bilinear'}, default 'nearest'
    align_corners : bool or None, default None
        Bilinear only; see `cnnbook.interpolate`.
    recompute_scale_factor : bool or None, default None
        See `cnnbook.interpolate`.

    Notes
    -----
    See `cnnbook.interpolate` for the coordinate mapping and the weights.

    Examples
    --------
    >>> up = Upsample(scale_factor=2, mode="bilinear")
    >>> up
    Upsample(scale_factor=2.0, mode='bilinear')
    >>> up(np.array([[[[0., 1.]]]]))
    array([[[[0.  , 0.25, 0.75, 1.  ],
             [0.  , 0.25, 0.75, 1.  ]]]])
    >>> up.backward(np.ones((1, 1, 2, 4)))
    array([[[[4., 4.]]]])
    """

    def __init__(
        self,
        size: Any = None,
        scale_factor: Any = None,
        mode: str = "nearest",
        align_corners: bool | None = None,
        recompute_scale_factor: bool | None = None,
    ) -> None:
        super().__init__()
        check_arguments(size, scale_factor, mode, align_corners, recompute_scale_factor)
        self.size = size
        # torch keeps the factor as float (a tuple of floats for a pair)
        self.scale_factor: Any = (
            tuple(float(f) for f in scale_factor)
            if isinstance(scale_factor, tuple | list)
            else (None if scale_factor is None else float(scale_factor))
        )
        self.mode = mode
        self.align_corners = align_corners
        self.recompute_scale_factor = recompute_scale_factor
        self._x: np.ndarray | None = None

    def _args(self) -> tuple[Any, Any, str, bool | None, bool | None]:
        return (
            self.size,
            self.scale_factor,
            self.mode,
            self.align_corners,
            self.recompute_scale_factor,
        )

    def forward(self, x: np.ndarray) -> np.ndarray:
        """Resize `x` of shape ``(N, C, H, W)``."""
        x = as_numeric_array("x", x)  # ragged or non-numeric input: named before anything else
        out = named_errors(self, x, lambda: interpolate(x, *self._args()))
        self._x = x
        return out

    def backward(self, grad_output: np.ndarray) -> np.ndarray:
        """Add each output gradient back onto the input cells it was interpolated from."""
        x = self._saved(self._x)
        return interpolate_backward(grad_output, x, *self._args())

    def extra_repr(self) -> str:
        """Torch's ``scale_factor=...`` or ``size=...``, then ``mode=...``."""
        if self.scale_factor is not None:
            info = f"scale_factor={self.scale_factor!r}"
        else:
            info = f"size={self.size!r}"
        return f"{info}, mode={self.mode!r}"
