"""Gradient descent on a kernel alone recovers the hidden kernel; the loop is plain SGD."""

from __future__ import annotations

import numpy as np
import pytest

from cnnbook import correlate2d, kernel_pairs, learn_kernel, sobel_x
from cnnbook.optim import SGD, Adam, AdamW


def test_kernel_pairs_targets_are_valid_correlations_of_the_images():
    k = np.random.default_rng(0).standard_normal((3, 2))
    images, targets = kernel_pairs(k, count=3, size=7, seed=4)
    assert images.shape == (3, 7, 7) and targets.shape == (3, 5, 6)
    for im, t in zip(images, targets, strict=True):
        np.testing.assert_allclose(t, correlate2d(im, k, "valid"), atol=1e-12)


def test_sobel_x_is_recovered_from_zero_by_sgd():
    images, targets = kernel_pairs(sobel_x(), count=8, size=16, seed=1)
    kernel, history = learn_kernel(images, targets, 3, steps=60, lr=0.2, true_kernel=sobel_x())
    np.testing.assert_allclose(kernel, sobel_x(), atol=1e-9)
    assert history.kernel_error is not None
    assert history.kernel_error[0] == np.abs(sobel_x()).max()  # the start is the zero kernel
    assert history.loss[-1] < 1e-20 * history.loss[0]
    assert np.all(np.diff(history.loss) < 0)  # the loss falls at every step


def test_a_random_5x5_kernel_is_recovered():
    hidden = np.random.default_rng(0).standard_normal((5, 5))
    images, targets = kernel_pairs(hidden, count=8, size=16, seed=1)
    kernel, history = learn_kernel(images, targets, 5, steps=60, lr=0.2, true_kernel=hidden)
    np.testing.assert_allclose(kernel, hidden, atol=1e-8)
    assert history.loss.shape == history.kernel_error.shape == (61,)


def test_loss_and_kernel_equal_a_hand_written_gradient_descent_loop():
    hidden = np.random.default_rng(2).standard_normal((3, 3))
    images, targets = kernel_pairs(hidden, count=3, size=8, seed=5)
    kernel, history = learn_kernel(images, targets, 3, steps=7, lr=0.15)
    w = np.zeros((3, 3))
    losses = []
    m = targets.size
    for _ in range(8):
        residuals = [correlate2d(im, w, "valid") - t for im, t in zip(images, targets, strict=True)]
        losses.append(sum(float((r**2).sum()) for r in residuals) / m)
        grad = sum(correlate2d(im, r, "valid") for im, r in zip(images, residuals, strict=True))
        w = w - 0.15 * 2 * grad / m
    w_last = w + 0.15 * 2 * grad / m  # undo the extra step after the 8th loss
    np.testing.assert_allclose(history.loss, losses, rtol=1e-12)
    np.testing.assert_allclose(kernel, w_last, atol=1e-12)
    assert history.kernel_error is None


def test_sgd_error_contracts_near_one_minus_two_lr_on_white_noise():
    images, targets = kernel_pairs(sobel_x(), count=64, size=32, seed=3)
    _, history = learn_kernel(images, targets, 3, steps=30, lr=0.2, true_kernel=sobel_x())
    factor = (history.kernel_error[30] / history.kernel_error[0]) ** (1 / 30)
    assert abs(factor - abs(1 - 2 * 0.2)) < 0.05


@pytest.mark.parametrize(
    ("opt", "kwargs", "lr", "steps"),
    [
        (SGD, {"momentum": 0.5}, 0.1, 80),
        (Adam, {}, 0.05, 400),
        (AdamW, {"weight_decay": 0.0}, 0.05, 400),
    ],
)
def test_every_optimizer_recovers_the_kernel(opt, kwargs, lr, steps):
    images, targets = kernel_pairs(sobel_x(), count=8, size=16, seed=1)
    kernel, _ = learn_kernel(images, targets, 3, steps=steps, lr=lr, optimizer=opt, **kwargs)
    np.testing.assert_allclose(kernel, sobel_x(), atol=1e-3)


def test_inputs_are_not_modified():
    images, targets = kernel_pairs(sobel_x(), count=2, size=6)
    copies = images.copy(), targets.copy()
    learn_kernel(images, targets, 3, steps=3, true_kernel=sobel_x())
    np.testing.assert_array_equal(images, copies[0])
    np.testing.assert_array_equal(targets, copies[1])
