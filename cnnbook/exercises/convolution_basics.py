"""The section "Convolution basics": pages Kernel, Cross-Correlation and Convolution, Output Size.

Every answer is computed with ``cnnbook``; each page's exercises live in their own module
(:mod:`~cnnbook.exercises.kernel`, :mod:`~cnnbook.exercises.cross_correlation`,
:mod:`~cnnbook.exercises.output_size`). The generators' JavaScript ports are
``docs/assets/exercises/convolution_basics.js`` (same names, byte-identical strings: plain
text written with :mod:`~cnnbook.exercises.plain_text`). Known wrong answers name the
mistake that gives them.

Examples
--------
>>> sorted(PAGES)
['cross-correlation-and-convolution', 'kernel', 'output-size']
>>> all(len(build()) >= 3 for build in PAGES.values())
True
"""

from __future__ import annotations

from collections.abc import Callable

from cnnbook.exercises.cross_correlation import (
    CONVOLVE,
    CORRELATE,
    cross_correlation_and_convolution,
)
from cnnbook.exercises.exercise import Exercise, Generator
from cnnbook.exercises.kernel import KERNEL_RESPONSE, kernel
from cnnbook.exercises.output_size import OUTPUT_SIZE, output_size

__all__ = ["CONVOLVE", "CORRELATE", "GENERATORS", "KERNEL_RESPONSE", "OUTPUT_SIZE", "PAGES"]

PAGES: dict[str, Callable[[], list[Exercise]]] = {
    "kernel": kernel,
    "cross-correlation-and-convolution": cross_correlation_and_convolution,
    "output-size": output_size,
}
GENERATORS: dict[str, Generator] = {
    g.name: g for g in (KERNEL_RESPONSE, CORRELATE, CONVOLVE, OUTPUT_SIZE)
}
