"""ReLU and Tanh: values and derivatives derivable by hand."""

from __future__ import annotations

import numpy as np

from cnnbook import nn


def test_relu_zeroes_negatives_and_their_gradient():
    relu = nn.ReLU()
    np.testing.assert_array_equal(relu(np.array([-2.0, 0.0, 3.0])), [0.0, 0.0, 3.0])
    np.testing.assert_array_equal(relu.backward(np.array([1.0, 1.0, 1.0])), [0.0, 0.0, 1.0])


def test_relu_keeps_dtype():
    x = np.array([-1.0, 1.0], dtype=np.float32)
    relu = nn.ReLU()
    assert relu(x).dtype == np.float32 and relu.backward(x).dtype == np.float32


def test_relu_does_not_modify_its_input():
    x = np.array([-1.0, 1.0])
    nn.ReLU()(x)
    np.testing.assert_array_equal(x, [-1.0, 1.0])


def test_tanh_derivative_is_one_minus_tanh_squared():
    x = np.linspace(-3, 3, 13)
    tanh = nn.Tanh()
    np.testing.assert_allclose(tanh(x), np.tanh(x))
    np.testing.assert_allclose(tanh.backward(np.ones_like(x)), 1 / np.cosh(x) ** 2, rtol=1e-12)


def test_reprs_are_torchs():
    assert (repr(nn.ReLU()), repr(nn.Tanh())) == ("ReLU()", "Tanh()")
