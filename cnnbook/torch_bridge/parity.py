"""Parity reports: a cnnbook model and its torch twin side by side, every difference measured.

`parity_report` runs both on the same batch, lists per layer the largest
difference in outputs and in every gradient, then trains both for K optimizer
steps and compares parameters, buffers (running statistics) and loss curves.
A `Dropout` in training mode draws its mask in cnnbook; the report applies the
same mask on the torch side, so even a training-mode dropout is compared exactly.
The records it returns and the table they print, `ParityReport` and `LayerParity`, are
defined in `cnnbook.torch_bridge.parity_records` (and importable from here).
"""

from __future__ import annotations

import copy
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

import numpy as np
import torch

from cnnbook import nn
from cnnbook.torch_bridge.convert import to_torch
from cnnbook.torch_bridge.losses import loss_to_torch, target_tensor
from cnnbook.torch_bridge.optimizers import OPTIMIZERS, optimizer_to_torch
from cnnbook.torch_bridge.parity_records import LayerParity as LayerParity
from cnnbook.torch_bridge.parity_records import ParityReport as ParityReport

__all__ = ["parity_report"]


def _tensor(a: np.ndarray) -> torch.Tensor:
    return torch.from_numpy(np.array(a, copy=True))


def _leaves(
    model: nn.Module, tmodel: torch.nn.Module, prefix: str = ""
) -> Iterator[tuple[str, nn.Module, torch.nn.Module]]:
    """Pair the leaf layers of the two models, nested Sequentials flattened (a block is a leaf)."""
    if isinstance(model, nn.Sequential):
        for i, (m, tm) in enumerate(zip(model, tmodel.children(), strict=True)):
            yield from _leaves(m, tm, f"{prefix}.{i}" if prefix else str(i))
    else:
        yield prefix or "0", model, tmodel


def _maxdiff(a: np.ndarray | None, t: torch.Tensor | None) -> float:
    if a is None or t is None:
        return 0.0 if a is None and t is None else float("inf")
    return float(np.abs(np.asarray(a) - t.detach().numpy()).max(initial=0.0))


def _scalar(loss_fn: nn.Module, loss: Any) -> float:
    """Return the loss as one number: an unreduced loss counts as its sum (backward gets ones)."""
    return float(np.sum(loss))


def _step_pair(
    leaves: list[tuple[str, nn.Module, torch.nn.Module]],
    loss_fn: nn.Module,
    t_loss_fn: torch.nn.Module,
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
    g = (
        loss_fn.backward(np.ones_like(loss))
        if getattr(loss_fn, "reduction", None) == "none"
        else loss_fn.backward()
    )
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
    t_loss = t_loss_fn(th, target_tensor(loss_fn, targets)).sum()
    t_loss.backward()

    rows = []
    for i, (name, layer, tlayer) in enumerate(leaves):
        tparams = dict(tlayer.named_parameters())
        grads = {
            pname: _maxdiff(p.grad, tparams[pname].grad) for pname, p in layer.named_parameters()
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
    return _scalar(loss_fn, loss), float(t_loss.item()), rows


def parity_report(
    model: nn.Module,
    x: np.ndarray,
    targets: np.ndarray,
    *,
    steps: int = 5,
    optimizer: str = "sgd",
    batches: Iterable[tuple[np.ndarray, np.ndarray]] | None = None,
    loss: nn.Module | None = None,
    **optimizer_args: Any,
) -> ParityReport:
    """Run a cnnbook model and its torch twin side by side and measure every difference.

    A deep copy of `model` and `to_torch` of that copy run on the same batch with
    the same loss (cross-entropy unless `loss` is given); every layer's output,
    input gradient and parameter gradients are compared. Then both take `steps`
    optimizer steps with the same arguments (``torch.optim.SGD``/``Adam``/``AdamW``
    vs `cnnbook.optim`), on `batches` or on ``(x, targets)`` repeated, recording
    both loss curves; finally every parameter and buffer (a `BatchNorm2d`'s
    running statistics) is compared. `model` itself is not changed.

    Parameters
    ----------
    model : cnnbook.nn.Module
        A (possibly nested) `Sequential` of layers and blocks, or one of them,
        ending in what `loss` takes (logits ``(N, classes)`` or ``(N, C, H, W)``
        for cross-entropy).
    x : ndarray of shape (N, ...)
        Input batch, of the model's dtype (float64 for an exact comparison).
    targets : ndarray
        What `loss` takes: class indices ``(N,)`` / ``(N, H, W)`` or class
        probabilities for cross-entropy, arrays of the output's shape for the others.
    steps : int, default 5
        Number of optimizer steps (ignored when `batches` is given: one step each).
    optimizer : {"sgd", "adam", "adamw"}, default "sgd"
    batches : iterable of (x, targets), optional
        The training batches for the steps.
    loss : cnnbook loss, optional
        `CrossEntropyLoss`, `MSELoss`, `L1Loss` or `BCEWithLogitsLoss` with any
        options (default ``CrossEntropyLoss()``); with ``reduction="none"`` the
        loss trained is the sum of the per-element losses.
    **optimizer_args
        Passed to both optimizers, e.g. ``lr=0.1, momentum=0.9, weight_decay=1e-4,
        nesterov=True`` or ``amsgrad=True, maximize=True``
        (``lr`` defaults to 0.01).

    Returns
    -------
    ParityReport
        Print it for a table.

    Raises
    ------
    ValueError
        An unknown `optimizer`, or `steps` < 0.
    TypeError
        A `loss` that is not one of the four, or a layer without a torch twin.

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
    if optimizer not in OPTIMIZERS:
        raise ValueError(f"optimizer (={optimizer!r}) must be one of {sorted(OPTIMIZERS)}")
    loss_fn = nn.CrossEntropyLoss() if loss is None else loss
    t_loss_fn = loss_to_torch(loss_fn) if isinstance(loss_fn, nn.Module) else None
    if t_loss_fn is None:
        raise TypeError(
            f"loss (={loss!r}) must be a cnnbook CrossEntropyLoss, MSELoss, L1Loss or "
            "BCEWithLogitsLoss"
        )
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
    x, targets = np.asarray(x), np.asarray(targets)

    loss_np, loss_t, rows = _step_pair(leaves, loss_fn, t_loss_fn, x, targets)

    np_cls = OPTIMIZERS[optimizer][0]
    opt = np_cls(model.parameters(), **optimizer_args)
    t_opt = optimizer_to_torch(opt, model, tmodel)
    curve_np: list[float] = []
    curve_t: list[float] = []
    for bx, by in batch_list:
        model.zero_grad()
        t_opt.zero_grad()
        a, b, _ = _step_pair(leaves, loss_fn, t_loss_fn, np.asarray(bx), np.asarray(by))
        curve_np.append(a)
        curve_t.append(b)
        opt.step()
        t_opt.step()
    tparams = dict(tmodel.named_parameters())
    params = {name: _maxdiff(p.data, tparams[name]) for name, p in model.named_parameters()}
    tbuffers = dict(tmodel.named_buffers())
    buffers = {name: _maxdiff(b, tbuffers[name]) for name, b in model.named_buffers()}
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
        buffers=buffers,
    )
