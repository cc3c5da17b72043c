"""Bad input to the Transposed Convolution page's names and to BatchNorm2d's ``bias``."""

import numpy as np
import pytest

from cnnbook import (
    conv2d_matrix,
    conv_transpose2d_matrix,
    interior_spread,
    nn,
    overlap_counts,
    round_trip,
    upsampled_constant,
)

W = np.ones((1, 1, 3, 3))

CASES = [  # (public dotted name, zero-arg call, exception type, regex the message matches)
    ("cnnbook.nn.BatchNorm2d", lambda: nn.BatchNorm2d(2, bias="False"), TypeError,
     r"bias \(='False'\) must be a bool"),
    ("cnnbook.nn.BatchNorm2d", lambda: nn.BatchNorm2d(2, bias=1), TypeError,
     r"bias \(=1\) must be a bool"),
    ("cnnbook.conv2d_matrix", lambda: conv2d_matrix(W, (2, 2)), ValueError,
     r"kernel of size \(3, 3\) .* more than the padded input \(2, 2\)"),
    ("cnnbook.conv2d_matrix", lambda: conv2d_matrix(W, 0), ValueError,
     r"input_size \(=0\) must be positive"),
    ("cnnbook.conv2d_matrix", lambda: conv2d_matrix(W, 4, stride=0), ValueError,
     r"stride \(=0\) must be positive"),
    ("cnnbook.conv2d_matrix", lambda: conv2d_matrix(np.ones((3, 3)), 4), ValueError,
     r"weight has ndim 2 \(shape \(3, 3\)\); expected ndim 4"),
    ("cnnbook.conv2d_matrix", lambda: conv2d_matrix(W, 4, groups=2), ValueError,
     r"groups \(=2\) must divide out_channels \(=1\)"),
    ("cnnbook.conv2d_matrix", lambda: conv2d_matrix(W, 4, padding="full"), ValueError,
     r"padding \(='full'\) must be 'valid', 'same', an int or a pair"),
    ("cnnbook.conv2d_matrix", lambda: conv2d_matrix(W, 40_000), ValueError,
     r"the convolution matrix would need .* GiB"),
    ("cnnbook.conv_transpose2d_matrix",
     lambda: conv_transpose2d_matrix(W, 4, stride=2, output_padding=2), ValueError,
     r"output_padding \(=2\) must be smaller than either stride"),
    ("cnnbook.conv_transpose2d_matrix", lambda: conv_transpose2d_matrix(W, (0, 3)), ValueError,
     r"input_size \(=\(0, 3\)\) must be positive"),
    ("cnnbook.conv_transpose2d_matrix", lambda: conv_transpose2d_matrix(W, 4, padding=-1),
     ValueError, r"padding \(=-1\) must be non-negative"),
    ("cnnbook.round_trip", lambda: round_trip(np.zeros((1, 1, 4, 4)), W), ValueError,
     r"x \(all zeros\) must have a non-zero value"),
    ("cnnbook.round_trip", lambda: round_trip(np.ones((1, 2, 4, 4)), W), ValueError,
     r"weight has 1 input channels .* expected in_channels / groups = 2"),
    ("cnnbook.round_trip", lambda: round_trip(np.ones((1, 1, 4, 4)), W, padding="same"),
     TypeError, r"padding \(='same'\) must be an int or a pair of ints"),
    ("cnnbook.overlap_counts", lambda: overlap_counts(0, 2), ValueError,
     r"kernel_size \(=0\) must be positive"),
    ("cnnbook.overlap_counts", lambda: overlap_counts(3, 2, size=2.5), TypeError,
     r"size \(=2.5\) must be an int"),
    ("cnnbook.upsampled_constant", lambda: upsampled_constant(np.ones(3), 2), ValueError,
     r"weight has ndim 1 \(shape \(3,\)\); expected ndim 2"),
    ("cnnbook.upsampled_constant",
     lambda: upsampled_constant(np.ones((3, 3)), 2, method="bilinear"), ValueError,
     r"method \(='bilinear'\) must be one of 'transposed', 'resize-convolution'"),
    ("cnnbook.upsampled_constant", lambda: upsampled_constant(np.ones((3, 3)), 0), ValueError,
     r"stride \(=0\) must be positive"),
    ("cnnbook.interior_spread", lambda: interior_spread(np.ones((4, 4)), 2), ValueError,
     r"margin \(=2\) leaves nothing inside y of shape \(4, 4\)"),
    ("cnnbook.interior_spread", lambda: interior_spread(np.ones((4, 4)), -1), ValueError,
     r"margin \(=-1\) must be non-negative"),
    ("cnnbook.interior_spread", lambda: interior_spread(np.ones(4), 0), ValueError,
     r"y has ndim 1 \(shape \(4,\)\); expected ndim 2"),
]  # fmt: skip


@pytest.mark.parametrize(("name", "call", "exc", "match"), CASES, ids=[c[0] for c in CASES])
def test_bad_input_is_named(name, call, exc, match):
    with pytest.raises(exc, match=match):
        call()
