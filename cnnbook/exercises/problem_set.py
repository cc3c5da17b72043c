r"""The Problem Set: a dozen longer problems across the book, solved by the package.

Each problem states its givens (numbers chosen here, or arrays drawn with a fixed seed) and
its solution computes every result with ``cnnbook`` -- nothing in a solution is typed. The
site prints `statements_markdown` on the Problem Set page and
`solutions_markdown` on its solutions page; ``tests/test_problem_set.py`` checks the
answers against torch and against computations by hand. The problems themselves are in
`cnnbook.exercises.convolution_problems` and `cnnbook.exercises.learning_problems`, the
record in `cnnbook.exercises.problem`; this module orders them and prints them.

Examples
--------
>>> problems = problem_set()
>>> len(problems), problems[0].title
(12, 'Sizes through a network')
>>> problems[0].answers["flattened"]
400
"""

from __future__ import annotations

from collections.abc import Callable

from cnnbook.exercises.convolution_problems import (
    correlation_by_hand,
    design_a_stack,
    global_pool_invariance_with_strides,
    parameters_with_and_without_sharing,
    pooling_backward,
    receptive_field_of_a_stack,
    sizes_through_a_network,
    transposed_convolution_output,
)
from cnnbook.exercises.learning_problems import (
    batch_norm_forward,
    one_optimizer_step,
    softmax_cross_entropy_gradient,
    train_versus_eval,
)
from cnnbook.exercises.problem import Problem

__all__ = ["Problem", "problem_set", "solutions_markdown", "statements_markdown"]


PROBLEMS: tuple[Callable[[], Problem], ...] = (
    sizes_through_a_network,
    parameters_with_and_without_sharing,
    receptive_field_of_a_stack,
    correlation_by_hand,
    pooling_backward,
    transposed_convolution_output,
    batch_norm_forward,
    one_optimizer_step,
    softmax_cross_entropy_gradient,
    global_pool_invariance_with_strides,
    train_versus_eval,
    design_a_stack,
)


def problem_set() -> list[Problem]:
    """Build every problem, its answers computed now by the package."""
    return [build() for build in PROBLEMS]


def statements_markdown() -> str:
    """Return the problems as Markdown, one ``### Problem n`` section each, for the site."""
    return "\n\n".join(
        f"### Problem {n}: {p.title}\n\n{p.statement}\n\n*Draws on: {', '.join(p.pages)}.*"
        for n, p in enumerate(problem_set(), start=1)
    )


def solutions_markdown() -> str:
    """Return the solutions as Markdown, one ``### Solution n`` section each, for the site."""
    return "\n\n".join(
        f"### Solution {n}: {p.title}\n\n{p.solution}" for n, p in enumerate(problem_set(), start=1)
    )
