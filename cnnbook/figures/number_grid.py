"""Small arrays drawn as coloured cells with their numbers in them, legible on every cell.

The grids of the convolution figures: each value written in its cell, black or white,
whichever reads better on the cell's colour (WCAG contrast), and panels that are compared
drawn on one colour scale.
"""

from __future__ import annotations

import numpy as np
from matplotlib.axes import Axes
from matplotlib.colors import to_rgb
from matplotlib.image import AxesImage
from matplotlib.typing import ColorType

__all__ = ["annotate_cells", "contrasting_text_color", "largest_magnitude", "number_grid"]


def contrasting_text_color(background: ColorType) -> str:
    r"""Return "black" or "white", whichever reads better on ``background``.

    Parameters
    ----------
    background : matplotlib colour
        The colour of the cell the text is written on.

    Returns
    -------
    str
        The colour with the higher WCAG contrast ratio against ``background``.

    Notes
    -----
    With the relative luminance $L = 0.2126 R + 0.7152 G + 0.0722 B$ of the
    linearised sRGB channels, the contrast ratio is
    $(L_{\max} + 0.05) / (L_{\min} + 0.05)$; black wins when $L > \sqrt{0.0525} - 0.05
    \approx 0.179$. The better of the two is always at least $\sqrt{21} \approx 4.58$,
    above the 4.5 that WCAG asks of small text.

    Examples
    --------
    >>> contrasting_text_color("#00441b"), contrasting_text_color("#e5f5e0")
    ('white', 'black')
    """
    rgb = np.array(to_rgb(background))
    linear = np.where(rgb <= 0.04045, rgb / 12.92, ((rgb + 0.055) / 1.055) ** 2.4)
    luminance = float(linear @ [0.2126, 0.7152, 0.0722])
    return "black" if (luminance + 0.05) ** 2 > 0.05 * 1.05 else "white"


def annotate_cells(ax: Axes, image: AxesImage, values: np.ndarray, fmt: str = "{:g}") -> None:
    """Write each value in its cell of ``image``, black or white by the cell's colour.

    Examples
    --------
    >>> from matplotlib.figure import Figure
    >>> ax = Figure().subplots()
    >>> values = np.array([[0, 1], [2, 3]])
    >>> annotate_cells(ax, ax.imshow(values, cmap="Greens"), values)
    >>> [t.get_color() for t in ax.texts]
    ['black', 'black', 'black', 'white']
    """
    colors = np.asarray(image.cmap(image.norm(values)))
    for (i, j), v in np.ndenumerate(values):
        r, g, b, _ = colors[i, j]
        color = contrasting_text_color((float(r), float(g), float(b)))
        ax.text(j, i, fmt.format(v), ha="center", va="center", fontsize=8, color=color)


def number_grid(
    ax: Axes,
    values: np.ndarray,
    title: str,
    cmap: str = "RdBu_r",
    fmt: str = "{:g}",
    vmax: float | None = None,
) -> AxesImage:
    """Draw a small array as coloured cells with its numbers written in them.

    Panels that are compared pass one `vmax` (their largest magnitude), so one colour
    means one value in all of them; alone, a panel is scaled to its own values.

    Examples
    --------
    >>> from matplotlib.figure import Figure
    >>> ax = Figure().subplots()
    >>> image = number_grid(ax, np.array([[-1.0, 2.0]]), "w")
    >>> image.get_clim(), [t.get_text() for t in ax.texts]
    ((-2.0, 2.0), ['-1', '2'])
    """
    vmax = vmax or float(np.abs(values).max()) or 1.0
    # A diverging map is centred at 0 (white); a sequential one starts at 0.
    vmin = -vmax if cmap == "RdBu_r" else 0.0
    image = ax.imshow(values, cmap=cmap, vmin=vmin, vmax=vmax)
    annotate_cells(ax, image, values, fmt)
    ax.set_title(title, fontsize=9)
    ax.set_xticks([])
    ax.set_yticks([])
    return image


def largest_magnitude(*arrays: np.ndarray) -> float:
    """Return the largest magnitude in `arrays`: the end of a colour scale they share.

    Examples
    --------
    >>> largest_magnitude(np.array([1, -3]), np.array([2])), largest_magnitude(np.zeros(2))
    (3.0, 1.0)
    """
    return max(float(np.abs(a).max()) for a in arrays) or 1.0
