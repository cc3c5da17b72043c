r"""Learning a kernel: recover a hidden kernel from (image, output) pairs by gradient descent.

The smallest learning problem of a CNN: one convolution, no bias, a squared-error
loss. `kernel_pairs` makes the data (random images and their outputs under a hidden
kernel); `learn_kernel` starts from a zero kernel and follows the gradient given by
`cnnbook.conv2d_backward`, stepping with an optimizer of `cnnbook.optim`.

The loss $L(w) = \frac{1}{M}\sum (x \star w - t)^2$ is a quadratic in $w$: on
white-noise images its Hessian is close to $2I$, so plain SGD with a learning rate
$\eta$ shrinks the error by about $|1 - 2\eta|$ per step.
"""

from __future__ import annotations

from typing import Any, NamedTuple, cast

import numpy as np

from cnnbook._validation import as_numeric_array, finite_real, positive_int, positive_pair
from cnnbook.conv2d import conv2d, conv2d_backward
from cnnbook.nn.module import Parameter
from cnnbook.optim import SGD, Optimizer

__all__ = ["KernelFit", "kernel_pairs", "learn_kernel"]


class KernelFit(NamedTuple):
    """The history of `learn_kernel`: entry ``t`` is measured after ``t`` updates."""

    loss: np.ndarray
    """Mean squared error of the outputs, shape ``(steps + 1,)``."""
    kernel_error: np.ndarray | None
    """Largest absolute difference from the true kernel, shape ``(steps + 1,)``, or None
    when no `true_kernel` was given."""


def kernel_pairs(
    kernel: Any, count: int = 8, size: int = 16, seed: int = 0
) -> tuple[np.ndarray, np.ndarray]:
    """Random images and their valid correlations with a hidden `kernel`: the training data.

    Parameters
    ----------
    kernel : ndarray of shape (kh, kw)
        The kernel to hide.
    count : int, default 8
        Number of images.
    size : int, default 16
        Height and width of each image (at least the kernel's size).
    seed : int, default 0
        Seed of the standard-normal pixels.

    Returns
    -------
    images : ndarray of shape (count, size, size)
    targets : ndarray of shape (count, size - kh + 1, size - kw + 1)

    Raises
    ------
    ValueError, TypeError
        For a kernel that is not 2-D numeric, counts below 1, or a kernel larger than `size`.

    Examples
    --------
    >>> images, targets = kernel_pairs(np.ones((3, 3)), count=2, size=5)
    >>> images.shape, targets.shape
    ((2, 5, 5), (2, 3, 3))
    """
    k = as_numeric_array("kernel", kernel, ndim=2).astype(np.float64)
    count = positive_int("count", count)
    size = positive_int("size", size)
    if max(k.shape) > size:
        raise ValueError(f"size (={size}) must be at least the kernel's size {k.shape}")
    if not isinstance(seed, int | np.integer) or isinstance(seed, bool):
        raise TypeError(f"seed (={seed!r}) must be an int")
    images = np.random.default_rng(seed).standard_normal((count, size, size))
    targets = conv2d(images[:, None], k[None, None])[:, 0]
    return images, targets


def learn_kernel(
    images: Any,
    targets: Any,
    kernel_size: Any,
    steps: int = 100,
    lr: float = 0.1,
    optimizer: type[Optimizer] = SGD,
    true_kernel: Any = None,
    **optimizer_kwargs: Any,
) -> tuple[np.ndarray, KernelFit]:
    r"""Fit one kernel so that ``conv2d(images, kernel)`` matches `targets`, from zeros.

    Parameters
    ----------
    images : ndarray of shape (N, H, W)
        Inputs.
    targets : ndarray of shape (N, H - kh + 1, W - kw + 1)
        Wanted valid outputs.
    kernel_size : int or pair of int
        Size of the kernel to learn.
    steps : int, default 100
        Number of full-batch updates.
    lr : float, default 0.1
        Learning rate, finite and > 0.
    optimizer : subclass of `cnnbook.optim.Optimizer`, default `cnnbook.optim.SGD`
        Built as ``optimizer([kernel], lr=lr, **optimizer_kwargs)``.
    true_kernel : ndarray of shape kernel_size, optional
        If given, the error against it is recorded at every step.
    **optimizer_kwargs
        Passed to the optimizer (e.g. ``momentum=0.9``).

    Returns
    -------
    kernel : ndarray of shape kernel_size
    history : KernelFit
        Loss (and kernel error) after 0, 1, ..., `steps` updates.

    Raises
    ------
    ValueError, TypeError
        For wrong shapes, a non-positive `steps` or `lr`, or an `optimizer` that is not
        an `Optimizer` subclass.

    Notes
    -----
    The loss is $L = \frac{1}{M}\sum_{n,i,j} (y_{nij} - t_{nij})^2$ with $y = x \star w$
    and $M$ the number of outputs; its gradient is ``conv2d_backward`` of
    $\partial L/\partial y = 2 (y - t) / M$.

    Examples
    --------
    >>> from cnnbook.kernels import sobel_x
    >>> images, targets = kernel_pairs(sobel_x(), count=4, size=12)
    >>> kernel, history = learn_kernel(images, targets, 3, steps=60, lr=0.2)
    >>> np.round(kernel, 3) + 0.0  # + 0.0 turns -0.0 into 0.0
    array([[-1.,  0.,  1.],
           [-2.,  0.,  2.],
           [-1.,  0.,  1.]])
    >>> bool(history.loss[-1] < 1e-6 * history.loss[0])
    True
    """
    x = as_numeric_array("images", images, ndim=3).astype(np.float64)
    kh, kw = positive_pair("kernel_size", kernel_size)
    n, h, w = x.shape
    if kh > h or kw > w:
        raise ValueError(f"kernel_size (={(kh, kw)}) must fit in the images of size {(h, w)}")
    expected = (n, h - kh + 1, w - kw + 1)
    t = as_numeric_array("targets", targets, ndim=3).astype(np.float64)
    if t.shape != expected:
        raise ValueError(f"targets has shape {t.shape}; expected {expected} (valid outputs)")
    steps = positive_int("steps", steps)
    lr = finite_real("lr", lr, minimum=0.0)
    if lr == 0.0:
        raise ValueError("lr (=0.0) must be > 0")
    if not (isinstance(optimizer, type) and issubclass(optimizer, Optimizer)):
        raise TypeError(f"optimizer (={optimizer!r}) must be a cnnbook.optim.Optimizer subclass")
    truth = None
    if true_kernel is not None:
        truth = as_numeric_array("true_kernel", true_kernel, ndim=2).astype(np.float64)
        if truth.shape != (kh, kw):
            raise ValueError(f"true_kernel has shape {truth.shape}; expected {(kh, kw)}")
    x4 = x[:, None]
    kernel = Parameter(np.zeros((1, 1, kh, kw)))
    # The base class takes (params, defaults); every concrete optimizer takes lr=...
    opt = cast(Any, optimizer)([kernel], lr=lr, **optimizer_kwargs)
    losses = np.empty(steps + 1)
    errors = np.empty(steps + 1) if truth is not None else None
    for step in range(steps + 1):
        residual = conv2d(x4, kernel.data)[:, 0] - t
        losses[step] = np.mean(residual**2)
        if errors is not None:
            errors[step] = np.abs(kernel.data[0, 0] - truth).max()
        if step == steps:
            break
        grad_y = (2.0 / residual.size) * residual[:, None]
        kernel.grad = conv2d_backward(grad_y, x4, kernel.data)[1]
        opt.step()
    return kernel.data[0, 0].copy(), KernelFit(losses, errors)
