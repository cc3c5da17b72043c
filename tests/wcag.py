"""WCAG 2 contrast, written from the standard: the tests' own oracle for legible figure text."""

from __future__ import annotations

import numpy as np
from matplotlib.colors import to_rgb


def luminance(color) -> float:
    """WCAG 2 relative luminance of an sRGB colour."""
    c = np.array(to_rgb(color))
    c = np.where(c <= 0.04045, c / 12.92, ((c + 0.055) / 1.055) ** 2.4)
    return float(0.2126 * c[0] + 0.7152 * c[1] + 0.0722 * c[2])


def contrast(a, b) -> float:
    """WCAG 2 contrast ratio of two colours (1 to 21)."""
    la, lb = sorted((luminance(a), luminance(b)))
    return (lb + 0.05) / (la + 0.05)
