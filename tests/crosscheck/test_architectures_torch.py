"""The networks-as-data, built as torch modules (on the meta device): same counts and shapes."""

from __future__ import annotations

import pytest
import torch
from torch import nn

from cnnbook import ALEXNET, LENET5, VGG16, architecture_summary, parameter_count

pytestmark = pytest.mark.torch


def _module(layer):
    kind = layer["type"]
    if kind == "conv":
        return nn.Conv2d(
            layer["in_channels"], layer["out_channels"], layer["kernel_size"],
            layer.get("stride", 1), layer.get("padding", 0),
        )  # fmt: skip
    if kind in ("maxpool", "avgpool"):
        cls = nn.MaxPool2d if kind == "maxpool" else nn.AvgPool2d
        return cls(layer["kernel_size"], layer.get("stride"))
    if kind == "linear":
        return nn.Linear(layer["in_features"], layer["out_features"])
    return {
        "relu": nn.ReLU,
        "sigmoid": nn.Sigmoid,
        "flatten": lambda: nn.Flatten(0),
        "dropout": nn.Dropout,
        "adaptive_avgpool": lambda: nn.AdaptiveAvgPool2d(layer["output_size"]),
    }[kind]()


@pytest.mark.parametrize("arch", [LENET5, ALEXNET, VGG16], ids=["lenet5", "alexnet", "vgg16"])
def test_torch_model_from_the_data_has_the_same_parameters_and_shapes(arch):
    with torch.device("meta"):  # no memory for VGG-16's 138M weights
        modules = [_module(layer) for layer in arch.layers]
        x = torch.empty(arch.input_shape)
        shapes = []
        for m in modules:
            x = m(x)
            shapes.append(tuple(x.shape))
    assert sum(p.numel() for m in modules for p in m.parameters()) == parameter_count(arch)
    assert shapes == [r.output_shape for r in architecture_summary(arch)]
