"""``python -m cnnbook demo``: list, train (or load) and evaluate the demonstrations."""

from __future__ import annotations

import argparse
import sys

__all__ = ["add_demo_parser", "demo_command"]


def _seed(text: str) -> int:
    value = int(text)
    if value < 0:
        raise argparse.ArgumentTypeError(f"must be a non-negative int; got {text}")
    return value


def add_demo_parser(commands: argparse._SubParsersAction) -> argparse.ArgumentParser:
    """Add the ``demo`` sub-command to the top-level parser's `commands`."""
    demo = commands.add_parser(
        "demo",
        help="train (or load from the cache) and evaluate a use-case demonstration",
        description=(
            "Each demonstration of the Use Cases pages: trains a small CNN from cnnbook "
            "(or loads it from the cache, $CNNBOOK_CACHE or ~/.cache/cnnbook), evaluates it "
            "on held-out data against a classical baseline and prints its figures of merit."
        ),
        epilog="example: python -m cnnbook demo inductive-bias --seed 1 --json",
    )
    demo.add_argument("name", nargs="?", help="the demonstration (see --list)")
    demo.add_argument("--list", action="store_true", help="list the demonstrations")
    demo.add_argument("--seed", type=_seed, default=0, help="data split, weights, shuffles")
    demo.add_argument("--json", action="store_true", help="print the metrics as one JSON line")
    demo.add_argument("--no-cache", action="store_true", help="retrain, do not read the cache")
    demo.add_argument("--small", action="store_true", help="a reduced run (as in the tests)")
    demo.add_argument("--no-progress", action="store_true", help="hide the progress bars")
    return demo


def demo_command(args: argparse.Namespace, parser: argparse.ArgumentParser) -> int:
    """Run ``demo``: ``--list``, or one demonstration."""
    from cnnbook import usecases

    if args.list:
        for name in usecases.names():
            doc = (usecases.module(name).__doc__ or "").strip().splitlines()[0]
            print(f"{name:18} {doc}")
        return 0
    if args.name is None:
        parser.error("give a demonstration NAME or --list")
    if args.name not in usecases.names():
        parser.error(f"unknown demonstration {args.name!r}; known: {', '.join(usecases.names())}")
    result = usecases.run(
        args.name,
        seed=args.seed,
        small=args.small,
        cache=not args.no_cache,
        progress=not args.no_progress,
    )
    source = "loaded from the cache" if result.cached else f"trained in {result.seconds:.1f} s"
    print(f"{args.name} (seed {args.seed}): {source}", file=sys.stderr if args.json else None)
    if args.json:
        print(result.to_json())
    else:
        for key, value in result.metrics.items():
            print(f"  {key}: {value}")
    return 0
