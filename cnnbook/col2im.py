"""col2im: add every column back onto the pixels its window read, the adjoint of im2col.

A convolution's input gradient (and a transposed convolution's output) is ``W^T G``
folded back onto the input: every entry of column ``(n, i, j)``, row ``(c, a, b)``
is added to the pixel that kernel tap ``(a, b)`` read there. Windows of one kernel
offset never overlap, so the fold is one vectorised add per offset (``kh * kw``
adds), never a loop over pixels. Scratch columns (see `cnnbook.im2col.im2col`) are
ignored; entries that read padding are dropped.

The adds go into *phase planes* (`PhasePlanes`): with stride ``(sh, sw)`` the padded
input is cut into ``sh * sw`` interleaved sub-images, so the pixels one kernel offset
reaches are neighbours in one plane, as with unit stride. With the columns' pitch of
`cnnbook.column_layout` (buffer rows ``sw * pitch`` long), each ``(channel, image)``
is then one contiguous run, and with the columns of one offset staged image by image
(`fold_columns`) every channel and image of that offset is one run: a stride-2 transposed
convolution of 7x7 maps adds 9 runs in all, where a fold into the output would add 63
runs of 7 pixels per channel and image.
"""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np
from numpy.typing import DTypeLike

from cnnbook._validation import as_numeric_array, boolean, check_bytes
from cnnbook.column_layout import (
    Padding4,
    Pair,
    checked_geometry,
    column_geometry,
    im2col_shape,
    phases,
)
from cnnbook.scratch import scratch_buffer

__all__ = ["col2im", "col2im_by_offset"]


def fold_columns(
    rows: np.ndarray,
    input_shape: tuple[int, int, int, int],
    kernel_size: Pair,
    stride: Pair,
    padding: Padding4,
    dilation: Pair,
    pitch: int,
    scratch_is_zero: bool = False,
    initial: np.ndarray | None = None,
    out: np.ndarray | None = None,
) -> np.ndarray:
    """Unchecked col2im of `rows` ``(C, kh, kw, N, OH, pitch)`` (arguments already valid).

    With `initial` (``(C,)``) every pixel of channel ``c`` starts from ``initial[c]`` instead
    of zero: a transposed convolution's bias, added without a pass over the output. With
    `out` (of `input_shape`) the pixels are written there and `out` is returned.

    The pixels are summed in phase planes (`PhasePlanes`). When the columns' rows line
    up with the planes' rows (``sw * pitch`` holds an input row and its shared padding,
    see `cnnbook.column_layout`) and the scratch columns ``j >= OW`` are zero
    (``scratch_is_zero=True``, or there are none), every ``(channel, image)`` is ONE run
    of ``OH * pitch`` elements a step ``sw`` apart, instead of ``OH`` runs of ``OW``:
    several times faster for small images, and adding zeros changes no pixel.

    Loops over whichever is fewer: kernel offsets (the windows of one offset never
    overlap) or output pixels (the taps of one window never overlap), each step one
    vectorised add; a 999x999 kernel with a 2x2 output takes 4 steps, not 998,001.
    """
    n, c, _, w = input_shape
    kh, kw = kernel_size
    _, _, oh, ow, _ = column_geometry(input_shape, kernel_size, stride, padding, dilation)
    whole = stride[1] * pitch >= w + max(padding[2], padding[3]) and (
        scratch_is_zero or pitch == ow
    )
    planes = PhasePlanes(
        input_shape, stride, padding, dilation, rows.dtype, pitch if whole else 0, initial=initial
    )
    if not whole:
        rows = rows[..., :ow]
    if kh * kw <= oh * ow:
        # NumPy adds into a strided view ~3x slower than into a contiguous one (measured
        # on (C, N, run) views of ~100k floats): each offset's columns are copied (a
        # strided copy runs at memory speed) into an image-shaped stage whose other
        # entries (rows below OH; without a whole-run pitch, columns past OW) stay zero,
        # so the add is ONE contiguous run over every (image, channel).
        image, row = planes.image, planes.row
        stage = scratch_buffer("col2im_stage", (n, c, image), rows.dtype, (oh, ow, row, whole))
        if whole:  # each (channel, image): one run of OH * pitch
            staged = stage[:, :, : oh * pitch].transpose(1, 0, 2)
            used = oh * pitch
        else:  # each (channel, image): OH runs of OW, a plane row apart. OW fits in a
            # plane row: it is the pitch ceil(R / sw) >= OW, or compact columns that are
            # not whole have sw * OW < R (R: `column_geometry`'s buffer row).
            staged = stage.reshape(n, c, planes.hq, row)[:, :, :oh, :ow].transpose(1, 0, 2, 3)
            used = (oh - 1) * row + ow
        length = (n * c - 1) * image + used  # the last image's zero rows: not added
        for a in range(kh):
            for b in range(kw):
                np.copyto(staged, rows[:, a, b].reshape(staged.shape))
                run = planes.offset_run(a, b, length)
                run += stage.reshape(-1)[:length]
    else:
        rows = rows[..., :ow]
        step_a, step_b = planes.plane_steps
        for a in range(min(kh, step_a)):
            for b in range(min(kw, step_b)):
                taps = (len(range(a, kh, step_a)), len(range(b, kw, step_b)))
                for i in range(oh):
                    for j in range(ow):
                        view = planes.pixel_view(a, b, i, j, c, taps, n)
                        view += rows[:, a::step_a, b::step_b, :, i, j]
    return planes.pixels(out)


class PhasePlanes:
    """The zeroed buffer col2im adds into: the padded input cut into ``sh * sw`` phase planes.

    Padded pixel ``(y, x)`` is pixel ``(y // sh, u // sw)`` of plane ``(y % sh, u % sw)``,
    where ``u = x + max(left, right) - left`` is its place in a buffer row (as in the
    column layout, each input row is preceded by ``max(left, right)`` zeros, which also
    serve as the row above's right padding). Kernel tap ``(a, b)`` of output ``(i, j)``
    is then pixel ``(i + (dh a) // sh, j + ...)`` of one plane: the taps of one offset
    are neighbours, as with unit stride (one plane), and a plane row is `pitch` long
    when the columns have a whole-run pitch, so each ``(channel, image)`` is one
    contiguous run.
    """

    def __init__(
        self,
        shape: tuple[int, int, int, int],
        stride: Pair,
        padding: Padding4,
        dilation: Pair,
        dtype: DTypeLike,
        pitch: int = 0,
        reuse: bool = True,
        initial: np.ndarray | None = None,
    ) -> None:
        n, c, h, w = shape
        (sh, sw), (self.dh, self.dw) = stride, dilation
        self.stride, self.shape, self.padding = stride, shape, padding
        top, bottom, left, right = padding
        self.gap = max(left, right)
        self.start = self.gap - left  # where padded column 0 sits in a buffer row
        self.row = pitch or -(-(w + self.gap) // sw)  # a plane row
        self.hq = -(-(h + top + bottom) // sh)
        self.image = self.hq * self.row
        # Each plane is followed by zeros that take what the last windows read past it
        # (right padding, scratch columns), never another plane's pixels.
        self.plane = n * c * self.image + 2 * self.row + w + left + right
        itemsize = np.dtype(dtype).itemsize
        check_bytes("col2im's padded input", (sh * sw, self.plane), itemsize)
        if reuse:  # kept between calls: a fresh buffer costs page faults on every call
            self.flat = scratch_buffer("col2im_planes", (sh * sw * self.plane,), dtype)
        else:
            self.flat = np.zeros(sh * sw * self.plane, dtype)
        if initial is not None:  # every pixel (and padding, never read out) of a channel
            planes = self.flat.reshape(sh * sw, self.plane)
            images = n * c * self.image
            planes[:, :images].reshape(sh * sw, n, c, self.image)[...] = initial.reshape(c, 1)
            planes[:, images:] = 0
        elif reuse:
            self.flat.fill(0)
        #: Kernel rows a, a + plane_steps[0], ... land in the same plane (and columns).
        self.plane_steps = (sh // math.gcd(sh, self.dh), sw // math.gcd(sw, self.dw))

    def _view(self, offset: int, shape: tuple[int, ...], strides: tuple[int, ...]) -> np.ndarray:
        it = self.flat.itemsize
        strides = tuple(s * it for s in strides)
        return np.ndarray(shape, self.flat.dtype, self.flat, offset * it, strides)

    def _start(self, a: int, b: int, i: int, j: int) -> int:
        """Where tap ``(a, b)`` of output ``(i, j)`` of channel 0, image 0 sits."""
        (sh, sw), y, u = self.stride, self.dh * a, self.start + self.dw * b
        plane = (y % sh) * sw + u % sw
        return plane * self.plane + (i + y // sh) * self.row + j + u // sw

    def offset_view(self, a: int, b: int, c: int, n: int, oh: int, ow: int) -> np.ndarray:
        """Return the pixels tap ``(a, b)`` reads at every output, ``(C, N, OH, OW)``."""
        base, image = self._start(a, b, 0, 0), self.image
        return self._view(base, (c, n, oh, ow), (image, c * image, self.row, 1))

    def offset_run(self, a: int, b: int, length: int) -> np.ndarray:
        """Return `length` buffer elements from where tap ``(a, b)`` of channel 0, image 0 reads.

        ``offset_run(a, b, (N C - 1) image + (OH - 1) row + OW)`` holds every pixel
        `offset_view` shows (and the entries between them), as one contiguous run.
        """
        return self._view(self._start(a, b, 0, 0), (length,), (1,))

    def pixel_view(
        self, a: int, b: int, i: int, j: int, c: int, taps: tuple[int, int], n: int
    ) -> np.ndarray:
        """Return the pixels output ``(i, j)`` reads with one plane's taps, ``(C, A, B, N)``.

        The taps are kernel rows ``a, a + plane_steps[0], ...`` and columns ``b, b +
        plane_steps[1], ...``.
        """
        (sh, sw), (step_a, step_b) = self.stride, self.plane_steps
        down, across = self.dh * step_a // sh * self.row, self.dw * step_b // sw
        strides = (self.image, down, across, c * self.image)
        return self._view(self._start(a, b, i, j), (c, *taps, n), strides)

    def pixels(self, out: np.ndarray | None = None) -> np.ndarray:
        """Return the input's pixels, ``(N, C, H, W)`` (the padding is dropped).

        They are written into `out` when given (of that shape), else into a new array. Call
        it once, after the last add: the buffer is reused by the next col2im.
        """
        n, c, h, w = self.shape
        sh, sw = self.stride
        planes = self.flat.reshape(sh, sw, self.plane)[..., : n * c * self.image]
        planes = planes.reshape(sh, sw, n, c, self.hq, self.row)
        if out is None:
            out = np.empty(self.shape, self.flat.dtype)
        # Input rows r, r + sh, ... and columns q, q + sw, ...: one plane's pixels.
        for r, p_row, y, rows in phases(h, sh, self.padding[0]):
            for q, p_col, u, cols in phases(w, sw, self.gap):
                plane = planes[p_row, p_col, :, :, y : y + rows, u : u + cols]
                out[:, :, r::sh, q::sw] = plane
        return out


def col2im(
    cols: np.ndarray,
    input_shape: tuple[int, int, int, int],
    kernel_size: Pair,
    stride: Pair = (1, 1),
    padding: Padding4 = (0, 0, 0, 0),
    dilation: Pair = (1, 1),
    compact: bool = False,
) -> np.ndarray:
    """Add every column back onto the pixels its window read: the adjoint of :func:`im2col`.

    Parameters
    ----------
    cols : ndarray of shape (C * kh * kw, N, OH, P)
        As returned by :func:`im2col` for an input of shape `input_shape`
        (e.g. the gradient of a loss with respect to those columns).
    input_shape : tuple of 4 int
        ``(N, C, H, W)``, the unpadded input's shape.
    kernel_size, stride, padding, dilation
        As passed to :func:`im2col`.
    compact : bool, default False
        True for columns without scratch columns (``P = OW``).

    Returns
    -------
    ndarray of shape `input_shape`
        ``out[n, c, p, q]`` is the sum of every column entry that read ``x[n, c, p, q]``
        (entries that read padding, and the scratch columns ``j >= OW``, are dropped).

    Raises
    ------
    TypeError, ValueError
        Non-numeric `cols`, sizes that are not positive ints (padding: non-negative),
        or `cols` not of im2col's shape for `input_shape`.

    Examples
    --------
    >>> from cnnbook.im2col import im2col
    >>> x = np.zeros((1, 1, 3, 3))
    >>> cols = np.ones(im2col(x, (2, 2)).shape)  # scratch columns are ignored
    >>> col2im(cols, x.shape, (2, 2))[0, 0]  # how many 2x2 windows cover each pixel
    array([[1., 2., 1.],
           [2., 4., 2.],
           [1., 2., 1.]])
    """
    input_shape, kernel_size, stride, padding, dilation = checked_geometry(
        "input_shape", input_shape, kernel_size, stride, padding, dilation
    )
    cols = as_numeric_array("cols", cols)
    k, n, oh, pitch = im2col_shape(input_shape, kernel_size, stride, padding, dilation)
    _, _, _, ow, _ = column_geometry(input_shape, kernel_size, stride, padding, dilation)
    expected = (k, n, oh, ow if boolean("compact", compact) else pitch)
    if cols.shape != expected:
        raise ValueError(
            f"cols has shape {cols.shape}; expected {expected}, im2col's shape for "
            f"input_shape {input_shape}"
        )
    c, (kh, kw) = input_shape[1], kernel_size
    rows = cols.reshape(c, kh, kw, *cols.shape[1:])
    return fold_columns(rows, input_shape, kernel_size, stride, padding, dilation, expected[3])


def col2im_by_offset(
    block: Callable[[int, int], np.ndarray],
    input_shape: tuple[int, int, int, int],
    kernel_size: Pair,
    stride: Pair = (1, 1),
    padding: Padding4 = (0, 0, 0, 0),
    dilation: Pair = (1, 1),
    dtype: DTypeLike = np.float64,
    compact: bool = False,
) -> np.ndarray:
    """:func:`col2im`, taking the columns one kernel offset at a time.

    ``block(a, b)`` returns the rows ``(c, a, b)`` of the column matrix for every
    channel ``c``, shape ``(C, N, OH, P)``; it may reuse one buffer between calls
    (each block is added before the next is requested). A backward pass uses this to
    produce the input gradient offset by offset, never holding the whole
    ``(C * kh * kw, N * OH * P)`` matrix. With ``compact=True`` the blocks have
    ``P = OW`` (as :func:`im2col_blocks` ``(compact=True)`` makes them).

    Examples
    --------
    >>> x = np.zeros((1, 1, 3, 3))
    >>> one = np.ones((1, 1, 2, 3)); one[..., 2] = 0  # one offset's columns, no scratch
    >>> col2im_by_offset(lambda a, b: one, x.shape, (2, 2))[0, 0]
    array([[1., 2., 1.],
           [2., 4., 2.],
           [1., 2., 1.]])
    """
    if not callable(block):
        raise TypeError(f"block (={block!r}) must be a function (a, b) -> rows of offset (a, b)")
    input_shape, kernel_size, stride, padding, dilation = checked_geometry(
        "input_shape", input_shape, kernel_size, stride, padding, dilation
    )
    n, c, _, _ = input_shape
    kh, kw = kernel_size
    _, _, oh, ow, pitch = column_geometry(input_shape, kernel_size, stride, padding, dilation)
    pitch = ow if compact else pitch
    # Not the reused buffer: `block` may itself call col2im.
    planes = PhasePlanes(input_shape, stride, padding, dilation, dtype, reuse=False)
    # One vectorised add per kernel offset: the windows of one offset never overlap.
    # Scratch columns (j >= OW) are skipped: the products there (0 * inf = NaN) are no
    # gradient of any pixel.
    expected = (c, n, oh, pitch)
    for a in range(kh):
        for b in range(kw):
            rows = block(a, b)
            if rows.shape != expected:
                raise ValueError(
                    f"block({a}, {b}) has shape {rows.shape}; expected (C, N, OH, P) = {expected}"
                )
            planes.offset_view(a, b, c, n, oh, ow)[...] += rows[..., :ow]
    return planes.pixels()
