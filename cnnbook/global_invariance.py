r"""When does global pooling make a network shift-invariant? Only at multiples of its total stride.

A network that ends in global average pooling forgets *where* its last
feature maps respond. If every layer before it is exactly shift-equivariant,
the network is exactly shift-invariant. With circular padding a stride-1
convolution is equivariant for every shift, but a layer of stride $s$ (a
strided convolution, or an $s \times s$ pooling) is equivariant only for shifts
that are multiples of $s$. Stacked, the condition is on the **total stride**
$S = \prod_l s_l$ (the *jump* of [[The Receptive Field of the Neuron]]):

$$g(T_\delta x) = g(x) \ \text{for every}\ x \iff S \mid \delta
\quad\text{(for a generic network, with circular padding).}$$

For other shifts the strided layers sample the input on a different grid,
and the pooled features change. `global_pool_invariance` measures it on three
small networks with random weights.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any

import numpy as np

from cnnbook._validation import as_numeric_array, positive_int
from cnnbook.equivariance import conv2d_circular, error_vs_shift
from cnnbook.pooling import max_pool2d
from cnnbook.receptive_field import receptive_field

__all__ = [
    "GLOBAL_POOL_NETWORKS",
    "ShiftInvariance",
    "global_pool_invariance",
    "global_pool_network",
    "total_stride",
]

#: A layer: ``("conv", stride)`` — a 3x3 circular convolution and a ReLU — or
#: ``("max_pool", size)`` — a size x size max pooling of stride size.
Layer = tuple[str, int]

#: The three networks of the Translation Invariance page, each ending in global average pooling.
GLOBAL_POOL_NETWORKS: Mapping[str, tuple[Layer, ...]] = MappingProxyType(
    {
        "conv → conv → global avg pool": (("conv", 1), ("conv", 1)),
        "conv → 2×2 max pool → conv → global avg pool": (
            ("conv", 1),
            ("max_pool", 2),
            ("conv", 1),
        ),
        "conv → stride-2 conv → global avg pool": (("conv", 1), ("conv", 2)),
    }
)


def _check_layers(layers: Sequence[Layer]) -> list[Layer]:
    checked = []
    for i, layer in enumerate(layers):
        if not (isinstance(layer, tuple) and len(layer) == 2 and layer[0] in ("conv", "max_pool")):
            raise ValueError(
                f"layers[{i}] (={layer!r}) must be ('conv', stride) or ('max_pool', size)"
            )
        checked.append((layer[0], positive_int(f"layers[{i}] stride", layer[1])))
    return checked


def total_stride(layers: Sequence[Layer]) -> int:
    """Return the product of the layers' strides: the jump of the last layer's receptive field.

    Parameters
    ----------
    layers : sequence of ("conv", stride) or ("max_pool", size)
        3x3 convolutions and non-overlapping max poolings.

    Returns
    -------
    int
        The input shift that moves the last feature map by exactly one cell.

    Examples
    --------
    >>> total_stride([("conv", 1), ("max_pool", 2), ("conv", 2)])
    4
    """
    specs = [
        {"kernel_size": 3, "stride": s, "padding": 1}
        if kind == "conv"
        else {"kernel_size": s, "stride": s}
        for kind, s in _check_layers(layers)
    ]
    return int(receptive_field(specs)[-1].jump[0]) if specs else 1


def global_pool_network(
    layers: Sequence[Layer],
    rng: np.random.Generator,
    in_channels: int = 1,
    channels: int = 4,
) -> Callable[[np.ndarray], np.ndarray]:
    """Build a random network: circular convolutions, ReLUs, max poolings, then global avg pool.

    Parameters
    ----------
    layers : sequence of ("conv", stride) or ("max_pool", size)
        The layers before the global pooling.
    rng : numpy.random.Generator
        Draws the 3x3 weights (standard normal).
    in_channels : int, default 1
        Channels of the input.
    channels : int, default 4
        Channels of every convolution.

    Returns
    -------
    callable
        ``f(x)`` for ``x`` of shape ``(N, in_channels, H, W)``, returning ``(N, channels, 1, 1)``.

    Examples
    --------
    >>> f = global_pool_network([("conv", 2)], np.random.default_rng(0))
    >>> f(np.ones((1, 1, 8, 8))).shape
    (1, 4, 1, 1)
    """
    checked = _check_layers(layers)
    c = positive_int("channels", channels)
    c_in = positive_int("in_channels", in_channels)
    weights: list[np.ndarray | None] = []
    for kind, _ in checked:
        if kind == "conv":
            weights.append(rng.standard_normal((c, c_in, 3, 3)))
            c_in = c
        else:
            weights.append(None)

    def f(x: np.ndarray) -> np.ndarray:
        h = x
        for (_, s), w in zip(checked, weights, strict=True):
            h = (
                np.maximum(conv2d_circular(h, w, stride=s), 0)
                if w is not None
                else max_pool2d(h, s)
            )
        return h.mean(axis=(-2, -1), keepdims=True)

    return f


@dataclass(frozen=True)
class ShiftInvariance:
    r"""How much a global-pooling network's output changes under each circular shift.

    Attributes
    ----------
    network : str
        Its name, e.g. ``"conv → stride-2 conv → global avg pool"``.
    total_stride : int
        Product of its strides.
    shifts : ndarray of int
        Horizontal circular shifts of the input, in pixels.
    errors : ndarray of float
        `invariance_error` for each shift: $\lVert g(Tx) - g(x)\rVert / \lVert g(x)\rVert$.

    Examples
    --------
    >>> ShiftInvariance("id", 1, np.arange(2), np.zeros(2)).total_stride
    1
    """

    network: str
    total_stride: int
    shifts: np.ndarray
    errors: np.ndarray


def global_pool_invariance(
    x: Any,
    shifts: Iterable[int] = range(9),
    seed: int = 0,
    networks: Mapping[str, Sequence[Layer]] = GLOBAL_POOL_NETWORKS,
    channels: int = 4,
) -> list[ShiftInvariance]:
    r"""Measure the invariance error of each global-pooling network for each circular shift.

    Parameters
    ----------
    x : ndarray of shape (N, C, H, W)
        Input; ``H`` and ``W`` should be multiples of the total strides (else the
        strided layers drop cells and no shift is exact).
    shifts : iterable of int, default range(9)
        Horizontal circular shifts.
    seed : int, default 0
        Seeds the random weights (one generator, networks built in order).
    networks : mapping of name to layers, default `GLOBAL_POOL_NETWORKS`
    channels : int, default 4
        Channels of every convolution.

    Returns
    -------
    list of ShiftInvariance
        One per network, in order.

    Notes
    -----
    With circular padding, the error is zero (up to rounding) for every shift
    when the total stride is 1, and exactly at the multiples of the total stride
    otherwise; in between it is not.

    Examples
    --------
    >>> x = np.random.default_rng(1).standard_normal((1, 1, 8, 8))
    >>> [(r.total_stride, (r.errors < 1e-12).tolist()) for r in global_pool_invariance(x, range(3))]
    [(1, [True, True, True]), (2, [True, False, True]), (2, [True, False, True])]
    """
    arr = as_numeric_array("x", x, ndim=4)
    rng = np.random.default_rng(seed)
    results = []
    for name, layers in networks.items():
        f = global_pool_network(layers, rng, in_channels=arr.shape[1], channels=channels)
        s, errors = error_vs_shift(f, arr, shifts, measure="invariance", mode="circular")
        results.append(ShiftInvariance(name, total_stride(layers), s, errors))
    return results
