"""cnnbook.usecases.summary: shapes and parameter counts against the book's own formulas."""

from __future__ import annotations

import numpy as np

from cnnbook import conv2d_parameter_count, conv_output_size, linear_parameter_count
from cnnbook.models import lenet_like
from cnnbook.usecases.summary import layer_table, markdown_table


def test_summary_counts_match_the_parameter_formulas() -> None:
    rows = layer_table(lenet_like(np.random.default_rng(0), image_size=10, padding=1), (1, 10, 10))
    counts = [r.parameters for r in rows]
    side = conv_output_size(10, 3, padding=1) // 2
    side = conv_output_size(side, 3, padding=1) // 2
    expected = [
        conv2d_parameter_count(1, 8, 3),
        0,
        0,
        conv2d_parameter_count(8, 16, 3),
        0,
        0,
        0,
        linear_parameter_count(16 * side * side, 10),
    ]
    assert counts == expected
    assert rows[0].output_shape == (8, 10, 10)
    assert rows[-1].output_shape == (10,)


def test_summary_markdown_total_is_the_sum_of_the_rows() -> None:
    model = lenet_like(np.random.default_rng(0), image_size=8, padding=1)
    table = markdown_table(layer_table(model, (1, 8, 8)))
    total = sum(p.data.size for p in model.parameters())
    assert table.splitlines()[-1] == f"| **total** | | **{total:,}** |"


def test_summary_leaves_the_training_mode_alone() -> None:
    model = lenet_like(np.random.default_rng(0), image_size=8, padding=1)
    model.train()
    layer_table(model, (1, 8, 8))
    assert model.training


def test_block_table_of_a_unet_lists_its_blocks_in_call_order_with_every_parameter() -> None:
    from cnnbook.models import UNet
    from cnnbook.usecases.summary import block_table

    net = UNet(1, 1, base_channels=4, depth=2, rng=np.random.default_rng(0))
    rows = block_table(net, (1, 16, 16))
    names = [r.layer.split(":")[0] for r in rows]
    assert names == ["down.0", "pools.0", "down.1", "pools.1", "bottleneck",
                     "up.0", "dec.0", "up.1", "dec.1", "head"]  # fmt: skip
    assert sum(r.parameters for r in rows) == sum(p.data.size for p in net.parameters())
    # Shapes: halved twice by the pools (4 -> 8 -> 16 channels), doubled back, one logit.
    assert rows[4].output_shape == (16, 4, 4) and rows[-1].output_shape == (1, 16, 16)
    # The network is left as it was: its own forward, in training mode.
    assert "forward" not in vars(net.head) and net.training
