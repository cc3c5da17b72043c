"""Building, serving and browsing the site in tests (used by ``tests/conftest.py``).

One strict build of the real site per run (shared by the xdist workers through a file lock,
``tests/conftest.py``) and one Chromium per worker serve the site tests (``tests/site``) and
the Convolution Explorer's browser tests (``tests/browser``). They carry
``@pytest.mark.xdist_group("site")``, but pytest-xdist 3.8 cannot group under pytest 9.2
(it renames ``item._nodeid``, which pytest 9 no longer reads), so ``--dist loadgroup``
spreads them over both workers like any test: nothing may rely on one worker running them.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from cnnbook.site.chromium import CHROMIUM_ARGS as CHROMIUM_ARGS
from cnnbook.site.chromium import chromium_executable

# The package's server, re-exported: the site fixtures import `serve` from here.
from cnnbook.site.local_server import serve as serve

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"
# Debian's Chromium; CNNBOOK_CHROMIUM names another binary (a test of the missing-browser
# policy points it at a path that does not exist). The flags are the package's, for every launch.
CHROMIUM = chromium_executable()


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


@dataclass
class Problems:
    """Everything a page did wrong: console errors, failed responses, foreign requests."""

    console: list[str] = field(default_factory=list)
    http: list[str] = field(default_factory=list)
    foreign: list[str] = field(default_factory=list)

    def assert_none(self) -> None:
        assert (self.console, self.http, self.foreign) == ([], [], [])


# Every URL but those of the site served on 127.0.0.1 (data: and blob: URLs are not routed).
_ELSEWHERE = re.compile(r"^(?!http://127\.0\.0\.1[:/])")


def watched_page(browser: Any, width: int = 1200, height: int = 900) -> tuple[Any, Problems]:
    """A page in a new context of ``browser`` that records every console error, page error
    and HTTP 4xx/5xx, and aborts and records every request to a host other than 127.0.0.1.
    The caller closes ``page.context``."""
    context = browser.new_context(viewport={"width": width, "height": height})
    context.set_default_timeout(15000)
    tab = context.new_page()
    problems = Problems()

    def route(route: Any) -> None:
        url = route.request.url
        if url.startswith(("data:", "blob:", "about:")) or urlsplit(url).hostname == "127.0.0.1":
            route.continue_()
        else:
            problems.foreign.append(url)
            route.abort()

    # Only requests to another host reach Python: the site's own files (dozens a page) load
    # without a round trip through the test process for each.
    tab.route(_ELSEWHERE, route)
    tab.on("console", lambda m: problems.console.append(m.text) if m.type == "error" else None)
    tab.on("pageerror", lambda error: problems.console.append(str(error)))
    tab.on(
        "response",
        lambda r: problems.http.append(f"{r.status} {r.url}") if r.status >= 400 else None,
    )
    return tab, problems


BROKEN_IMAGES = """async () => {
  const images = Array.from(document.images);
  images.forEach((image) => { image.loading = "eager"; });
  const results = await Promise.all(images.map((image) =>
    image.decode().then(() => (image.naturalWidth === 0 ? image.src : null), () => image.src)));
  return results.filter((src) => src !== null);
}"""


def load_problems(tab: Any) -> dict[str, object] | None:
    """What is wrong with the loaded page ``tab``: KaTeX errors, math left unrendered,
    images that do not decode (each loaded now, lazy or not); None when nothing is."""
    errors = tab.locator(".katex-error").count()
    broken = tab.evaluate(BROKEN_IMAGES)
    unrendered = tab.locator(".arithmatex:not(:has(.katex))").count()
    if errors or broken or unrendered:
        return {"katex-error": errors, "broken images": broken, "unrendered": unrendered}
    return None


def mkdocs_build(
    config: Path, out: Path, cwd: Path = ROOT, environ: Mapping[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """Run ``mkdocs build --strict`` in a subprocess (hooks are imported fresh each time).

    Its environment is ``environ`` (default: this process's, now) with the build's settings.
    """
    env = {**(os.environ if environ is None else environ)}
    env.update({"NO_MKDOCS_2_WARNING": "1", "MPLBACKEND": "Agg"})
    return subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-f", str(config), "-d", str(out)],
        cwd=cwd,
        capture_output=True,
        text=True,
        check=False,
        env=env,
    )


def render_figures(environ: Mapping[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """Render every registered figure (only those whose inputs changed).

    In the environment ``environ`` (default: this process's, now).
    """
    return subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "render_figures.py")],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
        env=None if environ is None else dict(environ),
    )
