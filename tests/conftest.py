"""Shared test settings and the session-wide site fixtures.

Hypothesis is deterministic; the site is rendered and built strictly once per run
(``built_site``, started in the background at collection), served once per worker
(``site_url``) and browsed by one Chromium per worker (``chromium``), shared by
``tests/site`` and ``tests/browser``.
"""

from __future__ import annotations

import json
import os
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from filelock import FileLock
from hypothesis import HealthCheck, settings

from tests.sitebuild import (
    CHROMIUM,
    CHROMIUM_ARGS,
    ROOT,
    BuiltSite,
    in_ci,
    missing_browser,
    mkdocs_build,
    render_figures,
    serve,
)

settings.register_profile(
    "cnnbook",
    deadline=None,
    max_examples=60,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.load_profile("cnnbook")


# Fixtures through which a test needs the built site (``explorer_site`` asks for
# ``site_url`` at run time, unless CNNBOOK_MKDOCS_CONFIG names another site to build, so
# pytest does not list ``built_site`` among its fixtures).
SITE_FIXTURES = frozenset({"built_site", "site_url"}) | (
    frozenset() if os.environ.get("CNNBOOK_MKDOCS_CONFIG") else frozenset({"explorer_site"})
)
# The longest site tests (the parts of every page's load and audit), run first of the site
# tests so that the short ones even out the two workers' ends.
LONGEST = ("test_every_page_loads_cleanly",)
# Many short tests (the package's doctests, the bad-input cases: ~90 s of one worker), run
# after the other unit tests and before the site tests: the workers still have work while
# the background build finishes (they used to wait ~80 s each for it).
SHORT = (ROOT / "cnnbook", ROOT / "tests" / "bad_input")
_background_build: threading.Thread | None = None
# The environment the run started with, read before any test runs, for the build's
# subprocesses. The build runs in a background thread while this process runs unit tests,
# and some of them monkeypatch os.environ (CNNBOOK_CACHE to a temporary folder,
# OMP_NUM_THREADS=3): a build subprocess started meanwhile inherited that. It then trained
# every demonstration again into that test's temporary cache (minutes of both cores), the
# pages showed that training's numbers instead of those of the cache the tests read (a CI
# failure: the denoising page's seconds), and the executed blocks and notebooks were
# cached there, so the serve test's build found none of them and ran them all again.
BUILD_ENVIRONMENT = dict(os.environ)


def _shared_temp(factory: pytest.TempPathFactory) -> Path:
    """The run's temporary folder shared by every xdist worker (each has a subfolder)."""
    base = factory.getbasetemp()
    return base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base


def _build_site(shared: Path) -> dict[str, Any]:
    """Render the figures and build the site into ``shared``, once per run; the record.

    The first caller builds under a file lock in the run's shared temporary folder, every
    other (a thread, the other worker) waits and reads the result (two builds at once would
    also train every use-case demonstration twice).
    """
    record = shared / "built-site.json"
    with FileLock(str(shared / "built-site.lock")):
        if not record.exists():
            figures = render_figures(BUILD_ENVIRONMENT)
            if figures.returncode != 0:
                log = f"render_figures.py failed:\n{figures.stdout}\n{figures.stderr}"
                record.write_text(json.dumps({"returncode": -1, "log": log}))
            else:
                proc = mkdocs_build(
                    ROOT / "mkdocs.yml", shared / "built-site", ROOT, BUILD_ENVIRONMENT
                )
                log = proc.stdout + proc.stderr
                record.write_text(json.dumps({"returncode": proc.returncode, "log": log}))
        result: dict[str, Any] = json.loads(record.read_text())
    return result


def _needs_site(item: pytest.Item) -> bool:
    return not SITE_FIXTURES.isdisjoint(getattr(item, "fixturenames", ()))


@pytest.hookimpl(trylast=True)  # after -k/-m deselection: build only for tests that run
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Start the site build in a background thread and run the tests that need it later.

    The build (a subprocess, minutes) then overlaps the unit tests instead of holding a
    worker idle. Order: the other tests of ``tests/``, then the package's doctests and the
    bad-input cases (many short tests, done while the build finishes), then the site tests
    (the longest first, then the slow ones, so that their many short ones even out the two
    xdist workers' ends).
    """
    global _background_build
    site = [item for item in items if _needs_site(item)]
    if not site:
        return
    factory = getattr(config, "_tmp_path_factory", None)
    if factory is not None and _background_build is None and not config.option.collectonly:
        shared = _shared_temp(factory)
        _background_build = threading.Thread(target=_build_site, args=(shared,), daemon=True)
        _background_build.start()
    rest = [item for item in items if not _needs_site(item)]
    short = [any(Path(str(item.path)).is_relative_to(d) for d in SHORT) for item in rest]
    head = [item for item, late in zip(rest, short, strict=True) if not late]
    fill = [item for item, late in zip(rest, short, strict=True) if late]
    site.sort(
        key=lambda item: (not item.name.startswith(LONGEST), not item.get_closest_marker("slow"))
    )
    items[:] = head + fill + site


@pytest.fixture(scope="session")
def built_site(tmp_path_factory: pytest.TempPathFactory) -> BuiltSite:
    """Render the registered figures, then build the site strictly into a temporary folder.

    Once per test run, even when both xdist workers need it (``_build_site``); usually
    already started in the background at collection.
    """
    if _background_build is not None:
        _background_build.join()
    shared = _shared_temp(tmp_path_factory)
    result = _build_site(shared)
    if result["returncode"] != 0:
        pytest.fail(f"the strict site build failed:\n{result['log']}")
    return BuiltSite(shared / "built-site", result["returncode"], result["log"])


@pytest.fixture(scope="session")
def site_url(built_site: BuiltSite) -> Iterator[str]:
    """The built site served on 127.0.0.1; its base URL, ending in '/'."""
    with serve(built_site.path) as url:
        yield url


@pytest.fixture(scope="session")
def chromium() -> Iterator[Any]:
    """Debian's Chromium driven by Playwright (one per session: Playwright's sync API
    cannot run twice in one process). Missing: fails in CI, skips elsewhere, saying why."""
    reason = missing_browser()
    if reason is not None:
        if in_ci():
            pytest.fail(f"CI: {reason}", pytrace=False)
        pytest.skip(reason)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=list(CHROMIUM_ARGS))
        try:
            yield browser
        finally:
            browser.close()
