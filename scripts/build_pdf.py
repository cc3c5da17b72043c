"""Print the built site into one PDF, every page in navigation order (``make pdf``).

Usage::

    .venv/bin/python scripts/build_pdf.py [SITE_DIR] [OUTPUT]   # default: site/ site/cnnbook.pdf
    .venv/bin/python scripts/build_pdf.py site book.pdf --sheets 1 --only problem-set/

``--sheets N`` prints only the first N sheets of each page (the tests' quick proof of the
whole pipeline); ``--only URL`` prints only the page(s) at URL (repeatable), e.g. the
Problem Set as a handout.

Needs a built site (``make docs``), Playwright and Debian's Chromium (``/usr/bin/chromium``,
or the binary named by ``CNNBOOK_CHROMIUM``; never ``playwright install``). ``SITE_URL`` (the
hosted address, as for the site build) is where links to figures and downloads point. The
PDF is written to a temporary file and renamed over OUTPUT only when complete.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import sys
from html import unescape
from pathlib import Path

from cnnbook.site.book_pdf import NavPage, build_book, nav_pages
from cnnbook.site.chromium import chromium_executable


def _h1(page: Path) -> str:
    found = re.search(r"<h1[^>]*>(.*?)</h1>", page.read_text(encoding="utf-8"), re.S)
    if found is None:
        return page.parent.name
    return " ".join(unescape(re.sub(r"<[^>]+>", "", found.group(1))).replace("¶", "").split())


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("site", nargs="?", default="site", type=Path)
    parser.add_argument("output", nargs="?", type=Path)
    parser.add_argument("--sheets", type=int, help="print only the first N sheets of each page")
    parser.add_argument("--only", action="append", help="print only the page at this URL")
    args = parser.parse_args(argv)
    site: Path = args.site
    output: Path = args.output or site / "cnnbook.pdf"
    chromium = chromium_executable()
    if not (site / "index.html").is_file():
        print(f"{site}/index.html not found: build the site first (make docs)", file=sys.stderr)
        return 2
    if shutil.which(chromium) is None:
        print(f"{chromium} not found: apt-get install -y chromium", file=sys.stderr)
        return 2
    # Links to what the book does not print (figures, downloads) go to the hosted site.
    site_url = os.environ.get("SITE_URL")
    pages = nav_pages((site / "index.html").read_text(encoding="utf-8"))
    if args.only:
        known = {page.url: page for page in pages}
        missing = [
            u for u in args.only if u not in known and not (site / u / "index.html").is_file()
        ]
        if missing:
            print(f"--only: no page {missing} in {site}", file=sys.stderr)
            return 2
        # A page outside the navigation (the Problem Set's solutions) is titled by its H1.
        pages = [
            known.get(url) or NavPage(url, _h1(site / url / "index.html")) for url in args.only
        ]
    done = build_book(
        site,
        output,
        chromium=chromium,
        title="cnnbook",
        pages=pages,
        sheets=args.sheets,
        site_url=site_url,
    )
    print(
        f"{output}: {done['pages']} pages from {done['entries']} site pages, "
        f"{done['bytes'] / 1e6:.1f} MB, {done['links']} links between pages, "
        f"{done['seconds']:.0f} s ({done['print_seconds']:.0f} s printing)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
