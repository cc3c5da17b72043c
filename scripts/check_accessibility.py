"""Run axe-core on every page of a built site, in the light and the dark scheme.

Prints the count of violations per scheme, rule and impact (every impact), then each
serious or critical one (page, scheme, rule, element); exits 1 when there is any.
axe-core is installed by npm into ``.cache/npm`` on first use (never into the site).

Usage::

    .venv/bin/python scripts/check_accessibility.py [SITE_DIR] [--page kernel/ ...]
"""

from __future__ import annotations

import argparse
import functools
import sys
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from cnnbook.site.accessibility import SCHEMES, audit_pages, install_axe, page_paths, summary
from cnnbook.site.chromium import CHROMIUM_ARGS, chromium_executable

ROOT = Path(__file__).resolve().parents[1]


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("site", nargs="?", default="site", type=Path)
    parser.add_argument("--page", action="append", help="audit only this page (repeatable)")
    args = parser.parse_args(argv)
    if not (args.site / "index.html").is_file():
        print(f"{args.site}/index.html not found: build the site first", file=sys.stderr)
        return 2
    axe = install_axe(ROOT / ".cache" / "npm")
    paths = args.page or page_paths(args.site)
    handler = functools.partial(_Quiet, directory=str(args.site))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}/"
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=chromium_executable(), args=list(CHROMIUM_ARGS)
        )
        found = audit_pages(browser, base, paths, axe)
        browser.close()
    server.shutdown()
    print(summary(found))
    blocking = [v for v in found if v.blocking]
    for v in blocking:
        print(v)
    print(
        f"axe: {len(found)} violation(s) on {len(paths)} page(s) x {len(SCHEMES)} schemes, "
        f"{len(blocking)} serious or critical"
    )
    return 1 if blocking else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
