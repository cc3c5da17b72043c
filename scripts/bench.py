"""Run every benchmark script (``scripts/bench_*.py``) in turn; each prints its own table.

Timings are medians of repeats, taken in the same run as the PyTorch reference,
with the same thread count; compare the ratios, not the absolute numbers.
"""

from __future__ import annotations

import runpy
import sys
from pathlib import Path


def main() -> int:
    scripts = sorted(Path(__file__).parent.glob("bench_*.py"))
    if not scripts:
        print("no benchmarks yet (scripts/bench_*.py)")
    for script in scripts:
        print(f"\n## {script.stem}\n", flush=True)
        runpy.run_path(str(script), run_name="__main__")
    return 0


if __name__ == "__main__":
    sys.exit(main())
