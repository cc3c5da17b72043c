"""Ready-made CNNs: the book's reference network, a LeNet-like one, and a ResNet block.

Each function returns a `cnnbook.nn.Sequential` (so `cnnbook.torch_bridge.to_torch`
turns it into the identical torch model), initialised from the `rng` it is given.
`BasicBlock` is the pattern for a network whose forward is not a chain: a
`cnnbook.nn.Module` with its own ``forward`` (which adds the shortcut) and its
own ``backward`` (which routes the gradient through both paths).
"""

from __future__ import annotations

import numbers
from typing import Any

import numpy as np
from numpy.typing import DTypeLike

from cnnbook import nn
from cnnbook._validation import finite_real, positive_int
from cnnbook.output_size import conv_output_size, pool_output_size

__all__ = ["BasicBlock", "lenet_like", "reference_cnn"]


def _check_build(name: str, rng: object, dtype: object, n_classes: object) -> None:
    """Name the model builder's own arguments (not the inner layer's ``out_features``)."""
    if rng is not None and not isinstance(rng, np.random.Generator):
        raise TypeError(f"{name}: rng (={rng!r}) must be a numpy.random.Generator or None")
    try:
        floating = np.dtype(dtype).kind == "f"  # type: ignore[call-overload]
    except TypeError:
        floating = False
    if not floating:
        raise TypeError(f"{name}: dtype (={dtype!r}) must be a floating dtype, e.g. np.float32")
    positive_int("n_classes", n_classes)


def reference_cnn(
    rng: np.random.Generator | None = None,
    dtype: DTypeLike = np.float32,
    in_channels: int = 1,
    n_classes: int = 10,
    dropout: float = 0.5,
) -> nn.Sequential:
    """Build the reference CNN of `python -m cnnbook train`, for 8×8 digits.

    Two blocks of *convolution → ReLU → 2×2 max-pooling*, then a linear
    classifier: 8×8 → 32 maps of 4×4 → 64 maps of 2×2 → 256 features → logits.
    ``padding=1`` keeps each convolution's output the size of its input, so the
    border pixels of a tiny image are seen as often as the centre ones.

    Parameters
    ----------
    rng : numpy.random.Generator, optional
        Source of the initial weights (torch's default initialisation).
    dtype : float dtype, default float32
    in_channels : int, default 1
    n_classes : int, default 10
    dropout : float, default 0.5
        Dropout probability before the classifier (training mode only).

    Returns
    -------
    nn.Sequential
        Input ``(N, in_channels, 8, 8)``, output ``(N, n_classes)`` logits;
        21,386 parameters with the defaults.

    Examples
    --------
    >>> model = reference_cnn(np.random.default_rng(0))
    >>> model(np.zeros((2, 1, 8, 8), np.float32)).shape
    (2, 10)
    >>> sum(p.data.size for p in model.parameters())
    21386
    """
    _check_build("reference_cnn", rng, dtype, n_classes)
    in_channels = positive_int("in_channels", in_channels)
    if not 0.0 <= finite_real("dropout", dropout) < 1.0:
        raise ValueError(f"dropout (={dropout!r}) must be in [0, 1)")
    return nn.Sequential(
        nn.Conv2d(in_channels, 32, 3, padding=1, rng=rng, dtype=dtype),
        nn.ReLU(),
        nn.MaxPool2d(2),
        nn.Conv2d(32, 64, 3, padding=1, rng=rng, dtype=dtype),
        nn.ReLU(),
        nn.MaxPool2d(2),
        nn.Flatten(),
        nn.Dropout(dropout, rng=rng),
        nn.Linear(64 * 2 * 2, n_classes, rng=rng, dtype=dtype),
    )


def lenet_like(
    rng: np.random.Generator | None = None,
    dtype: DTypeLike = np.float32,
    image_size: int = 28,
    n_classes: int = 10,
    padding: int = 0,
) -> nn.Sequential:
    """Build a LeNet-like CNN: conv 8@3×3, ReLU, pool, conv 16@3×3, ReLU, pool, linear.

    The network the issue measured (95–96 % on the 8×8 digits, about 98 % with the
    digits upsampled to 28×28). Unpadded convolutions shrink the map by 2:
    28 → 26 → 13 → 11 → 5, i.e. 16·5·5 = 400 features; an 8×8 digit needs
    ``padding=1`` (8 → 8 → 4 → 4 → 2).

    Parameters
    ----------
    rng : numpy.random.Generator, optional
    dtype : float dtype, default float32
    image_size : int, default 28
        Height and width of the (square) input, at least 8.
    n_classes : int, default 10
    padding : int, default 0
        Zero padding of both convolutions.

    Returns
    -------
    nn.Sequential

    Raises
    ------
    ValueError
        If `image_size` is too small for two 3×3 convolutions and two poolings.

    Examples
    --------
    >>> lenet_like(np.random.default_rng(0), image_size=8, padding=1)[-1]
    Linear(in_features=64, out_features=10, bias=True)
    """
    _check_build("lenet_like", rng, dtype, n_classes)
    side = positive_int("image_size", image_size)
    if not isinstance(padding, numbers.Integral) or isinstance(padding, bool) or padding < 0:
        raise ValueError(f"padding (={padding!r}) must be a non-negative int")
    try:
        for _ in range(2):
            side = pool_output_size(conv_output_size(side, 3, padding=padding), 2)
    except (ValueError, TypeError) as err:
        raise ValueError(
            f"image_size (={image_size!r}) is too small for lenet_like with "
            f"padding={padding!r}: {err}"
        ) from err
    return nn.Sequential(
        nn.Conv2d(1, 8, 3, padding=padding, rng=rng, dtype=dtype),
        nn.ReLU(),
        nn.MaxPool2d(2),
        nn.Conv2d(8, 16, 3, padding=padding, rng=rng, dtype=dtype),
        nn.ReLU(),
        nn.MaxPool2d(2),
        nn.Flatten(),
        nn.Linear(16 * side * side, n_classes, rng=rng, dtype=dtype),
    )


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
