"""The command line: ``python -m cnnbook train`` trains the reference CNN on the digits.

Run ``python -m cnnbook --help`` (or ``python -m cnnbook train --help``) for the options.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np

#: Defaults of ``python -m cnnbook train``: the seeded run that reaches >= 98 % test accuracy.
TRAIN_DEFAULTS = {
    "epochs": 50,
    "lr": 2e-3,
    "batch_size": 32,
    "seed": 0,
    "test_fraction": 0.2,
    "shift_fraction": 0.5,
    "threads": 1,
    "out": Path("runs/digits"),
}


def _positive(kind: type) -> Callable[[str], int | float]:
    def parse(text: str) -> int | float:
        value = kind(text)
        if not value > 0:
            raise argparse.ArgumentTypeError(f"must be positive (> 0); got {text}")
        return value

    parse.__name__ = kind.__name__  # argparse names the type in its error message
    return parse


def build_parser() -> argparse.ArgumentParser:
    """Build the argument parser, with one sub-command per task (today: ``train``)."""
    parser = argparse.ArgumentParser(
        prog="python -m cnnbook",
        description="cnnbook: convolutional neural networks in NumPy, cross-checked with PyTorch.",
        epilog="Run 'python -m cnnbook COMMAND --help' for a command's options.",
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    d = TRAIN_DEFAULTS
    train = commands.add_parser(
        "train",
        help="train the reference CNN on the handwritten digits",
        description=(
            "Train cnnbook.models.reference_cnn on scikit-learn's 1,797 8x8 digits "
            "(stratified train/test split, Adam whose learning rate drops tenfold after 70% "
            "of the epochs, random 1-pixel shifts), print the test "
            "accuracy and confusion matrix, and write the weights (.npz) and a "
            "training-curve PNG to --out. Seeded: the same options give the same run."
        ),
        epilog="example: python -m cnnbook train --epochs 5 --out /tmp/digits --no-progress",
        formatter_class=argparse.ArgumentDefaultsHelpFormatter,
    )
    train.add_argument("--epochs", type=_positive(int), default=d["epochs"], help="passes")
    train.add_argument("--lr", type=_positive(float), default=d["lr"], help="Adam learning rate")
    train.add_argument(
        "--batch-size", type=_positive(int), default=d["batch_size"], help="digits per step"
    )
    train.add_argument("--seed", type=int, default=d["seed"], help="split, weights, shuffles")
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
    train.add_argument("--subset", type=_positive(int), help="use only the first N digits")
    train.add_argument(
        "--threads",
        type=_positive(int),
        default=d["threads"],
        help="BLAS threads (the matrices of 8x8 digits are small: one thread is fastest, "
        "and more threads than free cores make OpenBLAS spin)",
    )
    train.add_argument("--no-progress", action="store_true", help="hide the progress bars")
    from cnnbook.usecases.cli import add_demo_parser

    add_demo_parser(commands)
    return parser


def train_command(args: argparse.Namespace) -> int:
    """Run ``train``: data, model, fit, report, files."""
    from cnnbook.data import load_digits, random_shifts, train_test_split
    from cnnbook.figures.training import training_curves_figure
    from cnnbook.models import reference_cnn
    from cnnbook.nn import CrossEntropyLoss
    from cnnbook.optim import Adam
    from cnnbook.train import (
        confusion_matrix,
        fit,
        format_confusion_matrix,
        predict,
        save_checkpoint,
        step_lr,
    )

    x, y = load_digits(dtype=np.float32)
    if args.subset is not None:
        x, y = x[: args.subset], y[: args.subset]
    train_data, test_data = train_test_split(x, y, args.test_fraction, args.seed)
    rng = np.random.default_rng(args.seed)
    model = reference_cnn(rng)
    optimizer = Adam(model.parameters(), lr=args.lr)
    print(f"cnnbook train: {len(train_data[1])} train / {len(test_data[1])} test digits (8x8)")
    print(model)
    shift = args.shift_fraction

    def augment(xb: np.ndarray, generator: np.random.Generator) -> np.ndarray:
        return random_shifts(xb, generator, max_shift=1, fraction=shift)

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
    args.out.mkdir(parents=True, exist_ok=True)
    weights = save_checkpoint(model, args.out / "reference_cnn.npz")
    curves = args.out / "training_curves.png"
    training_curves_figure(history).savefig(curves, dpi=100, metadata={"Software": None})
    y_pred = predict(model, test_data[0])
    matrix = confusion_matrix(test_data[1], y_pred, n_classes=10)
    print(f"time per epoch: {np.median(history.epoch_seconds):.2f} s (median)")
    print(f"wrote {weights} and {curves}")
    print("confusion matrix (rows: true digit, columns: predicted):")
    print(format_confusion_matrix(matrix))
    correct, total = int(np.trace(matrix)), int(matrix.sum())
    print(f"train accuracy: {history.train_accuracy[-1]:.2%} (last epoch, with dropout)")
    print(f"test accuracy: {correct / total:.2%} ({correct}/{total})")
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of ``python -m cnnbook`` and of the ``cnnbook`` script."""
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command == "demo":
        from cnnbook.usecases.cli import demo_command

        return demo_command(args, parser)
    if args.command == "train":
        if not 0.0 < args.test_fraction < 1.0:
            build_parser().error(f"--test-fraction (={args.test_fraction}) must be in (0, 1)")
        if not 0.0 <= args.shift_fraction <= 1.0:
            build_parser().error(f"--shift-fraction (={args.shift_fraction}) must be in [0, 1]")
        from threadpoolctl import threadpool_limits

        with threadpool_limits(limits=args.threads, user_api="blas"):
            return train_command(args)
    return 2  # pragma: no cover - argparse requires a command


if __name__ == "__main__":
    sys.exit(main())
