"""The bridge to PyTorch: the same model in torch, and a report of how closely the two agree.

This package is the only part of cnnbook that imports torch. Because every layer
of `cnnbook.nn` uses torch's names, parameter shapes, layouts and ``state_dict``
keys, a model crosses over by copying arrays, with no axis shuffled:

- `to_torch(model)` builds the identical torch model (same weights and buffers,
  same dtype, same train/eval mode), e.g. to train it on GPUs or with torch's
  distributed data parallel; `from_torch(module)` is the reverse. Layers,
  losses (`cnnbook.torch_bridge.layers`, `cnnbook.torch_bridge.losses`), blocks
  that are not a chain such as `cnnbook.models.BasicBlock`
  (`cnnbook.torch_bridge.blocks`) and a user's own Module registered with
  `register_twin` cross; anything else is a `TypeError` naming the layer.
- `optimizer_to_torch(opt, model, tmodel)` builds the same ``torch.optim`` optimizer.
- `parity_report(model, x, targets, ...)` runs both on the same batch and lists,
  per layer, the largest difference in outputs and in every gradient, then
  trains both for K optimizer steps and compares parameters, buffers and loss curves.
"""

from cnnbook.torch_bridge.convert import from_torch, register_twin, to_torch
from cnnbook.torch_bridge.optimizers import optimizer_to_torch
from cnnbook.torch_bridge.parity import parity_report
from cnnbook.torch_bridge.parity_records import LayerParity, ParityReport

__all__ = [
    "LayerParity",
    "ParityReport",
    "from_torch",
    "optimizer_to_torch",
    "parity_report",
    "register_twin",
    "to_torch",
]
