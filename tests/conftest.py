"""Shared test settings and the session-wide site fixtures.

Hypothesis is deterministic; the site is rendered and built strictly once per session
(``built_site``), served once (``site_url``) and browsed by one Chromium (``chromium``),
shared by ``tests/site`` and ``tests/browser``.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
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
    """Render the registered figures, then build the site strictly into a temporary folder."""
    figures = render_figures()
    if figures.returncode != 0:
        pytest.fail(f"render_figures.py failed:\n{figures.stdout}\n{figures.stderr}")
    out = tmp_path_factory.mktemp("site")
    proc = mkdocs_build(ROOT / "mkdocs.yml", out)
    site = BuiltSite(out, proc.returncode, proc.stdout + proc.stderr)
    if proc.returncode != 0:
        pytest.fail(f"strict mkdocs build failed:\n{site.log}")
    return site


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
