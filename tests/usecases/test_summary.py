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
