"""Render the site's figures: deterministic files, re-rendered only when their inputs change.

The registry (:data:`cnnbook.site.figures_registry.FIGURES`) maps an output file name
under ``docs/assets/figures/`` to a :class:`Figure` entry: a ``"module:function"``
reference into ``cnnbook.figures`` and keyword arguments. The function either returns a
:class:`matplotlib.figure.Figure` (saved as ``.png``, ``.svg`` or ``.pdf`` by the file's
extension) or, when its first parameter is named ``path``, writes the file itself
(animations: ``.gif``).

A figure is rendered again only when its *input hash* changed: the source of its
``cnnbook.figures`` module, the source of every core module of ``cnnbook`` (any of
them may compute what it draws) and of this renderer, the entry's keyword arguments,
and the versions of ``cnnbook`` and matplotlib. Figures are drawn with one BLAS thread,
so their bytes do not depend on the thread settings either. The hashes live in
``docs/assets/figures/manifest.json``. Files carry no timestamps (PNG ``Software``, SVG
``Date``/``Creator``, PDF dates are dropped; SVG ids use a fixed salt), so a clean
re-render gives identical bytes.
"""

from __future__ import annotations

import hashlib
import importlib
import importlib.util
import inspect
import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import cnnbook
from cnnbook.site.worker_processes import results_as_completed

ROOT = Path(cnnbook.__file__).resolve().parents[1]
FIGURES_DIR = ROOT / "docs" / "assets" / "figures"
MANIFEST = "manifest.json"
_METADATA: dict[str, dict[str, None]] = {
    ".png": {"Software": None},
    ".svg": {"Date": None, "Creator": None},
    ".pdf": {"CreationDate": None, "ModDate": None, "Producer": None, "Creator": None},
}


@dataclass(frozen=True)
class Figure:
    """A registry entry: ``function`` as ``"cnnbook.figures.module:name"`` and its kwargs."""

    function: str
    kwargs: Mapping[str, Any] = field(default_factory=dict)

    def resolve(self) -> Callable[..., Any]:
        """Import and return the function (an error names the entry)."""
        module_name, _, name = self.function.partition(":")
        if not name:
            raise ValueError(f"function (={self.function!r}) must be 'package.module:function'")
        function: Callable[..., Any] = getattr(importlib.import_module(module_name), name)
        return function

    @property
    def module_file(self) -> Path:
        """The source file of the function's module."""
        spec = importlib.util.find_spec(self.function.partition(":")[0])
        if spec is None or spec.origin is None:
            raise ModuleNotFoundError(f"no module for figure function {self.function!r}")
        return Path(spec.origin)


def core_sources() -> list[Path]:
    """Return the source files of ``cnnbook`` outside ``figures/`` and ``site/``."""
    package = ROOT / "cnnbook"
    return sorted(
        p
        for p in package.rglob("*.py")
        if p.relative_to(package).parts[0] not in ("figures", "site")
    )


def input_hash(entry: Figure) -> str:
    """Return the SHA-256 over everything a figure's bytes depend on."""
    import matplotlib

    digest = hashlib.sha256()
    # This module too: how it renders (rc settings, metadata, one BLAS thread) shapes the bytes.
    for path in [entry.module_file, Path(__file__).resolve(), *core_sources()]:
        digest.update(str(path.relative_to(ROOT)).encode())
        digest.update(path.read_bytes())
    digest.update(entry.function.encode())
    digest.update(json.dumps(dict(entry.kwargs), sort_keys=True, default=repr).encode())
    digest.update(f"cnnbook {cnnbook.__version__} matplotlib {matplotlib.__version__}".encode())
    return digest.hexdigest()


def render(name: str, entry: Figure, out_dir: Path) -> Path:
    """Render one figure to ``out_dir / name`` and return the path.

    With one BLAS thread: a product's rounding may depend on how many threads share it,
    and the bytes must not depend on the environment (``make test`` runs with
    ``OMP_NUM_THREADS=1``, ``make docs`` with every core), which the input hash omits.
    """
    import matplotlib
    from threadpoolctl import threadpool_limits

    path = out_dir / name
    path.parent.mkdir(parents=True, exist_ok=True)
    function = entry.resolve()
    parameters = list(inspect.signature(function).parameters)
    context = matplotlib.rc_context({"svg.hashsalt": "cnnbook", "path.simplify": True})
    with context, threadpool_limits(limits=1, user_api="blas"):
        if parameters and parameters[0] == "path":
            function(path, **entry.kwargs)
        else:
            figure = function(**entry.kwargs)
            if path.suffix not in _METADATA:
                raise ValueError(f"{name}: extension must be one of {sorted(_METADATA)}")
            figure.savefig(path, metadata=_METADATA[path.suffix], bbox_inches="tight")
    if not path.is_file():
        raise FileNotFoundError(f"{name}: {entry.function} wrote no file at {path}")
    return path


def _render_one(name: str, entry: Figure, out_dir: Path) -> str:
    """Render one figure in a worker; return its name (an error names the figure)."""
    try:
        render(name, entry, out_dir)
    except Exception as error:
        raise RuntimeError(f"figure {name} ({entry.function}) failed: {error}") from error
    return name


def render_all(
    figures: Mapping[str, Figure],
    out_dir: Path = FIGURES_DIR,
    *,
    force: bool = False,
    jobs: int = 1,
    log: Callable[[str], None] = print,
) -> dict[str, bool]:
    """Render every stale figure; return ``{name: rendered?}``. Raises on the first failure.

    With ``jobs > 1`` the stale figures are rendered in that many processes; the bytes
    are the same (nothing in a file depends on the process), and the manifest is written
    by this process after each figure, so an interrupted run keeps what it finished.
    """
    manifest_path = out_dir / MANIFEST
    manifest: dict[str, str] = (
        json.loads(manifest_path.read_text()) if manifest_path.is_file() else {}
    )
    done: dict[str, bool] = {}
    todo: dict[str, str] = {}
    for name, entry in figures.items():
        digest = input_hash(entry)
        if not force and manifest.get(name) == digest and (out_dir / name).is_file():
            done[name] = False
        else:
            todo[name] = digest

    def finished(name: str) -> None:
        manifest[name] = todo[name]
        out_dir.mkdir(parents=True, exist_ok=True)
        manifest_path.write_text(json.dumps(manifest, indent=1, sort_keys=True) + "\n")
        done[name] = True
        log(f"rendered {name}")

    calls = [(name, figures[name], out_dir) for name in todo]
    for name in results_as_completed(_render_one, calls, jobs):
        finished(name)
    return {name: done[name] for name in figures}


def stale(figures: Mapping[str, Figure], out_dir: Path = FIGURES_DIR) -> list[str]:
    """Return the names whose file is missing or whose inputs changed since it was rendered."""
    manifest_path = out_dir / MANIFEST
    manifest = json.loads(manifest_path.read_text()) if manifest_path.is_file() else {}
    return [
        name
        for name, entry in figures.items()
        if manifest.get(name) != input_hash(entry) or not (out_dir / name).is_file()
    ]
