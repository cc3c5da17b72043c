r"""Pooling: max and average over sliding windows, forward and backward, as PyTorch does it.

A pooling layer reads the same windows as a convolution and reduces each one to
a number: its maximum (`cnnbook.pooling.max_pooling`) or its mean
(`cnnbook.pooling.avg_pooling`). Both share one windowing routine
(`cnnbook.pooling.windows`: torch's output size, padding, the window view), and
both backward passes add window-shaped gradients back onto the input
(`cnnbook.fold_windows`, or a scatter of the argmax positions).

Semantics are those of `torch.nn.functional.max_pool2d` / `avg_pool2d`:

- NCHW input (an unbatched CHW input gives a CHW output); ``stride=None`` means
  `kernel_size`; padding at most half the kernel ($p \le \lfloor k/2 \rfloor$).
- ``ceil_mode=True`` keeps a last partial window, provided it starts inside the
  input or its left padding (see `cnnbook.pool_output_size`); a dilated window
  may then be wider than the padded input, as in torch.
- Max pooling pads with $-\infty$; ties go to the *first* maximum of the
  window in row-major order; a NaN in a window propagates to its maximum and
  its index (the window's last NaN), as in torch.
- Average pooling divides by the window area including zero padding
  (``count_include_pad=True``) or by the number of real input cells only.

**Cached fast path for layers.** ``max_pool2d(..., return_indices=True)``
returns ``(out, indices)``, where ``indices[n, c, i, j]`` is the flat index
``row * W + col`` of the winning cell in the *unpadded* input (torch's
convention). Pass it back as ``max_pool2d_backward(grad, x, ..., indices=indices)``
and the backward is a single scatter-add, with no second pass over the windows.
Average pooling needs nothing cached: its backward uses only ``x.shape``.
Global pooling (one window per channel) is in `cnnbook.global_pooling`, adaptive
pooling (torch's ``AdaptiveAvgPool2d``) in `cnnbook.adaptive_pooling`.
Non-overlapping 2x2 windows with stride 2 (the common case) use four strided
slices and `np.maximum` instead of the generic window reduction
(``scripts/bench_pooling.py`` measures the difference).
"""

from __future__ import annotations

from cnnbook.pooling.avg_pooling import avg_pool2d, avg_pool2d_backward
from cnnbook.pooling.max_pooling import max_pool2d, max_pool2d_backward

__all__ = [
    "avg_pool2d",
    "avg_pool2d_backward",
    "max_pool2d",
    "max_pool2d_backward",
]
