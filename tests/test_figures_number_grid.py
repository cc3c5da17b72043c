"""Number grids: black or white text, whichever reads better on the cell (WCAG contrast)."""

from __future__ import annotations

from cnnbook.figures.number_grid import contrasting_text_color


def test_contrasting_text_color_picks_white_on_dark_and_black_on_light():
    assert contrasting_text_color("#00441b") == "white"  # darkest Greens: the "valid" cells
    assert contrasting_text_color("#f7fcf5") == "black"
    assert contrasting_text_color((0.5, 0.5, 0.5)) == "black"  # L = 0.214: 5.3 vs 3.9
    assert contrasting_text_color((0.4, 0.4, 0.4)) == "white"  # L = 0.133: 3.7 vs 5.7
