"""The layer-cost figure draws the multiply-adds and activation bytes layer_costs gives."""

from __future__ import annotations

import pytest

from cnnbook import ALEXNET, RESNET18, VGG16, layer_costs
from cnnbook.figures.layer_cost import layer_cost_figure


@pytest.mark.parametrize("arch", [VGG16, ALEXNET, RESNET18], ids=lambda a: a.name)
def test_bars_are_the_macs_and_activation_bytes_of_every_computing_layer(arch):
    rows = [r for r in layer_costs(arch) if r.macs]
    left, right = layer_cost_figure(arch).axes
    assert [p.get_width() for p in left.patches] == [r.macs for r in rows]
    assert [p.get_width() for p in right.patches] == [r.activation_bytes for r in rows]
