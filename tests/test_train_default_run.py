"""The full default run of ``python -m cnnbook train`` reaches the accuracy its docs claim."""

from __future__ import annotations

import re

import numpy as np
import pytest

from cnnbook.__main__ import main
from cnnbook.data import load_digits, train_test_split
from cnnbook.models import reference_cnn
from cnnbook.train import evaluate, load_checkpoint


@pytest.mark.slow
def test_default_training_run_reaches_at_least_98_percent_test_accuracy(tmp_path, capsys):
    assert main(["train", "--out", str(tmp_path), "--no-progress"]) == 0
    printed = capsys.readouterr().out
    reported = float(re.search(r"test accuracy: ([\d.]+)%", printed).group(1)) / 100
    # Re-score the written weights independently of the command's own report.
    x, y = load_digits(dtype=np.float32)
    _, (x_test, y_test) = train_test_split(x, y, test_fraction=0.2, seed=0)
    model = load_checkpoint(reference_cnn(np.random.default_rng(1)), tmp_path / "reference_cnn.npz")
    accuracy = evaluate(model, x_test, y_test).accuracy
    assert accuracy == pytest.approx(reported, abs=5e-5)
    assert accuracy >= 0.98
