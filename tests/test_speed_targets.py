"""`make bench`'s closing table (scripts/speed_targets.py): the verdicts, not the timings."""

from __future__ import annotations

from types import ModuleType

from tests.script_module import fresh_script


def fresh_module() -> ModuleType:
    """A new copy of the script's module (its record of measurements starts empty)."""
    return fresh_script("speed_targets")


def line_of(lines: list[str], what: str) -> list[str]:
    (line,) = [line for line in lines if line.startswith(f"| {what} |")]
    return [cell.strip() for cell in line.strip("|").split("|")]


def test_a_target_is_met_only_when_every_row_is_within_it_and_the_worst_row_is_named() -> None:
    st = fresh_module()
    st.record(st.BATCHNORM, "a", 1.2)
    st.record(st.BATCHNORM, "b", 1.5)  # on the bound: met
    st.record(st.INTERPOLATE, "c", 0.7)
    st.record(st.INTERPOLATE, "d", 1.51)
    lines = st.summary()
    assert line_of(lines, st.BATCHNORM.what) == [
        st.BATCHNORM.what,
        "<= 1.5x",
        "2",
        "b",
        "1.50x",
        "yes",
    ]
    assert line_of(lines, st.INTERPOLATE.what)[3:] == ["d", "1.51x", "no (1 of 2 rows miss)"]


def test_a_share_of_peak_is_a_lower_bound_whose_worst_row_is_the_lowest() -> None:
    st = fresh_module()
    st.record(st.LARGE_PEAK, "fast run", 64.0)
    st.record(st.LARGE_PEAK, "slow run", 46.0)
    cells = line_of(st.summary(), st.LARGE_PEAK.what)
    assert cells[1:] == [">= 60 %", "2", "slow run", "46.00 %", "no (1 of 2 rows miss)"]


def test_a_target_no_benchmark_measured_is_not_met() -> None:
    st = fresh_module()
    lines = st.summary()
    assert len(lines) == 2 + len(st.TARGETS)
    for target in st.TARGETS:
        assert line_of(lines, target.what)[2:] == ["0", "not measured", "-", "no"]
