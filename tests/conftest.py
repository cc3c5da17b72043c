"""Shared test settings and the session-wide site fixtures.

Hypothesis is deterministic; the site is rendered and built strictly once per session
(``built_site``), served once (``site_url``) and browsed by one Chromium (``chromium``),
shared by ``tests/site`` and ``tests/browser``.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
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


@pytest.fixture(scope="session")
def built_site(tmp_path_factory: pytest.TempPathFactory) -> BuiltSite:
    """Render the registered figures, then build the site strictly into a temporary folder.

    Once per test run, even when both xdist workers need it: the first builds under a file
    lock in the run's shared temporary folder, the other waits and reads the result (two
    builds at once would also train every use-case demonstration twice).
    """
    base = tmp_path_factory.getbasetemp()
    shared = base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base
    out, record = shared / "built-site", shared / "built-site.json"
    with FileLock(str(shared / "built-site.lock")):
        if not record.exists():
            figures = render_figures()
            if figures.returncode != 0:
                log = f"render_figures.py failed:\n{figures.stdout}\n{figures.stderr}"
                record.write_text(json.dumps({"returncode": -1, "log": log}))
            else:
                proc = mkdocs_build(ROOT / "mkdocs.yml", out)
                log = proc.stdout + proc.stderr
                record.write_text(json.dumps({"returncode": proc.returncode, "log": log}))
        result = json.loads(record.read_text())
    if result["returncode"] != 0:
        pytest.fail(f"the strict site build failed:\n{result['log']}")
    return BuiltSite(out, result["returncode"], result["log"])


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
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()
