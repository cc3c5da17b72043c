"""Check that a built site loads nothing from another host (exit 1 and list what does).

Usage::

    .venv/bin/python scripts/check_offline.py [SITE_DIR]    # default: site/
"""

from __future__ import annotations

import sys
from pathlib import Path

from cnnbook.site.offline import check_site


def main(argv: list[str]) -> int:
    site = Path(argv[0] if argv else "site")
    if not (site / "index.html").is_file():
        print(f"{site}/index.html not found: build the site first (make docs)", file=sys.stderr)
        return 2
    findings = check_site(site)
    for finding in findings:
        print(finding)
    print(f"offline check: {len(findings)} reference(s) to other hosts or missing files in {site}")
    return 1 if findings else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
