"""The package's own source files a module depends on, read from its import statements.

A demonstration's cache key hashes exactly these files (`cnnbook.usecases.cache`), so adding
a page's module, or editing a layer no demonstration uses, retrains nothing, while an edit to
any module a demonstration reaches through its imports retrains it.

The rules, chosen to over-include rather than miss a dependency:

- A module reached is hashed whole, and every ``cnnbook`` import in it (at any depth: inside
  functions too) is followed.
- ``from P import name`` follows the submodule ``P.name`` if there is one, and the binding
  of ``name`` in ``P`` (a package's ``__init__`` re-export, followed to where it is defined;
  a name defined in the ``__init__`` itself brings the whole ``__init__`` and its imports).
- A package's ``__init__`` is *not* counted merely because Python runs it when one of its
  submodules is imported: ``cnnbook/__init__.py`` and the subpackages' ``__init__`` files
  only re-export names (``tests/usecases/test_dependencies.py`` holds them to it).
"""

from __future__ import annotations

import ast
from functools import cache
from pathlib import Path

__all__ = ["module_dependencies"]

PACKAGE = Path(__file__).resolve().parents[1]
_ROOT = PACKAGE.name


def _source(module: str, package: Path) -> Path | None:
    """Return the file defining dotted `module` of the package at `package`, or None."""
    parts = module.split(".")
    if parts[0] != _ROOT:
        return None
    base = package.joinpath(*parts[1:])
    for path in (base / "__init__.py", base.with_suffix(".py")):
        if path.is_file():
            return path
    return None


@cache
def _parse(path: Path, mtime_ns: int) -> ast.Module:
    del mtime_ns  # part of the cache key only: an edited file is parsed again
    return ast.parse(path.read_text(encoding="utf-8"), filename=str(path))


def _tree(path: Path) -> ast.Module:
    return _parse(path, path.stat().st_mtime_ns)


def _imports(path: Path) -> list[tuple[str, str | None]]:
    """List (module, name) for every ``cnnbook`` import in `path` (name None: ``import m``)."""
    return list(_imports_of(path, path.stat().st_mtime_ns))


@cache
def _imports_of(path: Path, mtime_ns: int) -> tuple[tuple[str, str | None], ...]:
    # Walking a whole tree costs ~10 ms; a build asks for the same files' imports thousands
    # of times (every cached demonstration it loads), so the list is kept, like the tree.
    found: list[tuple[str, str | None]] = []
    for node in ast.walk(_parse(path, mtime_ns)):
        if isinstance(node, ast.Import):
            found += [(a.name, None) for a in node.names if a.name.split(".")[0] == _ROOT]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            if node.module.split(".")[0] == _ROOT:
                found += [(node.module, a.name) for a in node.names]
    return tuple(found)


def _binding(init: Path, name: str) -> tuple[str, str] | None:
    """Return where the package ``__init__`` `init` imports `name` from: (module, name)."""
    for node in _tree(init).body:
        if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            for alias in node.names:
                if (alias.asname or alias.name) == name:
                    return node.module, alias.name
    return None


def module_dependencies(module: str, package: Path | None = None) -> list[Path]:
    """Return the package's source files dotted `module` depends on, itself included, sorted.

    Parameters
    ----------
    module : str
        A dotted module name inside the package, e.g. ``"cnnbook.usecases.video"``.
    package : Path, optional
        The package's folder (default: this installed ``cnnbook``); a copy for tests.

    Returns
    -------
    list of Path

    Examples
    --------
    >>> names = {p.name for p in module_dependencies("cnnbook.usecases.video")}
    >>> {"video.py", "conv.py", "im2col.py"} <= names
    True
    >>> "correlation.py" in names  # a page's module the demonstration never imports
    False
    """
    if not isinstance(module, str):
        raise TypeError(f"module (={module!r}) must be a dotted module name (a str)")
    root = PACKAGE if package is None else Path(package)
    start = _source(module, root)
    if start is None:
        raise ValueError(f"module (={module!r}) is not a module of the package in {root}")
    seen: set[Path] = set()
    pending: list[tuple[str, str | None]] = [(module, None)]
    resolved: set[tuple[str, str | None]] = set()
    while pending:
        item = pending.pop()
        if item in resolved:
            continue
        resolved.add(item)
        target, name = item
        path = _source(target, root)
        if path is None:
            continue
        whole = name is None or path.name != "__init__.py"
        if name is not None:
            if _source(f"{target}.{name}", root) is not None:
                pending.append((f"{target}.{name}", None))
            if path.name == "__init__.py":
                binding = _binding(path, name)
                if binding is not None:
                    pending.append(binding)
                elif _source(f"{target}.{name}", root) is None:
                    whole = True  # defined in the __init__ itself
        if whole and path not in seen:
            seen.add(path)
            pending += _imports(path)
    return sorted(seen)
