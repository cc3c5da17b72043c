"""The animations' numbers: SciPy's correlation of the padded input with the dilated kernel."""

from __future__ import annotations

import numpy as np
import pytest
from scipy.signal import correlate2d as scipy_correlate2d

from cnnbook import conv_output_size
from cnnbook.figures.conv_arithmetic import ANIMATIONS, animation_values


@pytest.mark.parametrize("name", list(ANIMATIONS))
def test_animation_values_are_scipys_correlation_every_stride_th_cell(name):
    # The defaults of ConvolutionAnimation, then the animation's own arguments.
    kwargs = {"input_size": 5, "kernel_size": 3, "stride": 1, "padding": "valid"}
    kwargs |= {"dilation": 1, "seed": 0}
    kwargs.update(ANIMATIONS[name])
    x, (before, after), k, y = animation_values(**kwargs)
    d, s = kwargs["dilation"], kwargs["stride"]
    dilated = np.zeros((d * (k.shape[0] - 1) + 1,) * 2)
    dilated[::d, ::d] = k
    padded = np.pad(x, (before, after))
    expected = scipy_correlate2d(padded, dilated, mode="valid")[::s, ::s]
    np.testing.assert_array_equal(y, expected)
    padding = "same" if kwargs["padding"] == "same" else before
    assert y.shape[0] == conv_output_size(x.shape[0], k.shape[0], s, padding, d)
