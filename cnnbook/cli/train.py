"""``python -m cnnbook train``: train the reference CNN on the digits and write its files safely.

Everything that can be checked is checked before training: every option, the
``--out`` directory (creatable and writable) and the files it would replace
(only with ``--force``). The checkpoint and the figure are written to temporary
files and renamed into place together, with Ctrl-C held off for the two renames,
so an interrupted run leaves the previous pair or the new pair, never one of
each and never a truncated file.
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import importlib
import io
import math
import os
import signal
import sys
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from types import FrameType
from typing import Any

#: Defaults of ``python -m cnnbook train``: the seeded run that reaches >= 98 % test accuracy.
TRAIN_DEFAULTS: dict[str, Any] = {
    "epochs": 50,
    "lr": 2e-3,
    "batch_size": 32,
    "seed": 0,
    "test_fraction": 0.2,
    "shift_fraction": 0.5,
    "threads": 1,
    "out": Path("runs/digits"),
}

#: The files a run writes into ``--out``.
CHECKPOINT_NAME = "reference_cnn.npz"
FIGURE_NAME = "training_curves.png"

#: The modules of the ``train`` extra (import name, distribution name).
TRAIN_EXTRA = (("sklearn", "scikit-learn"), ("tqdm", "tqdm"), ("threadpoolctl", "threadpoolctl"))

#: PNG text key holding the SHA-256 of the checkpoint written with the figure: the pair's seal.
PAIR_KEY = "cnnbook-checkpoint-sha256"


def _number(kind: type, rule: str, accept: Callable[[Any], bool]) -> Callable[[str], Any]:
    def parse(text: str) -> Any:
        value = kind(text)
        if isinstance(value, float) and not math.isfinite(value):
            raise argparse.ArgumentTypeError(f"must be finite; got {text}")
        if not accept(value):
            raise argparse.ArgumentTypeError(f"must be {rule}; got {text}")
        return value

    parse.__name__ = kind.__name__  # argparse names the type in its error message
    return parse


positive_int = _number(int, "positive (> 0)", lambda v: v > 0)
positive_float = _number(float, "positive (> 0)", lambda v: v > 0)
seed_int = _number(int, "a non-negative int (>= 0)", lambda v: v >= 0)
fraction = _number(float, "a fraction in [0, 1]", lambda v: 0 <= v <= 1)


def add_parser(commands: Any) -> argparse.ArgumentParser:
    """Add ``train`` and its options to the sub-command parsers."""
    d = TRAIN_DEFAULTS
    train = commands.add_parser(
        "train",
        help="train the reference CNN on the handwritten digits",
        description=(
            "Train cnnbook.models.reference_cnn on scikit-learn's 1,797 8x8 digits "
            "(stratified train/test split, Adam whose learning rate drops tenfold after 70% "
            "of the epochs, random 1-pixel shifts), print the test "
            "accuracy and confusion matrix, and write the weights (.npz) and a "
            "training-curve PNG to --out. Seeded: the same options give the same run. "
            "Existing files are replaced only with --force; Ctrl-C leaves the old files."
        ),
        epilog="example: python -m cnnbook train --epochs 5 --out /tmp/digits --no-progress",
        formatter_class=argparse.ArgumentDefaultsHelpFormatter,
    )
    train.add_argument("--epochs", type=positive_int, default=d["epochs"], help="passes")
    train.add_argument("--lr", type=positive_float, default=d["lr"], help="Adam learning rate")
    train.add_argument(
        "--batch-size", type=positive_int, default=d["batch_size"], help="digits per step"
    )
    train.add_argument("--seed", type=seed_int, default=d["seed"], help="split, weights, shuffles")
    train.add_argument(
        "--test-fraction", type=float, default=d["test_fraction"], help="held-out share"
    )
    train.add_argument(
        "--shift-fraction",
        type=float,
        default=d["shift_fraction"],
        help="fraction of each batch shifted by up to 1 pixel (0: no augmentation)",
    )
    train.add_argument("--out", type=Path, default=d["out"], help="output directory")
    train.add_argument(
        "--force", action="store_true", help=f"replace {CHECKPOINT_NAME} / {FIGURE_NAME} in --out"
    )
    train.add_argument("--subset", type=positive_int, help="use only the first N digits")
    train.add_argument(
        "--threads",
        type=positive_int,
        default=d["threads"],
        help="BLAS threads (the matrices of 8x8 digits are small: one thread is fastest, "
        "and more threads than free cores make OpenBLAS spin)",
    )
    train.add_argument("--no-progress", action="store_true", help="hide the progress bars")
    train.set_defaults(run=lambda args: run(args, train))
    return train


def _check_out(out: Path, force: bool, parser: argparse.ArgumentParser) -> None:
    """Refuse, before training, an --out that cannot be written or would lose files."""
    if out.exists() and not out.is_dir():
        parser.error(f"--out {out} exists and is not a directory")
    existing = out if out.exists() else next((p for p in out.parents if p.exists()), Path("."))
    if not existing.is_dir():
        parser.error(f"--out {out}: {existing} is not a directory")
    try:  # a real probe: os.access says yes to root even where nothing can be created
        probe, name = tempfile.mkstemp(dir=existing, prefix=".cnnbook-probe-")
    except OSError as err:
        parser.error(f"--out {out}: cannot create files in {existing} ({err.strerror})")
    os.close(probe)
    os.unlink(name)
    taken = [out / name for name in (CHECKPOINT_NAME, FIGURE_NAME) if (out / name).exists()]
    if taken and not force:
        parser.error(
            f"--out {out} already holds {', '.join(p.name for p in taken)}; "
            "pass --force to replace them, or choose another --out"
        )


def _missing_extra() -> list[str]:
    missing = []
    for module, distribution in TRAIN_EXTRA:
        try:
            importlib.import_module(module)
        except ImportError:
            missing.append(distribution)
    return missing


@contextlib.contextmanager
def _ctrl_c_held(detail: str) -> Iterator[None]:
    """Hold off Ctrl-C (SIGINT) inside the block; re-raise it after, once the block is done.

    The re-raised KeyboardInterrupt carries `detail`, what is on disk (`main` prints it;
    empty: nothing was written).
    """
    received: list[int] = []

    def hold(signum: int, frame: FrameType | None) -> None:
        received.append(signum)

    try:
        previous = signal.signal(signal.SIGINT, hold)
    except ValueError:  # not the main thread: signals cannot arrive here anyway
        yield
        return
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)
    if received:
        raise KeyboardInterrupt(detail)


def _write_pair(out: Path, checkpoint: bytes, figure: Any) -> tuple[Path, Path]:
    """Write both files to temporaries, then rename both into place with Ctrl-C held off."""
    from cnnbook.atomic_files import atomic_write

    out.mkdir(parents=True, exist_ok=True)
    weights, curves = out / CHECKPOINT_NAME, out / FIGURE_NAME
    staged = [
        weights.with_name(f".{weights.name}.staged"),
        curves.with_name(f".{curves.name}.staged"),
    ]
    try:
        with atomic_write(staged[0]) as f:
            f.write(checkpoint)
        seal = {"Software": None, PAIR_KEY: hashlib.sha256(checkpoint).hexdigest()}
        with atomic_write(staged[1]) as f:
            figure.savefig(f, format="png", dpi=100, metadata=seal)
        with _ctrl_c_held(f"the new {CHECKPOINT_NAME} and {FIGURE_NAME} were written"):
            os.replace(staged[0], weights)
            os.replace(staged[1], curves)
    finally:
        for path in staged:
            with contextlib.suppress(FileNotFoundError):
                path.unlink()
    return weights, curves


def run(args: argparse.Namespace, parser: argparse.ArgumentParser) -> int:
    """Run ``train``: check everything, load the data, fit, report, write the files."""
    if not 0.0 < args.test_fraction < 1.0:
        parser.error(f"--test-fraction (={args.test_fraction}) must be in (0, 1)")
    if not 0.0 <= args.shift_fraction <= 1.0:
        parser.error(f"--shift-fraction (={args.shift_fraction}) must be in [0, 1]")
    _check_out(args.out, args.force, parser)
    missing = _missing_extra()
    if missing:
        print(
            f"cnnbook train needs the 'train' extra (missing: {', '.join(missing)}): "
            "pip install 'cnnbook[train]'",
            file=sys.stderr,
        )
        return 1

    import numpy as np
    from threadpoolctl import threadpool_limits

    from cnnbook.data import load_digits, random_shifts, train_test_split
    from cnnbook.figures.training import training_curves_figure
    from cnnbook.models import reference_cnn
    from cnnbook.nn import CrossEntropyLoss
    from cnnbook.optim import Adam
    from cnnbook.train import confusion_matrix, fit, format_confusion_matrix, predict, step_lr

    x, y = load_digits(dtype=np.float32)
    if args.subset is not None:
        if args.subset > len(y):
            parser.error(f"--subset (={args.subset}) exceeds the {len(y)} digits")
        x, y = x[: args.subset], y[: args.subset]
    try:
        train_data, test_data = train_test_split(x, y, args.test_fraction, args.seed)
    except ValueError as err:
        parser.error(f"--test-fraction {args.test_fraction} with {len(y)} digits: {err}")
    rng = np.random.default_rng(args.seed)
    model = reference_cnn(rng)
    optimizer = Adam(model.parameters(), lr=args.lr)
    print(f"cnnbook train: {len(train_data[1])} train / {len(test_data[1])} test digits (8x8)")
    print(model, flush=True)
    shift = args.shift_fraction

    def augment(xb: np.ndarray, generator: np.random.Generator) -> np.ndarray:
        return random_shifts(xb, generator, max_shift=1, fraction=shift)

    with threadpool_limits(limits=args.threads, user_api="blas"):
        history = fit(
            model,
            CrossEntropyLoss(),
            optimizer,
            train_data,
            epochs=args.epochs,
            batch_size=args.batch_size,
            test_data=test_data,
            rng=rng,
            progress=not args.no_progress,
            transform=augment if shift > 0 else None,
            lr_schedule=step_lr(args.lr, [int(0.7 * args.epochs)]),
        )
        y_pred = predict(model, test_data[0])
    print(f"writing {args.out / CHECKPOINT_NAME} and {args.out / FIGURE_NAME}", flush=True)
    buffer = io.BytesIO()
    state: dict[str, Any] = model.state_dict()
    # Held: a Ctrl-C inside zipfile's writing turns into a ValueError ("Can't close the
    # ZIP file while there is an open writing handle") with a traceback, not one line.
    with _ctrl_c_held(""):
        np.savez(buffer, **state)
    weights, curves = _write_pair(args.out, buffer.getvalue(), training_curves_figure(history))
    try:  # the files are in place: an interrupt from here on must not say otherwise
        matrix = confusion_matrix(test_data[1], y_pred, n_classes=10)
        print(f"time per epoch: {np.median(history.epoch_seconds):.2f} s (median)")
        print(f"wrote {weights} and {curves}")
        print("confusion matrix (rows: true digit, columns: predicted):")
        print(format_confusion_matrix(matrix))
        correct, total = int(np.trace(matrix)), int(matrix.sum())
        print(f"train accuracy: {history.train_accuracy[-1]:.2%} (last epoch, with dropout)")
        print(f"test accuracy: {correct / total:.2%} ({correct}/{total})")
    except KeyboardInterrupt:
        raise KeyboardInterrupt(f"wrote {weights} and {curves}") from None
    return 0
