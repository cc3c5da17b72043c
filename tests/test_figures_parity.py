from __future__ import annotations

import io
from types import SimpleNamespace

import numpy as np
import pytest
from matplotlib.figure import Figure

from cnnbook.figures.parity import parity_curves_figure


def render(fig: Figure) -> None:
    fig.savefig(io.BytesIO(), format="png")


def report(name: str, numpy_losses: list[float], torch_losses: list[float]) -> SimpleNamespace:
    return SimpleNamespace(optimizer=name, losses_numpy=numpy_losses, losses_torch=torch_losses)


def test_parity_curves_draw_both_loss_curves_of_every_report() -> None:
    sgd = report("SGD(lr=0.1)", [2.0, 1.5, 1.25], [2.0, 1.5 + 1e-12, 1.25])
    adam = report("Adam(lr=0.01)", [2.5, 2.0, 1.0], [2.5, 2.0, 1.0 - 1e-10])
    fig = parity_curves_figure([sgd, adam])
    render(fig)
    lines = {line.get_label(): line for line in fig.axes[0].get_lines()}
    for r in (sgd, adam):
        np.testing.assert_array_equal(lines[f"cnnbook {r.optimizer}"].get_xdata(), [1, 2, 3])
        np.testing.assert_array_equal(lines[f"cnnbook {r.optimizer}"].get_ydata(), r.losses_numpy)
        np.testing.assert_array_equal(lines[f"torch {r.optimizer}"].get_ydata(), r.losses_torch)


def test_parity_difference_panel_is_the_absolute_gap_with_zeros_at_a_floor_below_it() -> None:
    sgd = report("SGD", [2.0, 1.5, 1.25], [2.0, 1.5 + 2**-40, 1.25 - 2**-38])
    fig = parity_curves_figure([sgd])
    render(fig)
    (line,) = fig.axes[1].get_lines()
    drawn = np.asarray(line.get_ydata())
    assert fig.axes[1].get_yscale() == "log"
    np.testing.assert_allclose(drawn[1:], [2**-40, 2**-38], rtol=1e-3)  # float rounding of 1.5+ε
    assert 0 < drawn[0] < drawn[1:].min()


@pytest.mark.parametrize(
    ("reports", "match"),
    [
        ([], "reports is empty"),
        ([report("SGD", [1.0, 2.0], [1.0])], r"reports\[0\] has 2 cnnbook and 1 torch losses"),
    ],
)
def test_parity_curves_reject_bad_reports(reports: list, match: str) -> None:
    with pytest.raises(ValueError, match=match):
        parity_curves_figure(reports)
