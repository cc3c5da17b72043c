"""mkdocstrings' signature formatter, run once per distinct signature and the results kept.

With ``separate_signature: true`` mkdocstrings-python lays out every long signature with
Black or, Black missing, by running ``ruff format`` in a subprocess: ~40 ms a call and about
490 calls a build of this site, many of them the same signature (a function shown both on
its concept page and in the API reference). :func:`install` wraps the formatter it chose,
so each distinct ``(code, line length)`` is formatted once; the results are kept in
``signatures.json`` in the build's cache folder (`cnnbook.site.build_cache`, whose name
covers the installed versions, Ruff's and Black's among them), so an unchanged rebuild runs
none. The formatter is a pure function of its input: a kept result is what it would return.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from cnnbook.atomic_files import write_atomically

__all__ = ["SignatureFormats", "install"]

Formatter = Callable[[str, int], str]
FILE = "signatures.json"


@dataclass
class SignatureFormats:
    """The formatter `original` behind a memo loaded from, and saved to, `path`."""

    original: Formatter
    path: Path
    known: dict[str, str] = field(default_factory=dict)
    formatted: int = 0  # calls of `original` (the rest were answered from `known`)
    _saved: int = field(default=0, init=False, repr=False)

    def __post_init__(self) -> None:
        try:
            loaded = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            loaded = {}
        if isinstance(loaded, dict):
            self.known.update({k: v for k, v in loaded.items() if isinstance(v, str)})
        self._saved = len(self.known)

    def __call__(self, code: str, line_length: int) -> str:
        """Return `code` formatted to `line_length`: kept, else by the original formatter."""
        key = json.dumps([line_length, code])
        if key not in self.known:
            self.known[key] = self.original(code, line_length)
            self.formatted += 1
        return self.known[key]

    def save(self) -> None:
        """Write the results to `path` (atomically) if any is new."""
        if len(self.known) != self._saved:
            write_atomically(self.path, json.dumps(self.known, sort_keys=True))
            self._saved = len(self.known)


def install(folder: Path) -> SignatureFormats:
    """Make mkdocstrings-python format signatures through a memo kept in `folder`.

    Called once per build (the site hook's ``on_config``; the hook's ``on_post_build``
    saves it). Returns the memo.
    """
    from mkdocstrings_handlers.python._internal import rendering

    current = rendering._get_formatter
    chooser: Callable[[], Formatter] = getattr(current, "chooser", current)
    memo = SignatureFormats(chooser(), folder / FILE)

    def get_formatter() -> Formatter:
        return memo

    get_formatter.chooser = chooser  # type: ignore[attr-defined]
    # mkdocstrings looks the formatter up by this name at every signature.
    setattr(rendering, "_get_formatter", get_formatter)  # noqa: B010
    return memo
