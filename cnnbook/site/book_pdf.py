"""The book as one PDF: every page of the built site, in navigation order, printed by Chromium.

``make pdf`` (``scripts/build_pdf.py``) serves the built site on 127.0.0.1, opens each page
of the navigation in headless Chromium (Playwright, Debian's ``/usr/bin/chromium``), waits
until KaTeX has rendered its math and its figures have loaded, prints it with the print
stylesheet (``docs/assets/print.css``: no header, navigation, sidebars or footer), and
joins the prints with pypdf into one file: a contents page first (when there is more than
one page), one bookmark per page, and every link from one page of the site to another
turned into a jump inside the PDF.

Each page is printed as the site shows it -- the hooks' wiki links, computed numbers,
executed blocks and notebooks included -- so the PDF cannot drift from the site. The file
is written atomically (`cnnbook.atomic_files`): the old file stays whole until the new one
is complete.
"""

from __future__ import annotations

import io
import time
from collections.abc import Callable
from html import escape
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlsplit

from cnnbook.atomic_files import write_atomically
from cnnbook.site.chromium import CHROMIUM_ARGS as CHROMIUM_ARGS  # importable here, as before
from cnnbook.site.chromium import DEFAULT_CHROMIUM
from cnnbook.site.local_server import serve

# NavPage and nav_pages stay importable from here (scripts/build_pdf.py imports them).
from cnnbook.site.navigation import NavPage, nav_pages

__all__ = ["CHROMIUM_ARGS", "NavPage", "build_book", "nav_pages"]

# Ready to print: every formula rendered by KaTeX (or shown as an error), every image loaded.
_READY_JS = """() =>
  Array.from(document.querySelectorAll('.arithmatex'))
    .every((e) => e.querySelector('.katex, .katex-error') !== null)
  && Array.from(document.images).every((i) => i.complete)"""
_MARGIN: Any = {"top": "16mm", "bottom": "16mm", "left": "14mm", "right": "14mm"}


def _contents_html(title: str, entries: list[tuple[NavPage, int]], base: str) -> str:
    rows = "\n".join(
        f'<li><a href="{escape(base + page.url)}">{escape(page.title)}</a>'
        f"<span>{number}</span></li>"
        for page, number in entries
    )
    return f"""<!doctype html><html><head><meta charset="utf-8"><title>Contents</title>
<style>
body {{ font-family: sans-serif; margin: 0; color: #111; }}
h1 {{ font-size: 20pt; margin: 0 0 4pt; }} p {{ margin: 0 0 14pt; color: #444; }}
ol {{ list-style: none; padding: 0; margin: 0; font-size: 10.5pt; }}
li {{ display: flex; border-bottom: 1px dotted #999; padding: 2.5pt 0; }}
li a {{ flex: 1; color: #111; text-decoration: none; }}
</style></head><body><h1>{escape(title)}</h1><p>Contents</p><ol>{rows}</ol></body></html>"""


def _numbered(pages: list[NavPage], counts: list[int], first: int) -> list[tuple[NavPage, int]]:
    """Pair each page with the PDF page number (1-based) it starts on."""
    entries, number = [], first
    for page, count in zip(pages, counts, strict=True):
        entries.append((page, number))
        number += count
    return entries


def _link_targets(
    writer: Any, base: str, starts: dict[str, int], site_url: str | None = None
) -> int:
    """Turn every link to a page of the site into a jump to that page's first PDF page.

    Chromium writes a link as a URI action with the served address (``http://127.0.0.1:
    PORT/kernel/#formula``); inside the book it means "go to that page". A link to
    something of the site that is not a printed page (a figure, a download, a page outside
    the navigation) points to ``site_url`` (the hosted site) instead, or, without one, is
    made inert: the temporary local address would be dead. Links to other sites are kept.
    Returns how many links were turned into jumps.
    """
    from pypdf.generic import ArrayObject, NameObject, TextStringObject

    turned = 0
    for page in writer.pages:
        for ref in page.get("/Annots") or []:
            annot = ref.get_object()
            action = annot.get("/A")
            uri = action.get_object().get("/URI") if action is not None else None
            if uri is None or not str(uri).startswith(base):
                continue
            path = urlsplit(str(uri)).path.lstrip("/")
            path = path.removesuffix("index.html")
            target = starts.get(path)
            if target is None:
                if site_url:
                    action.get_object()[NameObject("/URI")] = TextStringObject(
                        site_url.rstrip("/") + "/" + str(uri)[len(base) :]
                    )
                else:
                    del annot[NameObject("/A")]
                continue
            del annot[NameObject("/A")]
            annot[NameObject("/Dest")] = ArrayObject(
                [writer.pages[target].indirect_reference, NameObject("/Fit")]
            )
            turned += 1
    return turned


def _route(route: Any) -> Any:
    """Serve only the local site; skip the search index (a few MB that print never uses)."""
    url = route.request.url
    if urlsplit(url).hostname not in ("127.0.0.1", None) or "search_index.json" in url:
        return route.abort()
    return route.continue_()


async def _print_all(
    base: str,
    pages: list[NavPage],
    chromium: str,
    title: str,
    workers: int,
    sheets: int | None,
    progress: Callable[[str], None] | None,
) -> tuple[list[bytes], bytes, list[tuple[NavPage, int]]]:
    """Print every page (``workers`` tabs at once), then the numbered contents page."""
    import asyncio

    from playwright.async_api import async_playwright
    from pypdf import PdfReader

    prints: list[bytes] = [b""] * len(pages)
    queue: asyncio.Queue[int] = asyncio.Queue()
    for i in range(len(pages)):
        queue.put_nowait(i)
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(
            executable_path=chromium, args=list(CHROMIUM_ARGS)
        )
        try:
            context = await browser.new_context(viewport={"width": 1100, "height": 1400})
            context.set_default_timeout(120_000)
            await context.route("**/*", _route)

            async def worker() -> None:
                tab = await context.new_page()
                await tab.emulate_media(media="print")
                while not queue.empty():
                    i = queue.get_nowait()
                    if progress is not None:
                        progress(pages[i].url or "(home)")
                    await tab.goto(urljoin(base, pages[i].url), wait_until="load")
                    await tab.wait_for_function(_READY_JS)
                    await tab.evaluate("document.fonts.ready.then(() => true)")
                    prints[i] = await tab.pdf(
                        format="A4",
                        print_background=True,
                        margin=_MARGIN,
                        page_ranges="" if sheets is None else f"1-{sheets}",
                    )
                await tab.close()

            await asyncio.gather(*(worker() for _ in range(workers)))
            # The contents page numbers every page; its own length shifts them, so print it
            # once assuming one page, and again if it came out longer.
            counts = [len(PdfReader(io.BytesIO(data)).pages) for data in prints]
            if len(pages) == 1:  # one page (a handout): no contents page
                return prints, b"", _numbered(pages, counts, first=1)
            tab = await context.new_page()
            length = 1
            while True:
                entries = _numbered(pages, counts, first=length + 1)
                await tab.set_content(_contents_html(title, entries, base), wait_until="load")
                contents = await tab.pdf(format="A4", margin=_MARGIN)
                printed = len(PdfReader(io.BytesIO(contents)).pages)
                if printed == length:
                    return prints, contents, entries
                length = printed
        finally:
            await browser.close()


def build_book(
    site: Path,
    output: Path,
    *,
    chromium: str = DEFAULT_CHROMIUM,
    title: str = "cnnbook",
    pages: list[NavPage] | None = None,
    workers: int = 2,
    sheets: int | None = None,
    site_url: str | None = None,
    progress: Callable[[str], None] | None = None,
) -> dict[str, Any]:
    """Print the built site ``site`` into one PDF at ``output`` (written atomically).

    Parameters
    ----------
    site : Path
        A built site (``make docs``), its ``index.html`` at the root.
    output : Path
        The PDF to write (e.g. ``site/cnnbook.pdf``).
    chromium : str
        The Chromium binary Playwright drives (never ``playwright install``).
    title : str
        The title on the contents page and in the PDF's metadata.
    pages : list of NavPage, optional
        The pages to print; default every page of the navigation, in order.
    workers : int
        Pages printed at once (browser tabs); the PDF is the same for any number.
    sheets : int, optional
        Print only the first ``sheets`` PDF pages of each site page (a quick proof of the
        whole pipeline, as the tests use it); default all of them.
    site_url : str, optional
        The hosted site's address: links to parts of the site that are not printed pages
        (figures, downloads) point there; without it they are left inert.
    progress : callable, optional
        Called with each page's URL when its printing starts.

    Returns
    -------
    dict
        ``pages`` (PDF pages), ``entries`` (site pages printed), ``links`` (links turned
        into jumps inside the PDF), ``bytes`` (file size), ``seconds`` (in all) and
        ``print_seconds`` (Chromium's part).

    Raises
    ------
    ValueError
        ``workers`` or ``sheets`` not a positive integer; a site without navigation.
    """
    import asyncio

    from pypdf import PdfReader, PdfWriter

    site, output = Path(site), Path(output)
    start = time.perf_counter()
    if pages is None:
        pages = nav_pages((site / "index.html").read_text(encoding="utf-8"))
    if not pages:
        raise ValueError(f"site {site} has no navigation to print (is it a built site?)")
    for name, value in (("workers", workers), ("sheets", sheets)):
        if value is not None and (isinstance(value, bool) or not isinstance(value, int)):
            raise TypeError(f"{name} must be an int, got {type(value).__name__}")
        if value is not None and value < 1:
            raise ValueError(f"{name} (={value}) must be a positive integer")
    with serve(site) as base:
        prints, contents, entries = asyncio.run(
            _print_all(base, pages, chromium, title, workers, sheets, progress)
        )
    printed = time.perf_counter() - start
    writer = PdfWriter()
    if contents:
        writer.append(PdfReader(io.BytesIO(contents)))
    starts: dict[str, int] = {}
    for page, data, (_, number) in zip(pages, prints, entries, strict=True):
        starts[page.url] = number - 1
        writer.append(PdfReader(io.BytesIO(data)))
        writer.add_outline_item(title=page.title, page_number=number - 1)
    links = _link_targets(writer, base, starts, site_url)
    writer.add_metadata({"/Title": title, "/Creator": "cnnbook make pdf"})
    buffer = io.BytesIO()
    writer.write(buffer)
    data = buffer.getvalue()
    write_atomically(output, data)
    return {
        "pages": len(writer.pages),
        "entries": len(pages),
        "links": links,
        "bytes": len(data),
        "seconds": time.perf_counter() - start,
        "print_seconds": printed,
    }
