r"""Data sets for training and demos: bundled digits, MNIST IDX files, synthetic shapes.

Every loader returns images in PyTorch's layout, a float array of shape
``(N, C, H, W)`` scaled to $[0, 1]$, and ``int64`` labels of shape ``(N,)``.
One module per concept:

- `cnnbook.data.transforms`: [`resize`][cnnbook.data.resize] (bilinear, like torch)
  and [`random_shifts`][cnnbook.data.random_shifts] (augmentation).
- `cnnbook.data.digits`: [`load_digits`][cnnbook.data.load_digits], the 1,797 real
  8×8 handwritten digits bundled with scikit-learn (no download), optionally resized.
- `cnnbook.data.mnist`: [`read_idx`][cnnbook.data.read_idx] /
  [`load_mnist`][cnnbook.data.load_mnist], MNIST's IDX files at a path you give;
  a corrupt file raises an [`IDXFormatError`][cnnbook.data.IDXFormatError] naming it.
- `cnnbook.data.shapes`: [`make_shapes`][cnnbook.data.make_shapes], bars, crosses and
  squares at random positions, for the translation demos.
- `cnnbook.data.split` and `cnnbook.data.loader`:
  [`train_test_split`][cnnbook.data.train_test_split] (stratified, deterministic),
  [`batches`][cnnbook.data.batches] and [`DataLoader`][cnnbook.data.DataLoader]
  to feed a training loop.
"""

from __future__ import annotations

from cnnbook.data.digits import load_digits
from cnnbook.data.loader import DataLoader, batches
from cnnbook.data.mnist import IDXFormatError, load_mnist, read_idx
from cnnbook.data.shapes import SHAPE_CLASSES, make_shapes
from cnnbook.data.split import train_test_split
from cnnbook.data.transforms import random_shifts, resize

__all__ = [
    "SHAPE_CLASSES",
    "DataLoader",
    "IDXFormatError",
    "batches",
    "load_digits",
    "load_mnist",
    "make_shapes",
    "random_shifts",
    "read_idx",
    "resize",
    "train_test_split",
]
