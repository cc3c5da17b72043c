"""Self-checking exercises for the site's concept pages, with answers computed by cnnbook.

One module per site section defines its pages' exercises; :mod:`cnnbook.exercises.catalog`
maps a page to them.
"""

from cnnbook.exercises.exercise import (
    ChoiceExercise,
    Exercise,
    Generator,
    GridExercise,
    NumberExercise,
    TaskExercise,
)

__all__ = [
    "ChoiceExercise",
    "Exercise",
    "Generator",
    "GridExercise",
    "NumberExercise",
    "TaskExercise",
]
