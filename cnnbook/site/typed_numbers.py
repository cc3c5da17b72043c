r"""Find numbers typed into the prose of a page, where a computed value belongs.

Every result the site states — a percentage, an accuracy, a ratio, a measured
error, a count the package computes — must come from code: a
``{{ cnnbook: expression }}`` value or an executed block. `typed_numbers` lists
the numbers left in a page's *prose*, after removing what is not prose:

- front matter, fenced code, inline code, math (``$…$``, ``$$…$$``, ``\(…\)``,
  ``\[…\]``, ``\begin{…}…\end{…}``) and HTML comments;
- ``{{ cnnbook: … }}`` placeholders (computed, by definition);
- link targets (``(url)``), the page and heading of a ``[[wiki link]]`` (names,
  not claims; the shown text after ``|`` stays prose) and HTML tags;
- ``::: cnnbook.x`` API blocks with their options, and numbered-list markers.

In what is left, a number glued to a name is not a quantity (``LeNet-5``,
``VGG-16``, ``conv1_1``, ``2-D``, ``pool5``; but ``17,391-fold`` is), and neither
is a year (1900–2099, so citations and dates pass). Everything else is reported. A test
(``tests/site/test_typed_numbers.py``) fails on any report not listed, with its
reason, in ``tests/site/typed_numbers_allowed.py``: the one place for the givens
(a chosen image size, "180 degrees", the size of a published data set).

Examples
--------
>>> [(n.text, n.kind) for n in typed_numbers("A 28 × 28 image gives 94.4 % accuracy.")]
[('94.4 %', 'percentage')]
>>> typed_numbers("{{ cnnbook: f'{0.944:.1%}' }} with `k = 3`, $Y = I - k + 1$, LeNet-5 (1998).")
[]
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

from cnnbook.site.computed import PLACEHOLDER_RE
from cnnbook.site.wikilinks import _PROTECTED, WIKI_RE, split_fences

__all__ = ["TypedNumber", "markdown_prose", "notebook_markdown", "typed_numbers"]

_FRONT_MATTER_RE = re.compile(r"\A---\n[\s\S]*?\n---\n")
_PROTECTED_RE = re.compile(_PROTECTED)
# An API block: the ::: line and the indented options under it.
_API_BLOCK_RE = re.compile(r"^:::[^\n]*\n(?:[ \t]+[^\n]*\n|[ \t]*\n(?=[ \t]+\S))*", re.MULTILINE)
_LINK_TARGET_RE = re.compile(r"\]\([^)\s]*(?:\s+\"[^\"]*\")?\)")
_REF_DEF_RE = re.compile(r"^\s*\[[^\]]+\]:\s*\S+.*$", re.MULTILINE)
_TAG_RE = re.compile(r"<[^>\n]+>")
_LIST_MARKER_RE = re.compile(r"^(\s*)\d+[.)](?=\s)", re.MULTILINE)
# A number: digits with optional thousands separators and decimals, then an optional
# percent sign or the word "percent". Not glued to a word, a hyphenated name or a path.
_NUMBER_RE = re.compile(
    r"(?<![\w\-./])(?<![A-Za-z]-)"
    r"(?P<number>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)"
    r"(?P<percent>\s?%|\s(?:per\s?cent|percent)\b)?"
    r"(?![\w])(?!-[A-Z](?![a-z]))(?!\.\d)"
)
_YEAR_RE = re.compile(r"(?:19|20)\d\d")
_COMPUTED = "⟦⟧"  # stands for a {{ cnnbook: … }} value in the prose


@dataclass(frozen=True)
class TypedNumber:
    r"""A result found in prose: its text, its kind, the 1-based line and the line's prose.

    Examples
    --------
    >>> typed_numbers("x\nabout 3 times")[0]
    TypedNumber(text='3', kind='factor', line=2, context='about 3 times')
    """

    text: str
    kind: str
    line: int
    context: str


def _blank(match: re.Match[str]) -> str:
    # Keep the newlines so that line numbers stay right; drop everything else.
    return re.sub(r"[^\n]", " ", match.group(0))


def _wiki_text(match: re.Match[str]) -> str:
    return match.group("text") or " "


def markdown_prose(text: str) -> str:
    """Return `text` with everything that is not prose blanked out (newlines kept).

    Examples
    --------
    >>> markdown_prose("See [[Output Size#Formula|the formula]] and `k=3`.")
    'See the formula and      .'
    """
    text = _FRONT_MATTER_RE.sub(_blank, text)
    # A computed value stays a (marked) value, so "6 × {{ … }}" still reads as a size.
    text = PLACEHOLDER_RE.sub(lambda m: _COMPUTED + _blank(m)[len(_COMPUTED) :], text)
    pieces = []
    for fenced, chunk in split_fences(text):
        pieces.append(re.sub(r"[^\n]", " ", chunk) if fenced else chunk)
    text = "".join(pieces)
    text = _PROTECTED_RE.sub(_blank, text)
    text = _API_BLOCK_RE.sub(_blank, text)
    text = _REF_DEF_RE.sub(_blank, text)
    text = WIKI_RE.sub(_wiki_text, text)
    text = _LINK_TARGET_RE.sub(_blank, text)
    text = _TAG_RE.sub(_blank, text)
    return _LIST_MARKER_RE.sub(
        lambda m: m.group(1) + " " * (len(m.group(0)) - len(m.group(1))), text
    )


def notebook_markdown(path: str | Path) -> str:
    r"""Return the Markdown cells of a notebook, joined by blank lines.

    Examples
    --------
    >>> import json, tempfile, pathlib
    >>> cells = [{"cell_type": "markdown", "source": ["# T\n", "text"]},
    ...          {"cell_type": "code", "source": ["x = 98"]}]
    >>> with tempfile.TemporaryDirectory() as d:
    ...     p = pathlib.Path(d, "n.ipynb")
    ...     _ = p.write_text(json.dumps({"cells": cells}))
    ...     notebook_markdown(p)
    '# T\ntext\n\n'
    """
    cells = json.loads(Path(path).read_text(encoding="utf-8"))["cells"]
    sources = ("".join(c["source"]) for c in cells if c["cell_type"] == "markdown")
    return "".join(source + "\n\n" for source in sources)


def _kind(prose: str, match: re.Match[str]) -> str | None:
    """Classify a number as a kind of result, or None for a small given (size, setting)."""
    number = match.group("number")
    before = " ".join(prose[max(0, match.start() - 200) : match.start()].split()[-3:]) + " "
    after = " " + " ".join(prose[match.end() : match.end() + 200].split()[:2])
    if prose[match.start() - 1 : match.start()] != " ":
        before = before.rstrip()  # keep "×576" apart from "× 576" only where it matters
    if prose[match.end() : match.end() + 1] not in (" ", "\n"):
        after = after.lstrip()
    if match.group("percent"):
        return "percentage"
    if before.rstrip().endswith("§"):
        return None  # a section of a cited book
    if re.search(r"(?:×|\bx)\s?$", before) and not re.search(r"[\d⟧]\s?(?:×|x)\s?$", before):
        return "factor"  # "×576": a factor, not the second side of "8 × 8"
    if re.match(r"\s?(?:×|x)(?!\s?[\d⟦])|(?:-fold\b|\s(?:times|fold)\b)", after):
        return "factor"  # "576×", "576 times", "30-fold"
    if re.search(r"factor of\s$", before):
        return "factor"
    if "." in number:
        return "decimal"  # a measured error, an accuracy, a threshold
    if int(number.replace(",", "")) >= 1000:
        return "count"  # a parameter count, a data-set size
    return None


def typed_numbers(text: str) -> list[TypedNumber]:
    """List the results typed into the prose of Markdown `text`, in order.

    A result is a percentage, a decimal number, a factor (``×576``, ``576 times``,
    ``a factor of 576``, ``30-fold``) or a count of 1,000 or more. Small integers
    that are not factors — sizes, strides, channels, "180 degrees" — are the givens
    of the examples and are not reported.

    Parameters
    ----------
    text : str
        A page's Markdown (or a notebook's Markdown cells, see `notebook_markdown`).

    Returns
    -------
    list of TypedNumber
        Each result outside code, math, placeholders, links and names; years excluded.

    Examples
    --------
    >>> [n.text for n in typed_numbers("1. First: a 17,391-fold saving on 28 × 28, not 30 %.")]
    ['17,391', '30 %']
    """
    prose = markdown_prose(text)
    found = []
    for match in _NUMBER_RE.finditer(prose):
        number = match.group("number")
        if _YEAR_RE.fullmatch(number):
            continue
        kind = _kind(prose, match)
        if kind is None:
            continue
        line_start = prose.rfind("\n", 0, match.start()) + 1
        line_end = prose.find("\n", match.end())
        line_text = " ".join(prose[line_start : line_end if line_end >= 0 else None].split())
        found.append(
            TypedNumber(
                text=number + (match.group("percent") or ""),
                kind=kind,
                line=prose.count("\n", 0, match.start()) + 1,
                context=line_text,
            )
        )
    return found
