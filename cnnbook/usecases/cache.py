"""The cache of trained demonstrations: results keyed by what defines them.

A demonstration's result (metrics and arrays, including the trained weights) is stored
under a key made of its name, its seed, its size and a SHA-256 fingerprint of the code
and data versions that define it: the package's source files the demonstration's module
reaches through its imports (`cnnbook.usecases.dependencies`), plus the versions of NumPy,
scikit-learn and scikit-image (whose bundled data sets it reads). So editing a layer it
uses retrains; editing a page, a figure or an unrelated module does not.

The cache lives in ``$CNNBOOK_CACHE`` if set, else ``$XDG_CACHE_HOME/cnnbook`` or
``~/.cache/cnnbook``. Files are written atomically (`cnnbook.atomic_files`), so an
interrupted run never leaves a half-written entry.
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import json
import os
import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from cnnbook._validation import boolean
from cnnbook.atomic_files import atomic_write, write_atomically
from cnnbook.usecases.dependencies import module_dependencies

__all__ = ["DemoResult", "cache_dir", "cached_run", "code_fingerprint", "is_cached"]

PACKAGE = Path(__file__).resolve().parents[1]
#: Parts of the package that do not change what a demonstration computes.
_NOT_CODE = ("site", "figures", "cli", "__main__.py", "torch_bridge")
#: The cache's own machinery: it stores and keys results, it never computes one, so an edit
#: to it (a new option) must not retrain every demonstration. The atomic writer it stores
#: with (``atomic_files.py``, reached through this module's imports) is part of it.
_KEYING = ("usecases/cache.py", "usecases/dependencies.py", "atomic_files.py")
_DATA_PACKAGES = ("numpy", "scikit-learn", "scikit-image")


@dataclass
class DemoResult:
    """What a demonstration produced: figures of merit, arrays for its page, cost.

    Attributes
    ----------
    name : str
    seed : int
    small : bool
    metrics : dict
        JSON-serialisable figures of merit (the keys of ``python -m cnnbook demo NAME --json``).
    arrays : dict of str to ndarray
        Training curves, example images, predictions, trained weights: what the page draws.
    seconds : float
        Wall time of the training and evaluation (of the run that filled the cache).
    cached : bool
        Whether this result was loaded from the cache.
    """

    name: str
    seed: int
    small: bool
    metrics: dict[str, Any]
    arrays: dict[str, np.ndarray] = field(default_factory=dict)
    seconds: float = 0.0
    cached: bool = False

    def to_json(self) -> str:
        """One line of JSON: the metrics, with the demo's name, seed, size and time."""
        record = {
            "demo": self.name,
            "seed": self.seed,
            "small": self.small,
            "seconds": round(self.seconds, 1),
            **self.metrics,
        }
        return json.dumps(record, sort_keys=False, allow_nan=False)


def cache_dir() -> Path:
    """Return the cache directory (``$CNNBOOK_CACHE``, else the user's cache directory).

    Examples
    --------
    >>> saved = os.environ.get("CNNBOOK_CACHE")
    >>> os.environ["CNNBOOK_CACHE"] = "/tmp/my-cache"
    >>> cache_dir()
    PosixPath('/tmp/my-cache')
    >>> _ = os.environ.pop("CNNBOOK_CACHE") if saved is None else None
    >>> os.environ.update({} if saved is None else {"CNNBOOK_CACHE": saved})
    """
    if os.environ.get("CNNBOOK_CACHE"):
        return Path(os.environ["CNNBOOK_CACHE"])
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "cnnbook"


def code_fingerprint(name: str | None = None, module: str | None = None) -> str:
    """SHA-256 over the package's computing code and the data packages' versions.

    With a demonstration `name`, only the source files its module reaches through its
    imports count (`module_dependencies`): editing a page's module, another use case or a
    layer it never uses does not retrain it. A cached computation that is not a registered
    demonstration names its own dotted `module` instead. Otherwise every module counts except
    the site machinery, figures, command lines and the bridge to torch.

    Examples
    --------
    >>> len(code_fingerprint())
    64
    >>> code_fingerprint("video") != code_fingerprint("inductive-bias")
    True
    """
    if name is not None and not isinstance(name, str):
        raise TypeError(f"name (={name!r}) must be a demonstration's name (a str) or None")
    if module is not None and not isinstance(module, str):
        raise TypeError(f"module (={module!r}) must be a dotted module name (a str) or None")
    from cnnbook.usecases import DEMOS

    own = PACKAGE / "usecases" / DEMOS.get(name or "", "")
    if module is not None:
        paths = module_dependencies(module, PACKAGE)
    elif name in DEMOS and (own.with_suffix(".py").is_file() or (own / "__init__.py").is_file()):
        paths = module_dependencies(f"{PACKAGE.name}.usecases.{DEMOS[name]}", PACKAGE)
    else:  # no name, or a computation that is not a registered demonstration: everything
        paths = [
            path
            for path in sorted(PACKAGE.rglob("*.py"))
            if path.relative_to(PACKAGE).parts[0] not in _NOT_CODE
        ]
    digest = hashlib.sha256()
    for path in paths:
        if path.relative_to(PACKAGE).as_posix() in _KEYING:
            continue
        digest.update(str(path.relative_to(PACKAGE)).encode())
        digest.update(path.read_bytes())
    for dist in _DATA_PACKAGES:
        try:
            version = importlib.metadata.version(dist)
        except importlib.metadata.PackageNotFoundError:
            version = "absent"
        digest.update(f"{dist}=={version}".encode())
    return digest.hexdigest()


def _key(name: str, seed: int, small: bool, module: str | None = None) -> str:
    size = "small" if small else "full"
    return f"{name}-seed{seed}-{size}-{code_fingerprint(name, module)[:16]}"


def _entry(name: str, seed: int, small: bool, module: str | None = None) -> tuple[Path, Path]:
    """Check the arguments; return the entry's metadata (JSON) and arrays (npz) paths."""
    if not isinstance(seed, int) or isinstance(seed, bool) or seed < 0:
        raise ValueError(f"seed (={seed!r}) must be a non-negative int")
    if not isinstance(name, str) or not name:
        raise TypeError(f"name (={name!r}) must be a non-empty str")
    key = _key(name, seed, boolean("small", small), module)
    return cache_dir() / f"{key}.json", cache_dir() / f"{key}.npz"


def cached_run(
    name: str,
    seed: int,
    small: bool,
    compute: Callable[[], tuple[Mapping[str, Any], Mapping[str, np.ndarray]]],
    cache: bool = True,
    module: str | None = None,
) -> DemoResult:
    """Return the cached result of ``compute()`` for (name, seed, size, code), or compute it.

    `compute` returns ``(metrics, arrays)``; it runs only on a cache miss (or with
    ``cache=False``, which recomputes and does not store). The code part of the key is
    `code_fingerprint` of `name`, or of `module` (a dotted module name) when given: a
    cached computation that is not a demonstration names the module that defines it.

    Examples
    --------
    >>> import tempfile
    >>> saved = os.environ.get("CNNBOOK_CACHE")
    >>> with tempfile.TemporaryDirectory() as d:
    ...     os.environ["CNNBOOK_CACHE"] = d
    ...     first = cached_run("toy", 0, True, lambda: ({"accuracy": 0.5}, {"w": np.ones(2)}))
    ...     again = cached_run("toy", 0, True, lambda: 1 / 0)  # not called: a cache hit
    >>> _ = os.environ.pop("CNNBOOK_CACHE") if saved is None else None
    >>> os.environ.update({} if saved is None else {"CNNBOOK_CACHE": saved})
    >>> first.cached, again.cached, again.metrics, again.arrays["w"]
    (False, True, {'accuracy': 0.5}, array([1., 1.]))
    """
    meta_path, arrays_path = _entry(name, seed, small, module)
    small, cache = bool(small), boolean("cache", cache)
    if not callable(compute):
        raise TypeError(f"compute (={compute!r}) must be a callable returning (metrics, arrays)")
    if not cache:
        return _compute(name, seed, small, compute, None)
    if meta_path.exists() and arrays_path.exists():
        return _load(name, seed, small, meta_path, arrays_path)
    with _entry_lock(meta_path):
        # Another process may have stored the entry while this one waited for the lock.
        if meta_path.exists() and arrays_path.exists():
            return _load(name, seed, small, meta_path, arrays_path)
        return _compute(name, seed, small, compute, (meta_path, arrays_path))


@contextmanager
def _entry_lock(meta_path: Path) -> Iterator[None]:
    """Hold an exclusive lock on one cache entry, across processes (POSIX ``flock``).

    Two processes that miss the same entry at once (the site build training the
    demonstrations and a test that needs one; two test workers) then compute it once: the
    second waits, then loads the first's result. The lock is the file ``<key>.lock`` beside
    the entry; the kernel releases it when its holder exits, even killed. Where ``fcntl``
    is missing (Windows) nothing is locked, and both compute the entry.
    """
    try:
        import fcntl
    except ImportError:  # pragma: no cover - not POSIX
        yield
        return
    meta_path.parent.mkdir(parents=True, exist_ok=True)
    with open(meta_path.with_suffix(".lock"), "a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _load(name: str, seed: int, small: bool, meta_path: Path, arrays_path: Path) -> DemoResult:
    meta = json.loads(meta_path.read_text(encoding="utf-8"))
    with np.load(arrays_path, allow_pickle=False) as data:
        loaded = {k: data[k] for k in data.files}
    return DemoResult(name, seed, small, meta["metrics"], loaded, meta["seconds"], True)


def _compute(
    name: str,
    seed: int,
    small: bool,
    compute: Callable[[], tuple[Mapping[str, Any], Mapping[str, np.ndarray]]],
    paths: tuple[Path, Path] | None,
) -> DemoResult:
    """Run ``compute()``; store the result at `paths` (metadata, arrays) unless None."""
    start = time.perf_counter()
    metrics, arrays = compute()
    seconds = time.perf_counter() - start
    result = DemoResult(name, seed, small, dict(metrics), dict(arrays), seconds, False)
    if paths is not None:
        meta_path, arrays_path = paths
        # Arrays first, metadata last: an entry counts only when its JSON exists.
        to_save: dict[str, Any] = result.arrays
        with atomic_write(arrays_path) as f:
            np.savez_compressed(f, **to_save)
        record = {"metrics": result.metrics, "seconds": seconds}
        write_atomically(meta_path, json.dumps(record, allow_nan=False))
    return result


def is_cached(name: str, seed: int = 0, small: bool = False) -> bool:
    """Whether `cached_run` would load demonstration `name` (this seed, size and code).

    Examples
    --------
    >>> is_cached("toy", 12345)
    False
    """
    meta_path, arrays_path = _entry(name, seed, small)
    return meta_path.exists() and arrays_path.exists()
