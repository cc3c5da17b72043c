"""Browser fixtures for the Convolution Explorer: a built site served on 127.0.0.1, Chromium.

The site is built once per session with ``mkdocs build --strict`` into a temporary folder and
served by ``http.server`` in a thread (``CNNBOOK_MKDOCS_CONFIG`` names another config, e.g. a
small one with only the explorer page, for a faster edit-test loop). Chromium is Debian's
(``apt-get install -y chromium``), driven by Playwright; a missing browser fails the tests
with that instruction, in CI and locally (never a skip).
Every request to a host other than 127.0.0.1 is aborted and recorded, and so is every
console error, so each test can assert there were none.
"""

from __future__ import annotations

import functools
import os
import shutil
import subprocess
import sys
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

import pytest

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = "/usr/bin/chromium"
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


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture(scope="session")
def explorer_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Build the site strictly once and serve it; yields the base URL (ending in '/')."""
    out = tmp_path_factory.mktemp("explorer-site")
    config = os.environ.get("CNNBOOK_MKDOCS_CONFIG", str(ROOT / "mkdocs.yml"))
    proc = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-q", "-f", config, "-d", str(out)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    if proc.returncode != 0:
        pytest.fail(f"mkdocs build failed:\n{proc.stdout}\n{proc.stderr}")
    handler = functools.partial(_QuietHandler, directory=str(out))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


@pytest.fixture(scope="session")
def chromium() -> Iterator[object]:
    """Debian's Chromium through Playwright; fails (in CI and locally) when it is missing."""
    if shutil.which(CHROMIUM) is None:
        where = "CI" if os.environ.get("CI") else "this machine"
        pytest.fail(
            f"{CHROMIUM} is missing on {where}: install it with `apt-get install -y chromium` "
            "(never `playwright install`)"
        )
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


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
    context.set_default_timeout(5000)
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
