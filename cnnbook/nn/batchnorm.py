r"""`BatchNorm2d`: normalise every channel by its statistics over the batch and the map.

In training, each channel's activations are shifted and scaled to mean 0 and
variance 1 using the mean and variance of the current mini-batch (over the
``N * H * W`` values of that channel), then an affine map (`weight`, `bias`)
restores whatever scale the network wants. Running estimates of the mean and
variance are kept as buffers, and in evaluation mode they replace the batch
statistics, so a single sample's output no longer depends on its batch-mates.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.typing import DTypeLike

from cnnbook._validation import boolean, check_bytes, finite_real, grad_like, positive_int
from cnnbook.nn.layer_input import check_float_input
from cnnbook.nn.module import Module, Parameter
from cnnbook.threads import parallel_batches

__all__ = ["BatchNorm2d"]


def _channel_sums(a: np.ndarray) -> np.ndarray:
    """Per-channel sums of ``(N, C, L)`` `a`: each row's dot with ones, then over N.

    The rows are summed a part of the batch per thread (`cnnbook.threads`), each by a
    one-thread BLAS dot, faster than ``a.sum(axis=(0, 2))`` (whose reduction strides
    across the batch). Not a matrix-vector product: that would wake OpenBLAS's threads,
    which then spin on the core the next pass's second part needs.
    """
    n, c, length = a.shape
    ones = np.ones(length, a.dtype)
    rows = np.empty((n, c), a.dtype)

    def row_sums(part: slice) -> None:
        np.vecdot(a[part], ones, out=rows[part])

    parallel_batches(n, row_sums, nbytes=a.nbytes)
    return rows.sum(axis=0)


def _centre(
    x3: np.ndarray, mean: np.ndarray, dots: bool = False, other: np.ndarray | None = None
) -> tuple[np.ndarray, np.ndarray | None]:
    """``x3 - mean`` (a new array) and, if `dots`, its row dots (``(N, C)``) with `other`.

    `other` None means with itself (the variance's sum of squares). Both passes run a
    part of the batch per thread (`cnnbook.threads`); a row's dot does not depend on the
    cut, so the per-channel sums over N are the same bits for any thread count.
    """
    n, c, _ = x3.shape
    centred = np.empty_like(x3)
    row_dots = np.empty((n, c), x3.dtype) if dots else None

    def centre(part: slice) -> None:
        np.subtract(x3[part], mean[:, None], out=centred[part])
        if row_dots is not None:
            left = centred[part] if other is None else other[part]
            np.vecdot(left, centred[part], out=row_dots[part])

    parallel_batches(n, centre, nbytes=x3.nbytes)
    return centred, row_dots


class BatchNorm2d(Module):
    r"""Batch normalisation of ``(N, C, H, W)`` maps, per channel, with torch's semantics.

    Parameters
    ----------
    num_features : int
        The number of channels C.
    eps : float, default 1e-5
        Added to the variance before its square root.
    momentum : float or None, default 0.1
        Weight of the new batch in the running statistics; None gives their
        cumulative (equal-weight) average over every batch seen so far.
    affine : bool, default True
        Learn a per-channel scale `weight` (initially 1) and shift `bias` (initially 0).
    track_running_stats : bool, default True
        Keep the buffers ``running_mean``, ``running_var`` and
        ``num_batches_tracked``. Without them, evaluation also uses batch statistics.
    bias : bool, default True
        Keyword-only, as in torch: with ``affine=True``, ``bias=False`` learns the
        scale only (no `bias` parameter, no ``bias`` key in the ``state_dict``).
        Without `affine` there is neither, whatever `bias` says.
    dtype : dtype, default np.float32
        dtype of the parameters and buffers, and the input dtype the layer accepts.

    Notes
    -----
    Training, per channel: $\mu = \frac1m\sum x$, $\sigma^2 = \frac1m\sum (x-\mu)^2$
    over the $m = NHW$ values, $\hat x = (x - \mu)/\sqrt{\sigma^2 + \epsilon}$,
    $y = \gamma\hat x + \beta$. The running statistics move by the momentum
    $f$ (or $f = 1/t$ at the $t$-th batch when momentum is None):
    $\bar\mu \leftarrow (1-f)\bar\mu + f\mu$ and
    $\bar\sigma^2 \leftarrow (1-f)\bar\sigma^2 + f\,\frac{m}{m-1}\sigma^2$ (the
    *unbiased* variance, as torch). Backward through the batch statistics:
    $\partial L/\partial x = \frac{\gamma}{\sqrt{\sigma^2+\epsilon}}\big(g - \bar g -
    \hat x\,\overline{g\hat x}\big)$ with $g = \partial L/\partial y$ and bars the
    channel means. In evaluation the statistics are constants and
    $\partial L/\partial x = g\,\gamma/\sqrt{\bar\sigma^2+\epsilon}$.

    Examples
    --------
    >>> bn = BatchNorm2d(2, dtype=np.float64)
    >>> bn
    BatchNorm2d(2, eps=1e-05, momentum=0.1, affine=True, bias=True, track_running_stats=True)
    >>> x = np.arange(16.0).reshape(2, 2, 2, 2)
    >>> y = bn(x)
    >>> y.mean(axis=(0, 2, 3)).round(12), y.var(axis=(0, 2, 3)).round(4)
    (array([0., 0.]), array([1., 1.]))
    >>> bn.running_mean, bn.running_var.round(4), bn.num_batches_tracked
    (array([0.55, 0.95]), array([2.8714, 2.8714]), array(1))
    >>> sorted(bn.state_dict())
    ['bias', 'num_batches_tracked', 'running_mean', 'running_var', 'weight']
    """

    def __init__(
        self,
        num_features: int,
        eps: float = 1e-5,
        momentum: float | None = 0.1,
        affine: bool = True,
        track_running_stats: bool = True,
        *,
        bias: bool = True,
        dtype: DTypeLike = np.float32,
    ) -> None:
        super().__init__()
        self.num_features = positive_int("num_features", num_features)
        self.eps = finite_real("eps", eps)
        if self.eps <= 0:
            raise ValueError(f"eps (={eps!r}) must be positive (> 0)")
        self.momentum = (
            None if momentum is None else finite_real("momentum", momentum, minimum=0, maximum=1)
        )
        self.affine = boolean("affine", affine)
        self.track_running_stats = boolean("track_running_stats", track_running_stats)
        use_bias = boolean("bias", bias)
        dt = np.dtype(dtype)
        if dt.kind != "f":
            raise TypeError(f"dtype (={dt}) must be a floating dtype")
        c = self.num_features
        check_bytes("num_features", (c,), dt.itemsize)
        self.weight: Parameter | None = Parameter(np.ones(c, dt)) if self.affine else None
        self.bias: Parameter | None = (
            Parameter(np.zeros(c, dt)) if self.affine and use_bias else None
        )
        tracked = self.track_running_stats
        self.register_buffer("running_mean", np.zeros(c, dt) if tracked else None)
        self.register_buffer("running_var", np.ones(c, dt) if tracked else None)
        self.register_buffer(
            "num_batches_tracked", np.array(0, dtype=np.int64) if tracked else None
        )
        self._cache: (
            tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, bool, tuple[int, ...]] | None
        ) = None

    running_mean: np.ndarray | None
    running_var: np.ndarray | None
    num_batches_tracked: np.ndarray | None

    def reset_running_stats(self) -> None:
        """Set the running mean to 0, the running variance to 1 and the batch count to 0."""
        if self.running_mean is not None and self.running_var is not None:
            assert self.num_batches_tracked is not None
            self.running_mean.fill(0)
            self.running_var.fill(1)
            self.num_batches_tracked.fill(0)

    def reset_parameters(self) -> None:
        """Reset the running statistics, the weight to 1 and the bias to 0 (torch's start)."""
        self.reset_running_stats()
        if self.weight is not None:
            self.weight.data.fill(1)
        if self.bias is not None:
            self.bias.data.fill(0)

    def forward(self, x: Any) -> np.ndarray:
        """Normalise `x` of shape ``(N, C, H, W)`` (batch or running statistics, see Notes).

        Raises
        ------
        ValueError
            If `x` is not 4-D with `num_features` channels, or (training) has a
            single value per channel, whose variance is undefined.
        TypeError
            If `x` is not of the layer's dtype.
        """
        if self.weight is not None:
            x = check_float_input(self, x, self.weight.data.dtype)
        elif self.running_mean is not None:
            x = check_float_input(self, x, self.running_mean.dtype)
        else:  # nothing stored: like every layer without state, compute in the input's dtype
            x = np.asarray(x)
            if x.dtype.kind != "f":
                raise TypeError(f"{self!r} got input of dtype {x.dtype}; expected floats")
        dtype = x.dtype
        if x.ndim != 4 or x.shape[1] != self.num_features:
            raise ValueError(
                f"{self!r} got input of shape {x.shape}; expected (N, {self.num_features}, H, W)"
            )
        n, c, h, w = x.shape
        m = n * h * w
        x3 = x.reshape(n, c, h * w)
        # torch's rule: batch statistics in training, and in eval when nothing was tracked.
        use_batch = self.training or self.running_mean is None
        if use_batch:
            if m <= 1:
                raise ValueError(
                    f"{self!r} got input of shape {x.shape}: expected more than 1 value per "
                    "channel when training (the batch variance of one value is undefined)"
                )
            mean = _channel_sums(x3) / m
            centred, row_dots = _centre(x3, mean, dots=True)
            assert row_dots is not None
            var = row_dots.sum(axis=0) / m  # two passes: no E[x^2] - E[x]^2
            if self.training and self.running_mean is not None:
                self._update_running_stats(mean, var, m)
        else:
            assert self.running_mean is not None and self.running_var is not None
            mean, var = self.running_mean.copy(), self.running_var
            centred, _ = _centre(x3, mean)
        inv_std = 1 / np.sqrt(var + dtype.type(self.eps))
        scale = inv_std if self.weight is None else self.weight.data * inv_std
        bias = None if self.bias is None else self.bias.data[:, None]

        # y is written over the centred temporary (one large allocation per forward);
        # backward recomputes x - mean from the input, as torch saves the input too.
        def affine(part: slice) -> None:
            y = centred[part]
            y *= scale[:, None]
            if bias is not None:
                y += bias

        parallel_batches(n, affine, nbytes=centred.nbytes)
        self._cache = (x3, mean, inv_std, scale, use_batch, x.shape)
        return centred.reshape(x.shape)

    def _update_running_stats(self, mean: np.ndarray, var: np.ndarray, m: int) -> None:
        assert self.running_mean is not None and self.running_var is not None
        assert self.num_batches_tracked is not None
        self.num_batches_tracked += 1  # in place: a 0-d array, like torch's tensor
        f = 1 / float(self.num_batches_tracked) if self.momentum is None else self.momentum
        f = self.running_mean.dtype.type(f)
        # In place: the buffers are the arrays a state_dict view or an optimizer may hold.
        self.running_mean *= 1 - f
        self.running_mean += f * mean
        self.running_var *= 1 - f
        self.running_var += f * var * (m / (m - 1))

    def backward(self, grad_output: np.ndarray, need_input_grad: bool = True) -> np.ndarray | None:
        """Accumulate `weight`/`bias` gradients; return the input gradient (see Notes)."""
        x3, mean, inv_std, scale, use_batch, shape = self._saved(self._cache)
        n, c, hw = x3.shape
        g = grad_like("grad_output", grad_output, shape)
        g3 = g.reshape(n, c, hw)
        sum_g = _channel_sums(g3)
        centred, row_dots = _centre(x3, mean, dots=True, other=g3)
        assert row_dots is not None
        # sum of g * x_hat = inv_std * sum of g * (x - mean), without forming x_hat.
        sum_g_xhat = row_dots.sum(axis=0) * inv_std
        if self.weight is not None:
            self.weight.accumulate(sum_g_xhat.astype(self.weight.data.dtype, copy=False))
        if self.bias is not None:
            self.bias.accumulate(sum_g.astype(self.bias.data.dtype, copy=False))
        if not need_input_grad:
            return None
        if not use_batch:
            np.multiply(g3, scale[:, None], out=centred)
            return centred.reshape(g.shape)
        m = n * hw
        # torch's form: (g - mean(g) - (x - mean) * mean(g x_hat) * inv_std) * gamma * inv_std
        proj = (-(sum_g_xhat / m) * inv_std)[:, None]
        mean_g = (sum_g / m)[:, None]

        def input_grad(part: slice) -> None:
            grad = centred[part]  # reuse the temporary: no second large allocation
            grad *= proj
            grad += g3[part]
            grad -= mean_g
            grad *= scale[:, None]

        parallel_batches(n, input_grad, nbytes=centred.nbytes)
        return centred.reshape(g.shape)

    can_skip_input_grad = True

    def extra_repr(self) -> str:
        """Torch 2.13's form: ``num_features, eps, momentum, affine, bias, track_running_stats``.

        ``bias`` says whether the layer has a bias parameter.
        """
        return (
            f"{self.num_features}, eps={self.eps}, momentum={self.momentum}, "
            f"affine={self.affine}, bias={self.bias is not None}, "
            f"track_running_stats={self.track_running_stats}"
        )
