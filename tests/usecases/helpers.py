"""Shared checks of the use-case tests (usecases-a): small runs, the cache, the CLI."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from cnnbook import usecases

ROOT = Path(__file__).resolve().parents[2]


def small_run(name: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> usecases.DemoResult:
    """Run `name` at small size into a temporary cache; check the second call is a hit."""
    monkeypatch.setenv("CNNBOOK_CACHE", str(tmp_path))
    first = usecases.run(name, seed=0, small=True)
    again = usecases.run(name, seed=0, small=True)
    assert not first.cached and again.cached
    assert again.metrics == json.loads(json.dumps(first.metrics))
    assert set(again.arrays) == set(first.arrays)
    for key in first.arrays:
        np.testing.assert_array_equal(again.arrays[key], first.arrays[key])
    return first


def assert_fraction(value: Any) -> None:
    assert isinstance(value, float) and 0.0 <= value <= 1.0, value


def cli(*args: str, cache: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "CNNBOOK_CACHE": str(cache), "PYTHONPATH": str(ROOT)}
    return subprocess.run(
        [sys.executable, "-m", "cnnbook", "demo", *args],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        check=True,
        timeout=600,
    )


def cli_json(name: str, cache: Path) -> dict[str, Any]:
    """``python -m cnnbook demo NAME --small --json``: its last line, parsed."""
    out = cli(name, "--small", "--json", "--no-progress", cache=cache).stdout
    record: dict[str, Any] = json.loads(out.strip().splitlines()[-1])
    return record
