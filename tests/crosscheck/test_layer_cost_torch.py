"""Layer costs against torch: FLOPs counted by torch's FlopCounterMode, shapes and parameters.

Each network is built from plain ``torch.nn`` modules on the meta device (no memory, no
arithmetic) and run once under ``torch.utils.flop_counter.FlopCounterMode``, which counts
2 FLOPs per multiply-add of every convolution and matrix product it dispatches: an
independent count of what `layer_costs` derives from the architecture data.
"""

from __future__ import annotations

import math

import pytest
import torch
from torch import nn as tnn
from torch.utils.flop_counter import FlopCounterMode

from cnnbook import ALEXNET, LENET5, RESNET18, VGG16, layer_costs, separable_cost
from cnnbook.torch_bridge.blocks import TorchBasicBlock

pytestmark = pytest.mark.torch


def _block(inplanes: int, planes: int, stride: int) -> tnn.Module:
    down = None
    if stride != 1 or inplanes != planes:
        down = tnn.Sequential(
            tnn.Conv2d(inplanes, planes, 1, stride, bias=False), tnn.BatchNorm2d(planes)
        )
    return TorchBasicBlock(
        tnn.Conv2d(inplanes, planes, 3, stride, 1, bias=False),
        tnn.BatchNorm2d(planes),
        tnn.Conv2d(planes, planes, 3, 1, 1, bias=False),
        tnn.BatchNorm2d(planes),
        down,
    )


def _module(layer) -> tnn.Module:
    kind = layer["type"]
    if kind == "conv":
        return tnn.Conv2d(
            layer["in_channels"], layer["out_channels"], layer["kernel_size"],
            layer.get("stride", 1), layer.get("padding", 0), bias=layer.get("bias", True),
        )  # fmt: skip
    if kind in ("maxpool", "avgpool"):
        cls = tnn.MaxPool2d if kind == "maxpool" else tnn.AvgPool2d
        return cls(layer["kernel_size"], layer.get("stride"), layer.get("padding", 0))
    if kind == "linear":
        return tnn.Linear(layer["in_features"], layer["out_features"])
    if kind == "basic_block":
        return _block(layer["inplanes"], layer["planes"], layer.get("stride", 1))
    if kind == "batchnorm":
        return tnn.BatchNorm2d(layer["num_features"])
    return {
        "relu": tnn.ReLU,
        "sigmoid": tnn.Sigmoid,
        "flatten": lambda: tnn.Flatten(1),
        "dropout": tnn.Dropout,
        "adaptive_avgpool": lambda: tnn.AdaptiveAvgPool2d(layer["output_size"]),
    }[kind]()


def _torch_counts(arch):
    """Per layer: (MACs counted by torch, output shape, parameters) on the meta device."""
    macs, shapes = [], []
    with torch.device("meta"):
        model = [_module(layer).eval() for layer in arch.layers]
        x = torch.empty((1, *arch.input_shape))
        for m in model:
            with FlopCounterMode(display=False) as counter:  # one count per layer
                x = m(x)
            flops = counter.get_total_flops()
            assert flops % 2 == 0  # 2 FLOPs per multiply-add
            macs.append(flops // 2)
            shapes.append(tuple(x.shape[1:]))
    params = [sum(p.numel() for p in m.parameters()) for m in model]
    return macs, shapes, params


@pytest.mark.parametrize(
    "arch", [LENET5, ALEXNET, VGG16, RESNET18], ids=["lenet5", "alexnet", "vgg16", "resnet18"]
)
def test_every_layers_macs_shape_and_parameters_equal_torchs_flop_counter(arch):
    macs, shapes, params = _torch_counts(arch)
    rows = layer_costs(arch)
    assert [r.macs for r in rows] == macs
    assert [r.output_shape for r in rows] == shapes
    assert [r.activations for r in rows] == [math.prod(s) for s in shapes]
    assert [r.parameters for r in rows] == params


@pytest.mark.parametrize(("c_in", "c_out", "k", "size"), [(32, 64, 3, 56), (3, 16, 5, 28)])
def test_separable_cost_equals_torchs_depthwise_then_pointwise(c_in, c_out, k, size):
    with torch.device("meta"):
        standard = tnn.Conv2d(c_in, c_out, k, padding=k // 2)
        separable = tnn.Sequential(
            tnn.Conv2d(c_in, c_in, k, padding=k // 2, groups=c_in), tnn.Conv2d(c_in, c_out, 1)
        )
        x = torch.empty((1, c_in, size, size))
        with FlopCounterMode(display=False) as one:
            standard(x)
        with FlopCounterMode(display=False) as two:
            separable(x)
    cost = separable_cost(c_in, c_out, k, size)
    assert cost.standard_macs * 2 == one.get_total_flops()
    assert cost.separable_macs * 2 == two.get_total_flops()
    assert cost.standard_parameters == sum(p.numel() for p in standard.parameters())
    assert cost.separable_parameters == sum(p.numel() for p in separable.parameters())
