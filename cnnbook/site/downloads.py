r"""Downloads of a page: its code as a Python script, its notebook as ``.ipynb``.

A page whose Markdown holds Python code (```` ```python exec="on" ```` blocks run at build
time, plain ```` ```python ```` blocks, ```` ```pycon ```` doctests) gets a script of that
code, in page order, written by the hook into the built site (`write_downloads`) and
linked near the top of the page; a notebook page gets a link to its ``.ipynb``, copied
beside it. MkDocs-free.

Examples
--------
>>> text = 'Text\n\n```python exec="on" result="text"\nprint(1 + 1)\n```\n\n' \
...        '```pycon\n>>> x = 3\n>>> x * 2\n6\n```\n\n```text\nnot code\n```\n'
>>> print(page_script(text, "Output Size", "output-size.md"))
# Output Size: the code of the page docs/output-size.md, in page order.
# Run it from a checkout with the package installed: python output-size.py
<BLANKLINE>
print(1 + 1)
<BLANKLINE>
x = 3
x * 2
<BLANKLINE>
>>> page_script("no code", "T", "t.md") is None
True
>>> script_name("use-cases/video.md")
'use-cases-video.py'
"""

from __future__ import annotations

import posixpath
import re
import shlex
import textwrap
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

__all__ = [
    "SCRIPTS_DIR",
    "CodeBlock",
    "code_blocks",
    "page_script",
    "script_name",
    "write_downloads",
]

#: Where the scripts go in the built site.
SCRIPTS_DIR = "code"
_FENCE_RE = re.compile(r"^(?P<indent>[ \t]*)(?P<fence>`{3,}|~{3,})[ \t]*(?P<info>[^`\n]*)$")
_PYTHON = ("python", "py", "pycon")


@dataclass(frozen=True)
class CodeBlock:
    """One fenced block: its language, options (``exec="on"``...) and dedented code."""

    language: str
    options: dict[str, str]
    code: str


def code_blocks(markdown: str) -> list[CodeBlock]:
    """Return every fenced block of `markdown` (indented ones too, as in admonitions)."""
    blocks: list[CodeBlock] = []
    lines = markdown.splitlines()
    i = 0
    while i < len(lines):
        match = _FENCE_RE.match(lines[i])
        i += 1
        if not match:
            continue
        indent, fence, info = match.group("indent"), match.group("fence"), match.group("info")
        body = []
        while i < len(lines) and not (
            lines[i].strip().startswith(fence) and set(lines[i].strip()) == {fence[0]}
        ):
            body.append(lines[i][len(indent) :] if lines[i].startswith(indent) else lines[i])
            i += 1
        i += 1
        try:
            words = shlex.split(info.replace("{", " ").replace("}", " ")) if info.strip() else []
        except ValueError:  # an unbalanced quote in the info string: no options
            words = info.split()
        language = words[0].lstrip(".").lower() if words else ""
        options = dict(w.split("=", 1) for w in words[1:] if "=" in w)
        blocks.append(CodeBlock(language, options, textwrap.dedent("\n".join(body))))
    return blocks


def _source_of_doctest(code: str) -> str:
    """Return the statements of a doctest (``>>>`` and ``...`` lines), outputs dropped."""
    lines = []
    for line in code.splitlines():
        stripped = line.lstrip()
        if stripped.startswith((">>> ", "... ")) or stripped in (">>>", "..."):
            lines.append(stripped[4:])
    return "\n".join(lines)


def script_name(src: str) -> str:
    """Return the script's file name for the page `src` (``a/b.md`` -> ``a-b.py``)."""
    return posixpath.splitext(src)[0].replace("/", "-") + ".py"


def page_script(markdown: str, title: str, src: str) -> str | None:
    """Return the page's Python code as one script, or None if the page has none."""
    pieces = []
    for block in code_blocks(markdown):
        if block.language not in _PYTHON:
            continue
        doctest = block.language == "pycon" or re.search(r"^\s*>>> ", block.code, re.M)
        code = _source_of_doctest(block.code) if doctest else block.code
        if code.strip():
            pieces.append(code.strip("\n"))
    if not pieces:
        return None
    header = (
        f"# {title}: the code of the page docs/{src}, in page order.\n"
        f"# Run it from a checkout with the package installed: python {script_name(src)}\n"
    )
    return header + "\n" + "\n\n".join(pieces) + "\n"


def write_downloads(site: Path, scripts: Mapping[str, str], notebooks: Mapping[str, str]) -> None:
    """Write the pages' scripts and copy their notebooks into the built `site`.

    Parameters
    ----------
    site : Path
        The built site's folder.
    scripts : mapping of src to str
        Each page's script (`page_script`), written to ``code/`` (`script_name`).
    notebooks : mapping of src to str
        Each notebook page's source file, copied beside its page (an empty path is skipped).
    """
    for src, script in scripts.items():
        out = site / SCRIPTS_DIR / script_name(src)
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(script, encoding="utf-8")
    for src, source in notebooks.items():
        if source:
            (site / src).parent.mkdir(parents=True, exist_ok=True)
            (site / src).write_bytes(Path(source).read_bytes())
