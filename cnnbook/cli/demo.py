"""``python -m cnnbook demo``: the use-case demonstrations (see `cnnbook.usecases.cli`)."""

from __future__ import annotations

import argparse
from typing import Any

__all__ = ["add_parser"]


def add_parser(commands: Any) -> argparse.ArgumentParser:
    """Add ``demo`` to the sub-command parsers; its errors print ``demo``'s own usage."""
    from cnnbook.usecases.cli import add_demo_parser, demo_command

    demo = add_demo_parser(commands)
    demo.set_defaults(run=lambda args: demo_command(args, demo))
    return demo
