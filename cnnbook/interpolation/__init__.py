r"""Interpolation: resizing feature maps with nearest-neighbour or bilinear sampling, as torch.

`interpolate` makes a map larger (upsampling, as in a U-Net's decoder or a
super-resolution network) or smaller, with the semantics of
`torch.nn.functional.interpolate` for 4-D ``(N, C, H, W)`` input, down to its
rounding:

- **Output size**: `size`, or $\lfloor I \cdot s \rfloor$ for a `scale_factor` $s$.
- **Coordinate mapping** (torch's ``recompute_scale_factor=None``): output cell
  $o$ reads input coordinate $o / s$ (nearest) or $(o + \tfrac12)/s - \tfrac12$
  (bilinear, ``align_corners=False``, clamped at 0), where $1/s$ is the *given*
  scale factor, or $I/O$ when a `size` was given or the factor is recomputed.
  With ``align_corners=True`` it is $o\,(I-1)/(O-1)$: the corner pixels' centres
  line up. An axis whose size does not change is copied.
- **Nearest** takes input cell $\min(\lfloor o \cdot (1/s) \rfloor, I-1)$, with the
  product in float32 as torch computes it; doubling takes $o \gg 1$.
- **Bilinear** is separable: interpolate along the width between the two nearest
  columns, then along the height between the two nearest rows, each with weights
  $(1-\lambda, \lambda)$. A NaN reaches only the outputs that read it, as in torch.

The backward is the adjoint: each output gradient, times the weights, is added
back onto the input cells it read. Both passes work one axis at a time: for finite
data as two GEMMs with the axis' interpolation matrix $A$ (one or two non-zeros
per row, $y = A_h x A_w^\top$, gradient $A_h^\top g A_w$); when the data hold NaN
or inf, as gathers and sums of sorted segments, so that (as in torch) a NaN
reaches only the cells that read it instead of spreading through $0 \cdot \text{NaN}$.
"""

from __future__ import annotations

from cnnbook.interpolation.resize import interpolate, interpolate_backward

__all__ = ["interpolate", "interpolate_backward"]
