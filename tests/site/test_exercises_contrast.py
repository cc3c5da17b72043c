"""The exercises' colours meet WCAG 2.1 AA in the light and the slate (dark) scheme.

Read from ``docs/assets/exercises/exercises.css``: text 4.5:1 on every background it sits
on, borders, state colours and the focus ring 3:1 on the exercise's background.
"""

from __future__ import annotations

import re

import pytest

from tests.sitebuild import DOCS
from tests.wcag import contrast

CSS = (DOCS / "assets" / "exercises" / "exercises.css").read_text(encoding="utf-8")


def scheme(selector: str) -> dict[str, str]:
    block = re.search(re.escape(selector) + r"\s*\{(?P<body>[^}]*)\}", CSS)
    assert block, selector
    return dict(re.findall(r"--cnbx-([\w-]+):\s*(#[0-9a-fA-F]{6})", block.group("body")))


SCHEMES = {"default": scheme(".cnbx"), "slate": scheme('[data-md-color-scheme="slate"] .cnbx')}


@pytest.mark.parametrize("name", sorted(SCHEMES))
def test_every_scheme_defines_every_colour(name: str) -> None:
    assert set(SCHEMES[name]) == set(SCHEMES["default"]) and len(SCHEMES[name]) >= 10


@pytest.mark.parametrize("name", sorted(SCHEMES))
def test_text_has_aa_contrast_on_every_background(name: str) -> None:
    c = SCHEMES[name]
    for fg, bg in (
        ("fg", "bg"),
        ("fg", "ok-bg"),
        ("fg", "bad-bg"),
        ("btn-fg", "btn-bg"),
        ("bad", "bg"),
    ):
        assert contrast(c[fg], c[bg]) >= 4.5, (name, fg, bg, contrast(c[fg], c[bg]))


@pytest.mark.parametrize("name", sorted(SCHEMES))
def test_borders_states_and_focus_have_non_text_contrast(name: str) -> None:
    c = SCHEMES[name]
    for ui in ("border", "ok", "bad", "focus", "btn-bg"):
        assert contrast(c[ui], c["bg"]) >= 3.0, (name, ui, contrast(c[ui], c["bg"]))
    for ui, bg in (("ok", "ok-bg"), ("bad", "bad-bg")):
        assert contrast(c[ui], c[bg]) >= 3.0, (name, ui, bg)
