"""No result is typed into the prose of docs/: it is computed, or a given listed with a reason."""

from __future__ import annotations

from pathlib import Path

import pytest

from cnnbook.site.typed_numbers import markdown_prose, notebook_markdown, typed_numbers
from tests.site.typed_numbers_allowed import ALLOWED

DOCS = Path(__file__).resolve().parents[2] / "docs"


def _pages() -> dict[str, str]:
    pages = {p.relative_to(DOCS).as_posix(): p.read_text("utf-8") for p in DOCS.rglob("*.md")}
    for nb in DOCS.rglob("*.ipynb"):
        pages[nb.relative_to(DOCS).as_posix()] = notebook_markdown(nb)
    return pages


def _allowed(page, number):
    return next(
        (
            a
            for a in ALLOWED
            if a.page == page and a.number == number.text and a.context in number.context
        ),
        None,
    )


def test_no_result_is_typed_into_the_prose_of_any_page():
    typed = [
        f"docs/{page}:{n.line}: {n.text!r} ({n.kind}) in: {n.context}"
        for page, text in sorted(_pages().items())
        for n in typed_numbers(text)
        if _allowed(page, n) is None
    ]
    assert not typed, (
        "results typed into prose; compute them with {{ cnnbook: ... }} or an executed "
        "block, or list a true given with its reason in tests/site/typed_numbers_allowed.py:\n"
        + "\n".join(typed)
    )


def test_every_allowed_typed_number_is_still_on_its_page_and_has_a_reason():
    pages = _pages()
    for entry in ALLOWED:
        assert entry.reason.strip(), entry
        found = [
            n
            for n in typed_numbers(pages.get(entry.page, ""))
            if n.text == entry.number and entry.context in n.context
        ]
        assert found, f"stale entry (nothing matches it any more): {entry}"


# -- the detector, on small strings -------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("reaches at least 98 % test accuracy", [("98 %", "percentage")]),
        (
            "an accuracy of 94.4%, down to 46 percent",
            [("94.4%", "percentage"), ("46 percent", "percentage")],
        ),
        ("a gradient longer than 0.5", [("0.5", "decimal")]),
        ("reduces the parameters by a factor of 17,391", [("17,391", "factor")]),
        ("sharing alone saves ×576", [("576", "factor")]),
        (
            "576× fewer, or 30 times, or a 12-fold saving",
            [("576", "factor"), ("30", "factor"), ("12", "factor")],
        ),
        ("a locally connected layer has 89,856 parameters", [("89,856", "count")]),
        ("it has 89856 parameters", [("89856", "count")]),
        ("[the text of a link is prose: 98 %](https://example.org)", [("98 %", "percentage")]),
        ("[[Accuracy|an accuracy of 0.98]]", [("0.98", "decimal")]),
    ],
)
def test_detector_reports_typed_results(text, expected):
    assert [(n.text, n.kind) for n in typed_numbers(text)] == expected


@pytest.mark.parametrize(
    "text",
    [
        "A 28 × 28 image, a 3 × 3 kernel, stride 2, 64 filters, turned by 180 degrees.",
        "Six 5 × 5 filters: 6 × {{ cnnbook: conv_output_size(28, 5) }} × 24 values.",
        "The value {{ cnnbook: format(0.944, '.1%') }} is computed.",
        "In code: `acc = 0.98` and `x[1,797]`.",
        "```python\nprint(f'{0.98:.0%}')  # 98 %\n```",
        "Math: $Y = 0.5\\,x$ and $$p = 17{,}391$$ and \\(e = 2.718\\).",
        'A [link](https://example.org/98.5%25 "title") and ![alt](a/1.5x.png).',
        "[[The Receptive Field of the Neuron#Step 2.5|the field]] and [[Page 1,000]].",
        "LeNet-5, VGG-16, conv1_1, pool5, 2-D and 3-D kernels, a 16-bit float.",
        "Araujo, Norris & Sim (2019); LeCun et al., 1998; Goodfellow et al. §9.1.",
        "<!-- 98 % -->\n---\n",
        "1. first step\n2. second step\n",
        "::: cnnbook.parameters.connectivity_savings\n    options:\n      heading_level: 3\n",
    ],
)
def test_detector_ignores_givens_code_math_links_names_years_and_computed_values(text):
    assert typed_numbers(text) == []


def test_front_matter_is_not_prose_and_line_numbers_count_from_the_top():
    text = "---\naliases: [Top 1.5 %]\n---\n\n# Title\n\nnow 1.5 % here\n"
    assert "1.5" not in markdown_prose(text).split("now")[0]
    [number] = typed_numbers(text)
    assert (number.text, number.line, number.context) == ("1.5 %", 7, "now 1.5 % here")
