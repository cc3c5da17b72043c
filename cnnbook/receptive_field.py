r"""Receptive fields: which input cells one unit of a layer can see, by formula and by gradient.

For a stack of convolution and pooling layers, the receptive field of a unit
in layer $l$ is the block of input cells its value depends on. Its *size*
$r_l$, the *jump* $j_l$ (input cells between neighbouring units, the
effective stride) and the *start* $c_l$ (input coordinate of the centre of the
first unit's field) follow the recurrences of Araujo, Norris & Sim,
"Computing Receptive Fields of Convolutional Neural Networks" (Distill, 2019),
applied to each axis, with a dilated kernel counted as its span
$k' = d(k-1) + 1$:

$$r_l = r_{l-1} + (k'_l - 1)\, j_{l-1}, \qquad j_l = j_{l-1}\, s_l, \qquad
c_l = c_{l-1} + \left(\tfrac{k'_l - 1}{2} - p_l\right) j_{l-1},$$

starting from $r_0 = 1$, $j_0 = 1$, $c_0 = 0$: input cell $i$ has its centre
at coordinate $i$ (0-based, row down / column right), so unit $u$ of layer $l$
sees input cells $c_l + u j_l \pm (r_l - 1)/2$. $p_l$ is the padding before
the input (top / left); a field may reach into it (negative coordinates).

`empirical_receptive_field` measures the same thing: it backpropagates a
one-hot gradient from one output unit through `cnnbook.conv2d_backward` with
all-ones kernels and reads off the input cells that receive a non-zero gradient.
"""

from __future__ import annotations

import numbers
from collections.abc import Iterable, Mapping, Sequence, Set
from dataclasses import dataclass
from typing import Any

import numpy as np

from cnnbook._validation import (
    boolean,
    check_bytes,
    nonnegative_pair,
    pair,
    positive_pair,
)
from cnnbook.conv2d import conv2d, conv2d_backward

__all__ = ["EmpiricalField", "ReceptiveField", "empirical_receptive_field", "receptive_field"]

Pair = tuple[int, int]


@dataclass(frozen=True)
class ReceptiveField:
    """Receptive field of the units of one layer's output, per axis ``(rows, cols)``.

    Attributes
    ----------
    size : pair of int
        $r$: input cells seen by one unit, along each axis.
    jump : pair of int
        $j$: input cells between neighbouring units (the product of the strides so far).
    start : pair of float
        $c$: input coordinate of the centre of unit ``(0, 0)``'s field (a half for
        even spans; negative when the field starts in the padding).
    """

    size: Pair
    jump: Pair
    start: tuple[float, float]

    def bounds(self, i: int = 0, j: int = 0) -> tuple[Pair, Pair]:
        """First and last input row, then column, seen by unit ``(i, j)`` (may leave the input).

        Examples
        --------
        >>> receptive_field([{"kernel_size": 3, "padding": 1}])[0].bounds(0, 2)
        ((-1, 1), (1, 3))
        """
        out = []
        for axis, u in enumerate((i, j)):
            centre = self.start[axis] + u * self.jump[axis]
            half = (self.size[axis] - 1) / 2
            out.append((int(centre - half), int(centre + half)))
        return out[0], out[1]


#: The keys a mapping layer may have (``ceil_mode`` adds a unit at the end, not field).
GEOMETRY_KEYS = ("kernel_size", "stride", "padding", "dilation", "ceil_mode")
#: Keys of a `cnnbook.architectures` layer that do not change the field (accepted, so its
#: layers can be passed as they are; a pooling ``type`` makes the stride default to the kernel).
LAYER_ONLY_KEYS = (
    "type",
    "in_channels",
    "out_channels",
    "groups",
    "bias",
    "padding_mode",
    "count_include_pad",
)
POOLING_TYPES = ("maxpool", "avgpool")


def _geometry(index: int, layer: Any) -> tuple[Pair, Pair, Pair, Pair] | None:
    """Return (kernel, stride, padding before, dilation) of a layer, or None if it has no extent."""
    if isinstance(layer, Mapping):
        if "kernel_size" not in layer:
            raise ValueError(
                f"layers[{index}] (={dict(layer)!r}) is missing the key 'kernel_size'; "
                "every mapping layer needs one (stride, padding, dilation default to 1, 0, 1)"
            )
        unknown = sorted(str(k) for k in layer if k not in GEOMETRY_KEYS + LAYER_ONLY_KEYS)
        if unknown:
            raise ValueError(
                f"layers[{index}] (={dict(layer)!r}) has unknown keys {unknown}; "
                f"the keys are {list(GEOMETRY_KEYS)} (and an architecture layer's "
                f"{list(LAYER_ONLY_KEYS)})"
            )
        if layer.get("type") in POOLING_TYPES and "stride" not in layer:
            layer = {**layer, "stride": None}  # torch's pooling: stride defaults to the kernel
        get = layer.get
    elif layer is None or isinstance(
        layer, str | bytes | numbers.Number | Sequence | Set | np.ndarray
    ):
        raise TypeError(
            f"layers[{index}] (={layer!r}) must be a mapping with 'kernel_size' or a layer "
            "object (e.g. nn.Conv2d, nn.MaxPool2d, or nn.ReLU, which passes the field through)"
        )
    elif hasattr(layer, "kernel_size"):
        get = lambda key, default=None: getattr(layer, key, default)  # noqa: E731
    else:
        return None  # ReLU, BatchNorm, Dropout...: no spatial extent, the field passes through
    name = f"layers[{index}]"
    k = positive_pair(f"{name}.kernel_size", get("kernel_size"))
    stride = get("stride", 1)
    s = k if stride is None else positive_pair(f"{name}.stride", stride)
    d = positive_pair(f"{name}.dilation", get("dilation", 1))
    if get("ceil_mode", None) is not None:
        boolean(f"{name}.ceil_mode", get("ceil_mode"))
    padding = get("padding", 0)
    if isinstance(padding, str) and padding == "valid":
        p: Pair = (0, 0)
    elif (
        isinstance(padding, str) and padding == "same"
    ):  # torch puts the odd extra cell after, so "before" is the floor
        p = (d[0] * (k[0] - 1) // 2, d[1] * (k[1] - 1) // 2)
    elif isinstance(padding, str):
        raise ValueError(f'{name}.padding (={padding!r}) must be an int, a pair, "valid" or "same"')
    else:
        p = nonnegative_pair(f"{name}.padding", padding)
    return k, s, p, d


def _layer_list(layers: Any) -> list[Any]:
    if isinstance(layers, Mapping | str | bytes) or not isinstance(layers, Iterable):
        raise TypeError(
            f"layers (={layers!r}) must be a list of layers (mappings or layer objects)"
        )
    return list(layers)


def receptive_field(layers: Iterable[Any]) -> list[ReceptiveField]:
    r"""Receptive field size, jump and start after every layer of a stack.

    Parameters
    ----------
    layers : iterable
        Each either a mapping with ``kernel_size`` (required) and optionally
        ``stride`` (default 1; ``None`` means `kernel_size`, as for pooling),
        ``padding`` (default 0; an int, a pair, ``"valid"`` or ``"same"``) and
        ``dilation`` (default 1), or an object with those attributes (a
        `cnnbook.nn` or `torch.nn` ``Conv2d`` / ``MaxPool2d`` / ``AvgPool2d``).
        Objects without ``kernel_size`` (``ReLU``...) leave the field unchanged.
        The layers of a `cnnbook.Architecture` are accepted as they are (their
        ``type``, channel and bias keys do not change the field; a ``maxpool`` or
        ``avgpool`` without ``stride`` strides by its kernel, as in torch).

    Returns
    -------
    list of ReceptiveField
        One per layer, for that layer's output.

    Raises
    ------
    ValueError
        A mapping without ``kernel_size`` or with a key not in `GEOMETRY_KEYS`
        (a typo such as ``strides``), naming its index; a non-positive
        kernel/stride/dilation or negative padding (naming layer and argument).
    TypeError
        A layer that is neither a mapping nor a layer object (``None``, ``"conv"``, ``3``).

    Notes
    -----
    $r_l = r_{l-1} + (k'_l - 1) j_{l-1}$, $j_l = j_{l-1} s_l$,
    $c_l = c_{l-1} + ((k'_l - 1)/2 - p_l) j_{l-1}$ with $k' = d(k-1)+1$
    (see the module docstring). Pooling's ``ceil_mode`` adds a unit at the end
    but does not change any unit's field.

    Examples
    --------
    >>> conv = {"kernel_size": 3, "padding": 1}
    >>> pool = {"kernel_size": 2, "stride": 2}
    >>> [rf.size[0] for rf in receptive_field([conv, conv, pool, conv, conv, pool])]
    [3, 5, 6, 10, 14, 16]
    >>> receptive_field([conv, pool])[-1]
    ReceptiveField(size=(4, 4), jump=(2, 2), start=(0.5, 0.5))
    """
    r, j, c = [1, 1], [1, 1], [0.0, 0.0]
    out = []
    for index, layer in enumerate(_layer_list(layers)):
        geometry = _geometry(index, layer)
        if geometry is not None:
            k, s, p, d = geometry
            for a in range(2):
                span = d[a] * (k[a] - 1) + 1
                c[a] += ((span - 1) / 2 - p[a]) * j[a]
                r[a] += (span - 1) * j[a]
                j[a] *= s[a]
        out.append(ReceptiveField((r[0], r[1]), (j[0], j[1]), (c[0], c[1])))
    return out


@dataclass(frozen=True)
class EmpiricalField:
    """The input cells one output unit depends on, measured from its gradient.

    Attributes
    ----------
    mask : ndarray of bool, shape (H, W)
        True where the unit's gradient with respect to the input is non-zero.
    rows, cols : pair of int
        First and last row / column of `mask` that is True (its bounding box).
    """

    mask: np.ndarray
    rows: Pair
    cols: Pair

    @property
    def size(self) -> Pair:
        """Height and width of the bounding box."""
        return (self.rows[1] - self.rows[0] + 1, self.cols[1] - self.cols[0] + 1)


def empirical_receptive_field(
    layers: Iterable[Any], input_size: int | Pair, unit: Pair | None = None
) -> EmpiricalField:
    r"""Measure one output unit's receptive field by backpropagating its gradient.

    Parameters
    ----------
    layers : iterable
        As for `receptive_field`.
    input_size : int or pair of int
        Input height and width $(H, W)$.
    unit : pair of int, optional
        Output unit ``(i, j)`` of the last layer; default the centre ``(OH // 2, OW // 2)``.

    Returns
    -------
    EmpiricalField
        The boolean mask of input cells with non-zero gradient and its bounding box.

    Raises
    ------
    ValueError
        As `receptive_field`, or if the stack does not fit the input, or `unit`
        is outside the output.

    Notes
    -----
    Every spatial layer is run as a one-channel `cnnbook.conv2d` with an
    all-ones kernel and its geometry (a pooling window reads the same cells as
    a kernel of its size), and the one-hot gradient
    $e_{ij}$ is propagated back with `cnnbook.conv2d_backward`. All weights are
    positive, so no contributions cancel: the gradient is non-zero exactly on
    the cells the unit depends on. Cells of the field that fall in the padding
    are not in the input, so the box is the formula's clipped to the input.

    Examples
    --------
    >>> conv = {"kernel_size": 3, "padding": 1}
    >>> field = empirical_receptive_field([conv, conv, {"kernel_size": 2, "stride": 2}], 12)
    >>> field.size, field.rows
    ((6, 6), (4, 9))
    >>> receptive_field([conv, conv, {"kernel_size": 2, "stride": 2}])[-1].bounds(3, 3)
    ((4, 9), (4, 9))
    """
    h, w = positive_pair("input_size", input_size)
    check_bytes("input_size", (h, w), 8)
    geometries = [
        g for i, layer in enumerate(_layer_list(layers)) if (g := _geometry(i, layer)) is not None
    ]
    x = np.zeros((1, 1, h, w))
    trail = []
    for k, s, p, d in geometries:
        weight = np.ones((1, 1, *k))
        trail.append((x, weight, s, p, d))
        x = conv2d(x, weight, stride=s, padding=p, dilation=d)
    oh, ow = x.shape[-2:]
    if unit is not None and isinstance(unit, numbers.Integral):
        raise TypeError(f"unit (={unit!r}) must be a pair (i, j) of ints")
    i, j = (oh // 2, ow // 2) if unit is None else pair("unit", unit)
    if not (0 <= i < oh and 0 <= j < ow):
        raise ValueError(f"unit (={unit!r}) must index the output, of size {(oh, ow)}")
    grad = np.zeros_like(x)
    grad[0, 0, i, j] = 1.0
    for x_in, weight, s, p, d in reversed(trail):
        grad = conv2d_backward(grad, x_in, weight, stride=s, padding=p, dilation=d)[0]
    mask = grad[0, 0] > 0
    rows, cols = np.flatnonzero(mask.any(axis=1)), np.flatnonzero(mask.any(axis=0))
    return EmpiricalField(mask, (int(rows[0]), int(rows[-1])), (int(cols[0]), int(cols[-1])))
