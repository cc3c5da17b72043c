"""A demonstration's cache key counts exactly the source files its imports reach."""

from __future__ import annotations

import ast
import os
import shutil
from pathlib import Path

import pytest

from cnnbook.usecases import cache as cache_module
from cnnbook.usecases.dependencies import module_dependencies

PACKAGE = cache_module.PACKAGE


def _copy_package(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    copy = tmp_path / "cnnbook"
    shutil.copytree(PACKAGE, copy, ignore=shutil.ignore_patterns("__pycache__"))
    monkeypatch.setattr(cache_module, "PACKAGE", copy)
    return copy


def _names(paths: list[Path], root: Path) -> set[str]:
    return {str(p.relative_to(root)) for p in paths}


def test_a_module_reached_only_through_other_modules_counts() -> None:
    # video.py never names im2col; nn.Conv2d reaches it through conv2d.
    video = PACKAGE / "usecases" / "video.py"
    assert "im2col" not in video.read_text(encoding="utf-8")
    names = _names(module_dependencies("cnnbook.usecases.video"), PACKAGE)
    assert {"usecases/video.py", "nn/conv.py", "im2col.py", "_validation.py"} <= names


def test_a_name_re_exported_by_a_package_follows_to_its_defining_module(
    tmp_path: Path,
) -> None:
    pkg = tmp_path / "cnnbook"
    (pkg / "sub").mkdir(parents=True)
    (pkg / "__init__.py").write_text("from cnnbook.sub import f\n")
    (pkg / "sub" / "__init__.py").write_text("from cnnbook.sub.defs import f\n")
    (pkg / "sub" / "defs.py").write_text("from cnnbook.deep import g\ndef f(): return g()\n")
    (pkg / "sub" / "other.py").write_text("def h(): return 0\n")
    (pkg / "deep.py").write_text("def g(): return 1\n")
    (pkg / "user.py").write_text("def u():\n    from cnnbook import f\n    return f()\n")
    names = _names(module_dependencies("cnnbook.user", pkg), pkg)
    # The facade __init__ files route the name; they define nothing the user runs.
    assert names == {"user.py", "sub/defs.py", "deep.py"}


def test_a_name_defined_in_a_package_init_brings_the_init_and_its_imports(
    tmp_path: Path,
) -> None:
    pkg = tmp_path / "cnnbook"
    pkg.mkdir()
    (pkg / "__init__.py").write_text("from cnnbook.helper import k\nSCALE = k\n")
    (pkg / "helper.py").write_text("k = 2\n")
    (pkg / "user.py").write_text("from cnnbook import SCALE\n")
    names = _names(module_dependencies("cnnbook.user", pkg), pkg)
    assert names == {"user.py", "__init__.py", "helper.py"}


def test_a_new_exported_module_and_another_demo_leave_a_key_alone_and_a_used_layer_does_not(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    copy = _copy_package(tmp_path, monkeypatch)
    before = cache_module._key("video", 0, False)
    # A new page's module, exported from the package like every public name.
    (copy / "a_new_page.py").write_text("def new_idea():\n    return 1\n")
    with open(copy / "__init__.py", "a") as f:
        f.write("\nfrom cnnbook.a_new_page import new_idea\n")
    with open(copy / "usecases" / "denoising.py", "a") as f:
        f.write("\n# another demonstration's edit\n")
    assert cache_module._key("video", 0, False) == before
    # A module the demonstration reaches only transitively does change it.
    with open(copy / "im2col.py", "a") as f:
        f.write("\n# an engine edit\n")
    assert cache_module._key("video", 0, False) != before


def test_a_demo_importing_another_demo_counts_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    copy = _copy_package(tmp_path, monkeypatch)
    before = cache_module._key("super-resolution", 0, False)
    with open(copy / "usecases" / "denoising.py", "a") as f:
        f.write("\n# an edit of the demo it imports (the photographs)\n")
    assert cache_module._key("super-resolution", 0, False) != before


@pytest.mark.parametrize(
    "init",
    sorted(PACKAGE.rglob("__init__.py")),
    ids=lambda p: str(p.relative_to(PACKAGE)),
)
def test_package_inits_run_no_code_at_import(init: Path) -> None:
    """Why an __init__ run by a submodule's import may be left out of a key: it only
    imports and defines; it calls nothing that could change how its submodules compute."""
    body = ast.parse(init.read_text(encoding="utf-8")).body
    for i, node in enumerate(body):
        if i == 0 and isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant):
            continue  # the docstring
        if isinstance(node, (ast.Import, ast.ImportFrom, ast.FunctionDef, ast.ClassDef)):
            continue
        assert isinstance(node, (ast.Assign, ast.AnnAssign)), ast.unparse(node)
        calls = [n for n in ast.walk(node) if isinstance(n, ast.Call)]
        assert calls == [], ast.unparse(node)


def test_the_cache_machinery_itself_retrains_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    copy = _copy_package(tmp_path, monkeypatch)
    before = cache_module._key("video", 0, False)
    for name in ("usecases/cache.py", "usecases/dependencies.py", "atomic_files.py"):
        with open(copy / name, "a") as f:
            f.write("\n# a new caching option\n")
    assert cache_module._key("video", 0, False) == before
    with open(copy / "usecases" / "training.py", "a") as f:
        f.write("\n# the shared training loop\n")
    assert cache_module._key("video", 0, False) != before


def test_an_import_added_to_a_file_already_read_is_followed(tmp_path: Path) -> None:
    # The imports of a file are kept per process (a build asks for them thousands of times),
    # keyed by its modification time: an edit is read again.
    pkg = tmp_path / "cnnbook"
    pkg.mkdir()
    (pkg / "__init__.py").write_text("")
    (pkg / "helper.py").write_text("k = 2\n")
    user = pkg / "user.py"
    user.write_text("x = 1\n")
    assert _names(module_dependencies("cnnbook.user", pkg), pkg) == {"user.py"}
    user.write_text("from cnnbook.helper import k\n")
    stat = user.stat()
    os.utime(user, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000))  # a later edit
    assert _names(module_dependencies("cnnbook.user", pkg), pkg) == {"user.py", "helper.py"}
