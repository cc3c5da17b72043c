"""Exec blocks are skipped only when their output is known for exactly this code and state."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from markdown_exec._internal.formatters import python as formatter

from cnnbook.site.executed_blocks import BlockCache, install

RUN_PYTHON = getattr(formatter._run_python, "original", formatter._run_python)


class Counting:
    """markdown-exec's own runner, counting the blocks it really runs."""

    def __init__(self) -> None:
        self.ran: list[str] = []

    def __call__(self, code: str, session: str | None = None, **options: Any) -> str:
        self.ran.append(code)
        return str(RUN_PYTHON(code, session=session, **options))


@pytest.fixture(autouse=True)
def _printoptions() -> Iterator[None]:
    saved = np.get_printoptions()
    yield
    np.set_printoptions(**saved)


def build(folder: Path, blocks: list[tuple[str, str | None]]) -> tuple[list[str], list[str]]:
    """Run `blocks` (code, session) as one build does; return their outputs and what ran."""
    cache, runner = BlockCache(folder), Counting()
    outputs = [cache.run(runner, code, session, returncode=0, id="") for code, session in blocks]
    return outputs, runner.ran


def test_an_unchanged_block_is_not_run_again_and_an_edited_one_is(tmp_path: Path) -> None:
    block = ("print(6 * 7)", None)
    assert build(tmp_path, [block]) == (["42\n"], ["print(6 * 7)"])
    assert build(tmp_path, [block]) == (["42\n"], [])
    assert build(tmp_path, [("print(6 * 8)", None)]) == (["48\n"], ["print(6 * 8)"])


def test_a_session_block_runs_after_the_skipped_blocks_it_depends_on(tmp_path: Path) -> None:
    a, b = ("a = 20", "s1"), ("b = a + 1", "s1")
    assert build(tmp_path, [a, b, ("print(b * 2)", "s1")])[0][-1] == "42\n"
    # Only the last block changed: the earlier two run first (their output discarded), so
    # the edited block sees their variables.
    outputs, ran = build(tmp_path, [a, b, ("print(b * 3)", "s1")])
    assert outputs[-1] == "63\n" and ran == ["a = 20", "b = a + 1", "print(b * 3)"]
    # An edit to an earlier block of the session runs every block after it again.
    outputs, ran = build(tmp_path, [("a = 10", "s1"), b, ("print(b * 3)", "s1")])
    assert outputs[-1] == "33\n" and ran == ["a = 10", "b = a + 1", "print(b * 3)"]


def test_print_options_left_by_a_skipped_block_still_hold_for_the_next(tmp_path: Path) -> None:
    setter = (
        "import numpy as np\nnp.set_printoptions(precision=2)\nprint(np.pi * np.ones(1))",
        None,
    )
    reader = ("import numpy as np\nprint(np.array([1 / 3]))", None)
    start = np.get_printoptions()
    first, _ = build(tmp_path, [setter, reader])
    assert first == ["[3.14]\n", "[0.33]\n"]
    np.set_printoptions(**start)  # the next build starts as this one did
    edited_reader = ("import numpy as np\nprint(np.array([2 / 3]))", None)
    outputs, ran = build(tmp_path, [setter, edited_reader])
    assert outputs == ["[3.14]\n", "[0.67]\n"] and ran == [edited_reader[0]]


def test_the_print_options_a_block_starts_with_are_part_of_its_key(tmp_path: Path) -> None:
    reader = ("import numpy as np\nprint(np.array([1 / 3]))", None)
    np.set_printoptions(precision=3)
    assert build(tmp_path, [reader]) == (["[0.333]\n"], [reader[0]])
    np.set_printoptions(precision=5)
    assert build(tmp_path, [reader]) == (["[0.33333]\n"], [reader[0]])


def test_a_failing_block_is_not_cached(tmp_path: Path) -> None:
    for _ in range(2):
        with pytest.raises(formatter.ExecutionError):
            build(tmp_path, [("1 / 0", None)])
    assert list(tmp_path.iterdir()) == []


def test_install_wraps_markdown_execs_runner_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(formatter, "_run_python", formatter._run_python)  # restored after
    first = install(tmp_path / "a")
    second = install(tmp_path / "b")
    assert formatter._run_python.original is RUN_PYTHON  # not a wrapper of the wrapper
    assert formatter._run_python.cache is second and second is not first
    (tmp_path / "b").mkdir()
    assert formatter._run_python("print('hi')", returncode=0, id="") == "hi\n"
    assert (second.hits, second.misses) == (0, 1)
    assert formatter._run_python("print('hi')", returncode=0, id="") == "hi\n"
    assert (second.hits, second.misses) == (1, 1)
