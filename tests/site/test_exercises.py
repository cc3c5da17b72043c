"""Every page the exercise catalog lists ends with its exercises, at least three of them."""

from __future__ import annotations

import re

import pytest

from cnnbook.exercises import catalog
from tests.sitebuild import DOCS, BuiltSite

PAGES = sorted(catalog.PAGES)


@pytest.mark.parametrize("key", PAGES)
def test_a_listed_page_exists_and_places_its_exercises_before_the_api(key: str) -> None:
    path = DOCS / f"{key}.md"
    assert path.is_file(), f"catalog.PAGES lists {key!r} but docs/{key}.md does not exist"
    text = path.read_text(encoding="utf-8")
    heading = text.find("\n## Exercises\n")
    placeholder = text.find("{{ exercises }}")
    assert 0 <= heading < placeholder, f"docs/{key}.md: '{{{{ exercises }}}}' under '## Exercises'"
    api = text.find("\n## API\n")
    assert api == -1 or placeholder < api, f"docs/{key}.md: the exercises come before '## API'"


def test_every_page_with_the_placeholder_is_listed() -> None:
    keys = {
        str(p.relative_to(DOCS).with_suffix(""))
        for p in DOCS.rglob("*.md")
        if "{{ exercises }}" in p.read_text(encoding="utf-8")
    }
    assert keys <= set(PAGES), keys - set(PAGES)


@pytest.mark.slow
@pytest.mark.xdist_group("site")
@pytest.mark.parametrize("key", PAGES)
def test_every_listed_page_renders_at_least_three_exercises(
    built_site: BuiltSite, key: str
) -> None:
    html = built_site.page(key)
    found = re.findall(rf'data-exercise="{re.escape(key)}/(\d+)"', html)
    assert len(found) >= 3, f"{key}: {len(found)} exercises on the built page"
    assert found == [str(n) for n in range(1, len(found) + 1)]
    assert len(found) == len(catalog.exercises_for(key))
    assert "{{ exercises }}" not in html and "data-cnbx-slot" not in html
