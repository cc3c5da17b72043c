"""The training notebook links to the pages that explain its pieces (issue 13, "done when")."""

from __future__ import annotations

import json

import pytest

from cnnbook.site.wikilinks import WIKI_RE, normalize
from tests.sitebuild import DOCS

EXPLAINED = [
    "Deep Learning",
    "Backpropagation Through a Convolution",
    "Softmax and Cross-Entropy",
    "Optimizers",
    "Dropout",
]


def markdown_links(notebook: str) -> set[str]:
    cells = json.loads((DOCS / "notebooks" / notebook).read_text(encoding="utf-8"))["cells"]
    text = "\n".join("".join(c["source"]) for c in cells if c["cell_type"] == "markdown")
    return {normalize(m.group("target")) for m in WIKI_RE.finditer(text)}


@pytest.mark.parametrize("page", EXPLAINED)
def test_the_training_notebook_links_to_the_page_explaining_a_piece(page):
    assert normalize(page) in markdown_links("training.ipynb")
