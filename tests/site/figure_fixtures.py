"""Tiny figure functions for the renderer's tests (the real ones live in cnnbook.figures)."""

from __future__ import annotations

from pathlib import Path

from matplotlib.figure import Figure


def tiny_figure(value: int = 1) -> Figure:
    fig = Figure(figsize=(2, 1))
    ax = fig.add_subplot()
    ax.plot([0, 1], [0, value])
    ax.set_title(f"value {value}")
    return fig


def tiny_writer(path: Path, text: str = "frame") -> int:
    Path(path).write_text(text)
    return 1


def broken_figure() -> Figure:
    raise ValueError("this figure cannot be drawn")
