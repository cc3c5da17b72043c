r"""PyTorch's default initialisation, drawn from a NumPy `Generator`.

Every layer with parameters takes ``rng: np.random.Generator | None``. Passing
one generator to every layer of a model makes the model reproducible; ``None``
draws from this module's default generator, which `seed` resets (the analogue of
``torch.manual_seed``). The layers draw their weight first and their bias second.

torch initialises ``Conv2d`` and ``Linear`` weights with
``kaiming_uniform_(w, a=sqrt(5))`` and their biases from
$U(-1/\sqrt{\text{fan\_in}}, 1/\sqrt{\text{fan\_in}})$; with $a = \sqrt 5$ the Kaiming
bound $\text{gain}\cdot\sqrt{3/\text{fan\_in}}$, $\text{gain} = \sqrt{2/(1+a^2)}$, is also
$1/\sqrt{\text{fan\_in}}$. The distributions are torch's; the numbers are not (the
generators differ), which is why `cnnbook.torch_bridge` copies weights instead.
"""

from __future__ import annotations

import math
import numbers

import numpy as np

from cnnbook._validation import finite_real

__all__ = [
    "calculate_gain",
    "default_rng",
    "fan_in_and_fan_out",
    "kaiming_uniform_",
    "resolve_rng",
    "seed",
    "uniform_",
]

_default_rng: np.random.Generator = np.random.default_rng()


def seed(value: int) -> None:
    """Reset the default generator (used when a layer gets ``rng=None``) to `value`.

    Examples
    --------
    >>> from cnnbook.nn import Linear, init
    >>> init.seed(0); a = Linear(3, 2).weight.data
    >>> init.seed(0); b = Linear(3, 2).weight.data
    >>> np.array_equal(a, b)
    True
    """
    if not isinstance(value, numbers.Integral) or isinstance(value, bool) or value < 0:
        raise ValueError(f"seed value (={value!r}) must be a non-negative int")
    global _default_rng
    _default_rng = np.random.default_rng(int(value))


def default_rng() -> np.random.Generator:
    """Return the module-level default generator (see `seed`)."""
    return _default_rng


def resolve_rng(rng: np.random.Generator | None) -> np.random.Generator:
    """Return `rng`, or the default generator when it is None."""
    if rng is None:
        return _default_rng
    if not isinstance(rng, np.random.Generator):
        raise TypeError(
            f"rng (={rng!r}) must be a numpy.random.Generator or None; "
            "make one with np.random.default_rng(seed)"
        )
    return rng


def fan_in_and_fan_out(shape: tuple[int, ...]) -> tuple[int, int]:
    """Return torch's ``(fan_in, fan_out)`` of a weight of `shape`.

    For a weight ``(out, in, *kernel)`` these are ``in * prod(kernel)`` and
    ``out * prod(kernel)``.

    Examples
    --------
    >>> fan_in_and_fan_out((8, 2, 3, 3))
    (18, 72)
    """
    if not isinstance(shape, tuple | list) or not all(
        isinstance(s, numbers.Integral) and not isinstance(s, bool) and s >= 0 for s in shape
    ):
        raise TypeError(f"shape (={shape!r}) must be a tuple of non-negative ints")
    if len(shape) < 2:
        raise ValueError(f"fan in and fan out need a weight of ndim >= 2; got shape {shape}")
    receptive = math.prod(shape[2:])
    return shape[1] * receptive, shape[0] * receptive


def calculate_gain(nonlinearity: str, param: float | None = None) -> float:
    r"""Return torch's recommended gain for `nonlinearity`.

    Notes
    -----
    ``linear``/``conv2d``/``sigmoid``: 1; ``tanh``: 5/3; ``relu``: $\sqrt 2$;
    ``leaky_relu`` with slope $a$ (default 0.01): $\sqrt{2 / (1 + a^2)}$.

    Examples
    --------
    >>> round(calculate_gain("leaky_relu", 5**0.5) ** 2, 12)
    0.333333333333
    """
    if nonlinearity in ("linear", "conv2d", "sigmoid"):
        return 1.0
    if nonlinearity == "tanh":
        return 5.0 / 3.0
    if nonlinearity == "relu":
        return math.sqrt(2.0)
    if nonlinearity == "leaky_relu":
        slope = 0.01 if param is None else finite_real("param", param)
        return math.sqrt(2.0 / (1 + slope**2))
    raise ValueError(
        f"nonlinearity (={nonlinearity!r}) must be one of 'linear', 'conv2d', 'sigmoid', "
        "'tanh', 'relu', 'leaky_relu'"
    )


def uniform_(
    array: np.ndarray, low: float, high: float, rng: np.random.Generator | None = None
) -> np.ndarray:
    r"""Fill `array` in place with draws from $U(\text{low}, \text{high})$; return it.

    Examples
    --------
    >>> a = uniform_(np.empty(1000), -0.5, 0.5, rng=np.random.default_rng(0))
    >>> bool(a.min() >= -0.5 and a.max() < 0.5)
    True
    """
    _float_array("array", array)
    lo, hi = finite_real("low", low), finite_real("high", high)
    if lo > hi:
        raise ValueError(f"low (={low!r}) must not exceed high (={high!r})")
    array[...] = resolve_rng(rng).uniform(lo, hi, size=array.shape)
    return array


def _float_array(name: str, array: object) -> None:
    """Refuse what cannot be filled in place with floats (a list, an integer array)."""
    if not isinstance(array, np.ndarray) or array.dtype.kind != "f":
        shown = (
            f"an ndarray of dtype {array.dtype}"
            if isinstance(array, np.ndarray)
            else (type(array).__name__)
        )
        raise TypeError(f"{name} must be a float ndarray (filled in place); got {shown}")


def kaiming_uniform_(
    array: np.ndarray,
    a: float = 0.0,
    mode: str = "fan_in",
    nonlinearity: str = "leaky_relu",
    rng: np.random.Generator | None = None,
) -> np.ndarray:
    r"""Fill `array` in place with torch's Kaiming-uniform draws; return it.

    Notes
    -----
    $w \sim U(-b, b)$ with $b = \text{gain}\cdot\sqrt{3/\text{fan}}$; ``fan`` is
    fan-in or fan-out by `mode`. torch's layers use ``a = sqrt(5)``, i.e.
    $b = 1/\sqrt{\text{fan\_in}}$.

    Examples
    --------
    >>> w = kaiming_uniform_(np.empty((16, 4, 3, 3)), a=5**0.5, rng=np.random.default_rng(0))
    >>> bool(np.abs(w).max() <= 1 / 6)  # fan_in = 4 * 3 * 3 = 36
    True
    """
    if mode not in ("fan_in", "fan_out"):
        raise ValueError(f"mode (={mode!r}) must be 'fan_in' or 'fan_out'")
    _float_array("array", array)
    fan_in, fan_out = fan_in_and_fan_out(array.shape)
    fan = fan_in if mode == "fan_in" else fan_out
    if fan == 0:
        raise ValueError(f"array of shape {array.shape} has {mode} 0; Kaiming bounds need >= 1")
    bound = math.sqrt(3.0) * calculate_gain(nonlinearity, a) / math.sqrt(fan)
    return uniform_(array, -bound, bound, rng)
