"""Render the site's figures into docs/assets/figures/ (only those whose inputs changed).

Usage::

    .venv/bin/python scripts/render_figures.py            # render what is stale
    .venv/bin/python scripts/render_figures.py --force    # render everything
    .venv/bin/python scripts/render_figures.py --check    # exit 1 if anything is stale
    .venv/bin/python scripts/render_figures.py --jobs 1   # one process (default: every core)

First every use-case demonstration that is not in the cache is trained, several at once
(cnnbook/site/demonstrations.py), so that the figures and pages only load them; then the
stale figures are rendered, several at once.

The registry is cnnbook/site/figures_registry.py; the mechanics are in cnnbook/site/render.py.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

os.environ.setdefault("MPLBACKEND", "Agg")

from cnnbook.site.demonstrations import train_all
from cnnbook.site.figures_registry import FIGURES
from cnnbook.site.render import FIGURES_DIR, render_all, stale
from cnnbook.site.worker_processes import default_jobs


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--force", action="store_true", help="render every figure")
    parser.add_argument("--check", action="store_true", help="only report stale figures")
    parser.add_argument("--out", type=Path, default=FIGURES_DIR, help="output folder")
    parser.add_argument(
        "--jobs", type=int, default=default_jobs(), help="processes (default: every core)"
    )
    args = parser.parse_args(argv)
    if args.jobs < 1:
        parser.error(f"--jobs (={args.jobs}) must be at least 1")
    if args.check:
        names = stale(FIGURES, args.out)
        print("\n".join(f"stale: {name}" for name in names) or "all figures up to date")
        return 1 if names else 0
    start = time.perf_counter()
    try:
        trained = [s for s in train_all(jobs=args.jobs, log=lambda line: None).values() if s]
        if trained:
            print(f"demonstrations: {len(trained)} trained ({time.perf_counter() - start:.1f} s)")
        done = render_all(FIGURES, args.out, force=args.force, jobs=args.jobs)
    except RuntimeError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    print(
        f"figures: {sum(done.values())} rendered, {len(done) - sum(done.values())} up to date "
        f"({time.perf_counter() - start:.1f} s)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
