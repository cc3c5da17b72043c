"""API signatures are formatted once per distinct signature, and the results kept."""

from __future__ import annotations

from pathlib import Path

import pytest
from mkdocstrings_handlers.python._internal import rendering

from cnnbook.site.formatted_signatures import FILE, SignatureFormats, install

LONG = "def xxxxxxxx(a: int, b: float = 1.0, *, c: str = 'x', d: list[int] | None = None): pass"


class Counting:
    def __init__(self) -> None:
        self.calls: list[tuple[str, int]] = []

    def __call__(self, code: str, line_length: int) -> str:
        self.calls.append((code, line_length))
        return f"<{line_length}>{code}"


def test_a_signature_is_formatted_once_and_the_result_kept_across_builds(tmp_path: Path) -> None:
    original = Counting()
    memo = SignatureFormats(original, tmp_path / FILE)
    assert memo("def f(a): pass", 60) == memo("def f(a): pass", 60) == "<60>def f(a): pass"
    assert memo("def f(a): pass", 80) == "<80>def f(a): pass"  # another line length
    assert len(original.calls) == memo.formatted == 2
    memo.save()
    again = Counting()
    fresh = SignatureFormats(again, tmp_path / FILE)  # the next build
    assert fresh("def f(a): pass", 80) == "<80>def f(a): pass" and again.calls == []
    assert fresh("def g(): pass", 60) == "<60>def g(): pass" and len(again.calls) == 1


def test_an_unreadable_file_starts_an_empty_memo(tmp_path: Path) -> None:
    (tmp_path / FILE).write_text('{"[60, ')  # a torn write
    original = Counting()
    assert SignatureFormats(original, tmp_path / FILE)("def f(): pass", 60) == "<60>def f(): pass"
    assert len(original.calls) == 1


def test_install_wraps_mkdocstrings_formatter_once_and_formats_as_it_does(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(rendering, "_get_formatter", rendering._get_formatter)  # restored after
    expected = rendering._get_formatter()(LONG, 60)
    assert expected != LONG  # a real formatter (Black or Ruff) laid it out
    install(tmp_path)
    memo = install(tmp_path)  # a second build wraps the original chooser, not the memo
    assert rendering._get_formatter() is memo and memo.original is not memo
    assert memo(LONG, 60) == expected and memo(LONG, 60) == expected
    assert memo.formatted == 1
