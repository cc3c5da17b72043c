"""Layers, loss and initialisation for a trainable CNN in NumPy, with PyTorch's names.

Every layer is a `Module` with ``forward`` / ``backward(grad_output)``; parameters
are `Parameter` objects whose ``.grad`` accumulates until ``zero_grad``. The
convolution and pooling layers call the functional core (`cnnbook.conv2d`,
`cnnbook.max_pool2d`, `cnnbook.avg_pool2d`).

- Randomness: layers take ``rng: np.random.Generator | None``; None draws from
  `cnnbook.nn.init`'s default generator (reset it with ``nn.init.seed(n)``).
- dtype: parameters are float32 unless a layer gets ``dtype=``; a layer with
  parameters refuses input of another dtype; ``model.double()`` converts a model.

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
from cnnbook.nn.activation import ReLU, Tanh
from cnnbook.nn.conv import Conv2d
from cnnbook.nn.conv_transpose import ConvTranspose2d
from cnnbook.nn.dropout import Dropout
from cnnbook.nn.linear import Flatten, Linear
from cnnbook.nn.loss import CrossEntropyLoss, log_softmax
from cnnbook.nn.module import Module, Parameter, Sequential
from cnnbook.nn.pooling import AvgPool2d, MaxPool2d

__all__ = [
    "AvgPool2d",
    "Conv2d",
    "ConvTranspose2d",
    "CrossEntropyLoss",
    "Dropout",
    "Flatten",
    "Linear",
    "MaxPool2d",
    "Module",
    "Parameter",
    "ReLU",
    "Sequential",
    "Tanh",
    "init",
    "log_softmax",
]
