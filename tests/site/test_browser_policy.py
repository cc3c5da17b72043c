"""In CI a missing Chromium fails the browser tests; elsewhere they skip, saying why."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from tests.sitebuild import ROOT, in_ci

# A browser test that needs nothing but the `chromium` fixture (no site build).
BROWSER_TEST = "tests/site/test_hostile_html.py::test_graph_tooltips_show_a_hostile_title_as_text"


def run_browser_test(ci: str | None) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in ("CI", "PYTEST_XDIST_WORKER")}
    env["CNNBOOK_CHROMIUM"] = "/nonexistent/chromium"
    if ci is not None:
        env["CI"] = ci
    options = ["-p", "no:randomly", "-p", "no:cacheprovider", "-n", "0", "-q"]
    return subprocess.run(
        [sys.executable, "-m", "pytest", BROWSER_TEST, *options],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )


@pytest.mark.slow
def test_in_ci_a_missing_chromium_fails_the_run() -> None:
    proc = run_browser_test("true")
    assert proc.returncode == 1, proc.stdout
    assert "CI: /nonexistent/chromium is missing" in proc.stdout
    assert "1 error" in proc.stdout and "skipped" not in proc.stdout


@pytest.mark.slow
def test_outside_ci_a_missing_chromium_skips_saying_why() -> None:
    proc = run_browser_test(None)
    assert proc.returncode == 0, proc.stdout
    assert "1 skipped" in proc.stdout and "/nonexistent/chromium is missing" in proc.stdout


@pytest.mark.parametrize(
    ("value", "expected"),
    [("true", True), ("1", True), ("yes", True), ("", False), ("false", False), ("0", False)],
)
def test_ci_is_any_value_but_an_explicit_false(
    monkeypatch: pytest.MonkeyPatch, value: str, expected: bool
) -> None:
    monkeypatch.setenv("CI", value)
    assert in_ci() is expected
