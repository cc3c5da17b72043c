"""Digits as identities: the eight symmetries of the square, and jitter on the canvas."""

from __future__ import annotations

import numpy as np

from cnnbook.usecases import digit_identities
from cnnbook.usecases.canvas import ink_lost, place_on_canvas


def test_dihedral_views_are_the_eight_symmetries_of_the_square():
    img = np.arange(9.0).reshape(1, 1, 3, 3)  # no symmetry: eight different views
    views, ids = digit_identities.dihedral_views(img, [2])
    expected = [np.rot90(img[0, 0], k) for k in range(4)]
    expected += [np.fliplr(np.rot90(img[0, 0], k)) for k in range(4)]
    for got, want in zip(views[:, 0], expected, strict=True):
        np.testing.assert_array_equal(got, want)
    assert len({v.tobytes() for v in views}) == 8
    assert ids.tolist() == list(range(16, 24))


def test_jitter_on_canvas_keeps_the_ink_and_moves_at_most_jitter():
    rng = np.random.default_rng(0)
    x = rng.random((200, 1, 8, 8)).astype(np.float32)
    out = digit_identities.jitter_on_canvas(x, rng, jitter=1, canvas=12)
    centred = place_on_canvas(x, 12, np.full((200, 2), 2))
    assert np.all(ink_lost(centred, out) == 0.0)
    # Each image sits at one of the 3 x 3 positions around the centre, all of them used.
    found = set()
    for k in range(200):
        moves = [
            (dy, dx)
            for dy in (-1, 0, 1)
            for dx in (-1, 0, 1)
            if np.array_equal(np.roll(centred[k], (dy, dx), axis=(1, 2)), out[k])
        ]
        assert len(moves) == 1
        found.add(moves[0])
    assert len(found) == 9
