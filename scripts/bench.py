"""Run every benchmark script (``scripts/bench_*.py``) in turn; each prints its own table.

Timings are medians of repeats, taken in the same run as the PyTorch reference,
with the same thread count; compare the ratios, not the absolute numbers. After the
last table, every speed target with the worst row it covers (``speed_targets.py``).
"""

from __future__ import annotations

import runpy
import sys
from pathlib import Path

import speed_targets


def main() -> int:
    scripts = sorted(Path(__file__).parent.glob("bench_*.py"))
    if not scripts:
        print("no benchmarks yet (scripts/bench_*.py)")
    for script in scripts:
        print(f"\n## {script.stem}\n", flush=True)
        runpy.run_path(str(script), run_name="__main__")
    print("\n## The speed targets (issue 16), as measured by the tables above\n")
    print("\n".join(speed_targets.summary()))
    print(
        "\nOne run: on a shared machine a row moves by up to 2x between runs; "
        "the build targets are measured by scripts/time_build.py."
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
