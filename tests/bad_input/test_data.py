"""Bad input to `cnnbook.data`: every case a named error (argument, value, rule), by cause."""

from __future__ import annotations

import gzip
import struct
import tempfile
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from cnnbook.data import (
    DataLoader,
    IDXFormatError,
    batches,
    load_digits,
    load_mnist,
    make_shapes,
    random_shifts,
    read_idx,
    resize,
    train_test_split,
)

RNG = np.random.default_rng(0)
X4 = np.zeros((4, 1, 3, 3))
Y4 = np.array([0, 0, 1, 1])
X10 = np.zeros((10, 2))
Y10 = np.array([0] * 5 + [1] * 5)


# The cases' files live in one folder per process, removed when the process exits (the
# cases are zero-argument lambdas, so pytest's tmp_path cannot reach them).
_FILES = tempfile.TemporaryDirectory(prefix="bad-data-")


def idx_bytes(code: int, shape: tuple[int, ...], data: bytes | None = None) -> bytes:
    """An IDX file by the format's definition (header, then the data)."""
    itemsize = {0x08: 1, 0x0D: 4}[code]
    body = data if data is not None else bytes(int(np.prod(shape)) * itemsize)
    return (
        struct.pack(">BBBB", 0, 0, code, len(shape)) + struct.pack(f">{len(shape)}I", *shape) + body
    )


def mnist_dir(
    images: bytes = idx_bytes(0x08, (2, 28, 28)), labels: bytes = idx_bytes(0x08, (2,))
) -> Path:
    """A fresh directory holding MNIST-named IDX files with the given bytes."""
    directory = Path(tempfile.mkdtemp(prefix="bad-mnist-", dir=_FILES.name))
    (directory / "train-images-idx3-ubyte").write_bytes(images)
    (directory / "train-labels-idx1-ubyte").write_bytes(labels)
    return directory


def idx_file(raw: bytes, name: str = "x-idx1-ubyte") -> Path:
    path = Path(tempfile.mkdtemp(prefix="bad-idx-", dir=_FILES.name)) / name
    path.write_bytes(raw)
    return path


CASES = [  # (public dotted name, zero-arg call, exception type, regex the message matches)
    # -- wrong types --------------------------------------------------------------------------
    ("cnnbook.data.resize", lambda: resize(np.array([["a"]]), 2), TypeError, r"x has dtype <U1"),
    ("cnnbook.data.resize", lambda: resize(X4, 2.5), TypeError, r"size \(=2.5\) must be an int"),
    ("cnnbook.data.resize", lambda: resize(X4, True), TypeError, r"size \(=True\) must be an int"),
    (
        "cnnbook.data.random_shifts",
        lambda: random_shifts(X4, 0),
        TypeError,
        r"rng \(=0\) must be a numpy.random.Generator",
    ),
    (
        "cnnbook.data.load_digits",
        lambda: load_digits(dtype=np.uint8),
        TypeError,
        r"dtype \(=<class 'numpy.uint8'>\) must be floating: pixels in \[0, 1\] would be truncated",
    ),
    (
        "cnnbook.data.load_digits",
        lambda: load_digits(dtype=bool),
        TypeError,
        r"dtype \(=<class 'bool'>\) must be floating",
    ),
    (
        "cnnbook.data.load_digits",
        lambda: load_digits(dtype="pixels"),
        TypeError,
        r"dtype \(='pixels'\) is not a NumPy dtype",
    ),
    ("cnnbook.data.load_digits", lambda: load_digits(size=2.5), ValueError, r"size \(=2.5\)"),
    (
        "cnnbook.data.load_mnist",
        lambda: load_mnist(mnist_dir(), dtype=np.int64),
        TypeError,
        r"dtype \(=<class 'numpy.int64'>\) must be floating",
    ),
    (
        "cnnbook.data.load_mnist",
        lambda: load_mnist(None),  # type: ignore[arg-type]
        TypeError,
        r"directory \(=None\) must be a str or a pathlib.Path",
    ),
    (
        "cnnbook.data.read_idx",
        lambda: read_idx(3),  # type: ignore[arg-type]
        TypeError,
        r"path \(=3\) must be a str or a pathlib.Path",
    ),
    (
        "cnnbook.data.DataLoader",
        lambda: DataLoader(X4, Y4, shuffle="False"),  # type: ignore[arg-type]
        TypeError,
        r"shuffle \(='False'\) must be a bool",
    ),
    (
        "cnnbook.data.DataLoader",
        lambda: DataLoader(X4, Y4, drop_last=1),  # type: ignore[arg-type]
        TypeError,
        r"drop_last \(=1\) must be a bool",
    ),
    (
        "cnnbook.data.make_shapes",
        lambda: make_shapes(3, return_positions="yes"),  # type: ignore[arg-type]
        TypeError,
        r"return_positions \(='yes'\) must be a bool",
    ),
    ("cnnbook.data.make_shapes", lambda: make_shapes(2.5), TypeError, r"n \(=2.5\) must be"),
    (
        "cnnbook.data.train_test_split",
        lambda: train_test_split(X10, Y10, "0.2"),  # type: ignore[arg-type]
        TypeError,
        r"test_fraction \(='0.2'\) must be a real number",
    ),
    # -- ragged nested lists ------------------------------------------------------------------
    ("cnnbook.data.resize", lambda: resize([[1, 2], [3]], 2), ValueError, r"x is a ragged"),
    (
        "cnnbook.data.train_test_split",
        lambda: train_test_split([[1, 2], [3]], [0, 1]),
        ValueError,
        r"x is a ragged nested sequence",
    ),
    (
        "cnnbook.data.DataLoader",
        lambda: DataLoader([[1, 2], [3]], [0, 1]),
        ValueError,
        r"x is a ragged nested sequence",
    ),
    (
        "cnnbook.data.batches",
        lambda: batches(X4, [[0], [0, 1]], 2),
        ValueError,
        r"y is a ragged nested sequence",
    ),
    # -- out of range / non-finite ------------------------------------------------------------
    ("cnnbook.data.resize", lambda: resize(X4, 0), ValueError, r"size \(=0\) must be positive"),
    (
        "cnnbook.data.random_shifts",
        lambda: random_shifts(X4, RNG, fraction=float("nan")),
        ValueError,
        r"fraction \(=nan\) must be finite",
    ),
    (
        "cnnbook.data.random_shifts",
        lambda: random_shifts(X4, RNG, max_shift=-1),
        ValueError,
        r"max_shift \(=-1\) must be a non-negative int",
    ),
    (
        "cnnbook.data.train_test_split",
        lambda: train_test_split(X10, Y10, 0.01),
        ValueError,
        r"test_fraction \(=0.01\) leaves the test part empty for 10 samples",
    ),
    (
        "cnnbook.data.train_test_split",
        lambda: train_test_split(X10, Y10, 0.99),
        ValueError,
        r"test_fraction \(=0.99\) leaves the train part empty",
    ),
    (
        "cnnbook.data.train_test_split",
        lambda: train_test_split(X10, Y10, float("inf")),
        ValueError,
        r"test_fraction \(=inf\) must be finite",
    ),
    (
        "cnnbook.data.load_mnist",
        lambda: load_mnist(mnist_dir(), split="valid"),
        ValueError,
        r"split \(='valid'\) must be 'train' or 'test'",
    ),
    (
        "cnnbook.data.batches",
        lambda: batches(X4, Y4, 0),
        ValueError,
        r"batch_size \(=0\) must be a positive int",
    ),
    (
        "cnnbook.data.make_shapes",
        lambda: make_shapes(3, shape_size=4),
        ValueError,
        r"shape_size \(=4\) must be an odd int >= 3",
    ),
    # -- wrong shapes -------------------------------------------------------------------------
    ("cnnbook.data.resize", lambda: resize(np.zeros(3), 2), ValueError, r"x has shape \(3,\)"),
    (
        "cnnbook.data.random_shifts",
        lambda: random_shifts(np.zeros((3, 3)), RNG),
        ValueError,
        r"x has ndim 2 \(shape \(3, 3\)\); expected ndim 4",
    ),
    (
        "cnnbook.data.train_test_split",
        lambda: train_test_split(X10, Y10[:9]),
        ValueError,
        r"y has shape \(9,\); expected \(10,\)",
    ),
    (
        "cnnbook.data.train_test_split",
        lambda: train_test_split(X10, Y10.astype(float)),
        ValueError,
        r"y has dtype float64; expected integer class labels",
    ),
    (
        "cnnbook.data.DataLoader",
        lambda: DataLoader(X4, Y4[:3]),
        ValueError,
        r"y has length 3; expected 4",
    ),
    # -- labels and images that are not MNIST's ------------------------------------------------
    (
        "cnnbook.data.load_mnist",
        lambda: load_mnist(mnist_dir(labels=idx_bytes(0x08, (2,), bytes([3, 200])))),
        IDXFormatError,
        r"train-labels-idx1-ubyte holds the label 200; MNIST labels are 0 to 9",
    ),
    (
        "cnnbook.data.load_mnist",
        lambda: load_mnist(mnist_dir(images=idx_bytes(0x0D, (2, 28, 28)))),
        IDXFormatError,
        r"holds float32 images of shape \(2, 28, 28\); MNIST images are uint8",
    ),
    (
        "cnnbook.data.load_mnist",
        lambda: load_mnist(mnist_dir(images=idx_bytes(0x08, (2, 5, 5)))),
        IDXFormatError,
        r"holds uint8 images of shape \(2, 5, 5\); MNIST images are uint8 of shape \(N, 28, 28\)",
    ),
    (
        "cnnbook.data.load_mnist",
        lambda: load_mnist(mnist_dir(labels=idx_bytes(0x08, (3,)))),
        IDXFormatError,
        r"images \(2, 28, 28\) and labels \(3,\) do not match",
    ),
    # -- corrupt files ------------------------------------------------------------------------
    (
        "cnnbook.data.read_idx",
        lambda: read_idx(idx_file(gzip.compress(idx_bytes(0x08, (50,)))[:-12])),
        IDXFormatError,
        r"x-idx1-ubyte is a corrupt or truncated gzip file",
    ),
    (
        "cnnbook.data.read_idx",
        lambda: read_idx(idx_file(b"\x1f\x8bnot gzip at all")),
        IDXFormatError,
        r"x-idx1-ubyte is a corrupt or truncated gzip file",
    ),
    (
        "cnnbook.data.read_idx",
        lambda: read_idx(idx_file(b"")),
        IDXFormatError,
        r"x-idx1-ubyte is not an IDX file \(header bytes \[\]",
    ),
    (
        "cnnbook.data.read_idx",
        lambda: read_idx(idx_file(idx_bytes(0x08, (5,))[:-2])),
        IDXFormatError,
        r"x-idx1-ubyte holds 3 data bytes; its header \(5,\) needs 5",
    ),
    (
        "cnnbook.data.read_idx",  # a header claiming 2**32-1 cubed: compared, never allocated
        lambda: read_idx(idx_file(struct.pack(">BBBB3I", 0, 0, 8, 3, *[2**32 - 1] * 3))),
        IDXFormatError,
        r"holds 0 data bytes; its header \(4294967295, 4294967295, 4294967295\) needs",
    ),
    (
        "cnnbook.data.load_mnist",
        lambda: load_mnist(mnist_dir(images=b"\x00\x00\x08\x03\x00")),
        IDXFormatError,
        r"train-images-idx3-ubyte is truncated: 5 bytes, header needs 16",
    ),
    (
        "cnnbook.data.load_mnist",
        lambda: load_mnist(Path("/nonexistent-cnnbook-dir")),
        FileNotFoundError,
        r"directory \(='/nonexistent-cnnbook-dir'\) is not a directory",
    ),
    # -- bad seeds ----------------------------------------------------------------------------
    (
        "cnnbook.data.train_test_split",
        lambda: train_test_split(X10, Y10, seed=-1),
        ValueError,
        r"seed \(=-1\) must be a non-negative int",
    ),
    (
        "cnnbook.data.train_test_split",
        lambda: train_test_split(X10, Y10, seed=1.5),  # type: ignore[arg-type]
        TypeError,
        r"seed \(=1.5\) must be a non-negative int",
    ),
    (
        "cnnbook.data.DataLoader",
        lambda: DataLoader(X4, Y4, rng=-3),
        ValueError,
        r"rng \(=-3\) must be a non-negative int",
    ),
    (
        "cnnbook.data.batches",
        lambda: batches(X4, Y4, 2, rng="seed"),  # type: ignore[arg-type]
        TypeError,
        r"rng \(='seed'\) must be a non-negative int seed, a numpy.random.Generator or None",
    ),
    (
        "cnnbook.data.make_shapes",
        lambda: make_shapes(3, rng=-1),
        ValueError,
        r"rng \(=-1\) must be a non-negative int",
    ),
    # -- huge requests, refused before allocating ----------------------------------------------
    (
        "cnnbook.data.resize",
        lambda: resize(np.zeros((1, 1, 2, 2)), 10**6),
        ValueError,
        r"the resized images would need 7450.6 GiB .*; the limit is 4.0 GiB",
    ),
    (
        "cnnbook.data.make_shapes",
        lambda: make_shapes(10**6, size=10**4),
        ValueError,
        r"the images would need .* GiB \(shape \(1000000, 1, 10000, 10000\)\)",
    ),
    (
        "cnnbook.data.random_shifts",
        lambda: random_shifts(np.zeros((1, 1, 2, 2)), RNG, max_shift=10**6),
        ValueError,
        r"the padded images would need .* GiB",
    ),
]


@pytest.mark.parametrize(("name", "call", "exc", "match"), CASES, ids=[c[0] for c in CASES])
def test_bad_input_is_named(name: str, call: object, exc: type, match: str) -> None:
    with pytest.raises(exc, match=match):
        call()  # type: ignore[operator]


# -- properties (Hypothesis) ------------------------------------------------------------------


@given(seed=st.integers(max_value=-1))
def test_every_negative_seed_is_named(seed: int) -> None:
    with pytest.raises(ValueError, match=rf"seed \(={seed}\) must be a non-negative int"):
        train_test_split(X10, Y10, seed=seed)


@given(flag=st.one_of(st.text(), st.integers(), st.none(), st.floats(allow_nan=False)))
def test_every_non_bool_shuffle_flag_is_a_type_error(flag: object) -> None:
    with pytest.raises(TypeError, match=r"shuffle \(=.*\) must be a bool"):
        DataLoader(X4, Y4, shuffle=flag)  # type: ignore[arg-type]


@given(fraction=st.floats(0.0, 1.0, exclude_min=True, exclude_max=True))
def test_a_split_is_either_two_non_empty_parts_or_a_named_error(fraction: float) -> None:
    try:
        (x_train, _), (x_test, _) = train_test_split(X10, Y10, fraction)
    except ValueError as err:
        assert "leaves the" in str(err) and "part empty" in str(err)
    else:
        assert len(x_train) > 0 and len(x_test) > 0


@given(data=st.binary(max_size=64))
def test_any_bytes_read_as_idx_give_an_array_or_a_named_error(data: bytes) -> None:
    try:
        read_idx(idx_file(data))
    except IDXFormatError as err:
        assert "x-idx1-ubyte" in str(err)


@pytest.mark.parametrize("dtype", [np.int8, np.int64, np.uint8, bool, np.complex64])
def test_no_integer_bool_or_complex_dtype_reaches_the_pixels(dtype: type) -> None:
    with pytest.raises(TypeError, match=r"dtype .* must be floating"):
        load_digits(dtype=dtype)


def test_no_input_is_modified_by_a_failing_call() -> None:
    x, y = X10.copy(), Y10.copy()
    with pytest.raises(ValueError):
        train_test_split(x, y, 0.01)
    np.testing.assert_array_equal(x, X10)
    np.testing.assert_array_equal(y, Y10)
