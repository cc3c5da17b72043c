"""Networks as data (`cnnbook.architectures.summary`) and the classic ones (`.zoo`)."""

from cnnbook.architectures.summary import (
    Architecture,
    LayerSummary,
    architecture_summary,
    parameter_count,
    receptive_field_after,
)
from cnnbook.architectures.zoo import ALEXNET, LENET5, RESNET18, VGG16

__all__ = [
    "ALEXNET",
    "LENET5",
    "RESNET18",
    "VGG16",
    "Architecture",
    "LayerSummary",
    "architecture_summary",
    "parameter_count",
    "receptive_field_after",
]
