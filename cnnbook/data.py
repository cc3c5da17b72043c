r"""Data sets for training and demos: bundled digits, MNIST IDX files, synthetic shapes.

Every loader returns images in PyTorch's layout, a float array of shape
``(N, C, H, W)`` scaled to $[0, 1]$, and ``int64`` labels of shape ``(N,)``.

- [`load_digits`][cnnbook.data.load_digits]: the 1,797 real 8×8 handwritten
  digits bundled with scikit-learn (no download), optionally resized.
- [`read_idx`][cnnbook.data.read_idx] / [`load_mnist`][cnnbook.data.load_mnist]:
  MNIST's IDX files at a path you give.
- [`make_shapes`][cnnbook.data.make_shapes]: bars, crosses and squares at random
  positions, for the translation demos.
- [`train_test_split`][cnnbook.data.train_test_split] (stratified, deterministic),
  [`batches`][cnnbook.data.batches] and [`DataLoader`][cnnbook.data.DataLoader]
  to feed a training loop.
"""

from __future__ import annotations

import gzip
import numbers
from collections.abc import Iterator
from pathlib import Path

import numpy as np

__all__ = [
    "SHAPE_CLASSES",
    "DataLoader",
    "batches",
    "load_digits",
    "load_mnist",
    "make_shapes",
    "random_shifts",
    "read_idx",
    "resize",
    "train_test_split",
]

#: Class names of [`make_shapes`][cnnbook.data.make_shapes], indexed by label.
SHAPE_CLASSES = ("bar", "cross", "square")

# IDX type codes (third magic byte) -> big-endian NumPy dtypes.
_IDX_DTYPES = {0x08: ">u1", 0x09: ">i1", 0x0B: ">i2", 0x0C: ">i4", 0x0D: ">f4", 0x0E: ">f8"}


def _check_images_labels(x: np.ndarray, y: np.ndarray, x_name: str = "x") -> None:
    if x.ndim != 4:
        raise ValueError(f"{x_name} has shape {x.shape}; expected (N, C, H, W)")
    if y.ndim != 1 or len(y) != len(x):
        raise ValueError(
            f"y has shape {y.shape}; expected ({len(x)},), one label per image of {x_name}"
        )
    if y.dtype.kind not in "iu":
        raise ValueError(f"y has dtype {y.dtype}; expected integer class labels")


def resize(x: np.ndarray, size: int | tuple[int, int]) -> np.ndarray:
    r"""Resize images bilinearly, like ``torch.nn.functional.interpolate(mode="bilinear")``.

    Parameters
    ----------
    x : ndarray of shape (..., H, W)
        Images (any leading axes, e.g. ``(N, C, H, W)``).
    size : int or (int, int)
        Output height and width.

    Returns
    -------
    ndarray of shape (..., out_h, out_w), floating.

    Notes
    -----
    Half-pixel centres (``align_corners=False``): output pixel $i$ samples the
    input at $s = (i + \tfrac12)\,\tfrac{H}{H_\text{out}} - \tfrac12$ (clamped at 0),
    mixing its two neighbours linearly. Each axis is one matrix product, $R_h X R_w^\top$.

    Examples
    --------
    >>> resize(np.array([[0.0, 1.0]]), (1, 4))
    array([[0.  , 0.25, 0.75, 1.  ]])
    """
    from cnnbook._validation import positive_pair

    out_h, out_w = positive_pair("size", size)
    arr = np.asarray(x)
    if arr.ndim < 2:
        raise ValueError(f"x has shape {arr.shape}; expected (..., H, W)")
    arr = arr if arr.dtype.kind == "f" else arr.astype(np.float64)
    r_h = _interpolation_matrix(arr.shape[-2], out_h, arr.dtype)
    r_w = _interpolation_matrix(arr.shape[-1], out_w, arr.dtype)
    return r_h @ arr @ r_w.T


def _interpolation_matrix(n_in: int, n_out: int, dtype: np.dtype) -> np.ndarray:
    src = np.maximum((np.arange(n_out) + 0.5) * (n_in / n_out) - 0.5, 0.0)
    lo = np.minimum(np.floor(src).astype(np.intp), n_in - 1)
    hi = np.minimum(lo + 1, n_in - 1)
    w_hi = src - lo
    matrix = np.zeros((n_out, n_in), dtype=dtype)
    rows = np.arange(n_out)
    np.add.at(matrix, (rows, lo), 1.0 - w_hi)
    np.add.at(matrix, (rows, hi), w_hi)
    return matrix


def random_shifts(
    x: np.ndarray, rng: np.random.Generator, max_shift: int = 1, fraction: float = 0.5
) -> np.ndarray:
    """Move a random `fraction` of the images by up to `max_shift` pixels (augmentation).

    Each chosen image is shifted by a uniform ``(dy, dx)`` in
    ``[-max_shift, max_shift]²``, zeros entering at the border; the others are
    unchanged. A network trained this way sees each digit at several positions,
    which teaches it the translation invariance that pooling only approximates.

    Parameters
    ----------
    x : ndarray of shape (N, C, H, W)
    rng : numpy.random.Generator
    max_shift : int, default 1
    fraction : float in [0, 1], default 0.5

    Returns
    -------
    ndarray of the shape and dtype of `x` (a new array).

    Examples
    --------
    >>> x = np.zeros((1, 1, 3, 3)); x[0, 0, 1, 1] = 1
    >>> moved = random_shifts(x, np.random.default_rng(1), fraction=1.0)
    >>> float(moved.sum()), moved.shape  # the centre pixel cannot fall off a 3×3 image
    (1.0, (1, 1, 3, 3))
    """
    if not isinstance(max_shift, numbers.Integral) or max_shift < 0:
        raise ValueError(f"max_shift (={max_shift!r}) must be a non-negative int")
    if not 0.0 <= fraction <= 1.0:
        raise ValueError(f"fraction (={fraction!r}) must be in [0, 1]")
    x = np.asarray(x)
    if x.ndim != 4:
        raise ValueError(f"x has shape {x.shape}; expected (N, C, H, W)")
    n, _, h, w = x.shape
    m = int(max_shift)
    padded = np.pad(x, ((0, 0), (0, 0), (m, m), (m, m)))
    offsets = rng.integers(0, 2 * m + 1, size=(2, n))
    offsets[:, rng.random(n) >= fraction] = m  # offset m = no shift
    rows = (offsets[0][:, None] + np.arange(h))[:, :, None]
    cols = (offsets[1][:, None] + np.arange(w))[:, None, :]
    # Advanced indexing puts the (N, H, W) index axes first: move channels back.
    return padded[np.arange(n)[:, None, None], :, rows, cols].transpose(0, 3, 1, 2).copy()


def load_digits(
    size: int | None = None, dtype: type | np.dtype = np.float64
) -> tuple[np.ndarray, np.ndarray]:
    r"""Load the 1,797 handwritten digits bundled with scikit-learn (8×8, 16 grey levels).

    Parameters
    ----------
    size : int, optional
        Resize the images to ``size × size`` with [`resize`][cnnbook.data.resize]
        (e.g. 28, MNIST's size). Default: keep 8×8.
    dtype : float dtype, default float64

    Returns
    -------
    x : ndarray of shape (1797, 1, H, W)
        Pixel values $v / 16 \in [0, 1]$.
    y : ndarray of shape (1797,), int64
        Digits 0–9, about 180 of each.

    Raises
    ------
    ImportError
        If scikit-learn is not installed (it is in the ``train`` extra).

    Examples
    --------
    >>> x, y = load_digits()
    >>> x.shape, float(x.min()), float(x.max()), np.bincount(y)[:3]
    ((1797, 1, 8, 8), 0.0, 1.0, array([178, 182, 177]))
    """
    try:
        from sklearn.datasets import load_digits as _sk_load_digits
    except ImportError as exc:  # pragma: no cover - depends on the environment
        raise ImportError("load_digits needs scikit-learn: pip install 'cnnbook[train]'") from exc
    bunch = _sk_load_digits()
    x = (np.asarray(bunch.images, dtype=np.float64) / 16.0)[:, None]
    if size is not None:
        x = np.clip(resize(x, size), 0.0, 1.0)
    return x.astype(dtype), np.asarray(bunch.target, dtype=np.int64)


def train_test_split(
    x: np.ndarray, y: np.ndarray, test_fraction: float = 0.2, seed: int = 0
) -> tuple[tuple[np.ndarray, np.ndarray], tuple[np.ndarray, np.ndarray]]:
    """Split a data set into train and test parts with the same class proportions.

    Each class is shuffled with ``np.random.default_rng(seed)`` and
    ``round(test_fraction * n_class)`` of its samples go to the test part; both
    parts keep the original order, so the same seed always gives the same split.

    Parameters
    ----------
    x : ndarray of shape (N, ...)
    y : ndarray of shape (N,), integer labels
    test_fraction : float in (0, 1), default 0.2
    seed : int, default 0

    Returns
    -------
    (x_train, y_train), (x_test, y_test)

    Raises
    ------
    ValueError
        If `test_fraction` is not in (0, 1), `y` is not integer or the lengths differ.

    Examples
    --------
    >>> (xtr, ytr), (xte, yte) = train_test_split(np.arange(10.0), np.array([0] * 5 + [1] * 5))
    >>> np.bincount(ytr), np.bincount(yte)
    (array([4, 4]), array([1, 1]))
    """
    x, y = np.asarray(x), np.asarray(y)
    if not 0.0 < test_fraction < 1.0:
        raise ValueError(f"test_fraction (={test_fraction!r}) must be in (0, 1)")
    if y.ndim != 1 or len(y) != len(x):
        raise ValueError(f"y has shape {y.shape}; expected ({len(x)},), one label per sample")
    if y.dtype.kind not in "iu":
        raise ValueError(f"y has dtype {y.dtype}; expected integer class labels")
    rng = np.random.default_rng(seed)
    is_test = np.zeros(len(y), dtype=bool)
    for label in np.unique(y):  # a loop over classes, not samples
        members = rng.permutation(np.flatnonzero(y == label))
        is_test[members[: round(test_fraction * len(members))]] = True
    return (x[~is_test], y[~is_test]), (x[is_test], y[is_test])


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
        Source of the shuffles (a seed is turned into a Generator).
    drop_last : bool, default False

    Raises
    ------
    ValueError
        If the data set is empty, the lengths differ or `batch_size` < 1.

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
        self.x, self.y = np.asarray(x), np.asarray(y)
        if len(self.x) == 0:
            raise ValueError(f"x is empty (shape {self.x.shape}); expected at least one sample")
        if len(self.y) != len(self.x):
            raise ValueError(f"y has length {len(self.y)}; expected {len(self.x)} (len(x))")
        if (
            not isinstance(batch_size, numbers.Integral)
            or isinstance(batch_size, bool)
            or batch_size < 1
        ):
            raise ValueError(f"batch_size (={batch_size!r}) must be a positive int")
        self.batch_size: int = int(batch_size)
        self.shuffle: bool = shuffle
        self.drop_last: bool = drop_last
        self.rng: np.random.Generator = np.random.default_rng(rng)

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


def read_idx(path: str | Path) -> np.ndarray:
    """Read an IDX file (MNIST's format), optionally gzip-compressed.

    The header is two zero bytes, a type code (``0x08`` = unsigned byte, ...),
    the number of dimensions, then each dimension as a big-endian uint32:
    magic number 2051 for a stack of images, 2049 for a label vector.

    Parameters
    ----------
    path : str or Path
        A raw or ``.gz`` IDX file (gzip is recognised by its first bytes).

    Returns
    -------
    ndarray of the stored shape, native byte order (``uint8`` for MNIST).

    Raises
    ------
    ValueError
        If the header is not IDX or the data size disagrees with it.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "labels-idx1-ubyte"
    >>> _ = p.write_bytes(bytes([0, 0, 8, 1, 0, 0, 0, 3, 7, 2, 1]))
    >>> read_idx(p)
    array([7, 2, 1], dtype=uint8)
    """
    raw = Path(path).read_bytes()
    if raw[:2] == b"\x1f\x8b":
        raw = gzip.decompress(raw)
    if len(raw) < 4 or raw[0] != 0 or raw[1] != 0 or raw[2] not in _IDX_DTYPES:
        raise ValueError(f"{path} is not an IDX file (header bytes {list(raw[:4])})")
    ndim = raw[3]
    header = 4 + 4 * ndim
    if len(raw) < header:
        raise ValueError(f"{path} is truncated: {len(raw)} bytes, header needs {header}")
    shape = tuple(int(d) for d in np.frombuffer(raw, dtype=">u4", count=ndim, offset=4))
    dtype = np.dtype(_IDX_DTYPES[raw[2]])
    expected = int(np.prod(shape)) * dtype.itemsize
    if len(raw) - header != expected:
        raise ValueError(
            f"{path} holds {len(raw) - header} data bytes; its header {shape} needs {expected}"
        )
    data = np.frombuffer(raw, dtype=dtype, offset=header).reshape(shape)
    return data.astype(dtype.newbyteorder("="))


def load_mnist(
    directory: str | Path, split: str = "train", dtype: type | np.dtype = np.float64
) -> tuple[np.ndarray, np.ndarray]:
    """Load MNIST (or Fashion-MNIST) from the IDX files in `directory`.

    Looks for ``{prefix}-images-idx3-ubyte`` and ``{prefix}-labels-idx1-ubyte``
    (also ``.gz``, and ``images.idx3-ubyte`` spellings), prefix ``train`` or ``t10k``.

    Parameters
    ----------
    directory : str or Path
    split : {"train", "test"}
    dtype : float dtype, default float64

    Returns
    -------
    x : ndarray of shape (N, 1, 28, 28), pixels / 255
    y : ndarray of shape (N,), int64

    Raises
    ------
    FileNotFoundError
        Naming the file names tried.
    ValueError
        If `split` is unknown or images and labels disagree.
    """
    prefixes = {"train": "train", "test": "t10k"}
    if split not in prefixes:
        raise ValueError(f"split (={split!r}) must be 'train' or 'test'")
    arrays = []
    for kind, idx in (("images", "idx3"), ("labels", "idx1")):
        names = [
            f"{prefixes[split]}-{kind}{sep}{idx}-ubyte{gz}" for sep in "-." for gz in ("", ".gz")
        ]
        found = [Path(directory) / n for n in names if (Path(directory) / n).is_file()]
        if not found:
            raise FileNotFoundError(f"no MNIST {split} {kind} in {directory}; tried {names}")
        arrays.append(read_idx(found[0]))
    images, labels = arrays
    if images.ndim != 3 or labels.ndim != 1 or len(images) != len(labels):
        raise ValueError(
            f"MNIST {split} images {images.shape} and labels {labels.shape} do not match"
        )
    return (images[:, None] / 255.0).astype(dtype), labels.astype(np.int64)


def make_shapes(
    n: int,
    size: int = 16,
    rng: np.random.Generator | int | None = None,
    shape_size: int = 5,
    return_positions: bool = False,
) -> tuple[np.ndarray, ...]:
    """Draw a synthetic set of bars, crosses and hollow squares at random positions.

    Each image is black with one white ``shape_size × shape_size`` figure whose
    top-left corner is uniform over the image; classes are balanced at random.

    Parameters
    ----------
    n : int
        Number of images.
    size : int, default 16
        Image height and width.
    rng : numpy.random.Generator or int, optional
    shape_size : int, default 5
        Side of each figure (odd, so the bar and cross have a centre line).
    return_positions : bool, default False
        Also return the ``(row, col)`` of each figure's top-left corner.

    Returns
    -------
    x : ndarray of shape (n, 1, size, size), values 0 or 1
    y : ndarray of shape (n,), int64 index into ``SHAPE_CLASSES``
    positions : ndarray of shape (n, 2), only if `return_positions`

    Examples
    --------
    >>> x, y = make_shapes(3, size=5, rng=0)
    >>> sorted(zip([SHAPE_CLASSES[k] for k in y], x[:, 0].sum(axis=(1, 2)).tolist()))
    [('bar', 5.0), ('cross', 9.0), ('square', 16.0)]
    """
    if not isinstance(n, numbers.Integral) or n < 1:
        raise ValueError(f"n (={n!r}) must be a positive int")
    if not isinstance(shape_size, numbers.Integral) or shape_size < 3 or shape_size % 2 == 0:
        raise ValueError(f"shape_size (={shape_size!r}) must be an odd int >= 3")
    if not isinstance(size, numbers.Integral) or size < shape_size:
        raise ValueError(f"size (={size!r}) must be an int >= shape_size (={shape_size})")
    rng = np.random.default_rng(rng)
    s, mid = int(shape_size), int(shape_size) // 2
    templates = np.zeros((len(SHAPE_CLASSES), s, s))
    templates[0, mid, :] = 1.0
    templates[1, mid, :] = templates[1, :, mid] = 1.0
    templates[2, [0, -1], :] = templates[2, :, [0, -1]] = 1.0
    y = rng.permutation(np.arange(n) % len(SHAPE_CLASSES)).astype(np.int64)
    positions = rng.integers(0, size - s + 1, size=(n, 2))
    rows = positions[:, 0, None, None] + np.arange(s)[None, :, None]
    cols = positions[:, 1, None, None] + np.arange(s)[None, None, :]
    x = np.zeros((n, 1, size, size))
    x[np.arange(n)[:, None, None], 0, rows, cols] = templates[y]
    return (x, y, positions) if return_positions else (x, y)
