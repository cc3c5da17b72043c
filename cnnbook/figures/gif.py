"""Frames written as a looping GIF: one exact shared palette, the same bytes every time.

Pillow's own palette mapping is approximate (it bins colours) and may differ between
frames, so the mapping is done here: one palette of the most frequent colours of the
first and last frames, every pixel mapped to its own colour or the nearest entry. Pillow
stores no timestamp: the same frames give the same bytes.
"""

from __future__ import annotations

import io
import os

import numpy as np

__all__ = ["save_gif"]


def _codes(rgb: np.ndarray) -> np.ndarray:
    """Return each colour of ``rgb`` (..., 3) as one integer 0xRRGGBB."""
    return rgb.astype(np.int64) @ np.array([1 << 16, 1 << 8, 1])


def _rgb(codes: np.ndarray) -> np.ndarray:
    """Return the colours 0xRRGGBB of ``codes`` (n,) as an array (n, 3)."""
    return np.stack([codes >> 16, (codes >> 8) & 255, codes & 255], axis=1)


def _palette(frames: list[np.ndarray], size: int = 64) -> np.ndarray:
    """Return the ``size`` most frequent colours of ``frames`` as sorted 0xRRGGBB codes.

    The first and last frames together hold every flat colour drawn (pending,
    current and finished outputs, the kernel over the image and over the padding),
    so those are kept exactly; only the rarest anti-aliasing shades of the glyphs
    are left out. Ties go to the smaller code: the same frames give the same palette.
    """
    codes, counts = np.unique(_codes(np.concatenate(frames)), return_counts=True)
    return np.sort(codes[np.argsort(-counts, kind="stable")[:size]])


def _indices(frame: np.ndarray, palette: np.ndarray) -> np.ndarray:
    """Map each pixel to its palette entry: its own colour, else the nearest (squared RGB)."""
    codes = _codes(frame)
    found = np.minimum(np.searchsorted(palette, codes), palette.size - 1)
    missing = palette[found] != codes
    if missing.any():  # a few glyph-edge shades: search once per distinct colour
        shades, where = np.unique(codes[missing], return_inverse=True)
        distance = ((_rgb(shades)[:, None, :] - _rgb(palette)[None]) ** 2).sum(axis=-1)
        found[missing] = distance.argmin(axis=1)[where]
    return found.astype(np.uint8)


def save_gif(path: str | os.PathLike[str], frames: list[np.ndarray], duration_ms: int) -> int:
    """Write RGB `frames` as a looping GIF with one shared palette; return their number.

    Parameters
    ----------
    path : str or path-like
        Where to write the GIF.
    frames : list of ndarray of shape (height, width, 3), dtype uint8
        The frames, in order; the first and the last hold every flat colour drawn.
    duration_ms : int
        Display time of each frame.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> red, blue = np.zeros((2, 2, 3), np.uint8), np.zeros((2, 2, 3), np.uint8)
    >>> red[..., 0], blue[..., 2] = 255, 255
    >>> with tempfile.TemporaryDirectory() as d:
    ...     save_gif(pathlib.Path(d) / "two.gif", [red, blue], duration_ms=100)
    2
    """
    from PIL import Image

    # One palette for all frames keeps colours steady.
    palette = _palette([frames[0], frames[-1]])
    entries = _rgb(palette).astype(np.uint8).ravel().tolist()
    images = []
    for frame in frames:
        image = Image.fromarray(_indices(frame, palette))  # "L", made "P" by its palette
        image.putpalette(entries)
        images.append(image)
    buffer = io.BytesIO()
    images[0].save(
        buffer,
        format="GIF",
        save_all=True,
        append_images=images[1:],
        duration=duration_ms,
        loop=0,
        optimize=False,  # keep the shared palette as it is, in the same order every run
    )
    with open(path, "wb") as f:
        f.write(buffer.getvalue())
    return len(images)
