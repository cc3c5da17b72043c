"""The speed targets (issue 16), checked against what the benchmarks measured in this run.

Each ``bench_*.py`` records the rows a target names (`record`); ``scripts/bench.py``
prints `summary` after the last table: every target, how many rows it covers, the worst
of them and whether the target is met. A target that no script recorded says so instead
of passing. The build targets (a clean ``make docs`` in <= 10 min, a one-page rebuild in
<= 2 s) are measured by ``scripts/time_build.py``. Not a benchmark itself
(``scripts/bench.py`` runs only ``bench_*.py``).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Target:
    """A bound on a measured value: a ratio to torch at most `limit`, or a share at least."""

    what: str
    limit: float
    at_least: bool = False
    unit: str = "x"

    def met(self, value: float) -> bool:
        """Return whether `value` is within the bound."""
        return value >= self.limit if self.at_least else value <= self.limit

    def bound(self) -> str:
        """Return the bound as text, e.g. ``<= 1.5x``."""
        return f"{'>=' if self.at_least else '<='} {self.limit:g}{self.unit}"


# The rows and their shapes come from the benches (the summary names the worst one).
CONV_FWD = Target("conv2d forward / torch (the bench's shapes, stride 1 and 2)", 2.0)
CONV_FB = Target("conv2d forward+backward / torch (the same shapes)", 2.0)
LARGE_PEAK = Target(
    "conv2d forward of the large layer, share of NumPy's SGEMM peak", 60, True, " %"
)
TRANSPOSED = Target("conv_transpose2d forward and forward+backward / torch", 1.5)
BATCHNORM = Target("BatchNorm2d forward and forward+backward / torch", 1.5)
INTERPOLATE = Target("interpolate forward and forward+backward / torch", 1.5)
EPOCH = Target("a training epoch on the digits, reference_cnn, 1 thread / torch", 1.0)
STEP = Target("a 28x28 Adam step of lenet_like, 1 thread / torch", 1.0)
TARGETS = [CONV_FWD, CONV_FB, LARGE_PEAK, TRANSPOSED, BATCHNORM, INTERPOLATE, EPOCH, STEP]

_measured: dict[Target, list[tuple[str, float]]] = {}


def record(target: Target, row: str, value: float) -> None:
    """Note that the benchmark row `row` measured `value` for `target`."""
    _measured.setdefault(target, []).append((row, value))


def summary() -> list[str]:
    """Return the targets as Markdown lines: each with its rows' worst value and if it is met."""
    lines = [
        "| target | bound | rows | worst row | worst | met |",
        "|---|---|---|---|---|---|",
    ]
    for target in TARGETS:
        rows = _measured.get(target, [])
        if not rows:
            lines.append(f"| {target.what} | {target.bound()} | 0 | not measured | - | no |")
            continue
        pick = min if target.at_least else max
        row, worst = pick(rows, key=lambda r: r[1])
        met = sum(target.met(v) for _, v in rows)
        verdict = "yes" if met == len(rows) else f"no ({len(rows) - met} of {len(rows)} rows miss)"
        lines.append(
            f"| {target.what} | {target.bound()} | {len(rows)} | {row} | "
            f"{worst:.2f}{target.unit} | {verdict} |"
        )
    return lines
