"""Every figure of the book, one function each (the only place matplotlib is imported).

Each function returns a :class:`matplotlib.figure.Figure` drawn deterministically
from the package's own functions; ``scripts/render_figures.py`` saves them for the site.
"""

from __future__ import annotations

# Each figures submodule re-exports its functions below.

__all__: list[str] = []
