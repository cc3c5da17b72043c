"""Computed values: ``{{ cnnbook: expression }}`` in a page becomes the value of the expression.

The expression is evaluated at build time in a namespace holding ``cnnbook``, ``np``,
every name of ``cnnbook.__all__``, ``usecases`` (``cnnbook.usecases``) and ``demo(name)``,
the metrics of a use-case demonstration's cached run (seed 0, full size: the run its page,
its figures and ``python -m cnnbook demo NAME --json`` share), so prose numbers come from
the package, never from the author's keyboard. The value is inserted with ``str()``;
format it in the expression (``format(x, '.3f')``, an f-string) when needed. Like wiki
links, placeholders inside code and math are left alone, so a page can show the syntax
literally.

Examples
--------
>>> render("Y = {{ cnnbook: conv_output_size(7, 3) }} cells")
('Y = 5 cells', [])
>>> render("{{ cnnbook: 1/0 }}")[1]
['{{ cnnbook: 1/0 }}: ZeroDivisionError: division by zero']
"""

from __future__ import annotations

import re
from functools import cache
from typing import Any

from cnnbook.site.wikilinks import sub_unprotected

PLACEHOLDER_RE = re.compile(r"\{\{\s*cnnbook:(?P<expr>(?:(?!\}\}).)+?)\}\}")


@cache
def namespace() -> dict[str, Any]:
    """Return the evaluation namespace: ``cnnbook``, ``np``, every public name, ``demo``."""
    import numpy as np

    import cnnbook
    from cnnbook import usecases

    names = {name: getattr(cnnbook, name) for name in cnnbook.__all__}
    return {
        "__builtins__": __builtins__,
        "cnnbook": cnnbook,
        "np": np,
        **names,
        "usecases": usecases,
        "demo": demo_metrics,
    }


@cache
def demo_metrics(name: str) -> dict[str, Any]:
    """Return the metrics of demonstration `name` (seed 0, full run), loaded once per build."""
    from cnnbook import usecases

    return usecases.run(name).metrics


def evaluate(expression: str) -> Any:
    """Evaluate one expression in :func:`namespace` (a fresh copy, so pages cannot leak)."""
    return eval(expression.strip(), dict(namespace()))


def render(text: str) -> tuple[str, list[str]]:
    """Replace every placeholder outside code and math; return the text and the errors.

    A failing expression is left in the text and reported, so the build can fail on it.
    """
    errors: list[str] = []

    def value(match: re.Match[str]) -> str:
        try:
            return str(evaluate(match.group("expr")))
        except Exception as error:
            errors.append(f"{match.group(0)}: {type(error).__name__}: {error}")
            return match.group(0)

    return sub_unprotected(text, PLACEHOLDER_RE, value), errors


def find_expressions(text: str) -> list[str]:
    """Return the expressions of every placeholder that :func:`render` would evaluate."""
    found: list[str] = []

    def collect(match: re.Match[str]) -> str:
        found.append(match.group("expr").strip())
        return ""

    sub_unprotected(text, PLACEHOLDER_RE, collect)
    return found
