"""Browser fixtures for the Convolution Explorer.

The site is the session's shared strict build (``tests/conftest.py``: ``built_site``,
``site_url``, ``chromium``), unless ``CNNBOOK_MKDOCS_CONFIG`` names another config, e.g. a
small one with only the explorer page, for a faster edit-test loop. Every request to a host
other than 127.0.0.1 is aborted and recorded, and so is every console error, so each test
can assert there were none.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from tests.sitebuild import mkdocs_build, serve


@pytest.fixture(scope="session")
def explorer_site(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    """The site's base URL: the session's shared build, or (``CNNBOOK_MKDOCS_CONFIG`` set)
    a build of that config, e.g. a small one with only the explorer page."""
    config = os.environ.get("CNNBOOK_MKDOCS_CONFIG")
    if config is None:
        yield request.getfixturevalue("site_url")
        return
    out = tmp_path_factory.mktemp("explorer-site")
    proc = mkdocs_build(Path(config), out)
    if proc.returncode != 0:
        pytest.fail(f"mkdocs build failed:\n{proc.stdout}\n{proc.stderr}")
    with serve(out) as url:
        yield url


@dataclass
class Watch:
    """What a page did that a test must see: console errors and requests to other hosts."""

    console_errors: list[str] = field(default_factory=list)
    foreign_requests: list[str] = field(default_factory=list)

    def assert_clean(self) -> None:
        assert self.console_errors == [], self.console_errors
        assert self.foreign_requests == [], self.foreign_requests


def open_page(browser: object, width: int = 1000, height: int = 900) -> tuple[object, Watch]:
    """A new page of `width` CSS pixels that aborts and records requests leaving 127.0.0.1."""
    context = browser.new_context(viewport={"width": width, "height": height})  # type: ignore[attr-defined]
    # Generous limits: they only bound a failure, and CI machines under two busy
    # workers have taken more than 5 s to load a page (the page was fine).
    context.set_default_timeout(20_000)
    context.set_default_navigation_timeout(30_000)
    page = context.new_page()
    watch = Watch()

    def route(r: object) -> None:
        url = r.request.url  # type: ignore[attr-defined]
        host = urlsplit(url).hostname
        if url.startswith(("data:", "blob:", "about:")) or host == "127.0.0.1":
            r.continue_()  # type: ignore[attr-defined]
        else:
            watch.foreign_requests.append(url)
            r.abort()  # type: ignore[attr-defined]

    page.route("**/*", route)
    page.on(
        "console",
        lambda m: watch.console_errors.append(m.text) if m.type in ("error", "warning") else None,
    )
    page.on("pageerror", lambda e: watch.console_errors.append(str(e)))
    page.on(
        "response",
        lambda r: watch.console_errors.append(f"{r.status} {r.url}") if r.status >= 400 else None,
    )
    return page, watch
