"""Measure the two build times the site promises and print them.

1. A clean build: every figure rendered from scratch (into a temporary folder, so the
   checkout's rendered figures are left alone) and the whole site built strictly, with
   the notebooks executed, into a temporary folder.
2. A rebuild after editing one Markdown page, as ``make serve`` (``mkdocs serve --dirty``)
   does it on every save: in one warm Python process (like the server's), the page's
   modification time is bumped and MkDocs' ``build(config, dirty=True)`` re-renders only
   that page. Also printed: the same as a cold ``mkdocs build --dirty`` command.

Usage::

    .venv/bin/python scripts/time_build.py [--page docs/further-reading.md]
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "MPLBACKEND": "Agg"}


def timed(command: list[str]) -> float:
    start = time.perf_counter()
    proc = subprocess.run(command, cwd=ROOT, env=ENV, capture_output=True, text=True, check=False)
    elapsed = time.perf_counter() - start
    if proc.returncode != 0:
        sys.exit(f"failed: {' '.join(command)}\n{proc.stdout}\n{proc.stderr}")
    return elapsed


def warm_dirty_rebuild(site: Path, page: Path) -> float:
    """Time a dirty rebuild after touching ``page``, in this (warmed-up) process."""
    import logging

    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    os.environ.update(ENV)
    os.chdir(ROOT)
    logging.getLogger("mkdocs").setLevel(logging.ERROR)
    build(load_config(str(ROOT / "mkdocs.yml"), site_dir=str(site)), dirty=True)  # warm-up
    os.utime(page)
    start = time.perf_counter()
    build(load_config(str(ROOT / "mkdocs.yml"), site_dir=str(site)), dirty=True)
    return time.perf_counter() - start


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--page", type=Path, default=ROOT / "docs" / "further-reading.md")
    args = parser.parse_args(argv)
    python = sys.executable
    with tempfile.TemporaryDirectory() as tmp:
        figures_dir = Path(tmp) / "figures"
        site = Path(tmp) / "site"
        figures = timed([python, "scripts/render_figures.py", "--force", "--out", str(figures_dir)])
        # The site itself reads docs/assets/figures: make sure it is current (cheap when it is).
        timed([python, "scripts/render_figures.py"])
        build = timed([python, "-m", "mkdocs", "build", "--strict", "-q", "-d", str(site)])
        warm = warm_dirty_rebuild(site, args.page)
        os.utime(args.page)
        rebuild = timed(
            [python, "-m", "mkdocs", "build", "--strict", "--dirty", "-q", "-d", str(site)]
        )
        shutil.rmtree(figures_dir, ignore_errors=True)
    print(f"figures from scratch            {figures:6.1f} s")
    print(f"strict site build (+notebooks)  {build:6.1f} s")
    print(f"clean total                     {figures + build:6.1f} s   (budget 90 s)")
    print(f"rebuild after editing one page  {warm:6.1f} s   (budget 5 s; warm, as make serve)")
    print(f"  same, cold mkdocs build --dirty {rebuild:5.1f} s   (Python start-up and imports)")
    print(f"load average                    {os.getloadavg()[0]:6.1f}   ({os.cpu_count()} cores)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
