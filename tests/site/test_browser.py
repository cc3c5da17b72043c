"""The built site in Debian Chromium (Playwright): links, backlinks, search, the graph.

(Every page loading cleanly is checked on the visit of its accessibility audit, in
``test_accessibility.py``.) Fails on any console error, HTTP 4xx/5xx, request to a host
other than 127.0.0.1 (each is aborted and recorded), unrendered math (``.katex-error``) or
broken image. Chromium is Debian's ``/usr/bin/chromium`` (``apt-get install -y chromium``;
never ``playwright install``). Without it the tests fail in CI (``CI`` set) and skip
elsewhere.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tests.sitebuild import BuiltSite, Problems, watched_page

pytestmark = [pytest.mark.slow, pytest.mark.browser, pytest.mark.xdist_group("site")]


@pytest.fixture
def page(chromium: Any) -> Iterator[tuple[Any, Problems]]:
    tab, problems = watched_page(chromium)
    try:
        yield tab, problems
    finally:
        tab.context.close()


# Every page loads cleanly, with its math and images: checked on the same visit as its
# accessibility audit, by ``test_accessibility.py::test_every_page_loads_cleanly_and_has_no_
# serious_or_critical_axe_violation_in_either_scheme`` (one load of each page instead of two).


def test_hub_math_is_rendered_by_katex(site_url: str, page: tuple[Any, Problems]) -> None:
    tab, problems = page
    tab.goto(site_url, wait_until="load")
    assert tab.locator(".arithmatex .katex").count() > 0
    problems.assert_none()


def test_following_a_wiki_link_and_a_backlink(site_url: str, page: tuple[Any, Problems]) -> None:
    tab, problems = page
    tab.goto(site_url, wait_until="load")
    # Instant navigation rewrites hrefs to absolute URLs, hence $= (ends with).
    tab.locator(".md-content article a[href$='/kernel/']").first.click()
    tab.wait_for_url("**/kernel/")
    assert tab.locator("article h1").first.inner_text().startswith("Kernel")
    tab.locator(".cnnbook-backlinks a", has_text="Convolutional Neural Network").click()
    tab.wait_for_url(site_url)
    assert tab.locator("article h1").first.inner_text().startswith("Convolutional Neural Network")
    problems.assert_none()


def test_searching_by_typing_finds_a_concept_page(
    site_url: str, page: tuple[Any, Problems]
) -> None:
    tab, problems = page
    tab.goto(site_url, wait_until="load")
    tab.keyboard.press("/")
    tab.locator("input.md-search__input").press_sequentially("receptive field", delay=40)
    title = tab.locator("h1", has_text="The Receptive Field of the Neuron")
    result = tab.locator("a.md-search-result__link", has=title)
    result.first.wait_for()
    result.first.click()
    tab.wait_for_url("**/the-receptive-field-of-the-neuron/**")
    problems.assert_none()


def test_graph_page_draws_every_page(
    built_site: BuiltSite, site_url: str, page: tuple[Any, Problems]
) -> None:
    tab, problems = page
    tab.goto(site_url + "graph/", wait_until="load")
    tab.wait_for_function("document.getElementById('wiki-graph').dataset.nodes !== undefined")
    nodes = int(tab.locator("#wiki-graph").get_attribute("data-nodes") or 0)
    assert nodes == len([p for p in built_site.pages() if p.parent.name != "404"])
    assert tab.locator("#wiki-graph canvas").count() >= 1
    problems.assert_none()


_FETCH = "(url) => fetch(url).then(() => 'loaded', () => 'blocked')"


def test_a_request_to_another_host_is_aborted_and_recorded(
    site_url: str, page: tuple[Any, Problems]
) -> None:
    """``watched_page`` routes only the URLs that leave the site (the site's own files load
    straight): those are aborted and recorded, a look-alike host included."""
    tab, problems = page
    tab.goto(site_url + "glossary/", wait_until="load")
    elsewhere = ["http://example.com/a.png", "http://127.0.0.1.example.com/b.png"]
    assert [tab.evaluate(_FETCH, url) for url in elsewhere] == ["blocked", "blocked"]
    assert tab.evaluate(_FETCH, site_url + "glossary/") == "loaded"
    assert problems.foreign == elsewhere
    assert problems.http == []
