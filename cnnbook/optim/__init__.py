"""Optimizers with ``torch.optim``'s exact update rules (`SGD`, `Adam`, `AdamW`) and schedules.

The learning-rate schedulers are in `cnnbook.optim.lr_scheduler`, as in torch.

Examples
--------
>>> from cnnbook import nn, optim
>>> model = nn.Sequential(nn.Linear(2, 1, rng=np.random.default_rng(0)))
>>> opt = optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
>>> opt.param_groups[0]["lr"]
0.1
"""

from cnnbook.optim import lr_scheduler
from cnnbook.optim.adam import Adam
from cnnbook.optim.adamw import AdamW
from cnnbook.optim.optimizer import Optimizer
from cnnbook.optim.path import optimizer_path
from cnnbook.optim.sgd import SGD

__all__ = ["SGD", "Adam", "AdamW", "Optimizer", "lr_scheduler", "optimizer_path"]
