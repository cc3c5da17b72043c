"""The built site in Debian Chromium (Playwright): every page clean, links, backlinks, search.

Fails on any console error, HTTP 4xx/5xx, request to a host other than 127.0.0.1 (each is
aborted and recorded), unrendered math (``.katex-error``) or broken image. Chromium is
Debian's ``/usr/bin/chromium`` (``apt-get install -y chromium``; never
``playwright install``). Without it the tests fail in CI (``CI`` set) and skip elsewhere.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

import pytest

from tests.sitebuild import BuiltSite

pytestmark = [pytest.mark.slow, pytest.mark.browser, pytest.mark.xdist_group("site")]


@dataclass
class Problems:
    """Everything a page did wrong: console errors, failed responses, foreign requests."""

    console: list[str] = field(default_factory=list)
    http: list[str] = field(default_factory=list)
    foreign: list[str] = field(default_factory=list)

    def assert_none(self) -> None:
        assert (self.console, self.http, self.foreign) == ([], [], [])


@pytest.fixture
def page(chromium: Any) -> Iterator[tuple[Any, Problems]]:
    context = chromium.new_context(viewport={"width": 1200, "height": 900})
    context.set_default_timeout(15000)
    tab = context.new_page()
    problems = Problems()

    def route(route: Any) -> None:
        url = route.request.url
        if url.startswith(("data:", "blob:", "about:")) or urlsplit(url).hostname == "127.0.0.1":
            route.continue_()
        else:
            problems.foreign.append(url)
            route.abort()

    tab.route("**/*", route)
    tab.on("console", lambda m: problems.console.append(m.text) if m.type == "error" else None)
    tab.on("pageerror", lambda error: problems.console.append(str(error)))
    tab.on(
        "response",
        lambda r: problems.http.append(f"{r.status} {r.url}") if r.status >= 400 else None,
    )
    try:
        yield tab, problems
    finally:
        context.close()


BROKEN_IMAGES = """async () => {
  const images = Array.from(document.images);
  images.forEach((image) => { image.loading = "eager"; });
  const results = await Promise.all(images.map((image) =>
    image.decode().then(() => (image.naturalWidth === 0 ? image.src : null), () => image.src)));
  return results.filter((src) => src !== null);
}"""


def test_every_page_loads_cleanly_with_math_and_images(
    built_site: BuiltSite, site_url: str, page: tuple[Any, Problems]
) -> None:
    tab, problems = page
    urls = [str(p.parent.relative_to(built_site.path)).replace(".", "") for p in built_site.pages()]
    urls = [u + "/" if u else "" for u in urls if u != "404"]
    assert len(urls) > 20
    bad: dict[str, object] = {}
    for url in urls:
        tab.goto(site_url + url, wait_until="load")
        errors = tab.locator(".katex-error").count()
        broken = tab.evaluate(BROKEN_IMAGES)
        unrendered = tab.locator(".arithmatex:not(:has(.katex))").count()
        if errors or broken or unrendered:
            bad[url] = {"katex-error": errors, "broken images": broken, "unrendered": unrendered}
    assert bad == {}
    problems.assert_none()


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
