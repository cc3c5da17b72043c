"""Every exercise generator's JavaScript port builds what the package builds, in Chromium.

For each generator of ``cnnbook.exercises.catalog.GENERATORS`` (so a new section's
generators are picked up as they land): parameters drawn in Python with NumPy are given to
the browser's ``build``; its answer, question, solution, mistakes and shown arrays must
equal ``Generator.build`` (numbers to 1e-9, strings byte for byte). The other way round,
parameters the browser's ``draw`` makes must build in Python without error and agree again.
"""

from __future__ import annotations

import json
import math
from typing import Any

import numpy as np
import pytest

from cnnbook.exercises import catalog
from cnnbook.exercises.exercise import Generator, GridExercise, NumberExercise
from tests.browser.conftest import open_page

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("site")]

DRAWS = 24


@pytest.fixture(scope="module")
def page(explorer_site: str, chromium: Any) -> Any:
    """The home page, which loads every section's generators and the engine."""
    p, watch = open_page(chromium)
    p.goto(explorer_site)
    p.wait_for_function("() => window.cnnbookExercises && window.cnnbookExercises.init")
    yield p
    watch.assert_clean()
    p.context.close()


def _plain(value: Any) -> Any:
    """JSON's view of a value (tuples as lists, NumPy scalars as numbers)."""
    return json.loads(json.dumps(value, default=lambda v: v.tolist()))


def _dict_semantics(answer: Any, pairs: list[list[Any]]) -> list[list[Any]]:
    """Mistakes as a Python dict keeps them (the last hint of a value, at its first place),
    without any equal to the answer: what the page shows whichever side built them."""
    out: dict[str, list[Any]] = {}
    for value, hint in pairs:
        key = json.dumps(value)
        out[key] = [out[key][0], hint] if key in out else [value, hint]
    return [pair for key, pair in out.items() if not _close(pair[0], answer)]


def _close(a: Any, b: Any) -> bool:
    if isinstance(a, list) or isinstance(b, list):
        return (
            isinstance(a, list)
            and isinstance(b, list)
            and len(a) == len(b)
            and all(_close(x, y) for x, y in zip(a, b, strict=True))
        )
    return math.isclose(float(a), float(b), rel_tol=1e-9, abs_tol=1e-9)


def python_view(ex: NumberExercise | GridExercise) -> dict[str, Any]:
    if isinstance(ex, NumberExercise):
        mistakes = [[v, h] for v, h in ex.mistakes.items()]
    else:
        mistakes = [[np.asarray(g).tolist(), h] for g, h in ex.mistakes]
    shown = {k: np.asarray(v).tolist() for k, v in ex.shown.items()}
    answer = _plain(np.asarray(ex.answer).tolist())
    return {
        "question": ex.question,
        "solution": ex.solution,
        "answer": answer,
        "mistakes": _dict_semantics(answer, _plain(mistakes)),
        "shown": _plain(shown),
    }


def js_build(page: Any, name: str, params: dict[str, Any]) -> dict[str, Any]:
    built = page.evaluate(
        "([name, params]) => window.cnnbookExercises.generators[name].build(params)",
        [name, params],
    )
    return {
        "question": built["question"],
        "solution": built["solution"],
        "answer": built["answer"],
        "mistakes": _dict_semantics(built["answer"], built.get("mistakes") or []),
        "shown": built.get("shown") or {},
    }


def assert_same(py: dict[str, Any], js: dict[str, Any], where: str) -> None:
    assert _close(js["answer"], py["answer"]), f"{where}: answer {js['answer']} != {py['answer']}"
    assert js["question"] == py["question"], f"{where}: question differs"
    assert js["solution"] == py["solution"], f"{where}: solution differs"
    assert [m[1] for m in js["mistakes"]] == [m[1] for m in py["mistakes"]], (
        f"{where}: the hints differ: {js['mistakes']} != {py['mistakes']}"
    )
    assert _close([m[0] for m in js["mistakes"]], [m[0] for m in py["mistakes"]]), (
        f"{where}: the mistaken values differ: {js['mistakes']} != {py['mistakes']}"
    )
    assert sorted(js["shown"]) == sorted(py["shown"]), f"{where}: shown arrays differ"
    for key in py["shown"]:
        assert _close(js["shown"][key], py["shown"][key]), f"{where}: shown {key!r} differs"


def test_every_generator_has_a_javascript_port_and_every_port_a_generator(page: Any) -> None:
    ported = set(page.evaluate("() => Object.keys(window.cnnbookExercises.generators)"))
    assert set(catalog.GENERATORS) - ported == set(), (
        "generators with no JavaScript port registered in docs/assets/exercises/<section>.js "
        "(and listed in mkdocs.yml extra_javascript)"
    )
    assert ported - set(catalog.GENERATORS) == set(), "JavaScript ports of no Python generator"


@pytest.mark.parametrize("name", sorted(catalog.GENERATORS))
def test_javascript_build_equals_python_build_on_numpy_draws(page: Any, name: str) -> None:
    generator: Generator = catalog.GENERATORS[name]
    assert generator.name == name
    for seed in range(DRAWS):
        params = generator.draw(np.random.default_rng(seed))
        text = json.dumps(params)  # a draw must be JSON: the page embeds it
        assert json.loads(text) == params, f"{name}: draw is not plain JSON: {params!r}"
        assert_same(python_view(generator.build(params)), js_build(page, name, params), name)


@pytest.mark.parametrize("name", sorted(catalog.GENERATORS))
def test_javascript_draws_build_in_python_and_agree(page: Any, name: str) -> None:
    generator: Generator = catalog.GENERATORS[name]
    for seed in range(DRAWS):
        params = page.evaluate(
            "([name, seed]) => window.cnnbookExercises.generators[name]"
            ".draw(window.cnnbookExercises.rng(seed))",
            [name, seed + 1],
        )
        where = f"{name} with JS draw {params}"
        assert_same(python_view(generator.build(params)), js_build(page, name, params), where)
