"""optimizer_path with cnnbook optimizers equals torch.optim on the same surface, point by point."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from cnnbook.figures.optimizers import OPTIMIZER_RUNS, RAVINE_MINIMUM, RAVINE_START, ravine
from cnnbook.optim import optimizer_path

pytestmark = pytest.mark.torch

TORCH = {"SGD": torch.optim.SGD, "Adam": torch.optim.Adam, "AdamW": torch.optim.AdamW}


def _torch_path(cls, start, steps, **kwargs):
    p = torch.tensor(start, dtype=torch.float64, requires_grad=True)
    minimum = torch.tensor(RAVINE_MINIMUM)
    curv = torch.tensor([1.0, 10.0], dtype=torch.float64)
    opt = cls([p], **kwargs)
    points = [p.detach().numpy().copy()]
    for _ in range(steps):
        opt.zero_grad()
        loss = 0.5 * (curv * (p - minimum) ** 2).sum()
        loss.backward()
        opt.step()
        points.append(p.detach().numpy().copy())
    return np.array(points)


@pytest.mark.parametrize("label", list(OPTIMIZER_RUNS))
def test_path_equals_torch_optimizer_on_the_ravine(label):
    cls, kwargs = OPTIMIZER_RUNS[label]
    ours = optimizer_path(cls, ravine, RAVINE_START, 40, **kwargs)
    theirs = _torch_path(TORCH[cls.__name__], RAVINE_START, 40, **kwargs)
    np.testing.assert_allclose(ours, theirs, rtol=0, atol=1e-12)
