"""``python -m cnnbook``: the command line (see `cnnbook.cli`).

Run ``python -m cnnbook --help`` (or ``python -m cnnbook train --help``) for the options.
"""

from __future__ import annotations

import signal
import sys

try:
    from cnnbook.cli import build_parser, main
    from cnnbook.cli.train import TRAIN_DEFAULTS
except KeyboardInterrupt:  # Ctrl-C while NumPy is still importing: the same one line
    print("cnnbook: interrupted (Ctrl-C); no file was written or changed", file=sys.stderr)
    sys.exit(130)

__all__ = ["TRAIN_DEFAULTS", "build_parser", "main", "run"]


def run() -> None:
    """Run the command line as a program: ``main``'s exit code, whatever Ctrl-C does after it.

    `main` turns Ctrl-C into one line and exit code 130; once it has returned, the process
    only exits, so a late Ctrl-C is ignored instead of killing it mid-exit (a signal death,
    no message). Not done inside `main`, which a notebook may call in its own process.
    """
    try:
        code = main()
    except KeyboardInterrupt:  # between main's own handler and its return
        print("cnnbook: interrupted (Ctrl-C)", file=sys.stderr, flush=True)
        code = 130
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    sys.exit(code)


if __name__ == "__main__":
    run()
