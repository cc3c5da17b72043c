"""Site fixtures: the whole site rendered (figures) and built strictly ONCE per session.

Every test that uses ``built_site`` must carry ``@pytest.mark.xdist_group("site")`` so
``pytest -n 2 --dist loadgroup`` runs them on one worker and the build happens once.
"""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
DOCS = ROOT / "docs"


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
        """Every HTML page of the site except MkDocs' 404 page."""
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


@pytest.fixture(scope="session")
def built_site(tmp_path_factory: pytest.TempPathFactory) -> BuiltSite:
    """Render the registered figures, then build the site strictly into a temporary folder."""
    figures = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "render_figures.py")],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    if figures.returncode != 0:
        pytest.fail(f"render_figures.py failed:\n{figures.stdout}\n{figures.stderr}")
    out = tmp_path_factory.mktemp("site")
    proc = mkdocs_build(ROOT / "mkdocs.yml", out)
    site = BuiltSite(out, proc.returncode, proc.stdout + proc.stderr)
    if proc.returncode != 0:
        pytest.fail(f"strict mkdocs build failed:\n{site.log}")
    return site
