"""The network of [[A CNN in Your Browser]]: the digit classifier, exported for JavaScript.

It is the network the page [[Image Classification]] trains on handwritten digits placed on
a 10×10 canvas with random one-pixel shifts (the ``augmented`` run of
`cnnbook.usecases.classification`), loaded from that demonstration's cached run, so the
page in the browser and the numbers of that page come from one training. The build writes
it with `export` as ``assets/network/model.json`` (the contract of `cnnbook.network_json`)
next to ``assets/network/examples.json``: held-out test digits with their labels and the
network's predictions, the wrong ones included.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import numpy as np

from cnnbook._validation import positive_int
from cnnbook.atomic_files import write_atomically
from cnnbook.models import lenet_like
from cnnbook.network_json import ExportedNetwork, to_json
from cnnbook.usecases import classification

__all__ = ["digit_network", "export", "held_out_digits"]

#: Where the build writes the network and the examples, relative to the site's folder.
MODEL_JSON = Path("assets") / "network" / "model.json"
EXAMPLES_JSON = Path("assets") / "network" / "examples.json"
_RUN = "augmented"


def _result(seed: int) -> Any:
    return classification.run(seed=seed)


def digit_network(seed: int = 0) -> ExportedNetwork:
    """Return the trained digit classifier of the classification demonstration (eval mode).

    Examples
    --------
    >>> net = digit_network()
    >>> net.input_shape, net.classes[:3], type(net.model[0]).__name__
    ((1, 10, 10), ['0', '1', '2'], 'Conv2d')
    """
    result = _result(seed)
    canvas = int(result.metrics["canvas_size"])
    model = lenet_like(np.random.default_rng(0), image_size=canvas, padding=1)
    prefix = f"{_RUN}_weights."
    model.load_state_dict(
        {k[len(prefix) :]: v for k, v in result.arrays.items() if k.startswith(prefix)}
    )
    model.eval()
    return ExportedNetwork(model, (1, canvas, canvas), [str(d) for d in range(10)])


def held_out_digits(seed: int = 0, correct: int = 12, wrong: int = 8) -> list[dict[str, Any]]:
    """Held-out digits for the page's buttons: `correct` right ones, up to `wrong` wrong ones.

    Each is ``{"pixels": [...], "label": int, "prediction": int}`` (pixels flat, row-major,
    in the network's input scale). The right ones cycle through the classes.

    Examples
    --------
    >>> digits = held_out_digits(correct=2, wrong=1)
    >>> [d["label"] == d["prediction"] for d in digits], len(digits[0]["pixels"])
    ([True, True, False], 100)
    """
    correct = positive_int("correct", correct)
    wrong = positive_int("wrong", wrong)
    result = _result(seed)
    x, y = result.arrays["x_test"], result.arrays["y_test"]
    pred = result.arrays[f"{_RUN}_pred"]
    right = np.flatnonzero(pred == y)
    # One per class in turn, so the buttons show every digit.
    by_class = [right[y[right] == c] for c in range(10)]
    order = [int(ids[k]) for k in range(len(right)) for ids in by_class if k < len(ids)]
    chosen = [*order[:correct], *np.flatnonzero(pred != y)[:wrong]]
    return [
        {
            "pixels": np.asarray(x[i], dtype=np.float64).ravel().tolist(),
            "label": int(y[i]),
            "prediction": int(pred[i]),
        }
        for i in chosen
    ]


def export(site_dir: str | os.PathLike[str], seed: int = 0) -> list[Path]:
    """Write ``model.json`` and ``examples.json`` under `site_dir`; return their paths.

    Each file is written to a temporary name and renamed, so a reader (or an interrupted
    build) never sees half a file.
    """
    if not isinstance(site_dir, (str, os.PathLike)):
        raise TypeError(f"site_dir (={site_dir!r}) must be a path")
    site = Path(site_dir)
    if site.exists() and not site.is_dir():
        raise ValueError(f"site_dir (={str(site)!r}) must be a folder, not a file")
    net = digit_network(seed)
    model = to_json(net.model, net.input_shape, net.classes)
    paths = [site / MODEL_JSON, site / EXAMPLES_JSON]
    for path, data in zip(paths, (model, held_out_digits(seed)), strict=True):
        text = json.dumps(data, separators=(",", ":"))
        write_atomically(path, text)
    return paths
