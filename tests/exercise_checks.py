"""How the exercise tests read an exercise's known mistakes (shared by tests/test_exercises_*)."""

from __future__ import annotations

from typing import Any

import numpy as np

from cnnbook.exercises.exercise import GridExercise, NumberExercise


def mistakes(ex: NumberExercise | GridExercise) -> list[tuple[Any, str]]:
    """The known mistakes as (value, hint) pairs."""
    return list(ex.mistakes) if isinstance(ex, GridExercise) else list(ex.mistakes.items())


def check_mistakes(ex: NumberExercise | GridExercise, expected: dict[str, Any]) -> None:
    """Every hint starts with a key of ``expected`` and its value is that wrong computation."""
    for value, hint in mistakes(ex):
        assert not ex.check(value), hint
        prefix = next(p for p in expected if hint.startswith(p))
        # a hint holds the value a learner would type: within the exercise's tolerance
        atol = max(1e-9, ex.tolerance)
        np.testing.assert_allclose(value, expected[prefix], rtol=0, atol=atol, err_msg=hint)


def mistake_for(exercise: NumberExercise | GridExercise, word: str) -> Any:
    """The value of the known mistake whose hint contains ``word`` (None if dropped)."""
    found = [v for v, hint in dict(exercise.mistakes).items() if word in hint]
    assert len(found) <= 1
    return found[0] if found else None
