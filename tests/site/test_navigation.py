"""The site's pages in navigation order, as make pdf prints them."""

from __future__ import annotations

from cnnbook.site.navigation import NavPage, nav_pages


def test_nav_pages_reads_the_primary_navigation_in_order_without_headings_or_repeats() -> None:
    html = (
        '<nav class="md-nav md-nav--secondary"><a class="md-nav__link" href="#toc">toc</a></nav>'
        '<nav class="md-nav md-nav--primary"><ul>'
        '<li><a href="." class="md-nav__link md-nav__link--active">  Home </a>'
        '<nav class="md-nav"><a href="#first" class="md-nav__link">First</a></nav></li>'
        '<li><a href="kernel/" class="md-nav__link"><span>Kernel</span></a></li>'
        '<li><a href="api/conv2d/" class="md-nav__link">cnnbook.conv2d</a></li>'
        '<li><a href="kernel/#formula" class="md-nav__link">Kernel again</a></li>'
        '<li><a href="https://example.org/" class="md-nav__link">Elsewhere</a></li>'
        "</ul></nav>"
        '<a href="graph/" class="md-nav__link">outside the navigation</a>'
    )
    assert nav_pages(html) == [
        NavPage("", "Home"),
        NavPage("kernel/", "Kernel"),
        NavPage("api/conv2d/", "cnnbook.conv2d"),
    ]
