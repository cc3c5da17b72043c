"""torch_bridge.parity_records: the summaries of a parity report and the table it prints."""

from __future__ import annotations

import pytest

from cnnbook.torch_bridge import LayerParity, ParityReport, parity
from cnnbook.torch_bridge.parity_records import LayerParity as DefinedLayerParity

pytestmark = pytest.mark.torch


def report(steps: int, buffers: dict[str, float] | None = None) -> ParityReport:
    rows = [
        LayerParity("0", "Conv2d(1, 2, kernel_size=(3, 3))", 1e-16, 2e-16, {"weight": 4e-16}),
        LayerParity("1.0", "ReLU()", 0.0, 3e-16),
    ]
    curve = [2.0 - 0.1 * i for i in range(steps)]
    return ParityReport(
        dtype="float64",
        layers=rows,
        loss_numpy=2.0,
        loss_torch=2.0 + 5e-16,
        optimizer="SGD(lr=0.1)",
        parameters={"0.weight": 6e-16},
        losses_numpy=curve,
        losses_torch=[v + 7e-16 if i == 1 else v for i, v in enumerate(curve)],
        buffers=buffers or {},
    )


def test_the_records_are_the_ones_the_package_and_parity_module_export() -> None:
    assert LayerParity is DefinedLayerParity is parity.LayerParity
    assert ParityReport is parity.ParityReport


def test_the_summaries_are_the_largest_difference_of_their_part() -> None:
    r = report(3, buffers={"1.running_mean": 8e-16})
    assert r.loss == pytest.approx(5e-16, rel=0.01)
    assert r.forward_backward == pytest.approx(5e-16, rel=0.01)  # the loss beats every row
    assert r.after_steps == 8e-16  # a buffer counts with the parameters
    assert r.loss_curve == pytest.approx(7e-16, rel=0.01)


def test_a_report_with_no_steps_has_no_curve_difference_and_no_parameters() -> None:
    r = ParityReport("float64", [], 1.0, 1.0, "SGD(lr=0.01)", {}, [], [])
    assert (r.loss_curve, r.after_steps, r.forward_backward) == (0.0, 0.0, 0.0)
    assert "after 0 SGD(lr=0.01) steps" in str(r)


def test_the_table_lists_every_layer_parameter_buffer_and_step() -> None:
    text = str(report(4, buffers={"1.running_mean": 8e-16}))
    lines = text.splitlines()
    assert lines[0] == "cnnbook vs torch (float64): largest absolute differences"
    assert any(line.startswith("  (0) Conv2d(") and "weight 4.0e-16" in line for line in lines)
    assert any(line.startswith("(1.0) ReLU()") for line in lines)
    assert "after 4 SGD(lr=0.1) steps, |Δ parameter|:" in lines
    assert "|Δ buffer|:" in lines
    assert lines[-5].split() == ["step", "cnnbook", "torch", "|Δ|"]
    assert [line.split()[0] for line in lines[-4:]] == ["1", "2", "3", "4"]


def test_a_long_loss_curve_shows_its_first_and_last_five_steps() -> None:
    lines = str(report(12)).splitlines()
    shown = [line.split()[0] for line in lines[-11:]]
    assert shown == ["1", "2", "3", "4", "5", "...", "8", "9", "10", "11", "12"]
    assert "|Δ buffer|:" not in lines
