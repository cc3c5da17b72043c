"""ResNet's basic block: the pattern for a network whose forward is not a chain.

`BasicBlock` is a `cnnbook.nn.Module` with its own ``forward`` (which adds the
shortcut) and its own ``backward`` (which routes the gradient through both paths
and adds what comes back).
"""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.typing import DTypeLike

from cnnbook import nn
from cnnbook._validation import positive_int

__all__ = ["BasicBlock"]


class BasicBlock(nn.Module):
    r"""ResNet's basic block: two 3×3 convolutions with batch norm, plus a shortcut.

    ``out = relu(bn2(conv2(relu(bn1(conv1(x))))) + shortcut(x))``, with the names
    and shapes of torchvision's ``BasicBlock`` (so its ``state_dict`` keys are
    torchvision's). The shortcut is the identity when the shape is unchanged,
    otherwise a projection ``downsample = Sequential(Conv2d 1×1 with the block's
    stride, BatchNorm2d)``; torchvision's caller builds that projection, here it
    is built when needed unless `downsample` is given.

    Parameters
    ----------
    inplanes, planes : int
        Input and output channels.
    stride : int, default 1
        Stride of the first convolution (2 halves the map).
    downsample : Module or None, default None
        The shortcut; None means identity when ``stride == 1`` and
        ``inplanes == planes``, else the 1×1 projection above.
    rng : numpy.random.Generator or None
    dtype : dtype, default np.float32

    Notes
    -----
    Backward of a sum: the output gradient (through the final ReLU) goes
    unchanged into both the residual path and the shortcut, and the input
    gradient is the sum of what comes back: $\partial L/\partial x =
    J_{\text{body}}^\top g + J_{\text{shortcut}}^\top g$, which for the identity
    shortcut is $J_{\text{body}}^\top g + g$.

    Examples
    --------
    >>> block = BasicBlock(4, 8, stride=2, rng=np.random.default_rng(0), dtype=np.float64)
    >>> y = block(np.ones((2, 4, 6, 6)))
    >>> y.shape, block.backward(np.ones_like(y)).shape
    ((2, 8, 3, 3), (2, 4, 6, 6))
    >>> [name for name, _ in block.named_parameters()][-4:]
    ['bn2.bias', 'downsample.0.weight', 'downsample.1.weight', 'downsample.1.bias']
    """

    expansion = 1

    def __init__(
        self,
        inplanes: int,
        planes: int,
        stride: int = 1,
        downsample: nn.Module | None = None,
        *,
        rng: np.random.Generator | None = None,
        dtype: DTypeLike = np.float32,
    ) -> None:
        super().__init__()
        # Named here, so an error names the block's argument and not an inner layer's.
        inplanes = positive_int("inplanes", inplanes)
        planes = positive_int("planes", planes)
        stride = positive_int("stride", stride)
        self.conv1 = nn.Conv2d(
            inplanes, planes, 3, stride=stride, padding=1, bias=False, rng=rng, dtype=dtype
        )
        self.bn1 = nn.BatchNorm2d(planes, dtype=dtype)
        # One ReLU instance per use: each remembers only its own last forward.
        self.relu1 = nn.ReLU()
        self.conv2 = nn.Conv2d(planes, planes, 3, padding=1, bias=False, rng=rng, dtype=dtype)
        self.bn2 = nn.BatchNorm2d(planes, dtype=dtype)
        if downsample is None and (stride != 1 or inplanes != planes):
            downsample = nn.Sequential(
                nn.Conv2d(inplanes, planes, 1, stride=stride, bias=False, rng=rng, dtype=dtype),
                nn.BatchNorm2d(planes, dtype=dtype),
            )
        if downsample is not None and not isinstance(downsample, nn.Module):
            raise TypeError(f"downsample (={downsample!r}) must be a Module (the shortcut) or None")
        self.downsample = downsample
        self.relu2 = nn.ReLU()
        self.stride = stride

    def forward(self, x: np.ndarray) -> np.ndarray:
        """Residual path plus shortcut, then ReLU."""
        out = self.bn1(self.conv1(x))
        out = self.bn2(self.conv2(self.relu1(out)))
        identity = x if self.downsample is None else self.downsample(x)
        if identity.shape != out.shape:
            raise ValueError(
                f"BasicBlock: the shortcut gives shape {identity.shape} and the residual path "
                f"{out.shape}; they must be equal to be added (pass a downsample projection)"
            )
        return self.relu2(out + identity)

    def backward(self, grad_output: np.ndarray) -> np.ndarray:
        """Route the gradient through both paths and add what they return."""
        g = self.relu2.backward(grad_output)  # gradient of the sum: the same g to both
        # Layers that can skip their input gradient type it as "ndarray | None": Any here.
        g_body: Any = self.bn2.backward(g)  # the residual path, in reverse order
        g_body = self.conv2.backward(g_body)
        g_body = self.relu1.backward(g_body)
        g_body = self.bn1.backward(g_body)
        g_body = self.conv1.backward(g_body)
        g_short = g if self.downsample is None else self.downsample.backward(g)
        return g_body + g_short
