"""The figure of the Edge Detection page: Sobel on the photograph, with its coordinate system.

Every number drawn comes from `cnnbook` (`edge_detect`, `sobel_x`, `photograph`).
"""

from __future__ import annotations

import numpy as np
from matplotlib import colormaps
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from cnnbook.figures.number_grid import number_grid
from cnnbook.images import photograph
from cnnbook.kernels import edge_detect, sobel_x

__all__ = ["EDGE_SLOPE", "edge_detection_figure", "edge_direction_mask"]

#: An edge, as the Edge Detection page defines it: brightness (0 to 1) changing by more
#: than this per pixel. The direction panel shows the gradient's direction only there.
EDGE_SLOPE = 1 / 16


def _coordinate_axes(ax: Axes, shape: tuple[int, ...]) -> None:
    """Draw the image coordinate system: origin top-left, j to the right, i downward."""
    h, w = shape
    arrow = {"arrowstyle": "->", "color": "yellow", "linewidth": 2}
    ax.annotate("", xy=(w * 0.35, h * 0.04), xytext=(0, h * 0.04), arrowprops=arrow)
    ax.annotate("", xy=(w * 0.04, h * 0.35), xytext=(w * 0.04, 0), arrowprops=arrow)
    ax.text(w * 0.37, h * 0.04, "j (column) →", color="yellow", va="center", fontsize=9)
    ax.text(w * 0.06, h * 0.37, "i (row) ↓", color="yellow", va="top", fontsize=9)


def edge_direction_mask(magnitude: np.ndarray, slope: float = EDGE_SLOPE) -> np.ndarray:
    """Return True where the Sobel `magnitude` is no edge: a slope of at most `slope`.

    Sobel's magnitude is the slope (brightness per pixel) times its gain, measured here
    on a ramp of slope 1 (``edge_detect`` of ``0, 1, 2, ...``), so an edge is a pixel
    where ``magnitude > gain * slope`` -- the definition of the Edge Detection page.

    Examples
    --------
    >>> edge_direction_mask(np.array([0.0, 0.5, 0.6]))  # gain 8: the threshold is 0.5
    array([ True,  True, False])
    """
    ramp = np.tile(np.arange(6.0), (6, 1))
    gain = float(edge_detect(ramp, mode="valid").gx[0, 0])
    return np.asarray(magnitude) <= gain * slope


def edge_detection_figure(slope: float = EDGE_SLOPE) -> Figure:
    r"""Run Sobel edge detection on the photograph, with the coordinate system drawn.

    Parameters
    ----------
    slope : float, default `EDGE_SLOPE`
        The direction is drawn only where the brightness changes faster than this per
        pixel (`edge_direction_mask`); elsewhere it is noise, and grey.

    Returns
    -------
    matplotlib.figure.Figure
        The photograph with its axes $i$ (down) and $j$ (right); the Sobel $x$
        kernel with its centred offsets $-1, 0, 1$; $g_x$ and $g_y$ on one colour
        scale (one colour bar), the gradient magnitude and its direction
        $\operatorname{arctan2}(g_y, g_x)$ where the magnitude makes an edge, all from
        ``edge_detect(photograph(), mode="valid")``.

    Examples
    --------
    >>> [ax.get_title() for ax in edge_detection_figure().axes][:2]
    ['photograph x[i, j]', 'sobel_x, offsets (a, b) from the centre']
    """
    photo = photograph()
    edges = edge_detect(photo, mode="valid")
    fig = Figure(figsize=(12, 9), layout="constrained")
    grid = fig.add_gridspec(2, 3)
    # Created in reading order (photograph, kernel, g_x, g_y, magnitude, direction); the
    # two compared derivatives side by side in the bottom row, above their colour bar.
    cells = [grid[0, 0], grid[0, 1], grid[1, 0], grid[1, 1], grid[0, 2], grid[1, 2]]
    photo_ax, kernel_ax, gx_ax, gy_ax, mag_ax, dir_ax = (fig.add_subplot(c) for c in cells)
    photo_ax.imshow(photo, cmap="gray", vmin=0, vmax=1)
    _coordinate_axes(photo_ax, photo.shape)
    photo_ax.set_title("photograph x[i, j]", fontsize=9)
    number_grid(kernel_ax, sobel_x(), "sobel_x, offsets (a, b) from the centre")
    kernel_ax.set_xticks([0, 1, 2], ["-1", "0", "1"])
    kernel_ax.set_yticks([0, 1, 2], ["-1", "0", "1"])
    kernel_ax.set_xlabel("b (along j, right)")
    kernel_ax.set_ylabel("a (along i, down)")
    # Clip the display at the 99th percentile so that a few strong edges do not wash out
    # the rest (the data themselves are unchanged); g_x and g_y share that one scale.
    v = float(np.percentile(np.abs(np.concatenate([edges.gx, edges.gy])), 99))
    for ax, data, title in (
        (gx_ax, edges.gx, "g_x = d/dj (brighter to the right > 0)"),
        (gy_ax, edges.gy, "g_y = d/di (brighter downward > 0)"),
    ):
        shared = ax.imshow(data, cmap="RdBu_r", vmin=-v, vmax=v)
        ax.set_title(title, fontsize=9)
    fig.colorbar(shared, ax=[gx_ax, gy_ax], location="bottom", shrink=0.6, label="g_x, g_y")
    mag_ax.imshow(
        edges.magnitude, cmap="magma", vmin=0, vmax=float(np.percentile(edges.magnitude, 99))
    )
    mag_ax.set_title("magnitude sqrt(g_x² + g_y²)", fontsize=9)
    direction = np.ma.masked_array(
        edges.direction, mask=edge_direction_mask(edges.magnitude, slope)
    )
    cmap = colormaps["twilight"].with_extremes(bad="#bdbdbd")
    dir_ax.imshow(direction, cmap=cmap, vmin=-np.pi, vmax=np.pi)
    dir_ax.set_title(f"direction arctan2(g_y, g_x) on edges (slope > {slope:g})", fontsize=9)
    for ax in (gx_ax, gy_ax, mag_ax, dir_ax):
        ax.set_xticks([])
        ax.set_yticks([])
    return fig
