r"""The glossary: terms parsed from the Glossary page, turned into hover abbreviations.

The Glossary page (``docs/glossary.md``) is the single source. Each entry is a Markdown
definition-list item whose term is bold::

    **Feature map**
    :   The output of one filter over the whole input. See [[Feature Map]].

The hook appends an abbreviation line (``*[feature map]: The output of ...``) for each
term to every other Markdown page, so ``pymdownx``/``abbr`` shows the definition when the
reader hovers the term.

Examples
--------
>>> text = "**Stride**\n:   The step of the window. See [[Output Size|sizes]].\n"
>>> parse_glossary(text)
{'Stride': 'The step of the window. See sizes.'}
>>> abbreviations({"Stride": "The step."})
'*[Stride]: The step.\n*[stride]: The step.\n'
>>> first_occurrences_only('<abbr title="s">Stride</abbr>, <abbr title="s">stride</abbr>')
'<abbr title="s">Stride</abbr>, stride'
>>> drop_hovers_in_headings('<h2 id="s"><abbr title="s">Stride</abbr></h2>')
'<h2 id="s">Stride</h2>'
"""

from __future__ import annotations

import re

from cnnbook.site.wikilinks import WIKI_RE

_ABBR_RE = re.compile(r"<abbr\b[^>]*>(?P<text>[\s\S]*?)</abbr>")
# A heading names the page's subject; a glossary hover on its words is noise there.
_HEADING_RE = re.compile(r"<h([1-6])\b[^>]*>.*?</h\1>", re.S)
_ENTRY_RE = re.compile(r"^\*\*(?P<term>[^*\n]+)\*\*[ \t]*\n:[ \t]+(?P<definition>.+)$", re.M)


def plain(markdown: str) -> str:
    """Return ``markdown`` as plain text: link texts kept, markup and math delimiters dropped."""
    text = WIKI_RE.sub(lambda m: (m.group("text") or m.group("target")).strip(), markdown)
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", text)
    return re.sub(r"[*_`$]", "", text).strip()


def parse_glossary(markdown: str) -> dict[str, str]:
    """Return ``{term: plain-text definition}`` for each bold-term definition-list entry."""
    return {
        m.group("term").strip(): plain(m.group("definition")) for m in _ENTRY_RE.finditer(markdown)
    }


def abbreviations(terms: dict[str, str]) -> str:
    """Return the ``*[term]: definition`` lines for ``terms`` (as written and in lower case)."""
    lines = []
    for term, definition in terms.items():
        definition = definition.replace("\n", " ")
        for variant in dict.fromkeys([term, term.lower()]):
            lines.append(f"*[{variant}]: {definition}\n")
    return "".join(lines)


def drop_hovers_in_headings(html: str) -> str:
    """Replace each ``<abbr>`` inside a heading (``<h1>`` to ``<h6>``) by its text."""
    return _HEADING_RE.sub(lambda m: _ABBR_RE.sub(r"\g<text>", m.group(0)), html)


def first_occurrences_only(html: str) -> str:
    """Keep the hover definition of each term at its first occurrence only, in page order.

    Every later ``<abbr>`` of the same term (ignoring case and spacing) is replaced by its
    text: a definition underlined once per page is a help, at every occurrence it is noise.
    Run it after the abbreviations inside headings are removed, so the first occurrence
    counted is the first one outside headings.
    """
    seen: set[str] = set()

    def once(match: re.Match[str]) -> str:
        term = " ".join(re.sub(r"<[^>]+>", "", match.group("text")).split()).lower()
        if term in seen:
            return match.group("text")
        seen.add(term)
        return match.group(0)

    return _ABBR_RE.sub(once, html)
