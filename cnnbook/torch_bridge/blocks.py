"""Torch twins of cnnbook's networks that are not a chain (`cnnbook.models.BasicBlock`).

Each twin is written as a torch user would write it (torchvision is not needed):
plain ``torch.nn`` modules under the same attribute names, so its ``state_dict``
keys equal the cnnbook module's, and a ``forward`` that adds or concatenates
as the cnnbook ``forward`` does. torch's autograd provides its backward, which
is what the cnnbook module's hand-written ``backward`` is checked against.
"""

from __future__ import annotations

from collections.abc import Callable

import torch

from cnnbook import nn
from cnnbook.models import BasicBlock

__all__ = ["TorchBasicBlock", "block_from_torch", "block_to_torch"]

Convert = Callable[[nn.Module, str], torch.nn.Module]
ConvertBack = Callable[[torch.nn.Module, str], nn.Module]


class TorchBasicBlock(torch.nn.Module):
    """torchvision's ``BasicBlock`` built from plain torch layers, with torchvision's keys.

    ``conv1.weight``, ``bn1.*``, ``conv2.weight``, ``bn2.*``, ``downsample.0.weight``,
    ``downsample.1.*``.
    """

    def __init__(
        self,
        conv1: torch.nn.Module,
        bn1: torch.nn.Module,
        conv2: torch.nn.Module,
        bn2: torch.nn.Module,
        downsample: torch.nn.Module | None,
    ) -> None:
        super().__init__()
        self.conv1 = conv1
        self.bn1 = bn1
        self.relu = torch.nn.ReLU()
        self.conv2 = conv2
        self.bn2 = bn2
        self.downsample = downsample

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """``relu(bn2(conv2(relu(bn1(conv1(x))))) + shortcut(x))``."""
        out = self.bn2(self.conv2(self.relu(self.bn1(self.conv1(x)))))
        identity = x if self.downsample is None else self.downsample(x)
        return self.relu(out + identity)


def block_to_torch(block: nn.Module, where: str, convert: Convert) -> torch.nn.Module | None:
    """Return the torch twin of a cnnbook block (sub-modules via `convert`), or None."""
    if type(block) is BasicBlock:
        sub = {
            name: convert(getattr(block, name), f"{where}.{name}" if where else name)
            for name in ("conv1", "bn1", "conv2", "bn2")
        }
        down = block.downsample
        tdown = (
            None
            if down is None
            else convert(down, f"{where}.downsample" if where else "downsample")
        )
        return TorchBasicBlock(**sub, downsample=tdown)
    return None


def block_from_torch(module: torch.nn.Module, where: str, convert: ConvertBack) -> nn.Module | None:
    """Return the cnnbook twin of a `TorchBasicBlock`, or None for another module."""
    if type(module) is not TorchBasicBlock:
        return None
    here = f"{where}." if where else ""
    conv1 = module.conv1
    if not isinstance(conv1, torch.nn.Conv2d):
        raise TypeError(f"from_torch: {here}conv1 must be a Conv2d; got {conv1!r}")
    stride = conv1.stride[0]
    if module.downsample is None and (stride != 1 or conv1.in_channels != conv1.out_channels):
        raise TypeError(
            f"from_torch: the block at {where or 'the top'!r} changes the map's shape "
            "(stride or channels) but has no downsample to match its shortcut"
        )
    down = None if module.downsample is None else convert(module.downsample, here + "downsample")
    block = BasicBlock(
        conv1.in_channels,
        conv1.out_channels,
        stride,
        downsample=down,
        dtype=conv1.weight.detach().numpy().dtype,
    )
    # The block builds its own layers; a torch block whose layers differ (a bias, another
    # eps) has no cnnbook twin, and is refused rather than silently changed.
    for name in ("conv1", "bn1", "conv2", "bn2"):
        ours, theirs = getattr(block, name), convert(getattr(module, name), here + name)
        if repr(ours) != repr(theirs):
            raise TypeError(f"from_torch: {here}{name} is {theirs!r}; a BasicBlock's is {ours!r}")
    return block
