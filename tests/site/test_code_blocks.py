"""Every code block on the site runs, and every output it shows is what it prints.

Markdown pages (docs/**/*.md) are read fence by fence:

- ```python exec="on" ...``` blocks were executed by markdown-exec during the build; here
  they run again and every line they print must be on the built page.
- ```pycon``` blocks, and ```python``` blocks written as a doctest (``>>>``), run as
  doctests: the output shown under each prompt is compared.
- other ```python``` blocks run in order in one namespace per page and must not raise.

Notebooks are executed by the build itself with ``allow_errors: false``.
"""

from __future__ import annotations

import contextlib
import doctest
import io
import re
import shlex
import textwrap
from dataclasses import dataclass
from html import unescape

import numpy as np
import pytest

from tests.sitebuild import DOCS, BuiltSite

_FENCE_RE = re.compile(r"^(?P<indent>[ \t]*)(?P<fence>`{3,}|~{3,})[ \t]*(?P<info>[^`\n]*)$")


@dataclass(frozen=True)
class Block:
    """One fenced block: its page, first line, language, options and code."""

    page: str
    line: int
    language: str
    options: dict[str, str]
    code: str

    @property
    def executed_at_build(self) -> bool:
        return self.options.get("exec", "").lower() in ("on", "true", "1", "yes")

    @property
    def is_doctest(self) -> bool:
        return self.language == "pycon" or re.search(r"^\s*>>> ", self.code, re.M) is not None


def read_blocks(text: str, page: str) -> list[Block]:
    blocks: list[Block] = []
    lines = text.splitlines()
    i = 0
    while i < len(lines):
        match = _FENCE_RE.match(lines[i])
        if not match:
            i += 1
            continue
        indent, fence, info = match.group("indent"), match.group("fence"), match.group("info")
        start, body = i + 1, []
        i += 1
        while i < len(lines) and not (
            lines[i].strip().startswith(fence) and set(lines[i].strip()) == {fence[0]}
        ):
            body.append(lines[i][len(indent) :] if lines[i].startswith(indent) else lines[i])
            i += 1
        i += 1
        words = shlex.split(info.replace("{", " ").replace("}", " ")) if info.strip() else []
        language = words[0].lstrip(".").lower() if words else ""
        options = dict(w.split("=", 1) for w in words[1:] if "=" in w)
        blocks.append(Block(page, start, language, options, textwrap.dedent("\n".join(body))))
    return blocks


def page_blocks() -> dict[str, list[Block]]:
    pages = {}
    for path in sorted(DOCS.rglob("*.md")):
        src = str(path.relative_to(DOCS))
        python = [
            b
            for b in read_blocks(path.read_text(encoding="utf-8"), src)
            if b.language in ("python", "py", "pycon")
        ]
        if python:
            pages[src] = python
    return pages


PAGES = page_blocks()


def run(code: str, namespace: dict[str, object]) -> str:
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        exec(compile(code, "<docs>", "exec"), namespace)
    return out.getvalue()


def test_the_site_has_code_blocks_to_check() -> None:
    assert any(b.executed_at_build for blocks in PAGES.values() for b in blocks)


@pytest.mark.parametrize("src", list(PAGES))
def test_doctest_and_plain_blocks_run_and_show_their_real_output(src: str) -> None:
    namespace: dict[str, object] = {"__name__": "__docs__"}
    parser = doctest.DocTestParser()
    flags = doctest.NORMALIZE_WHITESPACE | doctest.ELLIPSIS
    for block in PAGES[src]:
        if block.executed_at_build:
            continue
        if block.is_doctest:
            np.set_printoptions(precision=4, suppress=True)
            test = parser.get_doctest(block.code, {"np": np}, f"{src}:{block.line}", src, 0)
            runner = doctest.DocTestRunner(optionflags=flags)
            report = io.StringIO()
            runner.run(test, out=report.write)
            assert runner.failures == 0, report.getvalue()
        else:
            run(block.code, namespace)


def page_text(html: str) -> str:
    """The page's text: tags dropped, math delimiters dropped, whitespace collapsed."""
    text = unescape(re.sub(r"<[^>]+>", "", html))
    return " ".join(re.sub(r"\\[()\[\]]", "", text).split())


def shown_pieces(printed: str, result: str | None) -> list[str]:
    """What must be on the page: each line of text output, or each Markdown table cell/line.

    Without ``result`` markdown-exec renders the printed text as Markdown, so markup
    (pipes, emphasis, code ticks, math dollars) is gone from the page; compare the text.
    """
    lines = [line.strip() for line in printed.strip().splitlines() if line.strip()]
    if result is not None:
        return [" ".join(line.split()) for line in lines]
    pieces = []
    for line in lines:
        for cell in line.strip("|").split("|") if line.startswith("|") else [line]:
            text = " ".join(re.sub(r"[*`$]|^#+ |^[-:]+$", "", cell.strip()).split())
            if text:
                pieces.append(text)
    return pieces


@pytest.mark.slow
@pytest.mark.xdist_group("site")
@pytest.mark.parametrize(
    "src", [s for s, bs in PAGES.items() if any(b.executed_at_build for b in bs)]
)
def test_executed_blocks_print_exactly_what_their_page_shows(
    built_site: BuiltSite, src: str
) -> None:
    url = "" if src == "index.md" else src.removesuffix(".md").removesuffix("/index") + "/"
    shown = page_text(built_site.page(url))
    sessions: dict[str, dict[str, object]] = {}
    for block in PAGES[src]:
        if not block.executed_at_build:
            continue
        session = block.options.get("session")
        namespace = sessions.setdefault(session, {}) if session else {}
        printed = run(block.code, namespace)
        assert printed.strip(), f"{src}:{block.line} prints nothing to compare"
        for piece in shown_pieces(printed, block.options.get("result")):
            assert piece in shown, f"{src}:{block.line}: {piece!r} not on the page"


def test_blocks_are_read_with_language_options_and_indentation() -> None:
    text = (
        '!!! example\n    ```python exec="on" result="text"\n    print(1)\n    ```\n'
        "```pycon\n>>> 1 + 1\n2\n```\n"
    )
    first, second = read_blocks(text, "p.md")
    assert (first.language, first.options, first.code) == (
        "python",
        {"exec": "on", "result": "text"},
        "print(1)",
    )
    assert first.executed_at_build and second.is_doctest


def test_a_doctest_block_showing_wrong_output_is_caught() -> None:
    (block,) = read_blocks("```pycon\n>>> 1 + 1\n3\n```\n", "p.md")
    test = doctest.DocTestParser().get_doctest(block.code, {}, "p", "p.md", 0)
    runner = doctest.DocTestRunner()
    runner.run(test, out=lambda _: None)
    assert runner.failures == 1
