"""Figures of the convolution pages: kernels, the flip, the three modes, edges, feature maps.

Every number drawn comes from `cnnbook` (`correlate2d`, `convolve2d`,
`conv_output_size`, `edge_detect`, `KERNELS`, `photograph`); nothing is typed in.
"""

from __future__ import annotations

from typing import Literal

import numpy as np
from matplotlib import colormaps
from matplotlib.axes import Axes
from matplotlib.colors import to_rgb
from matplotlib.figure import Figure
from matplotlib.image import AxesImage
from matplotlib.patches import Rectangle
from matplotlib.typing import ColorType

from cnnbook.correlation import Mode, convolve2d, correlate2d
from cnnbook.images import photograph
from cnnbook.kernels import KERNELS, edge_detect, sobel_x
from cnnbook.output_size import conv_output_size, same_padding

__all__ = [
    "EDGE_SLOPE",
    "contrasting_text_color",
    "convolution_modes_figure",
    "correlation_vs_convolution_figure",
    "edge_detection_figure",
    "edge_direction_mask",
    "feature_maps_figure",
    "kernel_gallery_figure",
]

FEATURE_MAP_KERNELS = ("gaussian blur", "sharpen", "sobel x", "sobel y", "laplacian")
#: An edge, as the Edge Detection page defines it: brightness (0 to 1) changing by more
#: than this per pixel. The direction panel shows the gradient's direction only there.
EDGE_SLOPE = 1 / 16


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


def _annotate(ax: Axes, image: AxesImage, values: np.ndarray, fmt: str = "{:g}") -> None:
    """Write each value in its cell of ``image``, black or white by the cell's colour."""
    colors = np.asarray(image.cmap(image.norm(values)))
    for (i, j), v in np.ndenumerate(values):
        r, g, b, _ = colors[i, j]
        color = contrasting_text_color((float(r), float(g), float(b)))
        ax.text(j, i, fmt.format(v), ha="center", va="center", fontsize=8, color=color)


def _grid(
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
    """
    vmax = vmax or float(np.abs(values).max()) or 1.0
    # A diverging map is centred at 0 (white); a sequential one starts at 0.
    vmin = -vmax if cmap == "RdBu_r" else 0.0
    image = ax.imshow(values, cmap=cmap, vmin=vmin, vmax=vmax)
    _annotate(ax, image, values, fmt)
    ax.set_title(title, fontsize=9)
    ax.set_xticks([])
    ax.set_yticks([])
    return image


def _largest(*arrays: np.ndarray) -> float:
    """Return the largest magnitude in `arrays`: the end of a colour scale they share."""
    return max(float(np.abs(a).max()) for a in arrays) or 1.0


def kernel_gallery_figure() -> Figure:
    """Draw every kernel of `cnnbook.KERNELS` with its weights written in its cells.

    Returns
    -------
    matplotlib.figure.Figure
        One panel per kernel, titled with its name, all on one colour scale (one colour
        bar): a colour is the same weight in every kernel.

    Examples
    --------
    >>> fig = kernel_gallery_figure()
    >>> len(fig.axes) == len(KERNELS) + 1  # and one colour bar
    True
    """
    fig = Figure(figsize=(9.8, 9), layout="constrained")
    axes = fig.subplots(3, 3).ravel()
    vmax = _largest(*KERNELS.values())  # one scale: a colour is the same weight everywhere
    for ax, (name, k) in zip(axes, KERNELS.items(), strict=True):
        image = _grid(ax, k, name, fmt="{:.2g}", vmax=vmax)
    fig.colorbar(image, ax=axes.tolist(), shrink=0.6, label="weight")
    return fig


def correlation_vs_convolution_figure() -> Figure:
    """Show correlation and convolution of an impulse with an asymmetric kernel: the flip.

    Correlating an impulse writes the kernel rotated by 180°; convolving it
    writes the kernel as it is — convolution is correlation with the flipped kernel.

    Returns
    -------
    matplotlib.figure.Figure
        Four panels: the image, the kernel, ``correlate2d`` and ``convolve2d`` (mode "same").

    Examples
    --------
    >>> [ax.get_title() for ax in correlation_vs_convolution_figure().axes][2]
    "correlate2d(image, kernel, 'same')"
    """
    image = np.zeros((5, 5), dtype=int)
    image[2, 2] = 1
    kernel = np.arange(1, 10).reshape(3, 3)
    corr, conv = correlate2d(image, kernel, "same"), convolve2d(image, kernel, "same")
    vmax = _largest(image, kernel, corr, conv)  # the kernel's values, moved: one scale
    fig = Figure(figsize=(13, 3.4), layout="constrained")
    axes = fig.subplots(1, 4)
    _grid(axes[0], image, "image (an impulse)", vmax=vmax)
    _grid(axes[1], kernel, "kernel", vmax=vmax)
    _grid(axes[2], corr, "correlate2d(image, kernel, 'same')", vmax=vmax)
    shared = _grid(axes[3], conv, "convolve2d(image, kernel, 'same')", vmax=vmax)
    fig.colorbar(shared, ax=axes.tolist(), shrink=0.8, label="value")
    return fig


def convolution_modes_figure(image_shape: tuple[int, int] = (4, 5), kernel_size: int = 3) -> Figure:
    r"""Show "valid", "same" and "full" side by side: the padded input above, the output below.

    Parameters
    ----------
    image_shape : pair of int, default (4, 5)
        Size of the image of ones.
    kernel_size : int, default 3
        Side of the box kernel of ones (each output counts the image pixels under it).

    Returns
    -------
    matplotlib.figure.Figure
        Top row: the input with its zero padding (grey); bottom row: the output of
        ``correlate2d``, titled with its size from `conv_output_size`.

    Examples
    --------
    >>> fig = convolution_modes_figure()
    >>> fig.axes[3].get_title()
    'valid: 2 x 3'
    """
    h, w = image_shape
    k = kernel_size
    image = np.ones((h, w), dtype=int)
    kernel = np.ones((k, k), dtype=int)
    # correlate2d's "same" pads like same_padding: the extra cell of an even kernel after.
    paddings: dict[Mode, tuple[int, int]] = {
        "valid": (0, 0),
        "same": same_padding(k),
        "full": (k - 1, k - 1),
    }
    fig = Figure(figsize=(12, 6.5), layout="constrained")
    axes = fig.subplots(2, 3)
    outputs = {mode: correlate2d(image, kernel, mode) for mode in paddings}
    vmax = _largest(*outputs.values())  # the three outputs on one scale
    for col, (mode, (before, after)) in enumerate(paddings.items()):
        padded = np.pad(image, ((before, after), (before, after)))
        ax = axes[0, col]
        _annotate(ax, ax.imshow(padded, cmap="Blues", vmin=-0.5, vmax=1.5), padded)
        ax.add_patch(
            Rectangle((before - 0.5, before - 0.5), w, h, fill=False, edgecolor="k", linewidth=2)
        )
        ax.set_title(f"{mode}: input {h} x {w} padded by {before}/{after}", fontsize=9)
        ax.set_xticks([])
        ax.set_yticks([])
        pad_arg: int | Literal["same"] = "same" if mode == "same" else before
        oh = conv_output_size(h, k, padding=pad_arg)
        ow = conv_output_size(w, k, padding=pad_arg)
        shared = _grid(
            axes[1, col], outputs[mode], f"{mode}: {oh} x {ow}", cmap="Greens", vmax=vmax
        )
    fig.colorbar(shared, ax=axes[1].tolist(), shrink=0.8, label="output value")
    # Per side: an even kernel's "same" pads 0 before and 1 after, so "2p" would be wrong.
    fig.suptitle(f"{k} x {k} kernel of ones: Y = I + p_before + p_after - k + 1", fontsize=10)
    return fig


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
    _grid(kernel_ax, sobel_x(), "sobel_x, offsets (a, b) from the centre")
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


def feature_maps_figure(kernel_names: tuple[str, ...] = FEATURE_MAP_KERNELS) -> Figure:
    """Apply several classic kernels to the photograph: one feature map each.

    Parameters
    ----------
    kernel_names : tuple of str
        Keys of `cnnbook.KERNELS`.

    Returns
    -------
    matplotlib.figure.Figure
        The photograph, then ``correlate2d(photograph(), KERNELS[name], "valid")`` per name,
        all maps on one grey scale with one colour bar.

    Raises
    ------
    KeyError
        If a name is not in `cnnbook.KERNELS`.

    Examples
    --------
    >>> [ax.get_title() for ax in feature_maps_figure(("sobel x",)).axes][:2]
    ['photograph 600 x 512', 'sobel x: 598 x 510']
    """
    photo = photograph()
    maps = [(name, correlate2d(photo, KERNELS[name], "valid")) for name in kernel_names]
    n = len(maps) + 1
    cols = min(n, 3)
    rows = -(-n // cols)
    fig = Figure(figsize=(4 * cols, 4.6 * rows), layout="constrained")
    axes = np.atleast_1d(fig.subplots(rows, cols)).ravel()
    axes[0].imshow(photo, cmap="gray", vmin=0, vmax=1)
    axes[0].set_title(f"photograph {photo.shape[0]} x {photo.shape[1]}", fontsize=9)
    # One grey scale for every map, so their strengths compare: -v black, 0 mid grey,
    # +v white, v the 99th percentile of all |values| (a few extremes would wash it out).
    v = float(np.percentile(np.abs(np.concatenate([m.ravel() for _, m in maps])), 99)) or 1.0
    for ax, (name, fmap) in zip(axes[1:], maps, strict=False):
        shared = ax.imshow(fmap, cmap="gray", vmin=-v, vmax=v)
        ax.set_title(f"{name}: {fmap.shape[0]} x {fmap.shape[1]}", fontsize=9)
    for ax in axes:
        ax.set_xticks([])
        ax.set_yticks([])
    for ax in axes[n:]:
        fig.delaxes(ax)
    fig.colorbar(shared, ax=axes[1:n].tolist(), shrink=0.6, label="feature map value")
    return fig
