"""The local server: a folder served on 127.0.0.1 for the ``with`` block, then stopped."""

from __future__ import annotations

import urllib.error
import urllib.request
from pathlib import Path

import pytest

from cnnbook.site.local_server import serve


def test_the_folder_is_served_on_loopback_and_the_server_stops_after(tmp_path: Path) -> None:
    (tmp_path / "kernel").mkdir()
    (tmp_path / "kernel" / "index.html").write_text("<h1>Kernel</h1>", encoding="utf-8")
    with serve(tmp_path) as url:
        assert url.startswith("http://127.0.0.1:") and url.endswith("/")
        with urllib.request.urlopen(url + "kernel/", timeout=10) as response:
            assert response.read() == b"<h1>Kernel</h1>"
        with pytest.raises(urllib.error.HTTPError, match="404"):
            urllib.request.urlopen(url + "missing.html", timeout=10)
    with pytest.raises(urllib.error.URLError):
        urllib.request.urlopen(url + "kernel/", timeout=2)
