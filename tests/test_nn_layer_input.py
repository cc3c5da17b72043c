"""A layer's input checks: the parameters' dtype or a TypeError; core errors name the layer."""

from __future__ import annotations

import numpy as np
import pytest

from cnnbook import nn
from cnnbook.nn.layer_input import check_float_input, named_errors


def test_an_input_of_the_parameters_dtype_passes_unchanged():
    x = np.zeros((2, 3), np.float32)
    assert check_float_input(nn.Linear(3, 1), x, np.dtype(np.float32)) is x


def test_an_input_of_another_dtype_is_refused_naming_the_layer_and_both_dtypes():
    with pytest.raises(TypeError, match=r"Linear\(.*\) got input of dtype float64; its param"):
        check_float_input(nn.Linear(3, 1), np.zeros((2, 3)), np.dtype(np.float32))


def test_named_errors_adds_the_layer_and_shape_to_a_value_error_only():
    def bad_value():
        raise ValueError("stride too large")

    def bad_type():
        raise TypeError("not a number")

    with pytest.raises(ValueError, match=r"^ReLU\(\) got input of shape \(4,\): stride too large$"):
        named_errors(nn.ReLU(), np.zeros(4), bad_value)
    with pytest.raises(TypeError, match=r"^not a number$"):
        named_errors(nn.ReLU(), np.zeros(4), bad_type)
    assert named_errors(nn.ReLU(), np.zeros(4), lambda: 7) == 7
