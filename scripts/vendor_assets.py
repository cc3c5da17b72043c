"""Vendor the site's third-party browser assets from npm, checked against the registry's hash.

Run it only to upgrade: the copied files are committed, so building the site needs
neither npm nor a network. For each package it runs ``npm pack NAME@VERSION``, checks
the tarball's SHA-512 against ``npm view NAME@VERSION dist.integrity``, and copies the
files the site serves into ``docs/assets/vendor/<name>/`` together with the licence.
``docs/assets/vendor/VENDORED.json`` records name, version and integrity of each.

Usage::

    .venv/bin/python scripts/vendor_assets.py
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
import shutil
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
VENDOR = ROOT / "docs" / "assets" / "vendor"

# name -> (version, [(path inside the tarball's package/, path under vendor/<name>/)])
PACKAGES: dict[str, tuple[str, list[tuple[str, str]]]] = {
    "katex": (
        "0.16.47",
        [
            ("dist/katex.min.js", "katex.min.js"),
            ("dist/katex.min.css", "katex.min.css"),
            ("dist/contrib/auto-render.min.js", "auto-render.min.js"),
            ("dist/fonts/*.woff2", "fonts/"),
            ("LICENSE", "LICENSE"),
        ],
    ),
    "force-graph": (
        "1.52.0",
        [
            ("dist/force-graph.min.js", "force-graph.min.js"),
            ("LICENSE", "LICENSE"),
        ],
    ),
}


def npm(*args: str, cwd: Path) -> str:
    return subprocess.run(
        ["npm", *args], cwd=cwd, check=True, capture_output=True, text=True
    ).stdout.strip()


def sri_sha512(path: Path) -> str:
    return "sha512-" + base64.b64encode(hashlib.sha512(path.read_bytes()).digest()).decode()


def vendor(name: str, version: str, files: list[tuple[str, str]], tmp: Path) -> dict[str, str]:
    expected = npm("view", f"{name}@{version}", "dist.integrity", cwd=tmp)
    tarball = tmp / npm("pack", f"{name}@{version}", "--silent", cwd=tmp).splitlines()[-1]
    actual = sri_sha512(tarball)
    if actual != expected:
        sys.exit(f"{name}@{version}: integrity {actual} != registry {expected}")
    unpacked = tmp / name
    with tarfile.open(tarball) as tar:
        tar.extractall(unpacked, filter="data")
    dest = VENDOR / name
    shutil.rmtree(dest, ignore_errors=True)
    for src, dst in files:
        matches = sorted((unpacked / "package").glob(src))
        if not matches:
            sys.exit(f"{name}@{version}: no file matches {src}")
        for match in matches:
            target = dest / dst / match.name if dst.endswith("/") else dest / dst
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(match, target)
    if name == "katex":
        drop_legacy_fonts(dest / "katex.min.css")
    return {"version": version, "integrity": expected}


def drop_legacy_fonts(css: Path) -> None:
    """Keep only the woff2 source of each @font-face: the other formats are not vendored."""
    text = css.read_text()
    text, count = re.subn(
        r',url\(fonts/[^)]+\.(?:woff|ttf)\) format\("(?:woff|truetype)"\)', "", text
    )
    if count == 0:
        sys.exit(f"{css}: found no woff/ttf font sources to drop")
    css.write_text(text)


def main() -> None:
    record = {}
    with tempfile.TemporaryDirectory() as tmp:
        for name, (version, files) in PACKAGES.items():
            record[name] = vendor(name, version, files, Path(tmp))
            print(f"vendored {name}@{version} ({record[name]['integrity'][:20]}...)")
    (VENDOR / "VENDORED.json").write_text(json.dumps(record, indent=2) + "\n")


if __name__ == "__main__":
    main()
