"""Every exercise of the catalog, whatever its section: well formed, plain text, its answer
equal to an independent computation and each named mistake different from the answer.

The references (torch, SciPy, by hand) stay beside their section's other tests
(``tests/test_exercises_<section>.py``): ``REFERENCES`` (a generator's parameters -> the
answer and each mistake's value) and ``FIXED`` ((page, index) of a fixed exercise -> the
same) are checked here; a section whose generators are checked by tests of their own names
them in ``INDEPENDENT`` (generator -> the test). No expected value comes from the package.
"""

from __future__ import annotations

import json
import re

import numpy as np
import pytest

from cnnbook.exercises import catalog, explorer_tasks
from cnnbook.exercises.exercise import ChoiceExercise, GridExercise, NumberExercise
from tests import (
    test_exercises_convolution,
    test_exercises_convolution_basics,
    test_exercises_key_concepts,
    test_exercises_learning,
    test_exercises_network_sees,
    test_exercises_structure,
)
from tests.exercise_checks import check_mistakes, mistakes

SEEDS = range(200)
# The guided tasks of the Convolution Explorer: tests/test_exercises_explorer_tasks.py.
PAGES = sorted(set(catalog.PAGES) - set(explorer_tasks.PAGES))

REFERENCES = {**test_exercises_convolution.REFERENCES, **test_exercises_structure.REFERENCES}
# (page, index) of a fixed number exercise -> its reference; MORE: a further one, any kind.
FIXED = {
    (page, index): reference
    for section in (test_exercises_convolution, test_exercises_structure)
    for page, (index, reference) in section.FIXED.items()
}
MORE = test_exercises_structure.MORE
INDEPENDENT = {
    **test_exercises_convolution_basics.INDEPENDENT,
    **test_exercises_key_concepts.INDEPENDENT,
    **test_exercises_learning.INDEPENDENT,
    **test_exercises_network_sees.INDEPENDENT,
}


@pytest.mark.parametrize("page", PAGES)
def test_every_page_has_three_exercises_a_choice_a_generator_and_hints(page: str) -> None:
    exercises = catalog.PAGES[page]()
    assert len(exercises) >= 3
    assert any(isinstance(e, ChoiceExercise) for e in exercises)
    assert any(getattr(e, "generator", None) in catalog.GENERATORS for e in exercises)
    for e in exercises:
        if isinstance(e, ChoiceExercise):
            assert 0 <= e.correct < len(e.options) == len(e.explanations)
            assert len(e.options) >= 3
        else:
            assert e.check(e.answer)
            assert e.generator is None or e.generator in catalog.GENERATORS
            assert mistakes(e), f"{page}: an exercise without known mistakes: {e.question}"
            for value, hint in mistakes(e):
                assert not e.check(value), hint


@pytest.mark.parametrize("name", sorted(catalog.GENERATORS))
def test_generator_draws_json_parameters_builds_plain_text_and_wrong_mistakes(name: str) -> None:
    generator = catalog.GENERATORS[name]
    for seed in SEEDS:
        params = generator.draw(np.random.default_rng(seed))
        assert json.loads(json.dumps(params)) == params
        ex = generator(seed)
        assert ex.generator == name and ex.params == params
        assert isinstance(ex, NumberExercise | GridExercise)
        assert ex.check(ex.answer)
        for text in [ex.question, ex.solution, *(h for _, h in mistakes(ex))]:
            # plain text for the JS port, which must return it byte for byte
            assert not any(mark in text for mark in ("$", "`", "**")), text
            assert not re.search(r"(?<![\w])-\d", text), text  # negatives use U+2212
        for value, hint in mistakes(ex):
            assert not ex.check(value), hint


def test_every_generator_has_an_independent_check() -> None:
    assert set(REFERENCES) | set(INDEPENDENT) == set(catalog.GENERATORS)
    assert not set(REFERENCES) & set(INDEPENDENT)


@pytest.mark.parametrize("name", sorted(REFERENCES))
def test_generator_answer_and_mistakes_equal_an_independent_computation(name: str) -> None:
    generator = catalog.GENERATORS[name]
    for seed in range(30):
        params = generator.draw(np.random.default_rng(seed))
        ex = generator.build(params)
        answer, wrong = REFERENCES[name](params)
        np.testing.assert_allclose(ex.answer, answer, atol=1e-9)
        check_mistakes(ex, wrong)


@pytest.mark.parametrize(("page", "index"), sorted(FIXED | MORE))
def test_fixed_exercise_answer_and_mistakes_equal_an_independent_computation(
    page: str, index: int
) -> None:
    ex = catalog.PAGES[page]()[index]
    kinds = NumberExercise if (page, index) in FIXED else NumberExercise | GridExercise
    assert isinstance(ex, kinds)
    assert ex.generator is None
    answer, wrong = (FIXED | MORE)[page, index]()
    np.testing.assert_allclose(ex.answer, answer, atol=1e-9)
    assert ex.mistakes
    check_mistakes(ex, wrong)


@pytest.mark.parametrize("page", PAGES)
def test_every_page_builds_fast(page: str) -> None:
    import time

    start = time.perf_counter()
    catalog.PAGES[page]()
    assert time.perf_counter() - start < 1.0  # ~0.05 s measured; generous on a shared CPU
