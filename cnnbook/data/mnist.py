"""MNIST (and Fashion-MNIST) from the IDX files at a path you give."""

from __future__ import annotations

import gzip
import math
import zlib
from pathlib import Path

import numpy as np

from cnnbook.data.digits import float_dtype

__all__ = ["IDXFormatError", "load_mnist", "read_idx"]

# IDX type codes (third magic byte) -> big-endian NumPy dtypes.
_IDX_DTYPES = {0x08: ">u1", 0x09: ">i1", 0x0B: ">i2", 0x0C: ">i4", 0x0D: ">f4", 0x0E: ">f8"}

#: What `load_mnist` requires of the files (MNIST and Fashion-MNIST both): uint8 28×28 images
#: and uint8 labels 0-9.
MNIST_IMAGE_SIZE = (28, 28)
MNIST_CLASSES = 10


class IDXFormatError(ValueError):
    """A file is not a valid IDX file, or not the MNIST file it should be (the message names it)."""


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
    IDXFormatError
        A `ValueError` naming the file and what is wrong: not IDX, a corrupt or
        truncated gzip stream, or a data size that disagrees with the header.
    FileNotFoundError
        If `path` does not exist.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "labels-idx1-ubyte"
    >>> _ = p.write_bytes(bytes([0, 0, 8, 1, 0, 0, 0, 3, 7, 2, 1]))
    >>> read_idx(p)
    array([7, 2, 1], dtype=uint8)
    """
    if not isinstance(path, str | Path):
        raise TypeError(f"path (={path!r}) must be a str or a pathlib.Path")
    raw = Path(path).read_bytes()
    if raw[:2] == b"\x1f\x8b":
        try:
            raw = gzip.decompress(raw)
        except (EOFError, OSError, zlib.error) as err:  # truncated or corrupt stream
            raise IDXFormatError(f"{path} is a corrupt or truncated gzip file ({err})") from err
    if len(raw) < 4 or raw[0] != 0 or raw[1] != 0 or raw[2] not in _IDX_DTYPES:
        raise IDXFormatError(
            f"{path} is not an IDX file (header bytes {list(raw[:4])}; "
            "expected 0, 0, a type code in {8, 9, 11, 12, 13, 14}, ndim)"
        )
    ndim = raw[3]
    header = 4 + 4 * ndim
    if len(raw) < header:
        raise IDXFormatError(f"{path} is truncated: {len(raw)} bytes, header needs {header}")
    shape = tuple(int(d) for d in np.frombuffer(raw, dtype=">u4", count=ndim, offset=4))
    dtype = np.dtype(_IDX_DTYPES[raw[2]])
    expected = math.prod(shape) * dtype.itemsize  # Python ints: no int64 overflow
    if len(raw) - header != expected:
        raise IDXFormatError(
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
    y : ndarray of shape (N,), int64, digits 0-9

    Raises
    ------
    FileNotFoundError
        Naming the file names tried.
    IDXFormatError
        A `ValueError` naming the file: not IDX (see `read_idx`), images that
        are not uint8 28×28, labels that are not uint8 in 0-9, or images and
        labels of different counts.
    ValueError
        If `split` is unknown.
    TypeError
        If `dtype` is not floating (pixels / 255 would truncate).
    """
    prefixes = {"train": "train", "test": "t10k"}
    if not isinstance(split, str) or split not in prefixes:
        raise ValueError(f"split (={split!r}) must be 'train' or 'test'")
    dt = float_dtype(dtype)
    if not isinstance(directory, str | Path):
        raise TypeError(f"directory (={directory!r}) must be a str or a pathlib.Path")
    if not Path(directory).is_dir():
        raise FileNotFoundError(f"directory (={str(directory)!r}) is not a directory")
    files = []
    for kind, idx in (("images", "idx3"), ("labels", "idx1")):
        names = [
            f"{prefixes[split]}-{kind}{sep}{idx}-ubyte{gz}" for sep in "-." for gz in ("", ".gz")
        ]
        found = [Path(directory) / n for n in names if (Path(directory) / n).is_file()]
        if not found:
            raise FileNotFoundError(f"no MNIST {split} {kind} in {directory}; tried {names}")
        files.append(found[0])
    images, labels = (read_idx(f) for f in files)
    if images.dtype != np.uint8 or images.shape[1:] != MNIST_IMAGE_SIZE:
        raise IDXFormatError(
            f"{files[0]} holds {images.dtype} images of shape {images.shape}; "
            f"MNIST images are uint8 of shape (N, {MNIST_IMAGE_SIZE[0]}, {MNIST_IMAGE_SIZE[1]})"
        )
    if labels.dtype != np.uint8 or labels.ndim != 1:
        raise IDXFormatError(
            f"{files[1]} holds {labels.dtype} labels of shape {labels.shape}; "
            "MNIST labels are uint8 of shape (N,)"
        )
    if labels.size and labels.max() >= MNIST_CLASSES:
        raise IDXFormatError(
            f"{files[1]} holds the label {int(labels.max())}; MNIST labels are 0 to "
            f"{MNIST_CLASSES - 1}"
        )
    if len(images) != len(labels):
        raise IDXFormatError(
            f"MNIST {split} images {images.shape} and labels {labels.shape} do not match "
            f"({files[0]}, {files[1]})"
        )
    return (images[:, None] / 255.0).astype(dt), labels.astype(np.int64)
