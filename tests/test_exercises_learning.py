"""The learning pages' exercises: answers and known mistakes against torch and by hand."""

from __future__ import annotations

import numpy as np
import pytest
import torch
import torch.nn.functional as F

from cnnbook.exercises import ChoiceExercise, GridExercise
from cnnbook.exercises.learning import GENERATORS, PAGES, THREE_DECIMALS
from tests.exercise_checks import mistake_for

SEEDS = range(40)


def test_kernel_gradient_equals_torch_autograd_of_the_mean_squared_error():
    for seed in SEEDS:
        e = GENERATORS["kernel-gradient"](seed)
        x, t = (torch.tensor(e.params[k], dtype=torch.float64)[None, None] for k in "xt")
        w = torch.tensor(e.params["w"], dtype=torch.float64)[None, None].requires_grad_()
        F.mse_loss(F.conv2d(x, w), t).backward()
        expected = w.grad[0, 0].numpy()
        assert np.array_equal(e.answer, expected)
        hints = {hint.split(":")[0]: g for g, hint in e.mistakes}
        for start, g in hints.items():
            if start.startswith("Forgot the factor"):
                assert np.array_equal(g, 2 * expected)
            elif start.startswith("Used t"):
                assert np.array_equal(g, -expected)


def test_five_sgd_steps_on_the_ideal_hessian_shrink_by_point_eight_each():
    e = PAGES["learning-a-kernel"]()[1]
    assert e.answer == pytest.approx(2 * 0.8**5, abs=1e-12)
    assert mistake_for(e, "1 - \\eta") == pytest.approx(2 * 0.9**5)


def test_cross_entropy_equals_torch_and_wrong_class_mistakes_are_its_other_logs():
    for seed in SEEDS:
        e = GENERATORS["cross-entropy"](seed)
        z = torch.tensor([e.params["logits"]], dtype=torch.float64)
        y = e.params["target"]
        assert e.answer == pytest.approx(F.cross_entropy(z, torch.tensor([y])).item(), abs=1e-12)
        log_p = torch.log_softmax(z, 1)[0]
        for value, hint in e.mistakes.items():
            if "wrong class" in hint:
                c = int(hint.split("ln p")[1][0])
                assert c != y and value == pytest.approx(-log_p[c].item(), abs=1e-12)
            if "base-10" in hint:
                assert value == pytest.approx(-log_p[y].item() / np.log(10), abs=1e-12)


def test_softmax_fixed_exercises_equal_torch():
    _, grad_ex, big_ex, _ = PAGES["softmax-and-cross-entropy"]()
    z = torch.tensor([[2.0, 1.0, -1.0]], dtype=torch.float64, requires_grad=True)
    F.cross_entropy(z, torch.tensor([0])).backward()
    assert grad_ex.answer == pytest.approx(z.grad[0, 0].item(), abs=1e-12)
    p0 = torch.softmax(z, 1)[0, 0].item()
    assert mistake_for(grad_ex, "one-hot") == pytest.approx(p0)
    big = torch.tensor([1000.0, 999.0, 998.0], dtype=torch.float64)
    assert big_ex.answer == pytest.approx(torch.softmax(big, 0)[0].item(), abs=1e-12)


def torch_steps(cls, theta, grads, **options):
    p = torch.tensor([float(theta)], dtype=torch.float64, requires_grad=True)
    opt = cls([p], **options)
    for g in grads:
        p.grad = torch.tensor([float(g)], dtype=torch.float64)
        opt.step()
    return p.item()


def test_momentum_two_steps_equal_torch_sgd_and_named_variants():
    for seed in SEEDS:
        e = GENERATORS["momentum-two-steps"](seed)
        p = e.params
        grads, lr, mu = (p["g1"], p["g2"]), p["lr"], p["mu"]
        expected = torch_steps(torch.optim.SGD, p["theta"], grads, lr=lr, momentum=mu)
        assert e.answer == pytest.approx(expected, abs=1e-12)
        plain = torch_steps(torch.optim.SGD, p["theta"], grads, lr=lr)
        nesterov = torch_steps(
            torch.optim.SGD, p["theta"], grads, lr=lr, momentum=mu, nesterov=True
        )
        for word, value in (("plain SGD", plain), ("Nesterov", nesterov)):
            found = mistake_for(e, word)
            assert found is None or found == pytest.approx(value, abs=1e-12)
            assert (
                found is not None
                or abs(value - e.answer) <= THREE_DECIMALS
                or any(abs(value - v) <= THREE_DECIMALS for v in e.mistakes)
            )


def test_adam_first_step_equals_torch_and_moves_by_the_learning_rate():
    for seed in SEEDS:
        e = GENERATORS["adam-first-step"](seed)
        p = e.params
        expected = torch_steps(torch.optim.Adam, p["theta"], [p["g"]], lr=p["lr"])
        assert e.answer == pytest.approx(expected, abs=1e-12)
        assert abs(e.answer - p["theta"]) == pytest.approx(p["lr"], rel=1e-6)
        sgd = torch_steps(torch.optim.SGD, p["theta"], [p["g"]], lr=p["lr"])
        assert mistake_for(e, "SGD step") in (None, pytest.approx(sgd))


def test_dropout_scale_is_x_over_the_keep_probability():
    for seed in SEEDS:
        e = GENERATORS["dropout-scale"](seed)
        p, x = e.params["p"], e.params["x"]
        assert e.answer == pytest.approx(x / (1 - p), rel=1e-12)
        assert mistake_for(e, "Scaled by 1 − p") == pytest.approx(x * (1 - p))


def test_dropout_grid_is_the_mask_times_x_over_three_quarters():
    grid = PAGES["dropout"]()[1]
    x, mask = grid.shown["x"], grid.shown["mask"]
    assert np.allclose(grid.answer, x * mask / 0.75, rtol=0, atol=1e-15)
    assert any(np.array_equal(g, x * mask) for g, _ in grid.mistakes)


def test_a_tolerance_is_announced_as_three_decimals():
    """An answer checked to a tolerance says so in its question, and the tolerance is 3 decimals."""
    generated = [generator(seed) for generator in GENERATORS.values() for seed in range(200)]
    fixed = [e for build in PAGES.values() for e in build() if not isinstance(e, ChoiceExercise)]
    for e in generated + fixed:
        if e.tolerance:
            assert "to 3 decimals" in e.question
            assert e.tolerance == THREE_DECIMALS or isinstance(e, GridExercise)


# The generators' independent checks (tests/test_exercises_catalog.py holds every generator to one).
INDEPENDENT = {
    "kernel-gradient": test_kernel_gradient_equals_torch_autograd_of_the_mean_squared_error,
    "cross-entropy": test_cross_entropy_equals_torch_and_wrong_class_mistakes_are_its_other_logs,
    "momentum-two-steps": test_momentum_two_steps_equal_torch_sgd_and_named_variants,
    "adam-first-step": test_adam_first_step_equals_torch_and_moves_by_the_learning_rate,
    "dropout-scale": test_dropout_scale_is_x_over_the_keep_probability,
}
