"""The bridge to PyTorch: the same model in torch, and a report of how closely the two agree.

This is the only module of cnnbook that imports torch. Because every layer of
`cnnbook.nn` uses torch's names, parameter shapes and layouts, a model crosses
over by copying arrays, with no axis shuffled:

- `to_torch(model)` builds the identical ``torch.nn.Sequential`` (same weights,
  same dtype, same train/eval mode), e.g. to train it on GPUs or with torch's
  distributed data parallel;
- `from_torch(module)` is the reverse;
- `parity_report(model, x, targets, ...)` runs both on the same batch and lists,
  per layer, the largest difference in outputs and in every gradient, then
  trains both for K optimizer steps and compares parameters and loss curves.

A `Dropout` in training mode draws its mask in cnnbook; the report applies the
same mask on the torch side, so even a training-mode dropout is compared exactly.
"""

from __future__ import annotations

import copy
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import torch

from cnnbook import nn, optim

__all__ = ["LayerParity", "ParityReport", "from_torch", "parity_report", "to_torch"]

_OPTIMIZERS = {"sgd": (optim.SGD, torch.optim.SGD), "adam": (optim.Adam, torch.optim.Adam)}


def _tensor(a: np.ndarray) -> torch.Tensor:
    return torch.from_numpy(np.array(a, copy=True))


def _copy_parameters(src: nn.Module, dst: torch.nn.Module) -> None:
    with torch.no_grad():
        for (_, p), (_, tp) in zip(src.named_parameters(), dst.named_parameters(), strict=True):
            tp.copy_(_tensor(p.data))


def _convert_to_torch(layer: nn.Module) -> torch.nn.Module:
    """Return the torch twin of one cnnbook layer (weights not yet copied)."""
    if isinstance(layer, nn.Sequential):
        return torch.nn.Sequential(*(_convert_to_torch(child) for child in layer))
    if isinstance(layer, nn.Conv2d):
        return torch.nn.Conv2d(
            layer.in_channels,
            layer.out_channels,
            layer.kernel_size,
            layer.stride,
            layer.padding,
            layer.dilation,
            layer.groups,
            layer.bias is not None,
            dtype=_torch_dtype(layer.weight.data.dtype),
        )
    if isinstance(layer, nn.Linear):
        return torch.nn.Linear(
            layer.in_features,
            layer.out_features,
            layer.bias is not None,
            dtype=_torch_dtype(layer.weight.data.dtype),
        )
    if isinstance(layer, nn.MaxPool2d):
        return torch.nn.MaxPool2d(
            layer.kernel_size,
            layer.stride,
            layer.padding,
            layer.dilation,
            ceil_mode=layer.ceil_mode,
        )
    if isinstance(layer, nn.AvgPool2d):
        return torch.nn.AvgPool2d(
            layer.kernel_size,
            layer.stride,
            layer.padding,
            layer.ceil_mode,
            layer.count_include_pad,
            layer.divisor_override,
        )
    if isinstance(layer, nn.Flatten):
        return torch.nn.Flatten(layer.start_dim, layer.end_dim)
    if isinstance(layer, nn.Dropout):
        return torch.nn.Dropout(layer.p, layer.inplace)
    if isinstance(layer, nn.ReLU):
        return torch.nn.ReLU()
    if isinstance(layer, nn.Tanh):
        return torch.nn.Tanh()
    if isinstance(layer, nn.CrossEntropyLoss):
        return torch.nn.CrossEntropyLoss(reduction=layer.reduction)
    raise TypeError(f"to_torch cannot convert {type(layer).__name__} ({layer!r})")


def _torch_dtype(dtype: np.dtype) -> torch.dtype:
    return torch.from_numpy(np.zeros(0, dtype=dtype)).dtype


def to_torch(model: nn.Module) -> torch.nn.Module:
    """Build the identical torch module: same layers, weights (copied), dtype and mode.

    Parameters
    ----------
    model : cnnbook.nn.Module
        A `Sequential` (possibly nested) of cnnbook layers, or one layer.

    Returns
    -------
    torch.nn.Module
        ``torch.nn.Sequential`` for a Sequential. torch's global random state is
        left untouched (building torch layers would otherwise consume it).

    Raises
    ------
    TypeError
        For a layer without a torch twin.

    Examples
    --------
    >>> from cnnbook import nn
    >>> model = nn.Sequential(nn.Conv2d(1, 2, 3, rng=np.random.default_rng(0)), nn.ReLU())
    >>> tmodel = to_torch(model)
    >>> tmodel
    Sequential(
      (0): Conv2d(1, 2, kernel_size=(3, 3), stride=(1, 1))
      (1): ReLU()
    )
    >>> bool((tmodel[0].weight.detach().numpy() == model[0].weight.data).all())
    True
    """
    with torch.random.fork_rng(devices=[]):
        tmodel = _convert_to_torch(model)
    _copy_parameters(model, tmodel)
    for (_, m), (_, tm) in zip(model.named_modules(), tmodel.named_modules(), strict=True):
        tm.train(m.training)
    return tmodel


def _convert_from_torch(layer: torch.nn.Module) -> nn.Module:
    """Return the cnnbook twin of one torch layer (weights not yet copied)."""
    if isinstance(layer, torch.nn.Sequential):
        return nn.Sequential(*(_convert_from_torch(child) for child in layer))
    if isinstance(layer, torch.nn.Conv2d):
        if layer.padding_mode != "zeros":
            raise TypeError(f"from_torch supports padding_mode='zeros' only; got {layer!r}")
        padding = layer.padding if isinstance(layer.padding, str) else tuple(layer.padding)
        return nn.Conv2d(
            layer.in_channels,
            layer.out_channels,
            tuple(layer.kernel_size),
            tuple(layer.stride),
            padding,
            tuple(layer.dilation),
            layer.groups,
            layer.bias is not None,
            dtype=_numpy_dtype(layer.weight),
        )
    if isinstance(layer, torch.nn.Linear):
        return nn.Linear(
            layer.in_features,
            layer.out_features,
            layer.bias is not None,
            dtype=_numpy_dtype(layer.weight),
        )
    if isinstance(layer, torch.nn.MaxPool2d):
        if layer.return_indices:
            raise TypeError(f"from_torch does not support return_indices=True; got {layer!r}")
        return nn.MaxPool2d(
            layer.kernel_size,
            layer.stride,
            layer.padding,
            layer.dilation,
            ceil_mode=layer.ceil_mode,
        )
    if isinstance(layer, torch.nn.AvgPool2d):
        return nn.AvgPool2d(
            layer.kernel_size,
            layer.stride,
            layer.padding,
            layer.ceil_mode,
            layer.count_include_pad,
            layer.divisor_override,
        )
    if isinstance(layer, torch.nn.Flatten):
        return nn.Flatten(layer.start_dim, layer.end_dim)
    if isinstance(layer, torch.nn.Dropout):
        return nn.Dropout(layer.p, layer.inplace)
    if isinstance(layer, torch.nn.ReLU):
        return nn.ReLU()
    if isinstance(layer, torch.nn.Tanh):
        return nn.Tanh()
    if isinstance(layer, torch.nn.CrossEntropyLoss):
        return nn.CrossEntropyLoss(reduction=layer.reduction)
    raise TypeError(f"from_torch cannot convert {type(layer).__name__} ({layer!r})")


def _numpy_dtype(t: torch.Tensor) -> np.dtype:
    return t.detach().numpy().dtype


def from_torch(module: torch.nn.Module) -> nn.Module:
    """Build the identical cnnbook model from a torch one: same layers, weights, dtype, mode.

    Parameters
    ----------
    module : torch.nn.Module
        A ``torch.nn.Sequential`` (possibly nested) of layers cnnbook has, or one layer.

    Raises
    ------
    TypeError
        For a layer or an option cnnbook does not have (e.g. ``padding_mode='reflect'``).

    Examples
    --------
    >>> tmodel = torch.nn.Sequential(torch.nn.Flatten(), torch.nn.Linear(4, 2))
    >>> from_torch(tmodel)
    Sequential(
      (0): Flatten(start_dim=1, end_dim=-1)
      (1): Linear(in_features=4, out_features=2, bias=True)
    )
    """
    model = _convert_from_torch(module)
    for (_, p), (_, tp) in zip(model.named_parameters(), module.named_parameters(), strict=True):
        p.data[...] = tp.detach().cpu().numpy()
    for (_, m), (_, tm) in zip(model.named_modules(), module.named_modules(), strict=True):
        m.train(tm.training)
    return model


@dataclass
class LayerParity:
    """Largest absolute differences for one layer (cnnbook minus torch).

    Attributes
    ----------
    name : str
        Dotted position in the model (``"0"``, ``"3.1"``).
    layer : str
        The layer's repr.
    output : float
        Max |difference| of the layer's outputs.
    grad_input : float
        Max |difference| of the gradients w.r.t. the layer's input.
    grads : dict of str to float
        Max |difference| of each parameter's gradient, by local name (``weight``, ``bias``).
    """

    name: str
    layer: str
    output: float
    grad_input: float
    grads: dict[str, float] = field(default_factory=dict)


@dataclass
class ParityReport:
    """How closely cnnbook and torch agree on one model: forward, backward and training.

    Attributes
    ----------
    dtype : str
        dtype of the parameters and data.
    layers : list of LayerParity
        One row per leaf layer, in order.
    loss_numpy, loss_torch : float
        The loss on the batch, before any step.
    optimizer : str
        The optimizer and its arguments, e.g. ``"SGD(lr=0.1, momentum=0.9)"``.
    parameters : dict of str to float
        Max |difference| of every parameter after the optimizer steps, by dotted name.
    losses_numpy, losses_torch : list of float
        The loss at each step (before its update): the two loss curves.
    """

    dtype: str
    layers: list[LayerParity]
    loss_numpy: float
    loss_torch: float
    optimizer: str
    parameters: dict[str, float]
    losses_numpy: list[float]
    losses_torch: list[float]

    @property
    def loss(self) -> float:
        """|difference| of the losses on the first batch."""
        return abs(self.loss_numpy - self.loss_torch)

    @property
    def loss_curve(self) -> float:
        """Max |difference| between the two loss curves."""
        a, b = np.asarray(self.losses_numpy), np.asarray(self.losses_torch)
        return float(np.abs(a - b).max()) if a.size else 0.0

    @property
    def forward_backward(self) -> float:
        """Max |difference| over every output, loss and gradient of the first batch."""
        values = [self.loss]
        for row in self.layers:
            values += [row.output, row.grad_input, *row.grads.values()]
        return max(values)

    @property
    def after_steps(self) -> float:
        """Max |difference| over every parameter after the optimizer steps."""
        return max(self.parameters.values(), default=0.0)

    def __str__(self) -> str:
        width = max(len(r.layer) for r in self.layers) if self.layers else 5
        head = f"{'':>5} {'layer':<{width}}  {'|Δ output|':>10}  {'|Δ grad in|':>11}  param grads"
        lines = [f"cnnbook vs torch ({self.dtype}): largest absolute differences", head]
        for r in self.layers:
            grads = ", ".join(f"{k} {v:.1e}" for k, v in r.grads.items())
            lines.append(
                f"{'(' + r.name + ')':>5} {r.layer:<{width}}  {r.output:10.1e}  "
                f"{r.grad_input:11.1e}  {grads}"
            )
        lines.append(
            f"loss: cnnbook {self.loss_numpy:.10f}  torch {self.loss_torch:.10f}  "
            f"|Δ| {self.loss:.1e}"
        )
        k = len(self.losses_numpy)
        lines.append(f"after {k} {self.optimizer} steps, |Δ parameter|:")
        lines += [f"  {name:<{width}} {v:.1e}" for name, v in self.parameters.items()]
        lines.append(f"loss curves (max |Δ| {self.loss_curve:.1e}):")
        lines.append(f"  {'step':>5}  {'cnnbook':>14}  {'torch':>14}  {'|Δ|':>8}")
        shown = list(range(k)) if k <= 10 else [*range(5), -1, *range(k - 5, k)]
        for i in shown:
            if i < 0:
                lines.append(f"  {'...':>5}")
                continue
            a, b = self.losses_numpy[i], self.losses_torch[i]
            lines.append(f"  {i + 1:>5}  {a:14.10f}  {b:14.10f}  {abs(a - b):8.1e}")
        return "\n".join(lines)


def _leaves(
    model: nn.Module, tmodel: torch.nn.Module, prefix: str = ""
) -> Iterator[tuple[str, nn.Module, torch.nn.Module]]:
    """Pair the leaf layers of the two models, nested Sequentials flattened."""
    if isinstance(model, nn.Sequential):
        for i, (m, tm) in enumerate(zip(model, tmodel.children(), strict=True)):
            yield from _leaves(m, tm, f"{prefix}.{i}" if prefix else str(i))
    else:
        yield prefix or "0", model, tmodel


def _maxdiff(a: np.ndarray | None, t: torch.Tensor | None) -> float:
    if a is None or t is None:
        return 0.0 if a is None and t is None else float("inf")
    return float(np.abs(np.asarray(a) - t.detach().numpy()).max(initial=0.0))


def _step_pair(
    leaves: list[tuple[str, nn.Module, torch.nn.Module]],
    loss_fn: nn.CrossEntropyLoss,
    x: np.ndarray,
    targets: np.ndarray,
) -> tuple[float, float, list[LayerParity]]:
    """One forward and backward pass through both models; return both losses and the rows."""
    outs, ins = [], []
    h = x
    for _, layer, _ in leaves:
        ins.append(h)
        h = layer(h)
        outs.append(h)
    loss = loss_fn(h, targets)
    g = loss_fn.backward()
    grad_in: list[Any] = [None] * len(leaves)
    for i in range(len(leaves) - 1, -1, -1):
        g = leaves[i][1].backward(g)
        grad_in[i] = g

    th = _tensor(x).requires_grad_(True)
    t_ins, t_outs = [], []
    for _, layer, tlayer in leaves:
        th.retain_grad()
        t_ins.append(th)
        if isinstance(layer, nn.Dropout) and layer.training and layer.p > 0:
            th = th * torch.from_numpy(layer._scaled_mask)  # cnnbook's mask, applied in torch
        else:
            th = tlayer(th)
        t_outs.append(th)
    t_loss = torch.nn.functional.cross_entropy(
        th, torch.from_numpy(targets.astype(np.int64)), reduction=loss_fn.reduction
    )
    t_loss.backward()

    rows = []
    for i, (name, layer, tlayer) in enumerate(leaves):
        grads = {
            pname: _maxdiff(p.grad, tp.grad)
            for (pname, p), (_, tp) in zip(
                layer.named_parameters(), tlayer.named_parameters(), strict=True
            )
        }
        rows.append(
            LayerParity(
                name=name,
                layer=repr(layer),
                output=_maxdiff(outs[i], t_outs[i]),
                grad_input=_maxdiff(grad_in[i], t_ins[i].grad),
                grads=grads,
            )
        )
    return loss, float(t_loss.item()), rows


def parity_report(
    model: nn.Module,
    x: np.ndarray,
    targets: np.ndarray,
    *,
    steps: int = 5,
    optimizer: str = "sgd",
    batches: Iterable[tuple[np.ndarray, np.ndarray]] | None = None,
    **optimizer_args: Any,
) -> ParityReport:
    """Run a cnnbook model and its torch twin side by side and measure every difference.

    A deep copy of `model` and `to_torch` of that copy run on the same batch with
    a cross-entropy loss; every layer's output, input gradient and parameter
    gradients are compared. Then both take `steps` optimizer steps with the same
    arguments (``torch.optim.SGD``/``Adam`` vs `cnnbook.optim`), on `batches` or
    on ``(x, targets)`` repeated, recording both loss curves; finally every
    parameter is compared. `model` itself is not changed.

    Parameters
    ----------
    model : cnnbook.nn.Module
        A (possibly nested) `Sequential` ending in logits ``(N, classes)``.
    x : ndarray of shape (N, ...)
        Input batch, of the model's dtype (float64 for an exact comparison).
    targets : ndarray of int, shape (N,)
        Class indices.
    steps : int, default 5
        Number of optimizer steps (ignored when `batches` is given: one step each).
    optimizer : {"sgd", "adam"}, default "sgd"
    batches : iterable of (x, targets), optional
        The training batches for the steps.
    **optimizer_args
        Passed to both optimizers, e.g. ``lr=0.1, momentum=0.9, weight_decay=1e-4``
        (``lr`` defaults to 0.01).

    Returns
    -------
    ParityReport
        Print it for a table.

    Raises
    ------
    ValueError
        An unknown `optimizer`, or `steps` < 0.

    Examples
    --------
    >>> from cnnbook import nn
    >>> rng = np.random.default_rng(0)
    >>> model = nn.Sequential(nn.Flatten(), nn.Linear(4, 3, rng=rng, dtype=np.float64))
    >>> report = parity_report(
    ...     model, rng.standard_normal((6, 2, 2)), np.arange(6) % 3,
    ...     steps=3, optimizer="adam", lr=0.01,
    ... )
    >>> report.forward_backward < 1e-12, report.after_steps < 1e-12, len(report.losses_torch)
    (True, True, 3)
    """
    if optimizer not in _OPTIMIZERS:
        raise ValueError(f"optimizer (={optimizer!r}) must be one of {sorted(_OPTIMIZERS)}")
    if batches is None:
        if steps < 0:
            raise ValueError(f"steps (={steps!r}) must be non-negative (>= 0)")
        batch_list: Sequence[tuple[np.ndarray, np.ndarray]] = [(x, targets)] * steps
    else:
        batch_list = list(batches)
    optimizer_args.setdefault("lr", 0.01)
    model = copy.deepcopy(model)
    tmodel = to_torch(model)
    leaves = list(_leaves(model, tmodel))
    loss_fn = nn.CrossEntropyLoss()
    x, targets = np.asarray(x), np.asarray(targets)

    loss_np, loss_t, rows = _step_pair(leaves, loss_fn, x, targets)

    np_cls, t_cls = _OPTIMIZERS[optimizer]
    opt = np_cls(model.parameters(), **optimizer_args)
    t_opt = t_cls(tmodel.parameters(), **optimizer_args)
    curve_np: list[float] = []
    curve_t: list[float] = []
    for bx, by in batch_list:
        model.zero_grad()
        t_opt.zero_grad()
        a, b, _ = _step_pair(leaves, loss_fn, np.asarray(bx), np.asarray(by))
        curve_np.append(a)
        curve_t.append(b)
        opt.step()
        t_opt.step()
    params = {
        name: _maxdiff(p.data, tp)
        for (name, p), (_, tp) in zip(
            model.named_parameters(), tmodel.named_parameters(), strict=True
        )
    }
    args = ", ".join(f"{k}={v}" for k, v in optimizer_args.items())
    return ParityReport(
        dtype=str(next(model.parameters()).data.dtype) if params else str(x.dtype),
        layers=rows,
        loss_numpy=loss_np,
        loss_torch=loss_t,
        optimizer=f"{np_cls.__name__}({args})",
        parameters=params,
        losses_numpy=curve_np,
        losses_torch=curve_t,
    )
