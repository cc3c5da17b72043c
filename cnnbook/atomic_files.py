"""Atomic files: a file written whole or not at all.

Every file cnnbook writes for a reader -- a checkpoint, a cached demonstration, the
browser network's JSON, the book's PDF -- goes to a temporary file in the target's own
folder (so the final rename never crosses a file system), is flushed to disk (``fsync``),
and only then is renamed over the target with `os.replace`. A reader, or a run interrupted
at any moment (Ctrl-C included), sees the old file or the complete new one, never half of
one; on any failure the temporary file is removed and the target left as it was.

Examples
--------
>>> import tempfile
>>> target = Path(tempfile.mkdtemp()) / "notes" / "note.txt"
>>> write_atomically(target, "complete")
>>> target.read_text(), sorted(p.name for p in target.parent.iterdir())
('complete', ['note.txt'])
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

__all__ = ["atomic_write", "write_atomically"]

# What a file written the ordinary way gets under the usual umask (022): mkstemp alone
# would leave it readable by its owner only, e.g. a JSON file the site serves.
_FILE_MODE = 0o644


@contextlib.contextmanager
def atomic_write(path: str | os.PathLike[str], mode: str = "wb") -> Iterator[IO[Any]]:
    """Open a temporary file beside `path`; on success rename it to `path`, else delete it.

    Parameters
    ----------
    path : str or Path
        The file to write; its folder is created if missing.
    mode : {"wb", "w"}
        Binary, or text in UTF-8.

    Yields
    ------
    file object
        The open temporary file; write the whole content to it inside the ``with``.

    Raises
    ------
    ValueError
        If `mode` is not ``"wb"`` or ``"w"``.

    Examples
    --------
    >>> import tempfile
    >>> target = Path(tempfile.mkdtemp()) / "note.bin"
    >>> with atomic_write(target) as f:
    ...     _ = f.write(b"complete")
    >>> target.read_bytes(), sorted(p.name for p in target.parent.iterdir())
    (b'complete', ['note.bin'])
    """
    if mode not in ("wb", "w"):
        raise ValueError(f"mode (={mode!r}) must be 'wb' (binary) or 'w' (UTF-8 text)")
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, mode, encoding="utf-8" if mode == "w" else None) as f:
            yield f
            f.flush()
            os.fsync(f.fileno())
        os.chmod(tmp, _FILE_MODE)
        os.replace(tmp, target)
    except BaseException:  # KeyboardInterrupt included: never leave the temporary file
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise


def write_atomically(path: str | os.PathLike[str], data: bytes | str) -> None:
    """Write `data` (bytes, or text as UTF-8) to `path` whole or not at all (`atomic_write`).

    Examples
    --------
    >>> import tempfile
    >>> target = Path(tempfile.mkdtemp()) / "page.pdf"
    >>> write_atomically(target, b"old")
    >>> write_atomically(target, b"new")
    >>> target.read_bytes()
    b'new'
    """
    with atomic_write(path, "w" if isinstance(data, str) else "wb") as f:
        f.write(data)
