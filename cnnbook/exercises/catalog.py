"""Which exercises each page ends with, and every generator the site ports to JavaScript.

Each section module (``cnnbook/exercises/<section>.py``) defines
``PAGES: dict[str, Callable[[], list[Exercise]]]`` keyed by the page's file name without
``.md`` (``"output-size"``, ``"use-cases/video"``) and ``GENERATORS: dict[str, Generator]``
keyed by the generator's name. This module merges them and refuses a page or a generator
defined twice.

Examples
--------
>>> set(PAGES) >= set()
True
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import TypeVar

from cnnbook.exercises import (
    convolution,
    convolution_basics,
    key_concepts,
    learning,
    network_sees,
    structure,
)
from cnnbook.exercises.exercise import Exercise, Generator

__all__ = ["GENERATORS", "PAGES", "exercises_for"]

_T = TypeVar("_T")

_Pages = Mapping[str, Callable[[], list[Exercise]]]
# (PAGES, GENERATORS) of every section module, in book order.
_SECTIONS: tuple[tuple[_Pages, Mapping[str, Generator]], ...] = (
    (convolution_basics.PAGES, convolution_basics.GENERATORS),
    (convolution.PAGES, convolution.GENERATORS),
    (structure.PAGES, structure.GENERATORS),
    (key_concepts.PAGES, key_concepts.GENERATORS),
    (learning.PAGES, learning.GENERATORS),
    (network_sees.PAGES, network_sees.GENERATORS),
)


def _merge(mappings: Iterable[Mapping[str, _T]], what: str) -> dict[str, _T]:
    merged: dict[str, _T] = {}
    for mapping in mappings:
        for key, value in mapping.items():
            if key in merged:
                raise RuntimeError(f"{what} {key!r} is defined by two exercise sections")
            merged[key] = value
    return merged


PAGES: dict[str, Callable[[], list[Exercise]]] = _merge((s[0] for s in _SECTIONS), "page")
GENERATORS: dict[str, Generator] = _merge((s[1] for s in _SECTIONS), "generator")


def exercises_for(page: str) -> list[Exercise]:
    """Return the exercises page ``page`` (file name without ``.md``) ends with, or ``[]``."""
    if not isinstance(page, str):
        raise TypeError(f"page must be a str such as 'output-size', got {type(page).__name__}")
    build = PAGES.get(page)
    return [] if build is None else build()
