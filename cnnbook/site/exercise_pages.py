r"""``{{ exercises }}`` on a page: its exercises from the catalog, rendered at build time.

The hook (``hooks.py``) calls :func:`expand` in ``on_page_markdown``: the placeholder becomes
a one-line slot (raw HTML, which Markdown leaves alone) and the exercises' HTML is kept;
:func:`fill` puts it into the page's HTML in ``on_page_content``, before wiki links in the
HTML are rewritten (so ``[[Page]]`` works in questions and solutions). Question, solution and
hint Markdown is converted with the site's own Markdown extensions, so ``$math$`` is typeset
(:func:`markdown_renderer`).

Errors are returned as messages for the hook to log as warnings, which fail the strict
build: a page with the placeholder and no exercises, a page listed in the catalog without
the placeholder, an exercise that cannot be rendered.

Examples
--------
>>> slots = {}
>>> text, errors = expand("## Exercises\n\n{{ exercises }}\n", "no-such-page", slots)
>>> print(errors[0][:74])
no-such-page: '{{ exercises }}' but the catalog has no exercises for page
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from cnnbook.exercises import catalog
from cnnbook.exercises.render import render_exercises

__all__ = ["PLACEHOLDER_RE", "expand", "fill", "markdown_renderer", "page_key"]

PLACEHOLDER_RE = re.compile(r"\{\{\s*exercises\s*\}\}")
_SLOT = '<div class="cnbx-slot" data-cnbx-slot="{page}"></div>'
_SLOT_RE = re.compile(r'<div class="cnbx-slot" data-cnbx-slot="(?P<page>[^"]+)"></div>')


def markdown_renderer(
    extensions: list[Any], extension_configs: dict[str, Any]
) -> Callable[[str], str]:
    """Return Markdown fragment -> HTML with the site's extensions (exercise text, ``$math$``).

    The hook passes ``mkdocs.yml``'s ``markdown_extensions`` and their configs.

    Examples
    --------
    >>> to_html = markdown_renderer(["abbr"], {})
    >>> to_html("A *dense* layer")
    '<p>A <em>dense</em> layer</p>'
    """
    import markdown as python_markdown

    md = python_markdown.Markdown(extensions=extensions, extension_configs=extension_configs)

    def to_html(text: str) -> str:
        md.reset()
        return md.convert(text)

    return to_html


def page_key(src_uri: str) -> str:
    """``"output-size.md"`` → ``"output-size"``, the key of ``catalog.PAGES``."""
    return src_uri[: -len(".md")] if src_uri.endswith(".md") else src_uri


def expand(
    markdown: str,
    page: str,
    slots: dict[str, str],
    to_html: Callable[[str], str] | None = None,
    *,
    site_pages: bool = True,
) -> tuple[str, list[str]]:
    """Replace ``{{ exercises }}`` by a slot, render the exercises into ``slots[page]``.

    Returns the new Markdown and the error messages (empty when all is well).
    ``site_pages=False`` (a page of another site that uses these hooks, such as the tests'
    small sites) does not require a page the catalog lists to have the placeholder.
    """
    found = PLACEHOLDER_RE.findall(markdown)
    listed = page in catalog.PAGES and site_pages
    if not found:
        if listed:
            return markdown, [
                f"{page}: the catalog lists exercises for this page but the page has no "
                "'{{ exercises }}' line (put it under '## Exercises', before '## API')"
            ]
        return markdown, []
    if len(found) > 1:
        return markdown, [f"{page}: '{{{{ exercises }}}}' appears {len(found)} times; once only"]
    try:
        exercises = catalog.exercises_for(page)
        if not exercises:
            return markdown, [
                f"{page}: '{{{{ exercises }}}}' but the catalog has no exercises for page "
                f"{page!r} (add it to PAGES of a cnnbook/exercises/<section>.py module)"
            ]
        slots[page] = render_exercises(page, exercises, to_html)
    except Exception as error:  # the build must say which page's exercise failed
        return markdown, [f"{page}: its exercises failed: {type(error).__name__}: {error}"]
    return PLACEHOLDER_RE.sub(_SLOT.format(page=page), markdown), []


def fill(html: str, slots: dict[str, str]) -> str:
    """Put the rendered exercises into their slots of the page's HTML."""
    return _SLOT_RE.sub(lambda m: slots.get(m.group("page"), m.group(0)), html)
