"""optimizer_path follows the update rules written out by hand on small surfaces."""

from __future__ import annotations

import numpy as np
import pytest

from cnnbook.figures.optimizers import OPTIMIZER_RUNS, RAVINE_MINIMUM, RAVINE_START, ravine
from cnnbook.optim import SGD, Adam, optimizer_path


def test_sgd_path_on_a_quadratic_is_the_closed_form_contraction():
    curv = np.array([1.0, 10.0])
    path = optimizer_path(
        SGD, lambda p: (0.5 * float(curv @ p**2), curv * p), [2.0, 1.0], 5, lr=0.05
    )
    expected = np.array([[2.0 * (1 - 0.05) ** t, 1.0 * (1 - 0.5) ** t] for t in range(6)])
    np.testing.assert_allclose(path, expected, rtol=1e-14)


def test_momentum_path_equals_the_hand_written_heavy_ball():
    p, b = RAVINE_START.copy(), np.zeros(2)
    expected = [p.copy()]
    for t in range(10):
        g = ravine(p)[1]
        b = g if t == 0 else 0.8 * b + g
        p = p - 0.03 * b
        expected.append(p.copy())
    path = optimizer_path(SGD, ravine, RAVINE_START, 10, lr=0.03, momentum=0.8)
    np.testing.assert_allclose(path, expected, rtol=1e-13)


def test_adam_first_step_moves_every_coordinate_by_lr():
    # Bias-corrected m/sqrt(v) is sign(g) at step 1: Adam's step ignores the gradient's scale.
    path = optimizer_path(Adam, ravine, RAVINE_START, 1, lr=0.4)
    np.testing.assert_allclose(np.abs(path[1] - path[0]), [0.4, 0.4], rtol=1e-6)


def test_start_is_not_modified_and_path_has_steps_plus_one_points():
    start = np.array([0.5, 0.5])
    path = optimizer_path(SGD, ravine, start, 7, lr=0.1)
    assert path.shape == (8, 2)
    np.testing.assert_array_equal(start, [0.5, 0.5])
    np.testing.assert_array_equal(path[0], start)


@pytest.mark.parametrize("label", ["SGD", "SGD + momentum", "SGD + Nesterov"])
def test_sgd_variants_of_the_figure_reach_the_ravine_minimum(label):
    cls, kwargs = OPTIMIZER_RUNS[label]
    path = optimizer_path(cls, ravine, RAVINE_START, 200, **kwargs)
    np.testing.assert_allclose(path[-1], RAVINE_MINIMUM, atol=1e-4)


def test_nesterov_ends_closer_than_heavy_ball_after_forty_steps_on_the_ravine():
    heavy = optimizer_path(SGD, ravine, RAVINE_START, 40, lr=0.03, momentum=0.8)
    nesterov = optimizer_path(SGD, ravine, RAVINE_START, 40, lr=0.03, momentum=0.8, nesterov=True)
    assert ravine(nesterov[-1])[0] < ravine(heavy[-1])[0]
