"""Every test a page cites as proof exists: ``tests/<file>.py::<name>`` names a real test.

Pages end with "Proved by the tests", a list of inline-code references. A renamed or deleted
test would leave a page claiming a proof that no longer runs; this catches it.
"""

from __future__ import annotations

import ast
import re
from functools import cache
from pathlib import Path

import pytest

from tests.sitebuild import DOCS, ROOT

REFERENCE = re.compile(r"tests/[\w/]+\.py(?:::\w+)?")


def references() -> list[tuple[str, str]]:
    found = []
    for page in sorted([*DOCS.rglob("*.md"), *DOCS.rglob("*.ipynb")]):
        for ref in sorted(set(REFERENCE.findall(page.read_text(encoding="utf-8")))):
            found.append((page.relative_to(DOCS).as_posix(), ref))
    return found


@cache
def names_defined_in(path: Path) -> frozenset[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return frozenset(
        node.name
        for node in ast.walk(tree)
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef)
    )


def test_the_pages_cite_tests() -> None:
    pages = {page for page, _ in references()}
    assert len(pages) >= 15, sorted(pages)


@pytest.mark.parametrize(("page", "ref"), references(), ids=lambda v: str(v))
def test_a_cited_test_exists(page: str, ref: str) -> None:
    file, _, name = ref.partition("::")
    path = ROOT / file
    assert path.is_file(), f"{page} cites {ref}, but {file} does not exist"
    if name:
        assert name in names_defined_in(path), f"{page} cites {ref}, but {file} has no {name}"
