"""A cache of what the pages' ``python exec="on"`` blocks print, keyed by all they depend on.

markdown-exec runs every such block on every build. :func:`install` wraps its Python
runner so that a block whose output is already known is not run again. A block's entry is
found by a SHA-256 key over:

- its code, its options (``returncode``, ``id``, ``title``...) and the working directory;
- for a block of a ``session`` (whose blocks share their variables), the code of every
  block of that session run before it in this build, in order;
- NumPy's print options when it starts (a block may set them for every later block, as
  markdown-exec runs them all in one process); the options it leaves are stored with its
  output and set again when it is skipped;

and the entries live in a folder keyed by every ``cnnbook`` source file, the installed
versions and the thread settings (`cnnbook.site.build_cache`): an edit to the package, to
the block or to an earlier block of its session runs it again, and what the page shows is
always the output of the current code. When a block of a session must run after earlier
ones were skipped, those run first (their output discarded), so its variables are
what they would be. A block that fails is not cached: its error fails the build as before.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from cnnbook.atomic_files import write_atomically

__all__ = ["BlockCache", "install"]

Runner = Callable[..., str]


@dataclass
class BlockCache:
    """The entries of one build in `folder`, and what that build ran or skipped so far."""

    folder: Path
    history: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    skipped: dict[str, list[tuple[str, dict[str, Any]]]] = field(
        default_factory=lambda: defaultdict(list)
    )
    hits: int = 0
    misses: int = 0

    def key(self, code: str, session: str | None, options: dict[str, Any]) -> str:
        """Return the entry's key (see the module's docstring)."""
        record = {
            "code": code,
            "options": {name: repr(value) for name, value in sorted(options.items())},
            "cwd": os.getcwd(),
            "session": session,
            "before": self.history[session] if session else [],
            "printoptions": {k: repr(v) for k, v in sorted(np.get_printoptions().items())},
        }
        return hashlib.sha256(json.dumps(record, sort_keys=True).encode()).hexdigest()

    def run(self, runner: Runner, code: str, session: str | None, **options: Any) -> str:
        """Return the block's output: from the entry, else by `runner` (and store it)."""
        path = self.folder / f"{self.key(code, session, options)}.json"
        if session:
            self.history[session].append(code)
        entry = _read(path)
        if entry is not None:
            self.hits += 1
            if session:
                self.skipped[session].append((code, options))
            np.set_printoptions(**entry["printoptions_after"])
            return str(entry["output"])
        self.misses += 1
        if session:
            # The session's variables: run the blocks skipped before this one first.
            for earlier, earlier_options in self.skipped.pop(session, []):
                runner(earlier, session=session, **earlier_options)
        output = runner(code, session=session, **options)
        after = _printoptions()
        if after is not None:
            write_atomically(path, json.dumps({"output": output, "printoptions_after": after}))
        return output


def _printoptions() -> dict[str, Any] | None:
    """NumPy's print options as JSON values, or None when a function is among them.

    A block that leaves a ``formatter`` (functions) set is not cached: a skipped block
    could not set it again for the blocks after it.
    """
    options = dict(np.get_printoptions())
    if options.get("formatter") is not None or options.get("override_repr") is not None:
        return None
    return options


def _read(path: Path) -> dict[str, Any] | None:
    try:
        entry = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return entry if isinstance(entry, dict) and "output" in entry else None


@dataclass(frozen=True)
class _Runner:
    """markdown-exec's Python runner, through `cache`."""

    original: Runner
    cache: BlockCache

    def __call__(self, code: str, session: str | None = None, **options: Any) -> str:
        return self.cache.run(self.original, code, session, **options)


def install(folder: Path) -> BlockCache:
    """Make markdown-exec's Python blocks go through a new :class:`BlockCache` in `folder`.

    Called once per build (the site hook's ``on_config``): each build starts with no
    history. Returns the cache (its ``hits`` and ``misses`` count the build's blocks).
    """
    from markdown_exec._internal.formatters import python as formatter

    current = formatter._run_python
    original: Runner = current.original if isinstance(current, _Runner) else current
    cache = BlockCache(folder)
    # markdown-exec's formatter looks its runner up by this name at every block.
    setattr(formatter, "_run_python", _Runner(original, cache))  # noqa: B010
    return cache
