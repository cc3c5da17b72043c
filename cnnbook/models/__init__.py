"""Ready-made networks: classification chains, ResNet's block, a U-Net and an autoencoder.

`reference_cnn` and `lenet_like` return a `cnnbook.nn.Sequential`. `BasicBlock`,
`UNet` and `ConvAutoencoder` are `cnnbook.nn.Module` subclasses with their own
``forward`` and ``backward``: the pattern for a network whose forward is not a
chain (a shortcut added, skips concatenated). `cnnbook.torch_bridge.to_torch`
turns each into the identical torch model.
"""

from cnnbook.models.autoencoder import ConvAutoencoder
from cnnbook.models.classic import lenet_like, reference_cnn
from cnnbook.models.resnet import BasicBlock
from cnnbook.models.unet import UNet, double_conv

__all__ = [
    "BasicBlock",
    "ConvAutoencoder",
    "UNet",
    "double_conv",
    "lenet_like",
    "reference_cnn",
]
