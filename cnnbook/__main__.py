"""``python -m cnnbook``: the command line (see `cnnbook.cli`).

Run ``python -m cnnbook --help`` (or ``python -m cnnbook train --help``) for the options.
"""

from __future__ import annotations

import sys

try:
    from cnnbook.cli import build_parser, main
    from cnnbook.cli.train import TRAIN_DEFAULTS
except KeyboardInterrupt:  # Ctrl-C while NumPy is still importing: the same one line
    print("cnnbook: interrupted (Ctrl-C); no file was written or changed", file=sys.stderr)
    sys.exit(130)

__all__ = ["TRAIN_DEFAULTS", "build_parser", "main"]

if __name__ == "__main__":
    sys.exit(main())
