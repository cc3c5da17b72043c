from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from cnnbook.__main__ import TRAIN_DEFAULTS, main
from cnnbook.models import reference_cnn
from cnnbook.train import load_checkpoint


def test_help_documents_the_train_command() -> None:
    out = subprocess.run(
        [sys.executable, "-m", "cnnbook", "--help"], capture_output=True, text=True, check=True
    ).stdout
    assert "usage: python -m cnnbook" in out and "train" in out


def test_train_help_lists_every_option_with_its_default(capsys: pytest.CaptureFixture) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["train", "--help"])
    assert exit_info.value.code == 0
    out = capsys.readouterr().out
    for option in ("--epochs", "--lr", "--batch-size", "--seed", "--out", "--no-progress"):
        assert option in out
    assert f"(default: {TRAIN_DEFAULTS['epochs']})" in out


def test_a_tiny_training_run_reports_and_writes_its_files(
    tmp_path: Path, capsys: pytest.CaptureFixture
) -> None:
    code = main(
        [
            "train",
            "--epochs",
            "1",
            "--subset",
            "200",
            "--out",
            str(tmp_path),
            "--no-progress",
            "--seed",
            "3",
        ]
    )
    assert code == 0
    captured = capsys.readouterr()
    lines = captured.out.strip().splitlines()
    match = re.fullmatch(r"test accuracy: (\d+\.\d\d)% \((\d+)/(\d+)\)", lines[-1])
    assert match is not None
    correct, total = int(match[2]), int(match[3])
    assert total == 40 and float(match[1]) == pytest.approx(100 * correct / total, abs=0.005)
    # the confusion matrix rows sum to the test set and its diagonal to the correct ones
    start = next(i for i, line in enumerate(lines) if line.startswith("true\\pred"))
    matrix = np.array(
        [[int(v) for v in line.split()[1:]] for line in lines[start + 1 : start + 11]]
    )
    assert matrix.shape == (10, 10) and matrix.sum() == total and np.trace(matrix) == correct
    assert "epoch 1/1" not in captured.err  # --no-progress
    weights = tmp_path / "reference_cnn.npz"
    load_checkpoint(reference_cnn(np.random.default_rng(0)), weights)
    assert (tmp_path / "training_curves.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_training_shows_progress_on_stderr(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    main(
        [
            "train",
            "--epochs",
            "1",
            "--subset",
            "100",
            "--out",
            str(tmp_path),
            "--shift-fraction",
            "0",
            "--threads",
            "1",
        ]
    )
    assert "epoch 1/1" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--epochs", "0"], "argument --epochs: must be positive"),
        (["--lr", "-0.1"], "argument --lr: must be positive"),
        (["--lr", "abc"], "argument --lr: invalid float value"),
        (["--test-fraction", "1.5"], r"--test-fraction \(=1.5\) must be in \(0, 1\)"),
        (["--shift-fraction", "2"], r"--shift-fraction \(=2.0\) must be in \[0, 1\]"),
    ],
)
def test_bad_options_exit_with_a_usage_error(
    args: list[str], message: str, capsys: pytest.CaptureFixture
) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["train", *args])
    assert exit_info.value.code == 2
    assert re.search(message, capsys.readouterr().err)


def test_a_command_is_required(capsys: pytest.CaptureFixture) -> None:
    with pytest.raises(SystemExit):
        main([])
    assert "required: COMMAND" in capsys.readouterr().err
