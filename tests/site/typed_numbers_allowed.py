"""The one list of numbers that may stay typed in the prose of docs/, each with its reason.

`tests/site/test_typed_numbers.py` fails on any result typed into prose (a percentage, a
decimal, a factor, a count of 1,000 or more: see `cnnbook.site.typed_numbers`) that is not
listed here. Add an entry only for a *given* — a fact of the world or of a published
source that no code of this package computes — never for something `cnnbook` computes:
write ``{{ cnnbook: … }}`` or an executed block for those. An entry that no longer matches
anything fails the test too, so the list cannot go stale.
"""

from __future__ import annotations

from typing import NamedTuple


class Allowed(NamedTuple):
    """A typed number allowed on one page: where, which, in what words, and why."""

    page: str  # path under docs/
    number: str  # exactly as `typed_numbers` reports it, e.g. "1,797" or "98 %"
    context: str  # a piece of the line's prose around it, to pin the sentence
    reason: str


ALLOWED: list[Allowed] = [
    Allowed(
        page="use-cases/medical-imaging.md",
        number="7.5",
        context="radii from 3 to 7.5 pixels",
        reason="a given of the simulation: the range the generator draws nucleus radii from",
    ),
    Allowed(
        page="use-cases/medical-imaging.md",
        number="0.9",
        context="below the 0.9 it was",
        reason="the Dice target the issue set for the demonstration, a given measured against",
    ),
    Allowed(
        page="use-cases/object-detection.md",
        number="0.5",
        context="Average precision at IoU 0.5 (AP50)",
        reason="the IoU threshold that defines AP50 (PASCAL VOC / COCO), a convention",
    ),
    Allowed(
        page="use-cases/object-detection.md",
        number="0.5",
        context="intersection over union reaches 0.5)",
        reason="the same IoU threshold of AP50, restated where matching is defined",
    ),
    Allowed(
        page="notebooks/training.ipynb",
        number="1,797",
        context="The data: 1,797 real handwritten digits",
        reason=(
            "the size of scikit-learn's digits data set, a published given; the notebook's "
            "next cell prints the array shapes that show it (Markdown cells of a notebook "
            "cannot hold {{ cnnbook: }} values)"
        ),
    ),
    Allowed(
        page="batch-normalization.md",
        number="0.1",
        context="move by the momentum (0.1 by default",
        reason="the default momentum of torch.nn.BatchNorm2d, a setting of the API, not a result",
    ),
    Allowed(
        page="batch-normalization.md",
        number="0.1",
        context="with momentum 0.1, 0.5 and",
        reason="the momenta the cross-check test is parametrised with: inputs of a test",
    ),
    Allowed(
        page="batch-normalization.md",
        number="0.5",
        context="with momentum 0.1, 0.5 and",
        reason="the momenta the cross-check test is parametrised with: inputs of a test",
    ),
    Allowed(
        page="softmax-and-cross-entropy.md",
        number="1000",
        context="logits around 1000 overflow the naive formula",
        reason="the size of the logits the demonstration chooses (an input, large enough to "
        "overflow exp in float64), not a result",
    ),
    Allowed(
        page="softmax-and-cross-entropy.md",
        number="1000",
        context="logits near 1000 stay finite",
        reason="the same chosen input size of the logits, in the summary of the demonstration",
    ),
]
