"""`make serve` — the README's first command — really serves the site.

Runs the exact `mkdocs serve` command line of the Makefile (on a free port instead of
8000), waits until the hub and a concept page answer 200, checks that every link of the hub
answers 200, then stops the server.
"""

from __future__ import annotations

import os
import re
import shlex
import socket
import subprocess
import time
import urllib.error
import urllib.request

import pytest

from tests.sitebuild import ROOT, BuiltSite, render_figures

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("site")]


def serve_command(port: int) -> list[str]:
    dry_run = subprocess.run(
        ["make", "-n", "serve"], cwd=ROOT, capture_output=True, text=True, check=True
    )
    (line,) = [ln for ln in dry_run.stdout.splitlines() if " serve " in f"{ln} "]
    argv = shlex.split(line)
    assert argv[argv.index("-a") + 1] == "127.0.0.1:8000"
    argv[argv.index("-a") + 1] = f"127.0.0.1:{port}"
    return argv


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def get(url: str) -> int:
    with urllib.request.urlopen(url, timeout=5) as response:
        return int(response.status)


def local_links(url: str) -> set[str]:
    """The site-relative targets (no scheme, no fragment only) linked from the page at `url`."""
    with urllib.request.urlopen(url, timeout=5) as response:
        html = response.read().decode()
    hrefs = {h.split("#")[0] for h in re.findall(r'href="([^"]*)"', html)}
    return {h for h in hrefs if h and not re.match(r"[a-z]+:", h) and not h.startswith("//")}


def _status(url: str) -> int:
    try:
        return get(url)
    except urllib.error.HTTPError as err:
        return err.code


def test_make_serve_serves_the_hub_and_a_concept_page(built_site: BuiltSite) -> None:
    # After the session's build (``built_site``): the figures are rendered and every
    # demonstration is cached by then, so `mkdocs serve` neither renders figures at the same
    # time as the build nor trains a demonstration a second time.
    assert render_figures().returncode == 0
    port = free_port()
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "MPLBACKEND": "Agg"}
    server = subprocess.Popen(
        serve_command(port), cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT
    )
    try:
        # A liveness limit, not a speed test: the first full build takes ~3 min on a quiet
        # machine with two cores and can take twice that under load.
        deadline = time.monotonic() + 600
        while True:
            assert server.poll() is None, server.stdout.read().decode()  # type: ignore[union-attr]
            try:
                if get(f"http://127.0.0.1:{port}/") == 200:
                    break
            except OSError:
                pass
            assert time.monotonic() < deadline, "mkdocs serve did not answer within 600 s"
            time.sleep(1)
        assert get(f"http://127.0.0.1:{port}/output-size/") == 200
        # Every link of the hub answers, the printed book's included: without a PDF from
        # `make pdf` the served home page has no link to one (cnnbook.site.printed_book).
        links = local_links(f"http://127.0.0.1:{port}/")
        assert len(links) > 40, links
        dead = [h for h in sorted(links) if _status(f"http://127.0.0.1:{port}/{h}") != 200]
        assert not dead, dead
    finally:
        server.terminate()
        server.communicate(timeout=30)  # reaps the server and closes its output pipe
