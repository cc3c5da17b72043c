"""Torch twins of cnnbook's networks that are not a chain (`cnnbook.models`' modules).

Each twin is written as a torch user would write it (torchvision is not needed):
plain ``torch.nn`` modules under the same attribute names, so its ``state_dict``
keys equal the cnnbook module's, and a ``forward`` that adds or concatenates
as the cnnbook ``forward`` does. torch's autograd provides its backward, which
is what the cnnbook module's hand-written ``backward`` is checked against.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import torch

from cnnbook import nn
from cnnbook.models import BasicBlock, ConvAutoencoder, UNet

__all__ = [
    "TorchBasicBlock",
    "TorchConvAutoencoder",
    "TorchUNet",
    "block_from_torch",
    "block_to_torch",
]

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


class TorchUNet(torch.nn.Module):
    """`cnnbook.models.UNet` in plain torch: same attributes, keys and forward."""

    down: torch.nn.Sequential
    pools: torch.nn.Sequential
    bottleneck: torch.nn.Module
    up: torch.nn.Sequential
    dec: torch.nn.Sequential
    head: torch.nn.Module

    def __init__(self, **parts: torch.nn.Module) -> None:
        super().__init__()
        for name in UNET_PARTS:
            setattr(self, name, parts[name])

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """Keep each encoder level as a skip; decode on ``cat([skip, up(h)])``."""
        skips = []
        h = x
        for enc, pool in zip(self.down, self.pools, strict=True):
            h = enc(h)
            skips.append(h)
            h = pool(h)
        h = self.bottleneck(h)
        for up, dec, skip in zip(self.up, self.dec, reversed(skips), strict=True):
            h = dec(torch.cat([skip, up(h)], dim=1))
        out: torch.Tensor = self.head(h)
        return out


class TorchConvAutoencoder(torch.nn.Module):
    """`cnnbook.models.ConvAutoencoder` in plain torch: ``decoder(encoder(x))``."""

    def __init__(self, encoder: torch.nn.Module, decoder: torch.nn.Module) -> None:
        super().__init__()
        self.encoder = encoder
        self.decoder = decoder

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """Encode, then decode."""
        out: torch.Tensor = self.decoder(self.encoder(x))
        return out


UNET_PARTS = ("down", "pools", "bottleneck", "up", "dec", "head")


def _parts(module: Any, names: tuple[str, ...], where: str, convert: Any) -> dict[str, Any]:
    here = f"{where}." if where else ""
    return {name: convert(getattr(module, name), here + name) for name in names}


def _same_layers(ours: nn.Module, parts: dict[str, nn.Module], where: str) -> None:
    """Refuse a torch network whose layers differ from what the cnnbook class builds."""
    here = f"{where}." if where else ""
    for name, theirs in parts.items():
        mine = getattr(ours, name)
        if repr(mine) != repr(theirs):
            raise TypeError(
                f"from_torch: {here}{name} is {theirs!r}; a {type(ours).__name__}'s is {mine!r}"
            )


def block_to_torch(block: nn.Module, where: str, convert: Convert) -> torch.nn.Module | None:
    """Return the torch twin of a cnnbook block (sub-modules via `convert`), or None."""
    if type(block) is UNet:
        return TorchUNet(**_parts(block, UNET_PARTS, where, convert))
    if type(block) is ConvAutoencoder:
        return TorchConvAutoencoder(**_parts(block, ("encoder", "decoder"), where, convert))
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


def _unet_from_torch(module: TorchUNet, where: str, convert: ConvertBack) -> nn.Module:
    parts = _parts(module, UNET_PARTS, where, convert)
    first = parts["down"][0][0]
    up_mode = "transpose" if isinstance(module.up[0], torch.nn.ConvTranspose2d) else "bilinear"
    unet = UNet(
        first.in_channels,
        parts["head"].out_channels,
        first.out_channels,
        len(parts["down"]),
        up_mode,
        dtype=first.weight.data.dtype,
    )
    _same_layers(unet, parts, where)
    return unet


def _autoencoder_from_torch(
    module: TorchConvAutoencoder, where: str, convert: ConvertBack
) -> nn.Module:
    parts = _parts(module, ("encoder", "decoder"), where, convert)
    convs = [m for m in parts["encoder"] if isinstance(m, nn.Conv2d)]
    ae = ConvAutoencoder(
        convs[0].in_channels,
        tuple(c.out_channels for c in convs[:-1]),
        convs[-1].out_channels,
        dtype=convs[0].weight.data.dtype,
    )
    _same_layers(ae, parts, where)
    return ae


def block_from_torch(module: torch.nn.Module, where: str, convert: ConvertBack) -> nn.Module | None:
    """Return the cnnbook twin of a `TorchBasicBlock`, `TorchUNet` or `TorchConvAutoencoder`."""
    if type(module) is TorchUNet:
        return _unet_from_torch(module, where, convert)
    if type(module) is TorchConvAutoencoder:
        return _autoencoder_from_torch(module, where, convert)
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
