"""The demonstration cache: a missing entry is computed once, even by processes racing for it."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

# Each process counts its own call of `compute` in calls.txt; the sleep holds the entry
# missing long enough for the other process to miss it too, without the lock.
RACER = """
import json, sys, time
from pathlib import Path
import numpy as np
from cnnbook.usecases.cache import cached_run
calls = Path(sys.argv[1])

def compute():
    with calls.open("a") as f:
        f.write("computed\\n")
    time.sleep(1.5)
    return {"value": 7}, {"w": np.arange(3.0)}

result = cached_run("race", 0, True, compute)
print(json.dumps({"metrics": result.metrics, "w": result.arrays["w"].tolist()}))
"""


def test_two_processes_missing_one_entry_compute_it_once_and_both_get_it(tmp_path):
    env = {**os.environ, "CNNBOOK_CACHE": str(tmp_path / "cache"), "PYTHONPATH": str(ROOT)}
    calls = tmp_path / "calls.txt"
    racers = [
        subprocess.Popen(
            [sys.executable, "-c", RACER, str(calls)],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            text=True,
        )
        for _ in range(2)
    ]
    outputs = [json.loads(racer.communicate(timeout=120)[0]) for racer in racers]
    assert [racer.returncode for racer in racers] == [0, 0]
    assert calls.read_text().splitlines() == ["computed"]
    assert outputs == [{"metrics": {"value": 7}, "w": [0.0, 1.0, 2.0]}] * 2
