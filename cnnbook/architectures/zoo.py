r"""The classic CNNs as data: LeNet-5, AlexNet, VGG-16 and ResNet-18.

| network | variant | parameters | receptive field of the last pooling layer |
|---|---|---|---|
| LeNet-5 | Dive into Deep Learning (d2l.ai), §7.6: 28x28 input, padding 2 | 61,706 | 16 |
| AlexNet | ``torchvision.models.alexnet`` (one tower, 64-192-384-256-256) | 61,100,840 | 195 |
| VGG-16 | ``torchvision.models.vgg16`` (configuration D) | 138,357,544 | 212 |
| ResNet-18 | ``torchvision.models.resnet18`` (He et al. 2016) | 11,689,512 | see below |

(The receptive fields match Araujo, Norris & Sim's table in Distill, 2019; every
number here is computed from the data by `cnnbook.architectures.summary` and
checked in the tests, ResNet-18's against torch on the meta device.)
"""

from __future__ import annotations

from cnnbook.architectures.summary import Architecture, Layer

__all__ = ["ALEXNET", "LENET5", "RESNET18", "VGG16"]


def _conv(cin: int, cout: int, k: int, stride: int = 1, padding: int = 0) -> Layer:
    return {"type": "conv", "in_channels": cin, "out_channels": cout, "kernel_size": k,
            "stride": stride, "padding": padding}  # fmt: skip


def _maxpool(k: int, stride: int) -> Layer:
    return {"type": "maxpool", "kernel_size": k, "stride": stride}


def _linear(fin: int, fout: int) -> Layer:
    return {"type": "linear", "in_features": fin, "out_features": fout}


RELU: Layer = {"type": "relu"}
SIGMOID: Layer = {"type": "sigmoid"}
DROPOUT: Layer = {"type": "dropout", "p": 0.5}
FLATTEN: Layer = {"type": "flatten"}

LENET5 = Architecture(
    "LeNet-5",
    (1, 28, 28),
    (
        _conv(1, 6, 5, padding=2),
        SIGMOID,
        {"type": "avgpool", "kernel_size": 2, "stride": 2},
        _conv(6, 16, 5),
        SIGMOID,
        {"type": "avgpool", "kernel_size": 2, "stride": 2},
        FLATTEN,
        _linear(16 * 5 * 5, 120),
        SIGMOID,
        _linear(120, 84),
        SIGMOID,
        _linear(84, 10),
    ),
    "Zhang, Lipton, Li & Smola, Dive into Deep Learning, §7.6 (LeCun et al. 1998 with "
    "full C3 connections, sigmoid, average pooling and a linear output layer)",
)

ALEXNET = Architecture(
    "AlexNet",
    (3, 224, 224),
    (
        _conv(3, 64, 11, stride=4, padding=2),
        RELU,
        _maxpool(3, 2),
        _conv(64, 192, 5, padding=2),
        RELU,
        _maxpool(3, 2),
        _conv(192, 384, 3, padding=1),
        RELU,
        _conv(384, 256, 3, padding=1),
        RELU,
        _conv(256, 256, 3, padding=1),
        RELU,
        _maxpool(3, 2),
        {"type": "adaptive_avgpool", "output_size": (6, 6)},
        FLATTEN,
        DROPOUT,
        _linear(256 * 6 * 6, 4096),
        RELU,
        DROPOUT,
        _linear(4096, 4096),
        RELU,
        _linear(4096, 1000),
    ),
    "torchvision.models.alexnet (Krizhevsky, 'One weird trick...', 2014)",
)


def _vgg_features(config: list[int | str]) -> list[Layer]:
    layers: list[Layer] = []
    cin = 3
    for v in config:
        if v == "M":
            layers.append(_maxpool(2, 2))
        else:
            layers += [_conv(cin, int(v), 3, padding=1), RELU]
            cin = int(v)
    return layers


VGG16 = Architecture(
    "VGG-16",
    (3, 224, 224),
    (
        *_vgg_features(
            [64, 64, "M", 128, 128, "M", 256, 256, 256, "M", 512, 512, 512, "M", 512, 512, 512, "M"]
        ),
        {"type": "adaptive_avgpool", "output_size": (7, 7)},
        FLATTEN,
        _linear(512 * 7 * 7, 4096),
        RELU,
        DROPOUT,
        _linear(4096, 4096),
        RELU,
        DROPOUT,
        _linear(4096, 1000),
    ),
    "torchvision.models.vgg16 (Simonyan & Zisserman 2015, configuration D)",
)


def _block(inplanes: int, planes: int, stride: int = 1) -> Layer:
    return {"type": "basic_block", "inplanes": inplanes, "planes": planes, "stride": stride}


RESNET18 = Architecture(
    "ResNet-18",
    (3, 224, 224),
    (
        {**_conv(3, 64, 7, stride=2, padding=3), "bias": False},
        {"type": "batchnorm", "num_features": 64},
        RELU,
        {"type": "maxpool", "kernel_size": 3, "stride": 2, "padding": 1},
        _block(64, 64),
        _block(64, 64),
        _block(64, 128, 2),
        _block(128, 128),
        _block(128, 256, 2),
        _block(256, 256),
        _block(256, 512, 2),
        _block(512, 512),
        {"type": "adaptive_avgpool", "output_size": (1, 1)},
        FLATTEN,
        _linear(512, 1000),
    ),
    "torchvision.models.resnet18 (He, Zhang, Ren & Sun, Deep Residual Learning, 2016): "
    "four stages of two BasicBlocks, 64-128-256-512 channels",
)
