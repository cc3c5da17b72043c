"""cnnbook.usecases.canvas: placing, shifting, ink lost and permutations, against hand oracles."""

from __future__ import annotations

import numpy as np
import pytest

from cnnbook.data import load_digits, random_shifts
from cnnbook.usecases.canvas import (
    ink_lost,
    permute_pixels,
    place_on_canvas,
    random_positions,
    shift_images,
)


def test_place_on_canvas_keeps_every_pixel_at_its_offset() -> None:
    x = np.random.default_rng(0).random((5, 2, 3, 4))
    pos = np.array([[0, 0], [2, 1], [4, 3], [1, 2], [3, 0]])
    out = place_on_canvas(x, 7, pos)
    for i, (r, c) in enumerate(pos):
        np.testing.assert_array_equal(out[i, :, r : r + 3, c : c + 4], x[i])
        assert out[i].sum() == pytest.approx(x[i].sum())


def test_random_positions_cover_every_place_and_only_those() -> None:
    pos = random_positions(4000, 8, 11, np.random.default_rng(0))
    assert pos.min() == 0 and pos.max() == 3
    assert len({tuple(p) for p in pos}) == 16


def test_shift_images_matches_np_roll_away_from_the_border() -> None:
    x = np.zeros((2, 1, 6, 6))
    x[:, 0, 2:4, 2:4] = 1.0
    moves = np.array([[1, -1], [-2, 2]])
    out = shift_images(x, moves)
    for i, (dy, dx) in enumerate(moves):
        np.testing.assert_array_equal(out[i], np.roll(x[i], (dy, dx), axis=(1, 2)))


def test_shift_images_is_random_shifts_with_the_offsets_given() -> None:
    x, _ = load_digits()
    x = x[:50]
    moved = random_shifts(x, np.random.default_rng(3), max_shift=1, fraction=1.0)
    # Recover each image's offset as the one that reproduces it, then check all agree.
    for i in range(len(x)):
        matches = [
            (dy, dx)
            for dy in (-1, 0, 1)
            for dx in (-1, 0, 1)
            if np.array_equal(shift_images(x[i : i + 1], np.array([[dy, dx]]))[0], moved[i])
        ]
        assert matches, i


def test_the_8x8_digits_lose_ink_to_a_zero_filled_shift() -> None:
    x, _ = load_digits()
    moves = np.tile([[0, 1]], (len(x), 1))
    lost = ink_lost(x, shift_images(x, moves))
    assert lost.max() > 0.05 and (lost > 0).mean() > 0.1 and (lost >= 0).all()


def test_shift_on_canvas_loses_no_ink() -> None:
    x, _ = load_digits()
    big = place_on_canvas(x, 10, np.ones((len(x), 2), dtype=np.int64))
    for move in ([1, 1], [-1, 0], [0, -1], [-1, 1]):
        moved = shift_images(big, np.tile([move], (len(x), 1)))
        np.testing.assert_array_equal(ink_lost(big, moved), 0.0)


def test_ink_lost_by_hand() -> None:
    a = np.array([[[[1.0, 3.0]]], [[[0.0, 0.0]]]])
    b = np.array([[[[0.0, 1.0]]], [[[0.0, 0.0]]]])
    np.testing.assert_allclose(ink_lost(a, b), [0.75, 0.0])


def test_permute_pixels_is_undone_by_the_inverse_permutation() -> None:
    rng = np.random.default_rng(0)
    x = rng.random((3, 2, 4, 5))
    perm = rng.permutation(20)
    scrambled = permute_pixels(x, perm)
    np.testing.assert_array_equal(permute_pixels(scrambled, np.argsort(perm)), x)
    np.testing.assert_array_equal(np.sort(scrambled.ravel()), np.sort(x.ravel()))


def test_helpers_never_modify_their_input() -> None:
    x = np.random.default_rng(0).random((2, 1, 4, 4))
    copy = x.copy()
    shift_images(x, np.array([[1, 0], [0, 1]]))
    permute_pixels(x, np.arange(16)[::-1])
    place_on_canvas(x, 6, np.array([[1, 1], [2, 2]]))
    ink_lost(x, x)
    np.testing.assert_array_equal(x, copy)
