"""Measure the two build times the site promises and print them, with their split.

1. A clean build, split as it costs: every use-case demonstration trained from scratch
   as ``make figures`` does, several at once (one per core; into a fresh, temporary
   ``CNNBOOK_CACHE``, so the user's cache is left alone), every
   figure rendered from scratch (into a temporary folder, so the checkout's rendered
   figures are left alone; this also runs the pages' other cached computations), the
   notebooks executed (timed apart with nbclient), and the whole site built strictly
   into a temporary folder (pages = the build minus its notebooks).
2. A rebuild after editing one Markdown page, as ``make serve`` (``mkdocs serve --dirty``)
   does it on every save: in one warm Python process (like the server's), the page's
   modification time is bumped and MkDocs' ``build(config, dirty=True)`` re-renders only
   that page. Also printed: the same as a cold ``mkdocs build --dirty`` command.

Usage::

    .venv/bin/python scripts/time_build.py [--page docs/further-reading.md] [--warm-cache]

``--warm-cache`` keeps the user's demonstration cache (the demonstrations are then loaded,
not trained: a rebuild after a figure or page edit).
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

from cnnbook.site.worker_processes import default_jobs

ROOT = Path(__file__).resolve().parents[1]
ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "MPLBACKEND": "Agg"}


def timed(command: list[str]) -> float:
    start = time.perf_counter()
    proc = subprocess.run(command, cwd=ROOT, env=ENV, capture_output=True, text=True, check=False)
    elapsed = time.perf_counter() - start
    if proc.returncode != 0:
        sys.exit(f"failed: {' '.join(command)}\n{proc.stdout}\n{proc.stderr}")
    return elapsed


def demonstrations() -> tuple[float, list[tuple[str, float]]]:
    """Train every use-case demonstration as the build does (every core, a fresh process).

    Returns the wall time and each demonstration's own training time in its process.
    """
    code = (
        "import json, time\n"
        "from cnnbook.site.demonstrations import train_all\n"
        "start = time.perf_counter()\n"
        "seconds = train_all(log=lambda line: None)\n"
        "print(json.dumps([time.perf_counter() - start, seconds]))\n"
    )
    proc = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=ENV, capture_output=True, text=True, check=False
    )
    if proc.returncode != 0:
        sys.exit(f"failed: the demonstrations\n{proc.stdout}\n{proc.stderr}")
    import json

    wall, seconds = json.loads(proc.stdout.splitlines()[-1])
    return float(wall), [(name, float(t or 0.0)) for name, t in seconds.items()]


def notebooks() -> float:
    """Execute every notebook of the site with nbclient, as the build does; total seconds."""
    import nbformat
    from nbclient import NotebookClient

    os.environ.update(ENV)
    start = time.perf_counter()
    for path in sorted((ROOT / "docs" / "notebooks").glob("*.ipynb")):
        notebook = nbformat.read(path, as_version=4)
        resources = {"metadata": {"path": str(path.parent)}}
        NotebookClient(notebook, timeout=1800, resources=resources).execute()
    return time.perf_counter() - start


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
    parser.add_argument("--warm-cache", action="store_true", help="keep the demo cache")
    args = parser.parse_args(argv)
    python = sys.executable
    with tempfile.TemporaryDirectory() as tmp:
        if not args.warm_cache:
            ENV["CNNBOOK_CACHE"] = str(Path(tmp) / "cache")
        load = os.getloadavg()[0]
        trained, demos = demonstrations()
        figures_dir = Path(tmp) / "figures"
        site = Path(tmp) / "site"
        figures = timed([python, "scripts/render_figures.py", "--force", "--out", str(figures_dir)])
        # The site itself reads docs/assets/figures: make sure it is current (cheap when it is).
        timed([python, "scripts/render_figures.py"])
        build = timed([python, "-m", "mkdocs", "build", "--strict", "-q", "-d", str(site)])
        executed = notebooks()
        warm = warm_dirty_rebuild(site, args.page)
        os.utime(args.page)
        rebuild = timed(
            [python, "-m", "mkdocs", "build", "--strict", "--dirty", "-q", "-d", str(site)]
        )
        shutil.rmtree(figures_dir, ignore_errors=True)
    jobs = default_jobs()
    print(f"demonstrations ({len(demos)}, {jobs} at once)   {trained:6.1f} s   (wall)")
    for name, seconds in demos:
        print(f"  demo {name:<26}{seconds:6.1f} s   (in its own process)")
    print(f"figures from scratch ({jobs} at once) {figures:6.1f} s")
    print(f"strict site build (+notebooks)  {build:6.1f} s")
    print(f"  of which notebooks            {executed:6.1f} s   (executed apart, same notebooks)")
    print(f"  pages                         {max(build - executed, 0.0):6.1f} s")
    total = trained + figures + build
    print(f"clean total                     {total:6.1f} s   (budget 600 s)")
    print(f"rebuild after editing one page  {warm:6.1f} s   (budget 2 s; warm, as make serve)")
    print(f"  same, cold mkdocs build --dirty {rebuild:5.1f} s   (Python start-up and imports)")
    end = os.getloadavg()[0]
    print(f"load average at start, end      {load:6.1f} {end:5.1f}   ({os.cpu_count()} cores)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
