"""The build's caches of executed code: one folder per kind, docs folder, code and environment.

What the site build executes is cached, so that a rebuild with nothing changed (``make
serve`` after ``make docs``, the serve test after the test run's build) does not run it
again: the notebooks (mkdocs-jupyter's own cache, moved here by :func:`cache_notebooks`),
the ``python exec="on"`` blocks of the pages (``executed_blocks``) and the formatting of
the API reference's signatures (``formatted_signatures``). Each lives in a
folder (:func:`cache_folder`) named for everything their output depends on besides their
own source:

- every source file of the ``cnnbook`` package (what they import and run),
- the version of Python and of every installed distribution (NumPy, torch, matplotlib,
  nbconvert, the kernel...),
- the environment variables that can change a printed digit or a figure
  (:data:`ENVIRONMENT`),
- the docs folder: mkdocs-jupyter deletes every entry of its folder that a build did not
  use, so another site built with these hooks (a test's) keeps a folder of its own.

A change to any of them names a new folder, where nothing is cached yet, so everything runs
again; :func:`prepare` deletes the same kind's and docs folder's folders for other keys,
and any entry that cannot be read (a build killed while mkdocs-jupyter wrote it: it does not
write atomically). The caches live beside the demonstrations'
(`cnnbook.usecases.cache.cache_dir`).
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import json
import os
import shutil
import sys
from collections.abc import Mapping
from functools import cache
from pathlib import Path
from typing import Any

from cnnbook.usecases.cache import cache_dir

__all__ = ["ENVIRONMENT", "KINDS", "cache_folder", "cache_notebooks", "fingerprint", "prepare"]

PACKAGE = Path(__file__).resolve().parents[1]
#: Thread counts (a BLAS sum in another order can change a printed last digit) and the
#: matplotlib backend (the figures' bytes).
ENVIRONMENT = ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS", "MPLBACKEND")
#: What is cached: executed notebooks, exec blocks' output, formatted API signatures.
KINDS = ("notebooks", "blocks", "signatures")


@cache
def _installed() -> tuple[str, ...]:
    """``name==version`` of every installed distribution, sorted (read once per process)."""
    return tuple(
        sorted(
            f"{dist.metadata['Name']}=={dist.version}"
            for dist in importlib.metadata.distributions()
        )
    )


def fingerprint(package: Path = PACKAGE, environ: Mapping[str, str] | None = None) -> str:
    """SHA-256 over the package's sources, Python and the installed versions, the environment.

    Examples
    --------
    >>> len(fingerprint())
    64
    >>> fingerprint(environ={"OMP_NUM_THREADS": "1"}) != fingerprint(environ={})
    True
    """
    environ = os.environ if environ is None else environ
    digest = hashlib.sha256()
    for path in sorted(package.rglob("*.py")):
        digest.update(str(path.relative_to(package)).encode())
        digest.update(path.read_bytes())
    digest.update(sys.version.encode())
    digest.update("\n".join(_installed()).encode())
    for name in ENVIRONMENT:
        digest.update(f"{name}={environ.get(name)}".encode())
    return digest.hexdigest()


def _docs_key(docs_dir: Path) -> str:
    return hashlib.sha256(str(Path(docs_dir).resolve()).encode()).hexdigest()[:12]


def cache_folder(
    kind: str,
    docs_dir: Path,
    package: Path = PACKAGE,
    environ: Mapping[str, str] | None = None,
) -> Path:
    """Return the folder caching `kind` (one of :data:`KINDS`) of `docs_dir`.

    Examples
    --------
    >>> a, b = cache_folder("blocks", Path("docs")), cache_folder("blocks", Path("other"))
    >>> a.parent == b.parent and a.name != b.name
    True
    """
    if kind not in KINDS:
        raise ValueError(f"kind (={kind!r}) must be one of {KINDS}")
    key = fingerprint(package, environ)[:16]
    return cache_dir() / kind / f"{_docs_key(docs_dir)}-{key}"


def prepare(folder: Path) -> Path:
    """Create `folder`; delete its unreadable JSON entries and its docs folder's other folders.

    Returns `folder`.
    """
    folder.mkdir(parents=True, exist_ok=True)
    docs_key = folder.name.partition("-")[0]
    for other in folder.parent.glob(f"{docs_key}-*"):
        if other != folder and other.is_dir():
            shutil.rmtree(other, ignore_errors=True)
    for entry in folder.glob("*.json"):
        try:
            json.loads(entry.read_text(encoding="utf-8"))
        except (ValueError, UnicodeDecodeError):
            entry.unlink(missing_ok=True)
    return folder


def cache_notebooks(plugin: Any, docs_dir: Path) -> Path | None:
    """Point the mkdocs-jupyter `plugin`'s cache at the folder for `docs_dir`; return it.

    mkdocs-jupyter keys an executed notebook by the notebook's bytes and its own options
    only (an edit to ``cnnbook`` alone would not run it again); in this folder the rest of
    the key is the folder's name. Nothing is changed (None is returned) when the plugin is
    absent or its cache is off.
    """
    if plugin is None or not plugin.config.get("cache"):
        return None
    folder = prepare(cache_folder("notebooks", docs_dir))
    plugin.config["cache_dir"] = str(folder)
    return folder
