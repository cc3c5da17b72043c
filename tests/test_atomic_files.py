"""Atomic files: the target is the old file or the complete new one, never half of one."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from cnnbook.atomic_files import atomic_write, write_atomically


def test_write_atomically_replaces_the_file_whole(tmp_path: Path) -> None:
    target = tmp_path / "book.pdf"
    write_atomically(target, b"old")
    write_atomically(target, b"new contents")
    assert target.read_bytes() == b"new contents"
    assert [p.name for p in tmp_path.iterdir()] == ["book.pdf"]


def test_text_is_written_as_utf8_and_missing_folders_are_made(tmp_path: Path) -> None:
    target = tmp_path / "a" / "b" / "model.json"
    write_atomically(target, '{"µ": "×"}')
    assert target.read_bytes() == '{"µ": "×"}'.encode()


def test_the_file_is_readable_like_an_ordinary_file_not_owner_only(tmp_path: Path) -> None:
    target = tmp_path / "examples.json"
    write_atomically(target, "{}")
    assert stat.S_IMODE(target.stat().st_mode) == 0o644


def test_an_interrupted_rename_leaves_the_old_file_and_no_temporary(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "book.pdf"
    target.write_bytes(b"the user's file")

    def interrupted(src: str, dst: str) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(os, "replace", interrupted)
    with pytest.raises(KeyboardInterrupt):
        write_atomically(target, b"half" * 1000)
    assert target.read_bytes() == b"the user's file"
    assert [p.name for p in tmp_path.iterdir()] == ["book.pdf"]


def test_a_writer_failing_halfway_leaves_the_old_file_and_no_temporary(tmp_path: Path) -> None:
    target = tmp_path / "weights.npz"
    target.write_bytes(b"previous checkpoint")
    with pytest.raises(KeyboardInterrupt), atomic_write(target) as f:
        f.write(b"half of the new one")
        raise KeyboardInterrupt
    assert target.read_bytes() == b"previous checkpoint"
    assert [p.name for p in tmp_path.iterdir()] == ["weights.npz"]


def test_a_mode_other_than_binary_or_text_write_is_refused(tmp_path: Path) -> None:
    with (
        pytest.raises(ValueError, match=r"mode \(='a'\) must be 'wb'"),
        atomic_write(tmp_path / "x", "a"),
    ):
        pass
    assert list(tmp_path.iterdir()) == []
