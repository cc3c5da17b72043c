"""Learning-rate schedules with ``torch.optim.lr_scheduler``'s names and exact sequences.

A scheduler wraps an optimizer and sets its groups' ``"lr"``: build it after the
optimizer, then call ``optimizer.step()`` and ``scheduler.step()`` once per
epoch (or per batch for `OneCycleLR`).

Examples
--------
>>> from cnnbook import nn, optim
>>> model = nn.Sequential(nn.Linear(2, 1, rng=np.random.default_rng(0)))
>>> opt = optim.SGD(model.parameters(), lr=0.1)
>>> scheduler = optim.lr_scheduler.CosineAnnealingLR(opt, T_max=10)
>>> opt.param_groups[0]["initial_lr"], scheduler.last_epoch
(0.1, 0)
"""

from cnnbook.optim.lr_scheduler.cosine import CosineAnnealingLR
from cnnbook.optim.lr_scheduler.one_cycle import OneCycleLR
from cnnbook.optim.lr_scheduler.scheduler import LRScheduler
from cnnbook.optim.lr_scheduler.step import MultiStepLR, StepLR

__all__ = ["CosineAnnealingLR", "LRScheduler", "MultiStepLR", "OneCycleLR", "StepLR"]
