"""Bad input to channels, layer_cost and convolution_speed is refused, naming argument and rule."""

import numpy as np
import pytest

from cnnbook import (
    VGG16,
    LayerCost,
    PixelSum,
    SeparableCost,
    SpeedComparison,
    activation_memory,
    conv2d_macs,
    layer_costs,
    linear_macs,
    naive_vs_im2col,
    pixel_sum,
    separable_cost,
    total_macs,
)

X, W = np.ones((2, 3, 3)), np.ones((2, 2, 2, 2))

CASES = [  # (public dotted name, zero-arg call, exception type, regex the message matches)
    ("cnnbook.pixel_sum", lambda: pixel_sum(X, np.ones((2, 3, 2, 2))), ValueError,
     r"weight \(shape \(2, 3, 2, 2\)\) must have x's 2 input channels"),
    ("cnnbook.pixel_sum", lambda: pixel_sum(X, W, row=2), ValueError,
     r"row \(=2\) must be in \[0, 2\)"),
    ("cnnbook.pixel_sum", lambda: pixel_sum(X, W, out_channel=1.0), TypeError,
     r"out_channel \(=1.0\) must be an int"),
    ("cnnbook.pixel_sum", lambda: pixel_sum(X, W, np.ones(3)), ValueError,
     r"bias \(shape \(3,\)\)"),
    ("cnnbook.pixel_sum", lambda: pixel_sum(X, np.ones((1, 2, 4, 4))), ValueError,
     r"kernel \(4x4\) must fit inside x"),
    ("cnnbook.pixel_sum", lambda: pixel_sum(np.ones((3, 3)), W), ValueError, r"x"),
    ("cnnbook.PixelSum", lambda: PixelSum(0, 0, 0), TypeError, r"missing 4 required"),
    ("cnnbook.separable_cost", lambda: separable_cost(3, 8, 3, 0), ValueError,
     r"output_size \(=0\) must be positive"),
    ("cnnbook.separable_cost", lambda: separable_cost(3, 8, 3, 4, bias="False"), TypeError,
     r"bias"),
    ("cnnbook.SeparableCost", lambda: SeparableCost(1, 2), TypeError, r"missing 5 required"),
    ("cnnbook.conv2d_macs", lambda: conv2d_macs(3, 4, 3, 8, groups=2), ValueError,
     r"groups \(=2\) must divide in_channels \(=3\)"),
    ("cnnbook.conv2d_macs", lambda: conv2d_macs(3, 4, (3, 0), 8), ValueError,
     r"kernel_size \(=\(3, 0\)\) must be positive"),
    ("cnnbook.linear_macs", lambda: linear_macs(10, 0), ValueError,
     r"out_features \(=0\) must be positive"),
    ("cnnbook.layer_costs", lambda: layer_costs("VGG16"), TypeError,
     r"arch \(='VGG16'\) must be an Architecture"),
    ("cnnbook.layer_costs", lambda: layer_costs(VGG16, bytes_per_element=0), ValueError,
     r"bytes_per_element \(=0\) must be positive"),
    ("cnnbook.LayerCost", lambda: LayerCost(0, "conv"), TypeError, r"missing 5 required"),
    ("cnnbook.total_macs", lambda: total_macs(None), TypeError,
     r"arch \(=None\) must be an Architecture"),
    ("cnnbook.activation_memory", lambda: activation_memory(VGG16, batch_size=0), ValueError,
     r"batch_size \(=0\) must be positive"),
    ("cnnbook.naive_vs_im2col", lambda: naive_vs_im2col(4, 5), ValueError,
     r"kernel_size \(=5\) must be at most image_size \(=4\)"),
    ("cnnbook.naive_vs_im2col", lambda: naive_vs_im2col(8, 3, repeat=0), ValueError,
     r"repeat \(=0\) must be positive"),
    ("cnnbook.naive_vs_im2col", lambda: naive_vs_im2col(8, 3, seed=-1), ValueError,
     r"seed \(=-1\) must be a non-negative int"),
    ("cnnbook.SpeedComparison", lambda: SpeedComparison(8, 3), TypeError, r"missing 4 required"),
]  # fmt: skip


@pytest.mark.parametrize(("name", "call", "exc", "match"), CASES, ids=[c[0] for c in CASES])
def test_bad_input_is_named(name, call, exc, match):
    with pytest.raises(exc, match=match):
        call()
