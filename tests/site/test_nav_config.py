"""The nav of mkdocs.yml: nav titles, and every API page listed once under API reference."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from cnnbook.site.nav_config import API_SECTION, add_api_pages, nav_titles
from tests.sitebuild import ROOT


def test_nav_titles_come_from_title_items_at_any_depth() -> None:
    nav = ["index.md", {"A": [{"Deep": [{"Kernel": "kernel.md"}]}, "plain.md"]}]
    assert nav_titles(nav) == {"kernel.md": "Kernel"}


def test_api_pages_missing_from_the_nav_are_appended_in_file_name_order(tmp_path: Path) -> None:
    (tmp_path / "api").mkdir()
    for name in ("pooling.md", "conv2d.md", "index.md"):
        (tmp_path / "api" / name).write_text("")
    nav = [{"Home": "index.md"}, {API_SECTION: [{"Overview": "api/index.md"}]}]
    add_api_pages(nav, tmp_path)
    assert nav[1][API_SECTION] == [{"Overview": "api/index.md"}, "api/conv2d.md", "api/pooling.md"]


def api_section(nav: Any) -> Any:
    """Return the list under the nav's "API reference" title, at any depth (or None)."""
    items = nav if isinstance(nav, list) else list(nav.values()) if isinstance(nav, dict) else []
    for item in items:
        if isinstance(item, dict) and API_SECTION in item:
            return item[API_SECTION]
        found = api_section(item)
        if found is not None:
            return found
    return None


def test_the_sites_nav_lists_every_api_page_exactly_once() -> None:
    from mkdocs.utils.yaml import yaml_load

    with (ROOT / "mkdocs.yml").open(encoding="utf-8") as f:
        nav = yaml_load(f)["nav"]
    add_api_pages(nav, ROOT / "docs")
    section = api_section(nav)
    listed = [v for v in section if isinstance(v, str)] + list(nav_titles(section))
    assert sorted(listed) == sorted(f"api/{p.name}" for p in (ROOT / "docs" / "api").glob("*.md"))
