"""Layers, losses and initialisation for a trainable CNN in NumPy, with PyTorch's names.

Every layer is a `Module` with ``forward`` / ``backward(grad_output)``; parameters
are `Parameter` objects whose ``.grad`` accumulates until ``zero_grad``. The
convolution and pooling layers call the functional core (`cnnbook.conv2d`,
`cnnbook.max_pool2d`, `cnnbook.avg_pool2d`).

- Randomness: layers take ``rng: np.random.Generator | None``; None draws from
  `cnnbook.nn.init`'s default generator (reset it with ``nn.init.seed(n)``).
- dtype: parameters are float32 unless a layer gets ``dtype=``; a layer with
  parameters refuses input of another dtype; ``model.double()`` converts a model.
- State: `BatchNorm2d`'s running statistics are buffers (`Module.register_buffer`),
  saved by ``state_dict()`` with the parameters, under torch's keys.
- Losses (`CrossEntropyLoss`, `MSELoss`, `L1Loss`, `BCEWithLogitsLoss`) take torch's
  ``reduction``; ``loss_fn.backward()`` returns the gradient of the loss's input
  (``backward(grad)`` with an array of the output's shape for ``reduction="none"``).
- Networks that are not a chain: a `Module` subclass with its own ``forward`` and
  ``backward`` (see `cnnbook.models.BasicBlock`; `cat` / `split` for concatenation).

Examples
--------
>>> from cnnbook import nn
>>> rng = np.random.default_rng(0)
>>> model = nn.Sequential(
...     nn.Conv2d(1, 4, 3, rng=rng), nn.ReLU(), nn.MaxPool2d(2),
...     nn.Flatten(), nn.Linear(4 * 3 * 3, 10, rng=rng),
... )
>>> x = rng.standard_normal((5, 1, 8, 8)).astype(np.float32)
>>> loss_fn = nn.CrossEntropyLoss()
>>> loss = loss_fn(model(x), np.array([0, 1, 2, 3, 4]))
>>> grad_x = model.backward(loss_fn.backward())
>>> grad_x.shape, [tuple(p.grad.shape) for p in model.parameters()]
((5, 1, 8, 8), [(4, 1, 3, 3), (4,), (10, 36), (10,)])
"""

from cnnbook.nn import init
from cnnbook.nn.activation import Identity, LeakyReLU, ReLU, Sigmoid, Tanh
from cnnbook.nn.batchnorm import BatchNorm2d
from cnnbook.nn.concat import cat, split
from cnnbook.nn.container import Sequential
from cnnbook.nn.conv import Conv2d
from cnnbook.nn.conv_transpose import ConvTranspose2d
from cnnbook.nn.dropout import Dropout
from cnnbook.nn.fully_convolutional import linear_to_conv2d
from cnnbook.nn.linear import Flatten, Linear
from cnnbook.nn.loss import CrossEntropyLoss, log_softmax
from cnnbook.nn.metric_learning import TripletMarginLoss
from cnnbook.nn.module import Module
from cnnbook.nn.parameter import Parameter
from cnnbook.nn.pointwise_loss import BCEWithLogitsLoss, L1Loss, MSELoss
from cnnbook.nn.pooling import AdaptiveAvgPool2d, AvgPool2d, MaxPool2d
from cnnbook.nn.upsampling import Upsample

__all__ = [
    "AdaptiveAvgPool2d",
    "AvgPool2d",
    "BCEWithLogitsLoss",
    "BatchNorm2d",
    "Conv2d",
    "ConvTranspose2d",
    "CrossEntropyLoss",
    "Dropout",
    "Flatten",
    "Identity",
    "L1Loss",
    "LeakyReLU",
    "Linear",
    "MSELoss",
    "MaxPool2d",
    "Module",
    "Parameter",
    "ReLU",
    "Sequential",
    "Sigmoid",
    "Tanh",
    "TripletMarginLoss",
    "Upsample",
    "cat",
    "init",
    "linear_to_conv2d",
    "log_softmax",
    "split",
]
