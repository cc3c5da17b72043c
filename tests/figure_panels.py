"""Reading a drawn figure in tests: draw it, list its panels, get a panel's image."""

from __future__ import annotations

import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg


def render(fig) -> None:
    """Draw `fig` on an Agg canvas (what saving it does), so layout and text exist."""
    FigureCanvasAgg(fig).draw()


def image(ax) -> np.ndarray:
    """The array shown by the first image of the panel `ax`."""
    return np.asarray(ax.images[0].get_array())


def panels(fig) -> list:
    """The figure's panels, without its colour bars."""
    return [ax for ax in fig.axes if ax.get_label() != "<colorbar>"]
