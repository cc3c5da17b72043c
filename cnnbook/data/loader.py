"""Mini-batches for a training loop: `DataLoader` and the one-pass `batches`."""

from __future__ import annotations

import numbers
from collections.abc import Iterator

import numpy as np

from cnnbook._rng import generator
from cnnbook._validation import as_numeric_array, boolean

__all__ = ["DataLoader", "batches"]


class DataLoader:
    """Mini-batches of ``(x, y)``, reshuffled on every pass when `shuffle` is set.

    Like ``torch.utils.data.DataLoader``: iterate once per epoch; ``len()`` is the
    number of batches. The last batch is smaller unless `drop_last`.

    Parameters
    ----------
    x : ndarray of shape (N, ...)
    y : ndarray of shape (N,)
    batch_size : int, default 64
    shuffle : bool, default False
    rng : numpy.random.Generator or int, optional
        Source of the shuffles (a seed ``>= 0`` is turned into a Generator).
    drop_last : bool, default False

    Raises
    ------
    ValueError
        If the data set is empty, the lengths differ or `batch_size` < 1.
    TypeError
        If a flag is not a bool or `rng` is neither a seed nor a Generator.

    Examples
    --------
    >>> loader = DataLoader(np.arange(5), np.arange(5), batch_size=2)
    >>> len(loader), [yb.tolist() for _, yb in loader]
    (3, [[0, 1], [2, 3], [4]])
    """

    def __init__(
        self,
        x: np.ndarray,
        y: np.ndarray,
        batch_size: int = 64,
        shuffle: bool = False,
        rng: np.random.Generator | int | None = None,
        drop_last: bool = False,
    ) -> None:
        self.x, self.y = as_numeric_array("x", x), as_numeric_array("y", y)
        if self.x.ndim == 0 or self.y.ndim == 0:
            raise ValueError(
                f"x (shape {self.x.shape}) and y (shape {self.y.shape}) must have a sample axis"
            )
        if len(self.y) != len(self.x):
            raise ValueError(f"y has length {len(self.y)}; expected {len(self.x)} (len(x))")
        if (
            not isinstance(batch_size, numbers.Integral)
            or isinstance(batch_size, bool | np.bool_)
            or batch_size < 1
        ):
            raise ValueError(f"batch_size (={batch_size!r}) must be a positive int")
        self.batch_size: int = int(batch_size)
        self.shuffle: bool = boolean("shuffle", shuffle)
        self.drop_last: bool = boolean("drop_last", drop_last)
        self.rng: np.random.Generator = generator("rng", rng)

    def __len__(self) -> int:
        n, b = len(self.x), self.batch_size
        return n // b if self.drop_last else -(-n // b)

    def __iter__(self) -> Iterator[tuple[np.ndarray, np.ndarray]]:
        n = len(self.x)
        order = self.rng.permutation(n) if self.shuffle else np.arange(n)
        for i in range(len(self)):
            idx = order[i * self.batch_size : (i + 1) * self.batch_size]
            yield self.x[idx], self.y[idx]


def batches(
    x: np.ndarray,
    y: np.ndarray,
    batch_size: int,
    shuffle: bool = False,
    rng: np.random.Generator | int | None = None,
) -> Iterator[tuple[np.ndarray, np.ndarray]]:
    """One pass over ``(x, y)`` in mini-batches: ``iter(DataLoader(...))``.

    Examples
    --------
    >>> [xb.tolist() for xb, _ in batches(np.arange(4), np.zeros(4, int), 3)]
    [[0, 1, 2], [3]]
    """
    return iter(DataLoader(x, y, batch_size, shuffle=shuffle, rng=rng))
