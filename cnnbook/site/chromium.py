"""Headless Chromium for the site's tools: which binary, and the flags of every launch.

``make pdf`` (`cnnbook.site.book_pdf`), the accessibility audit
(``scripts/check_accessibility.py``) and the site and browser tests (``tests/sitebuild.py``)
all drive Debian's Chromium through Playwright (never ``playwright install``). They launch it
the same way, from here, so a flag this machine needs cannot be missing from one of them.
"""

from __future__ import annotations

import os

__all__ = ["CHROMIUM_ARGS", "DEFAULT_CHROMIUM", "chromium_executable"]

#: Debian's Chromium (``apt-get install -y chromium``).
DEFAULT_CHROMIUM = "/usr/bin/chromium"

#: The flags of every launch: headless without a sandbox or a GPU (a container has neither),
#: and nothing fetched beyond the served site on 127.0.0.1 -- no QUIC, first-run pages,
#: background requests, component updates or sync.
CHROMIUM_ARGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
)


def chromium_executable() -> str:
    """Return the Chromium binary to drive: ``$CNNBOOK_CHROMIUM``, else Debian's.

    ``CNNBOOK_CHROMIUM`` names another binary (a test of the missing-browser policy points
    it at a path that does not exist).

    Examples
    --------
    >>> import os
    >>> chromium_executable() == os.environ.get("CNNBOOK_CHROMIUM", DEFAULT_CHROMIUM)
    True
    """
    return os.environ.get("CNNBOOK_CHROMIUM", DEFAULT_CHROMIUM)
