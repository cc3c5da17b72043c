r"""How the effective receptive field grows with depth: like $\sqrt{n}$, not like $n$.

A stack of $n$ convolutions with $k \times k$ kernels has a receptive field of
$n(k-1)+1$ cells per axis: it grows linearly with depth. The *effective*
receptive field (`cnnbook.effective_receptive_field`) of a random stack is, in
mean square, the $n$-fold convolution of a $k \times k$ box, whose standard
deviation is $\sqrt{n (k^2-1)/12}$ per axis (variances add under convolution):
it grows like $\sqrt{n}$ (Luo et al., 2016). `erf_by_depth` measures it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np

from cnnbook import nn
from cnnbook._validation import boolean, positive_int
from cnnbook.effective_receptive_field import effective_receptive_field
from cnnbook.normalization import deep_stack

__all__ = ["ERFDepthStudy", "erf_by_depth"]


@dataclass(frozen=True)
class ERFDepthStudy:
    r"""The spread of the effective receptive field of random stacks, per depth.

    Attributes
    ----------
    depths : tuple of int
    spread : tuple of float
        Measured standard deviation per axis (mean of rows and columns), in input cells.
    box_spread : tuple of float
        $\sqrt{n (k^2 - 1)/12}$: the spread of the $n$-fold box convolution, which is
        the mean square gradient of a random stack without ReLU (the expected value of
        the measured spread's square, for ``relu=False``).
    size : tuple of int
        The theoretical receptive field $n(k - 1) + 1$ per axis.
    """

    depths: tuple[int, ...]
    spread: tuple[float, ...]
    box_spread: tuple[float, ...]
    size: tuple[int, ...]

    def __post_init__(self) -> None:
        n = len(self.depths)
        for name in ("spread", "box_spread", "size"):
            if len(getattr(self, name)) != n:
                raise ValueError(
                    f"{name} has {len(getattr(self, name))} values; expected one per depth ({n})"
                )

    @property
    def exponent(self) -> float:
        """Slope of log(spread) against log(depth), least squares: 0.5 means ∝ √depth."""
        return float(np.polyfit(np.log(self.depths), np.log(self.spread), 1)[0])

    @property
    def sqrt_coefficient(self) -> float:
        r"""$c$ of the least-squares fit spread $\approx c \sqrt{\text{depth}}$."""
        s, d = np.asarray(self.spread), np.sqrt(np.asarray(self.depths, dtype=float))
        return float((s @ d) / (d @ d))


def erf_by_depth(
    depths: Iterable[int] = (1, 2, 4, 8, 16),
    *,
    channels: int = 8,
    samples: int = 16,
    relu: bool = True,
    seed: int = 0,
) -> ERFDepthStudy:
    r"""Measure the effective-field spread of random 3×3 convolution stacks of each depth.

    Parameters
    ----------
    depths : iterable of int, default (1, 2, 4, 8, 16)
        Numbers of 3×3 convolutions (padding 1, no bias, PyTorch's initialisation).
    channels : int, default 8
        Channels of every layer (the input too).
    samples : int, default 16
        Random inputs per depth.
    relu : bool, default True
        A ReLU after each convolution (`cnnbook.deep_stack`); False: a linear stack.
    seed : int, default 0
        Seed of the weights and the inputs.

    Returns
    -------
    ERFDepthStudy
        Measured spread, the equal-weights law and the box size per depth.

    Raises
    ------
    TypeError, ValueError
        A depth, channel count or sample count that is not a positive int; no depth.

    Examples
    --------
    >>> study = erf_by_depth((1, 4), relu=False, samples=4)
    >>> study.size, [round(s, 2) for s in study.box_spread]
    ((3, 9), [0.82, 1.63])
    """
    ds = tuple(positive_int("depths[]", d) for d in depths)
    if not ds:
        raise ValueError("depths is empty; expected at least one depth")
    channels, samples = positive_int("channels", channels), positive_int("samples", samples)
    relu = boolean("relu", relu)
    spread = []
    for d in ds:
        stack = deep_stack(d, channels, seed=seed)
        if not relu:
            stack = nn.Sequential(*(m for m in stack if isinstance(m, nn.Conv2d)))
        # A margin of two cells around the box, so nothing of the field is cut off.
        field = effective_receptive_field(
            stack, 2 * d + 5, in_channels=channels, samples=samples, seed=seed
        )
        spread.append(float(np.mean(field.spread)))
    return ERFDepthStudy(
        depths=ds,
        spread=tuple(spread),
        box_spread=tuple(float(np.sqrt(d * 8 / 12)) for d in ds),
        size=tuple(2 * d + 1 for d in ds),
    )
