r"""Wiki links: ``[[Page]]``, ``[[Page|text]]``, ``[[Page#Heading]]``, ``[[Page#Heading|text]]``.

MkDocs-free, so it is unit-tested directly. A page is found by a normalised name
(case, hyphens and underscores do not matter): its title, its file name, or an alias
from its front matter. Links are never rewritten inside fenced code, inline code, math
(``$...$``, ``$$...$$``, ``\(...\)``, ``\[...\]``, ``\begin{env}...\end{env}``), HTML
comments, or -- in HTML -- inside ``pre``, ``code``, ``a``, ``script`` and the notebook's
hidden clipboard copy of each cell.

Examples
--------
>>> index = PageIndex()
>>> index.add("kernel.md", ["Kernel", "kernels"])
>>> link = parse("[[kernel#Edge detection|the Sobel kernel]]")
>>> link.target, link.heading, link.text
('kernel', 'Edge detection', 'the Sobel kernel')
>>> index.resolve(link.target)
'kernel.md'
>>> rewrite_markdown("`[[x]]` and [[Kernels]]", lambda link: f"<{link.target}>")
'`[[x]]` and <Kernels>'
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from markdown.extensions.toc import slugify

# The link itself: no brackets or newlines inside; '#' starts the heading, '|' the text.
_WIKI = r"\[\[(?P<target>[^\[\]\n|#]*)(?:#(?P<heading>[^\[\]\n|]*))?(?:\|(?P<text>[^\[\]\n]*))?\]\]"
WIKI_RE = re.compile(_WIKI)

# Spans in which a [[...]] is not a link: code and math, in the order arithmatex reads them.
_PROTECTED = "|".join(
    [
        r"(?P<code>(?P<ticks>`+)[\s\S]+?(?<!`)(?P=ticks)(?!`))",
        r"(?P<dmath>\$\$[\s\S]+?\$\$)",
        r"(?P<pmath>\\\([\s\S]+?\\\))",
        r"(?P<bmath>\\\[[\s\S]+?\\\])",
        r"(?P<env>\\begin\{(?P<envname>[A-Za-z*]+)\}[\s\S]+?\\end\{(?P=envname)\})",
        r"(?P<imath>(?<![\\$\w])\$(?![\s$])(?:\\.|[^$\\\n])+?(?<![\s\\])\$(?!\w))",
        r"(?P<comment><!--[\s\S]*?-->)",
    ]
)
_MARKDOWN_RE = re.compile(_PROTECTED + "|(?P<wiki>" + _WIKI + ")")

# In rendered HTML, also skip whole elements whose text is code, and every tag.
_HTML_RE = re.compile(
    "|".join(
        [
            r"(?P<element><(?P<tag>pre|code|script|style|textarea|a)\b[^>]*>[\s\S]*?</(?P=tag)>)",
            r'(?P<clip><div\b[^>]*\bclass="clipboard-copy-txt"[^>]*>[\s\S]*?</div>)',
            r"(?P<tagonly><[^>]*>)",
            _PROTECTED,
            "(?P<wiki>" + _WIKI + ")",
        ]
    )
)

_FENCE_RE = re.compile(r"^(?P<indent>[ \t]*)(?P<fence>`{3,}|~{3,})")


@dataclass(frozen=True)
class WikiLink:
    """One parsed ``[[target#heading|text]]``.

    Attributes
    ----------
    target : str
        The page name as written (stripped).
    heading : str or None
        The heading after ``#``, if any.
    alias : str or None
        The text after ``|``, if any.
    """

    target: str
    heading: str | None
    alias: str | None

    @property
    def text(self) -> str:
        """The text shown: the alias, else ``Page › Heading``, else the page name as written."""
        if self.alias:
            return self.alias
        if self.heading:
            return f"{self.target} › {self.heading}" if self.target else self.heading
        return self.target

    @property
    def anchor(self) -> str:
        """The heading's HTML id, as the ``toc`` extension slugifies it (empty without one)."""
        return heading_slug(self.heading) if self.heading else ""


def heading_slug(heading: str) -> str:
    """Return the id that Python-Markdown's ``toc`` gives a heading.

    Examples
    --------
    >>> heading_slug("Full, Same and Valid Convolution")
    'full-same-and-valid-convolution'
    """
    return slugify(heading.strip(), "-")


def normalize(name: str) -> str:
    """Return the lookup key of a page name: case-folded, ``-``/``_`` as spaces, one space.

    Examples
    --------
    >>> normalize("  The_receptive-field  OF the Neuron.md")
    'the receptive field of the neuron'
    """
    name = re.sub(r"\.(md|ipynb)$", "", name.strip())
    return " ".join(re.sub(r"[-_]", " ", name).casefold().split())


def parse(text: str) -> WikiLink:
    """Parse one ``[[...]]``; raise ``ValueError`` if ``text`` is not exactly one link."""
    match = WIKI_RE.fullmatch(text)
    if match is None:
        raise ValueError(f"text (={text!r}) must be one wiki link [[Page#Heading|text]]")
    return _link(match)


def _link(match: re.Match[str]) -> WikiLink:
    heading = match.group("heading")
    alias = match.group("text")
    return WikiLink(
        target=match.group("target").strip(),
        heading=heading.strip() if heading is not None and heading.strip() else None,
        alias=alias.strip() if alias is not None and alias.strip() else None,
    )


class PageIndex:
    """Pages by normalised name; a name claimed by two pages resolves to neither."""

    def __init__(self) -> None:
        self._pages: dict[str, str] = {}
        self.ambiguous: dict[str, set[str]] = {}

    def add(self, page: str, names: list[str]) -> None:
        """Register ``page`` (any id, e.g. its source path) under each of ``names``."""
        for key in {normalize(name) for name in names if name and normalize(name)}:
            if key in self.ambiguous:
                self.ambiguous[key].add(page)
            elif self._pages.get(key, page) != page:
                self.ambiguous[key] = {self._pages.pop(key), page}
            else:
                self._pages[key] = page

    def resolve(self, name: str) -> str | None:
        """Return the page registered under ``name``, or ``None`` (unknown or ambiguous)."""
        return self._pages.get(normalize(name))

    def __contains__(self, name: str) -> bool:
        return normalize(name) in self._pages


def split_fences(text: str) -> list[tuple[bool, str]]:
    r"""Split Markdown into ``(is_fenced_code, chunk)`` pieces, fences by lines.

    Examples
    --------
    >>> split_fences("a\n```py\nx[[0]]\n```\nb\n")
    [(False, 'a\n'), (True, '```py\nx[[0]]\n```\n'), (False, 'b\n')]
    """
    pieces: list[tuple[bool, str]] = []
    buffer: list[str] = []
    fence: str | None = None
    for line in text.splitlines(keepends=True):
        match = _FENCE_RE.match(line)
        if fence is None and match:
            if buffer:
                pieces.append((False, "".join(buffer)))
            buffer, fence = [line], match.group("fence")
        elif fence is not None:
            buffer.append(line)
            stripped = line.strip()
            if stripped.startswith(fence[0] * len(fence)) and set(stripped) == {fence[0]}:
                pieces.append((True, "".join(buffer)))
                buffer, fence = [], None
        else:
            buffer.append(line)
    if buffer:
        pieces.append((fence is not None, "".join(buffer)))
    return pieces


def sub_unprotected(
    text: str, pattern: re.Pattern[str], repl: Callable[[re.Match[str]], str]
) -> str:
    r"""Apply ``repl`` to each match of ``pattern`` outside fenced code, code and math.

    ``pattern`` is matched only where no protected span starts; it must not itself
    start with a backtick, ``$``, ``\(`` or ``\[``.
    """
    combined = re.compile(_PROTECTED + "|(?P<target_pattern>" + pattern.pattern + ")")

    def keep_or_replace(match: re.Match[str]) -> str:
        if match.group("target_pattern") is None:
            return match.group(0)
        inner = pattern.fullmatch(match.group("target_pattern"))
        return repl(inner) if inner else match.group(0)

    return "".join(
        chunk if fenced else combined.sub(keep_or_replace, chunk)
        for fenced, chunk in split_fences(text)
    )


def rewrite_markdown(text: str, replace: Callable[[WikiLink], str]) -> str:
    """Replace every wiki link outside code and math with ``replace(link)``."""

    def keep_or_replace(match: re.Match[str]) -> str:
        if match.group("wiki") is None:
            return match.group(0)
        return replace(_link(match))

    return "".join(
        chunk if fenced else _MARKDOWN_RE.sub(keep_or_replace, chunk)
        for fenced, chunk in split_fences(text)
    )


def rewrite_html(html: str, replace: Callable[[WikiLink], str]) -> str:
    """Replace every wiki link in the text of ``html`` (not in tags, code, links or math).

    Examples
    --------
    >>> rewrite_html('<p>[[A]]</p><pre>x[[0]]</pre>', lambda link: "<b>A</b>")
    '<p><b>A</b></p><pre>x[[0]]</pre>'
    """

    def keep_or_replace(match: re.Match[str]) -> str:
        if match.group("wiki") is None:
            return match.group(0)
        return replace(_link(match))

    return _HTML_RE.sub(keep_or_replace, html)


def find_links(text: str) -> list[WikiLink]:
    """Return the wiki links of Markdown ``text`` that would be rewritten, in order."""
    found: list[WikiLink] = []

    def collect(link: WikiLink) -> str:
        found.append(link)
        return ""

    rewrite_markdown(text, collect)
    return found
