"""The home page's link to the printed book, on a local preview that may have no PDF.

`make pdf` prints the built site into ``site/cnnbook.pdf`` (`cnnbook.site.book_pdf`), so
the hosted site, built by ``make pdf``, serves the file the home page links. `make serve`
builds the pages into a temporary folder of its own: there it serves the PDF that an
earlier ``make pdf`` printed (`serve_printed_book`), and without one it would answer the
link with a 404, so the link becomes a note saying how to print the book
(`unlink_missing_book`). MkDocs-free.

Examples
--------
>>> html = '<p>the book, as <a href="cnnbook.pdf" download>one PDF (cnnbook.pdf)</a>.</p>'
>>> print(unlink_missing_book(html))
<p>the book, as one PDF (cnnbook.pdf; this preview has none: <code>make pdf</code> prints it).</p>
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

__all__ = ["PDF_NAME", "PRINTED", "serve_printed_book", "unlink_missing_book"]

PDF_NAME = "cnnbook.pdf"
#: Where ``make pdf`` prints the book: the default site folder of the checkout.
PRINTED = Path(__file__).resolve().parents[2] / "site" / PDF_NAME
_LINK = re.compile(r'<a href="cnnbook\.pdf"[^>]*>([^<]*)\)</a>')


def unlink_missing_book(html: str) -> str:
    """Replace the links to ``cnnbook.pdf`` in `html` by their text and how to print it.

    The link text ends in ``)``; the note goes inside those parentheses.
    """
    note = r"\1; this preview has none: <code>make pdf</code> prints it)"
    return _LINK.sub(note, html)


def serve_printed_book(printed: Path, site_dir: Path) -> bool:
    """Copy the PDF `printed` by ``make pdf`` into `site_dir`; tell whether there was one.

    Examples
    --------
    >>> import tempfile
    >>> folder = Path(tempfile.mkdtemp())
    >>> serve_printed_book(folder / "missing.pdf", folder / "site")
    False
    >>> _ = (folder / "book.pdf").write_bytes(b"%PDF-1.7")
    >>> serve_printed_book(folder / "book.pdf", folder / "site")
    True
    >>> (folder / "site" / PDF_NAME).read_bytes()
    b'%PDF-1.7'
    """
    if not printed.is_file():
        return False
    target = site_dir / PDF_NAME
    source = printed.stat()
    held = target.stat() if target.exists() else None
    # Each rebuild of `make serve` ends here: copy only a book the folder does not hold yet
    # (copy2 keeps the time stamp that tells).
    if held is None or (held.st_size, held.st_mtime_ns) != (source.st_size, source.st_mtime_ns):
        site_dir.mkdir(parents=True, exist_ok=True)
        shutil.copy2(printed, target)
    return True
