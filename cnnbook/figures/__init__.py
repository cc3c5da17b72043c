"""Every figure of the book, one function each (the only place matplotlib is imported).

Each function returns a :class:`matplotlib.figure.Figure` drawn deterministically
from the package's own functions; ``scripts/render_figures.py`` saves them for the site.
"""

from __future__ import annotations

from cnnbook.figures.pooling import pooling_figure
from cnnbook.figures.receptive_field import DEFAULT_STACK, receptive_field_figure
from cnnbook.figures.translation import (
    TRANSLATION_CURVES,
    translation_figure,
    translation_image,
)

# Each figures submodule re-exports its functions below.

__all__: list[str] = [
    "DEFAULT_STACK",
    "TRANSLATION_CURVES",
    "pooling_figure",
    "receptive_field_figure",
    "translation_figure",
    "translation_image",
]
