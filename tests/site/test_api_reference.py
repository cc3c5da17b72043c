"""The API reference renders every public name of cnnbook (docs/api/*.md, mkdocstrings)."""

from __future__ import annotations

import re

import pytest

import cnnbook
from tests.sitebuild import DOCS, BuiltSite

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("site")]


def api_ids(built_site: BuiltSite) -> set[str]:
    ids: set[str] = set()
    for path in (built_site.path / "api").rglob("index.html"):
        ids |= set(re.findall(r'\bid="(cnnbook\.[^"]+)"', path.read_text()))
    return ids


@pytest.mark.parametrize("name", cnnbook.__all__)
def test_every_public_name_has_an_entry_in_the_api_reference(
    built_site: BuiltSite, name: str
) -> None:
    ids = api_ids(built_site)
    found = [i for i in ids if i == f"cnnbook.{name}" or i.endswith(f".{name}")]
    assert found, (
        f"cnnbook.{name} is on no API page: add `::: cnnbook.<module>` to docs/api/<module>.md"
    )


def test_every_api_page_documents_a_module_that_exists() -> None:
    for path in sorted((DOCS / "api").glob("*.md")):
        for identifier in re.findall(r"^:::\s*(\S+)", path.read_text(), re.M):
            module, _, attribute = identifier.rpartition(".")
            assert identifier in __import__("sys").modules or hasattr(
                __import__(module, fromlist=[attribute]), attribute
            ), f"{path.name}: {identifier}"
