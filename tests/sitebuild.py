"""Building, serving and browsing the site in tests (used by ``tests/conftest.py``).

One strict build of the real site and one Chromium per test session are shared by the site
tests (``tests/site``) and the Convolution Explorer's browser tests (``tests/browser``); every
test that uses them carries ``@pytest.mark.xdist_group("site")`` so that
``pytest -n 2 --dist loadgroup`` runs them all on one worker.
"""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

# The package's server, re-exported: the site fixtures import `serve` from here.
from cnnbook.site.local_server import serve as serve

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"
# Debian's Chromium; CNNBOOK_CHROMIUM names another binary (a test of the missing-browser
# policy points it at a path that does not exist).
CHROMIUM = os.environ.get("CNNBOOK_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def in_ci() -> bool:
    """True on a CI runner (``CI`` set, e.g. ``CI=true`` on GitHub Actions; not ``CI=false``).

    In CI a missing browser fails the browser tests instead of skipping them, so a broken
    runner cannot pass by testing nothing.
    """
    return os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")


def missing_browser() -> str | None:
    """Why the browser tests cannot run here (Chromium or Playwright missing), or None."""
    import importlib.util
    import shutil

    if shutil.which(CHROMIUM) is None:
        return f"{CHROMIUM} is missing: apt-get install -y chromium (never `playwright install`)"
    if importlib.util.find_spec("playwright") is None:
        return "playwright is missing: pip install -c constraints.txt 'cnnbook[test]'"
    return None


@dataclass(frozen=True)
class BuiltSite:
    """A strict build of the real site: where it is and what MkDocs printed."""

    path: Path
    returncode: int
    log: str

    def page(self, url: str) -> str:
        """Return the HTML of the page at ``url`` (``""`` = home, ``"kernel/"``...)."""
        return (self.path / url / "index.html").read_text(encoding="utf-8")

    def pages(self) -> list[Path]:
        """Every HTML page of the site."""
        return sorted(p for p in self.path.rglob("index.html"))


def mkdocs_build(config: Path, out: Path, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    """Run ``mkdocs build --strict`` in a subprocess (hooks are imported fresh each time)."""
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "MPLBACKEND": "Agg"}
    return subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-f", str(config), "-d", str(out)],
        cwd=cwd,
        capture_output=True,
        text=True,
        check=False,
        env=env,
    )


def render_figures() -> subprocess.CompletedProcess[str]:
    """Render every registered figure (only those whose inputs changed)."""
    return subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "render_figures.py")],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
