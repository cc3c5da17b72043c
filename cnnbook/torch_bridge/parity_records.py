"""What a parity report holds: cnnbook-vs-torch differences per layer and after training.

`cnnbook.torch_bridge.parity_report` measures; these records keep what it measured and
print it as a table: `LayerParity` is one row (a layer's output, input gradient and
parameter gradients), `ParityReport` the whole comparison -- the loss on the first batch,
the rows, the parameters and buffers after the optimizer steps and the two loss curves --
with the summaries a test or a page reads (`ParityReport.forward_backward`,
`ParityReport.after_steps`, `ParityReport.loss_curve`; `cnnbook.figures.parity` draws
the curves). The records hold floats only, no tensor.

Examples
--------
>>> row = LayerParity("0", "Linear(in_features=4, out_features=3, bias=True)", 0.0, 1e-17,
...                   {"weight": 2e-17, "bias": 0.0})
>>> report = ParityReport("float64", [row], 1.0986, 1.0986, "SGD(lr=0.1)",
...                       {"0.weight": 3e-17, "0.bias": 0.0}, [1.0986], [1.0986])
>>> report.forward_backward, report.after_steps, report.loss_curve
(2e-17, 3e-17, 0.0)
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

__all__ = ["LayerParity", "ParityReport"]


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
    buffers : dict of str to float
        Max |difference| of every buffer (running statistics, batch counts) at the end.
    """

    dtype: str
    layers: list[LayerParity]
    loss_numpy: float
    loss_torch: float
    optimizer: str
    parameters: dict[str, float]
    losses_numpy: list[float]
    losses_torch: list[float]
    buffers: dict[str, float] = field(default_factory=dict)

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
        """Max |difference| over every parameter and buffer after the optimizer steps."""
        return max([*self.parameters.values(), *self.buffers.values()], default=0.0)

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
        if self.buffers:
            lines.append("|Δ buffer|:")
            lines += [f"  {name:<{width}} {v:.1e}" for name, v in self.buffers.items()]
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
