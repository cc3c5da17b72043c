"""Frames as a GIF: the same bytes every write, flat colours exact, one palette for all."""

from __future__ import annotations

import numpy as np
from PIL import Image

from cnnbook.figures.gif import save_gif


def _frames() -> list[np.ndarray]:
    # Four flat colours in blocks, and a gradient of 256 shades: more than the 64 kept.
    rng = np.random.default_rng(0)
    frames = []
    for t in range(3):
        frame = np.zeros((32, 48, 3), np.uint8)
        frame[:16, :24] = (200, 30, 30)
        frame[:16, 24:] = (30, 200, 30)
        frame[16:, :24] = (30, 30, 200)
        frame[16:, 24:] = (250, 250, 250)
        frame[t, :] = rng.integers(0, 256, size=(48, 3))
        frames.append(frame)
    return frames


def test_gif_is_byte_identical_across_writes(tmp_path):
    a, b = tmp_path / "a.gif", tmp_path / "b.gif"
    assert save_gif(a, _frames(), duration_ms=100) == 3
    save_gif(b, _frames(), duration_ms=100)
    assert a.read_bytes() == b.read_bytes()


def test_flat_colours_are_exact_and_rare_shades_go_to_the_nearest_entry(tmp_path):
    frames = _frames()
    save_gif(tmp_path / "x.gif", frames, duration_ms=100)
    with Image.open(tmp_path / "x.gif") as im:
        assert im.n_frames == len(frames)
        for t, frame in enumerate(frames):
            im.seek(t)
            shown = np.asarray(im.convert("RGB"), dtype=int)
            assert np.array_equal(shown[16:], frame[16:])  # the flat blocks, untouched rows
            nearest = np.abs(shown[t] - frame[t].astype(int)).sum(axis=-1)
            assert nearest.max() < 3 * 256  # every shade mapped to a palette colour
            assert len(np.unique(shown.reshape(-1, 3), axis=0)) <= 64
