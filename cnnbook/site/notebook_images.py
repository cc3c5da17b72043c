"""Alt text for the figures a notebook page shows.

nbconvert gives every image output the same ``alt`` ("No description has been provided
for this image"), which tells a screen-reader user nothing. A notebook describes its figures
in the metadata of the code cells that draw them, ``{"alt": "what the figure shows"}``
(Jupyter's own key; in JupyterLab: Property Inspector → Cell metadata), and the site hook
puts each description on its image, in order. A notebook whose images and descriptions do
not pair up one to one is an error (it fails the strict build), so a new figure cannot be
published without one.

Examples
--------
>>> nb = {"cells": [{"cell_type": "code", "metadata": {"alt": "Loss per epoch"}, "source": ""}]}
>>> html = '<div><img alt="No description has been provided for this image" src="x"></div>'
>>> describe_images(html, nb, "demo.ipynb")
'<div><img alt="Loss per epoch" src="x"></div>'
"""

from __future__ import annotations

import re
from html import escape
from typing import Any

# nbconvert's placeholder (lab and classic templates), and an image with no alt at all.
GENERIC_ALT = "No description has been provided for this image"
_IMG_RE = re.compile(
    r'<img\b(?P<before>[^>]*?)\s+alt="' + re.escape(GENERIC_ALT) + r'"(?P<after>[^>]*)>'
)


def cell_descriptions(notebook: dict[str, Any]) -> list[str]:
    """Return the ``alt`` metadata of the notebook's code cells, in order (others skipped)."""
    return [
        str(cell["metadata"]["alt"]).strip()
        for cell in notebook.get("cells", [])
        if cell.get("cell_type") == "code" and cell.get("metadata", {}).get("alt")
    ]


def describe_images(html: str, notebook: dict[str, Any], name: str) -> str:
    """Replace nbconvert's placeholder alt of each image by the cells' descriptions, in order.

    Raises ``ValueError`` naming the notebook when the number of images with the placeholder
    differs from the number of described cells.
    """
    descriptions = cell_descriptions(notebook)
    images = _IMG_RE.findall(html)
    if len(images) != len(descriptions):
        raise ValueError(
            f"{name}: {len(images)} figure(s) shown but {len(descriptions)} code cell(s) "
            'describe one: give each cell that draws a figure {"alt": "what it shows"} '
            "in its metadata"
        )
    texts = iter(descriptions)
    return _IMG_RE.sub(
        lambda m: f'<img{m.group("before")} alt="{escape(next(texts))}"{m.group("after")}>', html
    )
