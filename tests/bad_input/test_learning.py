"""Bad input to the backpropagation and learning-a-kernel helpers: each a named error."""

from __future__ import annotations

import numpy as np
import pytest

from cnnbook import (
    KernelFit,
    conv2d_backward_by_correlation,
    dilate,
    kernel_pairs,
    learn_kernel,
    numerical_gradient,
)
from cnnbook.optim import SGD, optimizer_path

X = np.zeros((1, 2, 5, 5))
W = np.zeros((3, 2, 3, 3))
G = np.zeros((1, 3, 3, 3))
IM, T = np.zeros((2, 6, 6)), np.zeros((2, 4, 4))

CASES = [  # (public dotted name, zero-arg call, exception type, regex the message matches)
    ("cnnbook.dilate", lambda: dilate(np.zeros((2, 2)), 0), ValueError, r"stride"),
    ("cnnbook.dilate", lambda: dilate(np.zeros(3), 2), ValueError, r"grad must have at least 2"),
    (
        "cnnbook.conv2d_backward_by_correlation",
        lambda: conv2d_backward_by_correlation(np.zeros((1, 3, 2, 2)), X, W),
        ValueError,
        r"grad_output has shape \(1, 3, 2, 2\)",
    ),
    (
        "cnnbook.conv2d_backward_by_correlation",
        lambda: conv2d_backward_by_correlation(G, X, np.zeros((3, 1, 3, 3))),
        ValueError,
        r"weight has 1 input channels; x has 2",
    ),
    (
        "cnnbook.conv2d_backward_by_correlation",
        lambda: conv2d_backward_by_correlation(G, X, W, padding=-1),
        ValueError,
        r"padding",
    ),
    (
        "cnnbook.conv2d_backward_by_correlation",
        lambda: conv2d_backward_by_correlation(G, np.zeros((5, 5)), W),
        ValueError,
        r"x must be \(C, H, W\)",
    ),
    (
        "cnnbook.numerical_gradient",
        lambda: numerical_gradient(lambda v: 0.0, np.zeros(2), eps=0.0),
        ValueError,
        r"eps must be > 0",
    ),
    (
        "cnnbook.numerical_gradient",
        lambda: numerical_gradient("f", np.zeros(2)),
        TypeError,
        r"f must be callable",
    ),
    (
        "cnnbook.kernel_pairs",
        lambda: kernel_pairs(np.zeros((5, 5)), size=4),
        ValueError,
        r"size \(=4\) must be at least",
    ),
    ("cnnbook.kernel_pairs", lambda: kernel_pairs(np.zeros(3)), ValueError, r"kernel"),
    (
        "cnnbook.kernel_pairs",
        lambda: kernel_pairs(np.zeros((3, 3)), seed=1.5),
        TypeError,
        r"seed \(=1.5\) must be an int",
    ),
    ("cnnbook.learn_kernel", lambda: learn_kernel(IM, T, 3, lr=0.0), ValueError, r"lr \(=0.0\)"),
    (
        "cnnbook.learn_kernel",
        lambda: learn_kernel(IM, T, 3, lr=float("nan")),
        ValueError,
        r"lr \(=nan\) must be finite",
    ),
    (
        "cnnbook.learn_kernel",
        lambda: learn_kernel(IM, np.zeros((2, 5, 5)), 3),
        ValueError,
        r"targets has shape \(2, 5, 5\); expected \(2, 4, 4\)",
    ),
    ("cnnbook.learn_kernel", lambda: learn_kernel(IM, T, 3, steps=0), ValueError, r"steps"),
    (
        "cnnbook.learn_kernel",
        lambda: learn_kernel(IM, T, 3, optimizer=object),
        TypeError,
        r"optimizer .* must be a cnnbook.optim.Optimizer subclass",
    ),
    (
        "cnnbook.learn_kernel",
        lambda: learn_kernel(IM, T, 3, true_kernel=np.zeros((2, 2))),
        ValueError,
        r"true_kernel has shape \(2, 2\); expected \(3, 3\)",
    ),
    (
        "cnnbook.learn_kernel",
        lambda: learn_kernel(IM, T, 7),
        ValueError,
        r"kernel_size \(=\(7, 7\)\) must fit",
    ),
    # A NamedTuple of results: its constructor checks nothing beyond arity.
    ("cnnbook.KernelFit", lambda: KernelFit(np.zeros(2)), TypeError, r"kernel_error"),
    (
        "cnnbook.optim.optimizer_path",
        lambda: optimizer_path(object, lambda p: (0.0, p), [1.0], 2),
        TypeError,
        r"optimizer_cls .* must be a cnnbook.optim.Optimizer subclass",
    ),
    (
        "cnnbook.optim.optimizer_path",
        lambda: optimizer_path(SGD, lambda p: (0.0, p), [1.0], 0, lr=0.1),
        ValueError,
        r"steps",
    ),
    (
        "cnnbook.optim.optimizer_path",
        lambda: optimizer_path(SGD, None, [1.0], 2, lr=0.1),
        TypeError,
        r"loss_and_grad must be callable",
    ),
    (
        "cnnbook.optim.optimizer_path",
        lambda: optimizer_path(SGD, lambda p: (0.0, np.zeros(3)), [1.0, 2.0], 2, lr=0.1),
        ValueError,
        r"shape",
    ),
]


@pytest.mark.parametrize(("name", "call", "exc", "match"), CASES, ids=[c[0] for c in CASES])
def test_bad_input_is_named(name, call, exc, match):
    with pytest.raises(exc, match=match):
        call()
