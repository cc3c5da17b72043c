from __future__ import annotations

import gzip
import struct
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from cnnbook.data import (
    SHAPE_CLASSES,
    DataLoader,
    batches,
    load_digits,
    load_mnist,
    make_shapes,
    random_shifts,
    read_idx,
    resize,
    train_test_split,
)

IDX_CODES = {
    np.uint8: 0x08,
    np.int8: 0x09,
    np.int16: 0x0B,
    np.int32: 0x0C,
    np.float32: 0x0D,
    np.float64: 0x0E,
}


def write_idx(path: Path, array: np.ndarray, compress: bool = False) -> Path:
    """Write an IDX file by the format's definition (independent of read_idx)."""
    header = struct.pack(">BBBB", 0, 0, IDX_CODES[array.dtype.type], array.ndim)
    header += struct.pack(f">{array.ndim}I", *array.shape)
    raw = header + array.astype(array.dtype.newbyteorder(">")).tobytes()
    path.write_bytes(gzip.compress(raw) if compress else raw)
    return path


# -- load_digits ------------------------------------------------------------------------------


def test_load_digits_equals_sklearn_images_over_16() -> None:
    from sklearn.datasets import load_digits as sk_load_digits

    x, y = load_digits()
    bunch = sk_load_digits()
    assert x.shape == (1797, 1, 8, 8) and x.dtype == np.float64
    np.testing.assert_array_equal(x[:, 0] * 16, bunch.images)
    np.testing.assert_array_equal(y, bunch.target)
    assert y.dtype == np.int64


def test_load_digits_upsampled_keeps_range_and_dtype() -> None:
    x, y = load_digits(size=28, dtype=np.float32)
    assert x.shape == (1797, 1, 28, 28) and x.dtype == np.float32
    assert x.min() >= 0.0 and x.max() <= 1.0
    assert len(y) == 1797


# -- resize -----------------------------------------------------------------------------------


def test_resize_to_the_same_size_is_the_identity() -> None:
    x = np.random.default_rng(0).random((2, 3, 5, 7))
    np.testing.assert_allclose(resize(x, (5, 7)), x, atol=1e-15)


def test_resize_keeps_a_constant_image_constant() -> None:
    np.testing.assert_allclose(resize(np.full((1, 1, 8, 8), 0.3), 28), 0.3)


@pytest.mark.torch
@pytest.mark.parametrize(("shape", "size"), [((8, 8), 28), ((5, 7), (11, 3)), ((6, 6), 4)])
def test_resize_matches_torch_bilinear_interpolate(shape: tuple[int, int], size: object) -> None:
    import torch

    x = np.random.default_rng(1).random((2, 3, *shape))
    expected = torch.nn.functional.interpolate(
        torch.from_numpy(x), size=size, mode="bilinear", align_corners=False
    ).numpy()
    np.testing.assert_allclose(resize(x, size), expected, atol=1e-12)  # type: ignore[arg-type]


@pytest.mark.torch
@pytest.mark.parametrize("value", [np.nan, np.inf, -np.inf])
@pytest.mark.parametrize(
    ("shape", "size", "where"), [((6, 6), 12, (2, 3)), ((9, 5), (4, 11), (8, 0))]
)
def test_resize_spreads_a_non_finite_pixel_only_where_torch_does(
    shape: tuple[int, int], size: object, where: tuple[int, int], value: float
) -> None:
    import torch

    x = np.random.default_rng(2).random((1, 1, *shape))
    x[0, 0, where[0], where[1]] = value
    expected = torch.nn.functional.interpolate(
        torch.from_numpy(x), size=size, mode="bilinear", align_corners=False
    ).numpy()
    got = resize(x, size)  # type: ignore[arg-type]
    assert 0 < np.count_nonzero(~np.isfinite(got)) < got.size  # local, not the whole image
    np.testing.assert_array_equal(np.isnan(got), np.isnan(expected))
    np.testing.assert_allclose(got, expected, atol=1e-12)


def test_resize_rejects_a_vector() -> None:
    with pytest.raises(ValueError, match=r"x has shape \(3,\)"):
        resize(np.zeros(3), 4)


# -- train_test_split -------------------------------------------------------------------------


def test_split_partitions_the_samples() -> None:
    x = np.arange(100)
    y = np.arange(100) % 3
    (xtr, _), (xte, _) = train_test_split(x, y, 0.3, seed=0)
    assert sorted(np.concatenate([xtr, xte]).tolist()) == list(range(100))
    assert not set(xtr.tolist()) & set(xte.tolist())


@given(
    counts=st.lists(st.integers(1, 40), min_size=1, max_size=6),
    fraction=st.floats(0.05, 0.95),
    seed=st.integers(0, 2**31),
)
def test_split_keeps_each_class_proportion(counts: list[int], fraction: float, seed: int) -> None:
    y = np.repeat(np.arange(len(counts)), counts)
    expected_test = [round(fraction * c) for c in counts]
    if sum(expected_test) in (0, len(y)):  # one part would be empty: a named error instead
        with pytest.raises(ValueError, match=r"leaves the (test|train) part empty"):
            train_test_split(np.zeros((len(y), 2)), y, fraction, seed)
        return
    (_, ytr), (_, yte) = train_test_split(np.zeros((len(y), 2)), y, fraction, seed)
    assert np.bincount(yte, minlength=len(counts)).tolist() == expected_test
    assert np.bincount(ytr, minlength=len(counts)).tolist() == [
        c - t for c, t in zip(counts, expected_test, strict=True)
    ]


def test_split_is_deterministic_per_seed() -> None:
    x, y = np.arange(60), np.arange(60) % 4
    a = train_test_split(x, y, 0.25, seed=3)
    b = train_test_split(x, y, 0.25, seed=3)
    c = train_test_split(x, y, 0.25, seed=4)
    np.testing.assert_array_equal(a[1][0], b[1][0])
    assert not np.array_equal(a[1][0], c[1][0])


@pytest.mark.parametrize("fraction", [0.0, 1.0, -0.1, 1.5])
def test_split_rejects_a_fraction_outside_0_1(fraction: float) -> None:
    with pytest.raises(ValueError, match=r"test_fraction \(=.*\) must be in \(0, 1\)"):
        train_test_split(np.zeros(4), np.zeros(4, int), fraction)


def test_split_rejects_float_labels() -> None:
    with pytest.raises(ValueError, match="y has dtype float64; expected integer"):
        train_test_split(np.zeros(4), np.zeros(4), 0.5)


def test_split_rejects_labels_of_another_length() -> None:
    with pytest.raises(ValueError, match=r"y has shape \(3,\); expected \(4,\)"):
        train_test_split(np.zeros(4), np.zeros(3, int), 0.5)


# -- DataLoader / batches ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("n", "batch_size", "drop_last"), [(10, 3, False), (10, 3, True), (9, 3, False), (1, 5, False)]
)
def test_loader_length_is_the_number_of_batches(n: int, batch_size: int, drop_last: bool) -> None:
    loader = DataLoader(np.arange(n), np.arange(n), batch_size, drop_last=drop_last)
    sizes = [len(yb) for _, yb in loader]
    assert len(sizes) == len(loader)
    assert sum(sizes) == (n // batch_size * batch_size if drop_last else n)
    assert all(s == batch_size for s in sizes[:-1])


def test_shuffled_loader_visits_each_sample_once_per_epoch_in_new_orders() -> None:
    loader = DataLoader(np.arange(50), np.arange(50) * 10, 8, shuffle=True, rng=0)
    epochs = [np.concatenate([xb for xb, _ in loader]) for _ in range(2)]
    for order in epochs:
        assert sorted(order.tolist()) == list(range(50))
    assert not np.array_equal(epochs[0], epochs[1])
    for xb, yb in loader:  # pairs stay together
        np.testing.assert_array_equal(yb, xb * 10)


def test_shuffled_loader_is_reproducible_from_its_seed() -> None:
    a = [xb.tolist() for xb, _ in DataLoader(np.arange(20), np.arange(20), 6, True, rng=7)]
    b = [xb.tolist() for xb, _ in DataLoader(np.arange(20), np.arange(20), 6, True, rng=7)]
    assert a == b


def test_batches_in_order_concatenate_to_the_data() -> None:
    x = np.arange(24).reshape(12, 2)
    got = np.concatenate([xb for xb, _ in batches(x, np.arange(12), 5)])
    np.testing.assert_array_equal(got, x)


def test_loader_rejects_an_empty_data_set() -> None:
    with pytest.raises(ValueError, match=r"x is empty \(shape \(0, 1\)\)"):
        DataLoader(np.zeros((0, 1)), np.zeros(0, int))


@pytest.mark.parametrize("batch_size", [0, -2, 1.5, True])
def test_loader_rejects_a_bad_batch_size(batch_size: object) -> None:
    with pytest.raises(ValueError, match=r"batch_size \(=.*\) must be a positive int"):
        DataLoader(np.zeros(3), np.zeros(3, int), batch_size)  # type: ignore[arg-type]


def test_loader_rejects_labels_of_another_length() -> None:
    with pytest.raises(ValueError, match=r"y has length 2; expected 3"):
        DataLoader(np.zeros(3), np.zeros(2, int))


# -- IDX files --------------------------------------------------------------------------------


@pytest.mark.parametrize("dtype", list(IDX_CODES))
@pytest.mark.parametrize("compress", [False, True])
def test_read_idx_round_trips_every_type_code(tmp_path: Path, dtype: type, compress: bool) -> None:
    rng = np.random.default_rng(0)
    array = (rng.standard_normal((3, 4, 5)) * 50).astype(dtype)
    path = write_idx(tmp_path / "data-idx3", array, compress)
    got = read_idx(path)
    np.testing.assert_array_equal(got, array)
    assert got.dtype == np.dtype(dtype) and got.dtype.isnative


def test_read_idx_reads_mnist_magic_numbers(tmp_path: Path) -> None:
    images = np.arange(2 * 3 * 3, dtype=np.uint8).reshape(2, 3, 3)
    path = write_idx(tmp_path / "images", images)
    assert struct.unpack(">I", path.read_bytes()[:4])[0] == 2051
    labels = write_idx(tmp_path / "labels", np.array([4, 2], dtype=np.uint8))
    assert struct.unpack(">I", labels.read_bytes()[:4])[0] == 2049
    np.testing.assert_array_equal(read_idx(path), images)
    np.testing.assert_array_equal(read_idx(labels), [4, 2])


def test_read_idx_rejects_a_file_that_is_not_idx(tmp_path: Path) -> None:
    path = tmp_path / "x.png"
    path.write_bytes(b"\x89PNG\r\n\x1a\n")
    with pytest.raises(ValueError, match="is not an IDX file"):
        read_idx(path)


def test_read_idx_rejects_a_truncated_file(tmp_path: Path) -> None:
    path = write_idx(tmp_path / "images", np.zeros((2, 3, 3), np.uint8))
    path.write_bytes(path.read_bytes()[:-1])
    with pytest.raises(ValueError, match=r"holds 17 data bytes; its header \(2, 3, 3\) needs 18"):
        read_idx(path)


def _write_mnist(directory: Path, prefix: str, n: int, compress: bool) -> tuple[np.ndarray, ...]:
    rng = np.random.default_rng(n)
    images = rng.integers(0, 256, size=(n, 28, 28), dtype=np.uint8)
    labels = rng.integers(0, 10, size=n, dtype=np.uint8)
    gz = ".gz" if compress else ""
    write_idx(directory / f"{prefix}-images-idx3-ubyte{gz}", images, compress)
    write_idx(directory / f"{prefix}-labels-idx1-ubyte{gz}", labels, compress)
    return images, labels


@pytest.mark.parametrize("compress", [False, True])
def test_load_mnist_reads_both_splits(tmp_path: Path, compress: bool) -> None:
    train_images, train_labels = _write_mnist(tmp_path, "train", 5, compress)
    test_images, test_labels = _write_mnist(tmp_path, "t10k", 3, compress)
    x, y = load_mnist(tmp_path, "train")
    assert x.shape == (5, 1, 28, 28) and y.dtype == np.int64
    np.testing.assert_array_equal(x[:, 0] * 255, train_images)
    np.testing.assert_array_equal(y, train_labels)
    x, y = load_mnist(tmp_path, "test", dtype=np.float32)
    assert x.dtype == np.float32
    np.testing.assert_allclose(x[:, 0] * 255, test_images, rtol=1e-6)
    np.testing.assert_array_equal(y, test_labels)


def test_load_mnist_names_the_files_it_looked_for(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError, match="train-images-idx3-ubyte"):
        load_mnist(tmp_path)


def test_load_mnist_rejects_an_unknown_split(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match=r"split \(='valid'\) must be 'train' or 'test'"):
        load_mnist(tmp_path, "valid")


def test_load_mnist_rejects_images_and_labels_of_different_counts(tmp_path: Path) -> None:
    _write_mnist(tmp_path, "train", 4, False)
    write_idx(tmp_path / "train-labels-idx1-ubyte", np.zeros(3, np.uint8))
    with pytest.raises(ValueError, match=r"images \(4, 28, 28\) and labels \(3,\) do not match"):
        load_mnist(tmp_path)


# -- synthetic shapes and shifts --------------------------------------------------------------

TEMPLATE_PIXELS = {"bar": 5, "cross": 9, "square": 16}  # of a 5×5 figure, by construction


def test_shapes_are_balanced_and_have_their_pixel_counts() -> None:
    x, y, positions = make_shapes(30, size=12, rng=0, return_positions=True)
    assert x.shape == (30, 1, 12, 12) and np.bincount(y).tolist() == [10, 10, 10]
    for image, label, (r, c) in zip(x[:, 0], y, positions, strict=True):
        assert image.sum() == TEMPLATE_PIXELS[SHAPE_CLASSES[label]]
        box = np.zeros_like(image, dtype=bool)
        box[r : r + 5, c : c + 5] = True
        assert image[~box].sum() == 0  # nothing outside the figure's box
        name = SHAPE_CLASSES[label]
        if name in ("bar", "cross"):
            assert image[r + 2, c : c + 5].all()  # the middle row
        if name == "cross":
            assert image[r : r + 5, c + 2].all()  # and the middle column
        if name == "square":
            assert image[[r, r + 4], c : c + 5].all() and image[r : r + 5, [c, c + 4]].all()


def test_shapes_positions_cover_the_image() -> None:
    _, _, positions = make_shapes(600, size=8, rng=1, return_positions=True)
    assert positions.min() == 0 and positions.max() == 8 - 5


def test_shapes_are_reproducible_from_the_seed() -> None:
    np.testing.assert_array_equal(make_shapes(9, rng=4)[0], make_shapes(9, rng=4)[0])


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"n": 0}, r"n \(=0\) must be a positive int"),
        ({"n": 3, "shape_size": 4}, r"shape_size \(=4\) must be an odd int >= 3"),
        ({"n": 3, "size": 4}, r"size \(=4\) must be an int >= shape_size \(=5\)"),
    ],
)
def test_shapes_reject_bad_arguments(kwargs: dict, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        make_shapes(**kwargs)


def _shifted(image: np.ndarray, dy: int, dx: int) -> np.ndarray:
    """Shift content down by dy and right by dx, zero fill (by index arithmetic)."""
    out = np.zeros_like(image)
    h, w = image.shape
    out[max(dy, 0) : h + min(dy, 0), max(dx, 0) : w + min(dx, 0)] = image[
        max(-dy, 0) : h + min(-dy, 0), max(-dx, 0) : w + min(-dx, 0)
    ]
    return out


def test_random_shifts_move_each_image_by_at_most_one_pixel() -> None:
    x = np.random.default_rng(0).random((40, 2, 6, 6))
    moved = random_shifts(x, np.random.default_rng(1), max_shift=1, fraction=1.0)
    found = set()
    for before, after in zip(x, moved, strict=True):
        matches = [
            (dy, dx)
            for dy in (-1, 0, 1)
            for dx in (-1, 0, 1)
            if all(
                np.array_equal(_shifted(b, dy, dx), a) for b, a in zip(before, after, strict=True)
            )
        ]
        assert len(matches) == 1
        found.add(matches[0])
    assert len(found) == 9  # all shifts occur


def test_random_shifts_with_fraction_zero_is_the_identity() -> None:
    x = np.random.default_rng(0).random((5, 1, 4, 4))
    np.testing.assert_array_equal(random_shifts(x, np.random.default_rng(0), fraction=0.0), x)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"max_shift": -1}, r"max_shift \(=-1\) must be a non-negative int"),
        ({"fraction": 2.0}, r"fraction \(=2.0\) must be in \[0, 1\]"),
    ],
)
def test_random_shifts_reject_bad_arguments(kwargs: dict, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        random_shifts(np.zeros((1, 1, 3, 3)), np.random.default_rng(0), **kwargs)
