"""What CNNs are best at, computed: one module per use-case page, each with one `run`.

Every demonstration trains a small network from this package on real (bundled) or
realistic synthetic data, measures it against a classical baseline on held-out data and
returns a [`DemoResult`][cnnbook.usecases.cache.DemoResult]: its figures of merit (JSON)
and the arrays its page draws. The page, the command line
(``python -m cnnbook demo NAME --json``) and the tests all call the same
``run(seed=..., small=...)``; the trained result is cached (see
[`cnnbook.usecases.cache`][cnnbook.usecases.cache]), so a warm site build retrains
nothing that did not change.

Examples
--------
>>> from cnnbook import usecases
>>> list(usecases.DEMOS)[:2]
['inductive-bias', 'classification']
"""

from __future__ import annotations

import importlib
import importlib.util
from types import ModuleType

from cnnbook.usecases.cache import DemoResult, cache_dir, cached_run, code_fingerprint

__all__ = [
    "DEMOS",
    "DemoResult",
    "cache_dir",
    "cached_run",
    "code_fingerprint",
    "module",
    "names",
    "run",
]

#: Demonstration name (as typed on the command line) -> module of ``cnnbook.usecases``,
#: in the order of the Use Cases hub page.
DEMOS: dict[str, str] = {
    "inductive-bias": "inductive_bias",
    "classification": "classification",
    "detection": "detection",
    "denoising": "denoising",
    "super-resolution": "super_resolution",
    "autoencoder": "autoencoder",
    "verification": "verification",
    "segmentation": "segmentation",
    "video": "video",
}


def names() -> list[str]:
    """Return the demonstrations whose module exists, in page order."""
    return [name for name in DEMOS if importlib.util.find_spec(f"{__name__}.{DEMOS[name]}")]


def module(name: str) -> ModuleType:
    """Import the module of demonstration `name` (a `ValueError` lists the known names)."""
    if not isinstance(name, str) or name not in names():
        raise ValueError(f"name (={name!r}) is not a demonstration; known: {', '.join(names())}")
    return importlib.import_module(f"{__name__}.{DEMOS[name]}")


def run(
    name: str, seed: int = 0, *, small: bool = False, cache: bool = True, progress: bool = False
) -> DemoResult:
    """Train (or load from the cache) and evaluate demonstration `name`.

    Parameters
    ----------
    name : str
        One of [`names()`][cnnbook.usecases.names].
    seed : int, default 0
        Seeds the data split, the initial weights and the shuffles.
    small : bool, default False
        A reduced run (fewer images and epochs) for the test suite; its numbers are not
        the page's.
    cache : bool, default True
        Load a cached result whose key matches, and store a new one.
    progress : bool, default False
        Show progress bars on stderr.
    """
    return module(name).run(seed=seed, small=small, cache=cache, progress=progress)
