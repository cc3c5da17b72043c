"""The command line, ``python -m cnnbook COMMAND``: one module per sub-command.

Each sub-command module has ``add_parser(commands)`` (its options, with
``set_defaults(run=...)``) and a ``run(args, parser)`` that returns the exit code;
`main` dispatches and turns Ctrl-C into one line and exit status 130. Adding a
command is one module and one line in `COMMANDS`.

Exit codes: 0 success, 1 a missing optional dependency, 2 a usage error (bad
option, an ``--out`` that cannot be written, a file that would be overwritten),
130 interrupted (Ctrl-C).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from cnnbook.cli import demo, train

__all__ = ["COMMANDS", "build_parser", "main"]

#: The sub-command modules, in the order ``--help`` lists them.
COMMANDS = (train, demo)


def build_parser() -> argparse.ArgumentParser:
    """Build the argument parser, with one sub-command per module of `COMMANDS`."""
    parser = argparse.ArgumentParser(
        prog="python -m cnnbook",
        description="cnnbook: convolutional neural networks in NumPy, cross-checked with PyTorch.",
        epilog="Run 'python -m cnnbook COMMAND --help' for a command's options.",
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for module in COMMANDS:
        module.add_parser(commands)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of ``python -m cnnbook`` and of the ``cnnbook`` script."""
    try:
        args = build_parser().parse_args(argv)
        return int(args.run(args))
    except KeyboardInterrupt as interrupt:
        # One line, no traceback; the command says what it left on disk, if anything.
        detail = str(interrupt) or "no file was written or changed"
        print(f"cnnbook: interrupted (Ctrl-C); {detail}", file=sys.stderr, flush=True)
        return 130
