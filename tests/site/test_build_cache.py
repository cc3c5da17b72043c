"""The build's caches of executed code are keyed by everything their output depends on."""

from __future__ import annotations

import os
from pathlib import Path
from types import SimpleNamespace

import pytest
from mkdocs.config import load_config

from cnnbook.site import build_cache, hooks
from cnnbook.site.build_cache import cache_folder, cache_notebooks, fingerprint, prepare
from tests.sitebuild import ROOT


@pytest.fixture
def package(tmp_path: Path) -> Path:
    root = tmp_path / "pkg"
    (root / "nn").mkdir(parents=True)
    (root / "__init__.py").write_text("VERSION = 1\n")
    (root / "nn" / "conv.py").write_text("def conv(x):\n    return x\n")
    return root


def test_editing_or_adding_a_package_source_changes_the_fingerprint(package: Path) -> None:
    before = fingerprint(package, environ={})
    assert fingerprint(package, environ={}) == before  # deterministic
    (package / "nn" / "conv.py").write_text("def conv(x):\n    return 2 * x\n")
    edited = fingerprint(package, environ={})
    (package / "nn" / "pool.py").write_text("")
    added = fingerprint(package, environ={})
    assert len({before, edited, added}) == 3


def test_the_thread_settings_change_the_fingerprint_and_other_variables_do_not(
    package: Path,
) -> None:
    base = fingerprint(package, environ={})
    assert fingerprint(package, environ={"HOME": "/elsewhere"}) == base
    for name in build_cache.ENVIRONMENT:
        assert fingerprint(package, environ={name: "1"}) != base, name


def test_another_installed_version_changes_the_fingerprint(
    package: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    base = fingerprint(package, environ={})
    installed = build_cache._installed()
    assert any(line.startswith("numpy==") for line in installed)
    bumped = [f"{line}.post1" if line.startswith("numpy==") else line for line in installed]
    monkeypatch.setattr(build_cache, "_installed", lambda: bumped)
    assert fingerprint(package, environ={}) != base


def test_each_docs_folder_and_each_code_has_its_own_cache_folder(
    package: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CNNBOOK_CACHE", str(tmp_path / "cache"))
    site = cache_folder("notebooks", ROOT / "docs", package)
    other = cache_folder("notebooks", tmp_path / "docs", package)
    blocks = cache_folder("blocks", ROOT / "docs", package)
    assert site.parent == other.parent == tmp_path / "cache" / "notebooks"
    assert blocks.parent == tmp_path / "cache" / "blocks" and blocks.name == site.name
    assert site != other
    (package / "__init__.py").write_text("VERSION = 2\n")
    assert cache_folder("notebooks", ROOT / "docs", package) != site
    with pytest.raises(ValueError, match=r"kind \(='figures'\) must be"):
        cache_folder("figures", ROOT / "docs", package)


def test_prepare_drops_broken_entries_and_the_docs_folders_stale_folders(tmp_path: Path) -> None:
    parent = tmp_path / "notebooks"
    stale, current, foreign = parent / "aaa-old", parent / "aaa-new", parent / "bbb-old"
    for folder in (stale, foreign):
        folder.mkdir(parents=True)
        (folder / "entry.json").write_text("{}")
    current.mkdir()
    (current / "good.json").write_text('{"content": "<p>1</p>"}')
    (current / "torn.json").write_text('{"content": "<p>')  # a build killed mid-write
    assert prepare(current) == current
    assert sorted(p.name for p in parent.iterdir()) == ["aaa-new", "bbb-old"]
    assert sorted(p.name for p in current.iterdir()) == ["good.json"]


def test_cache_notebooks_moves_an_enabled_cache_only(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CNNBOOK_CACHE", str(tmp_path))
    off = SimpleNamespace(config={"cache": False, "cache_dir": ".cache/mkdocs-jupyter"})
    assert cache_notebooks(off, ROOT / "docs") is None
    assert off.config["cache_dir"] == ".cache/mkdocs-jupyter"
    assert cache_notebooks(None, ROOT / "docs") is None
    on = SimpleNamespace(config={"cache": True, "cache_dir": ".cache/mkdocs-jupyter"})
    folder = cache_notebooks(on, ROOT / "docs")
    assert folder == cache_folder("notebooks", ROOT / "docs") and folder.is_dir()
    assert on.config["cache_dir"] == str(folder)


def test_the_site_caches_its_notebooks_and_exec_blocks_in_code_keyed_folders(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from markdown_exec._internal.formatters import python as formatter
    from mkdocstrings_handlers.python._internal import rendering

    monkeypatch.setattr(formatter, "_run_python", formatter._run_python)  # restored after
    monkeypatch.setattr(rendering, "_get_formatter", rendering._get_formatter)
    monkeypatch.setenv("CNNBOOK_CACHE", str(tmp_path))
    monkeypatch.setenv("NO_MKDOCS_2_WARNING", "1")
    monkeypatch.chdir(ROOT)
    config = load_config(str(ROOT / "mkdocs.yml"))
    plugin = config.plugins["mkdocs-jupyter"]
    assert plugin.config["cache"] is True and plugin.config["execute"] is True
    hooks.on_config(config)
    assert plugin.config["cache_dir"] == str(cache_folder("notebooks", ROOT / "docs"))
    assert os.path.isdir(plugin.config["cache_dir"])
    assert formatter._run_python.cache.folder == cache_folder("blocks", ROOT / "docs")
    signatures = cache_folder("signatures", ROOT / "docs")
    assert rendering._get_formatter().path.parent == signatures
