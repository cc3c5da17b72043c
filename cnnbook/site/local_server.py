"""A built site served on 127.0.0.1, in a thread, for Chromium to open.

``make pdf`` (`cnnbook.site.book_pdf`) and the site and browser tests
(``tests/sitebuild.py``) serve a built site the same way: a threaded HTTP server on a free
port of the loopback interface only, with no request log, stopped when the ``with`` ends.

Examples
--------
>>> import tempfile, urllib.request
>>> folder = Path(tempfile.mkdtemp())
>>> _ = (folder / "index.html").write_text("hello")
>>> with serve(folder) as url:
...     urllib.request.urlopen(url).read()
b'hello'
"""

from __future__ import annotations

import functools
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

__all__ = ["serve"]


class _Quiet(SimpleHTTPRequestHandler):
    """Serves files without logging every request to stderr."""

    def log_message(self, format: str, *args: object) -> None:
        pass


@contextmanager
def serve(directory: Path) -> Iterator[str]:
    """Serve `directory` on 127.0.0.1 (a free port) in a thread; yield its base URL."""
    handler = functools.partial(_Quiet, directory=str(directory))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()
