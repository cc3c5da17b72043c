"""Bad input to the convolution engine gets a named ValueError/TypeError (argument, value, rule)."""

import numpy as np
import pytest

from cnnbook import (
    Conv2dCache,
    conv2d,
    conv2d_backward,
    conv2d_backward_from_cache,
    conv2d_forward,
    conv_output_size,
    conv_transpose2d,
    conv_transpose2d_backward,
    convolve2d,
    convolve2d_naive,
    correlate2d,
    correlate2d_naive,
    fold_windows,
    nn,
    pad,
    pad2d,
    pad_backward,
    pool_output_size,
    same_padding,
    sliding_windows,
    transposed_conv_output_size,
)
from cnnbook.col2im import col2im, col2im_by_offset
from cnnbook.im2col import im2col, im2col_blocks, im2col_shape

x = np.ones((2, 4, 6, 6))
w = np.ones((6, 4, 3, 3))
wt = np.ones((4, 3, 3, 3))  # transposed layout (in, out, kh, kw)
img = np.ones((5, 5))
RAGGED = [[1.0, 2.0], [3.0]]
_, CACHE = conv2d_forward(x, w)

CASES = [  # (public dotted name, zero-arg call, exception type, regex the message matches)
    (
        "cnnbook.Conv2dCache",
        lambda: Conv2dCache(None, w, x.shape, True, (1, 1), (0, 0, 0, 0), (1, 1), 1),
        TypeError,
        r"cols must be a 4-D ndarray",
    ),
    (
        "cnnbook.Conv2dCache",
        lambda: Conv2dCache(CACHE.cols[:5], w, x.shape, True, (1, 1), (0, 0, 0, 0), (1, 1), 1),
        ValueError,
        r"cols of shape \(5, 2, 4, 6\) do not match weight",
    ),
    ("cnnbook.conv_output_size", lambda: conv_output_size("28", 3), TypeError, r"input_size"),
    ("cnnbook.conv_output_size", lambda: conv_output_size(2, 5), ValueError, r"at least 1"),
    (
        "cnnbook.pool_output_size",
        lambda: pool_output_size(28, 2, ceil_mode="False"),
        TypeError,
        r"ceil_mode \(='False'\) must be a bool",
    ),
    ("cnnbook.same_padding", lambda: same_padding([3], 1), TypeError, r"kernel_size \(=\[3\]\)"),
    (
        "cnnbook.transposed_conv_output_size",
        lambda: transposed_conv_output_size(4, 3, 2, 0, 2),
        ValueError,
        r"output_padding \(=2\) must be smaller",
    ),
    ("cnnbook.conv2d", lambda: conv2d(x, w, stride=0), ValueError, r"stride \(=0\)"),
    ("cnnbook.conv2d", lambda: conv2d(RAGGED, w), ValueError, r"x is a ragged"),
    ("cnnbook.conv2d", lambda: conv2d(x + 1j, w), TypeError, r"x has dtype complex"),
    ("cnnbook.conv2d", lambda: conv2d(x, w, groups="2"), TypeError, r"groups \(='2'\)"),
    ("cnnbook.conv2d", lambda: conv2d(x, w, padding="full"), ValueError, r"padding \(='full'\)"),
    ("cnnbook.conv2d", lambda: conv2d(x[..., :2, :2], w), ValueError, r"spans \(3, 3\)"),
    (
        "cnnbook.conv2d",
        lambda: conv2d(
            np.broadcast_to(np.float32(0), (64, 3, 4096, 4096)), np.ones((64, 3, 1, 1), np.float32)
        ),
        ValueError,
        r"the output would need 256.0 GiB",
    ),
    (
        "cnnbook.conv2d",
        lambda: conv2d(np.broadcast_to(np.float32(0), (64, 3, 4096, 4096)), np.ones((64, 3, 1, 1))),
        ValueError,
        r"x converted to float64 would need 24.0 GiB",
    ),
    ("cnnbook.conv2d_forward", lambda: conv2d_forward(x, w, dilation=0), ValueError, r"dilation"),
    (
        "cnnbook.conv2d_backward",
        lambda: conv2d_backward(np.ones((2, 6, 4)), x, w),
        ValueError,
        r"grad_output has shape \(2, 6, 4\); expected exactly \(2, 6, 4, 4\)",
    ),
    (
        "cnnbook.conv2d_backward_from_cache",
        lambda: conv2d_backward_from_cache(np.ones((2, 6, 4, 4)), None),
        TypeError,
        r"cache must be the Conv2dCache",
    ),
    (
        "cnnbook.conv2d_backward_from_cache",
        lambda: conv2d_backward_from_cache(np.ones((6, 4, 4)), CACHE),
        ValueError,
        r"grad_output has shape \(6, 4, 4\)",
    ),
    (
        "cnnbook.conv_transpose2d",
        lambda: conv_transpose2d(x, wt, stride=0),
        ValueError,
        r"stride \(=0\)",
    ),
    (
        "cnnbook.conv_transpose2d",
        lambda: conv_transpose2d(x, wt, stride=2, output_padding=2),
        ValueError,
        r"output_padding \(=2\) must be smaller than either stride",
    ),
    (
        "cnnbook.conv_transpose2d",
        lambda: conv_transpose2d(x, w),
        ValueError,
        r"weight has 6 input channels .* expected in_channels = 4",
    ),
    (
        "cnnbook.conv_transpose2d",
        lambda: conv_transpose2d(x, wt, padding=9),
        ValueError,
        r"output",
    ),
    (
        "cnnbook.conv_transpose2d",
        lambda: conv_transpose2d(x, wt, padding="same"),
        TypeError,
        r"padding",
    ),
    ("cnnbook.conv_transpose2d", lambda: conv_transpose2d(RAGGED, wt), ValueError, r"ragged"),
    (
        "cnnbook.conv_transpose2d_backward",
        lambda: conv_transpose2d_backward(np.ones((2, 3, 9, 9)), x, wt),
        ValueError,
        r"grad_output has shape \(2, 3, 9, 9\); expected exactly \(2, 3, 8, 8\)",
    ),
    ("cnnbook.pad", lambda: pad(x, (1, 1, 1, 1), mode="mirror"), ValueError, r"mode \(='mirror'\)"),
    (
        "cnnbook.pad",
        lambda: pad(x, (1, 1, 1)),
        ValueError,
        r"pad \(=\(1, 1, 1\)\) must have an even",
    ),
    ("cnnbook.pad", lambda: pad(x, (6, 0, 0, 0), "reflect"), ValueError, r"smaller than the input"),
    ("cnnbook.pad", lambda: pad(x, (7, 0, 0, 0), "circular"), ValueError, r"at most the input"),
    ("cnnbook.pad", lambda: pad(x, (1.5, 1)), TypeError, r"pad \(=\(1.5, 1\)\) must be a sequence"),
    ("cnnbook.pad", lambda: pad(x, (1, 1), "reflect"), ValueError, r"mode='reflect' pads the last"),
    ("cnnbook.pad", lambda: pad(x, (1, 1), value="0"), TypeError, r"value \(='0'\)"),
    ("cnnbook.pad", lambda: pad(x.astype(object), (1, 1)), TypeError, r"x has dtype object"),
    (
        "cnnbook.pad_backward",
        lambda: pad_backward(np.ones((2, 4, 6, 7)), x.shape, (1, 1, 0, 0)),
        ValueError,
        r"grad_output has shape \(2, 4, 6, 7\); expected exactly \(2, 4, 6, 8\)",
    ),
    (
        "cnnbook.pad_backward",
        lambda: pad_backward(np.ones(3), "abc", (1, 1)),
        TypeError,
        r"input_shape \(='abc'\)",
    ),
    ("cnnbook.pad2d", lambda: pad2d(img, (1, 1, 1)), TypeError, r"padding \(=\(1, 1, 1\)\)"),
    ("cnnbook.pad2d", lambda: pad2d(img, (1, -1, 0, 0)), ValueError, r"non-negative"),
    ("cnnbook.pad2d", lambda: pad2d(img.astype(complex), (1, 1, 1, 1)), TypeError, r"complex"),
    ("cnnbook.pad2d", lambda: pad2d(np.array(["a", "b"]), (1, 1, 1, 1)), TypeError, r"dtype <U1"),
    (
        "cnnbook.pad2d",
        lambda: pad2d(img.astype(int), (1, 1, 1, 1), -np.inf),
        ValueError,
        r"integer",
    ),
    (
        "cnnbook.sliding_windows",
        lambda: sliding_windows(img, (2, 2), (-1, 1)),
        ValueError,
        r"stride",
    ),
    ("cnnbook.sliding_windows", lambda: sliding_windows(img, (0, 0)), ValueError, r"kernel_size"),
    (
        "cnnbook.sliding_windows",
        lambda: sliding_windows(img, 2, 1, 0),
        ValueError,
        r"dilation \(=0\)",
    ),
    ("cnnbook.sliding_windows", lambda: sliding_windows(img, "2"), TypeError, r"kernel_size"),
    ("cnnbook.sliding_windows", lambda: sliding_windows(img + 1j, 2), TypeError, r"complex"),
    ("cnnbook.sliding_windows", lambda: sliding_windows(img, (6, 6)), ValueError, r"does not fit"),
    ("cnnbook.sliding_windows", lambda: sliding_windows(np.ones(5), 2), ValueError, r"ndim 1"),
    (
        "cnnbook.fold_windows",
        lambda: fold_windows(np.ones((2, 2, 2, 2)), (4, 4)),
        ValueError,
        r"are not the 2x2 windows",
    ),
    ("cnnbook.fold_windows", lambda: fold_windows(np.ones((2, 2)), (3, 3)), ValueError, r"ndim 2"),
    (
        "cnnbook.fold_windows",
        lambda: fold_windows(np.ones((2, 2, 2, 2)), (3, 3), 0),
        ValueError,
        r"stride",
    ),
    (
        "cnnbook.fold_windows",
        lambda: fold_windows(np.ones((2, 2, 2, 2)), None),
        TypeError,
        r"input_shape",
    ),
    (
        "cnnbook.correlate2d",
        lambda: correlate2d(img, RAGGED, "same"),
        ValueError,
        r"kernel is a ragged",
    ),
    ("cnnbook.correlate2d", lambda: correlate2d(img + 1j, img), TypeError, r"complex"),
    (
        "cnnbook.convolve2d",
        lambda: convolve2d(img, img, "middle"),
        ValueError,
        r"mode \(='middle'\)",
    ),
    (
        "cnnbook.correlate2d_naive",
        lambda: correlate2d_naive(np.ones((300, 300)), np.ones((30, 30)), "same"),
        ValueError,
        r"correlate2d_naive would loop 81,000,000 times .* use correlate2d",
    ),
    (
        "cnnbook.convolve2d_naive",
        lambda: convolve2d_naive(np.ones((300, 300)), np.ones((30, 30)), "full"),
        ValueError,
        r"use convolve2d, the vectorised function",
    ),
    (
        "cnnbook.nn.Conv2d",
        lambda: nn.Conv2d(1, 2, 3, bias="False"),
        TypeError,
        r"bias \(='False'\)",
    ),
    (
        "cnnbook.nn.Conv2d",
        lambda: nn.Conv2d(1, 2, 3, padding_mode="mirror"),
        ValueError,
        r"padding_mode \(='mirror'\) must be one of",
    ),
    ("cnnbook.nn.Conv2d", lambda: nn.Conv2d(1, 2, 0), ValueError, r"kernel_size"),
    (
        "cnnbook.nn.Conv2d",
        lambda: nn.Conv2d(1, 2, 3, padding=3, padding_mode="reflect")(
            np.ones((1, 1, 3, 3), np.float32)
        ),
        ValueError,
        r"Conv2d\(.*\) got input of shape \(1, 1, 3, 3\): pad .* smaller than the input",
    ),
    (
        "cnnbook.nn.ConvTranspose2d",
        lambda: nn.ConvTranspose2d(1, 2, 3, bias="no"),
        TypeError,
        r"bias",
    ),
    (
        "cnnbook.nn.ConvTranspose2d",
        lambda: nn.ConvTranspose2d(1, 2, 3, padding_mode="reflect"),
        ValueError,
        r'only "zeros" is supported',
    ),
    (
        "cnnbook.nn.ConvTranspose2d",
        lambda: nn.ConvTranspose2d(1, 2, 3, stride=2, output_padding=2),
        ValueError,
        r"output_padding \(=2\) must be smaller",
    ),
    (
        "cnnbook.nn.ConvTranspose2d",
        lambda: nn.ConvTranspose2d(3, 2, 3, groups=2),
        ValueError,
        r"groups",
    ),
    (
        "cnnbook.nn.ConvTranspose2d",
        lambda: nn.ConvTranspose2d(1, 2, 3, stride=2)(np.ones((1, 1, 4, 4), np.float32), (20, 9)),
        ValueError,
        r"requested an output size of \(20, 9\), but valid sizes range from 9 to 10",
    ),
    (
        "cnnbook.nn.ConvTranspose2d",
        lambda: nn.ConvTranspose2d(1, 2, 3).backward(np.ones((1, 2, 6, 6))),
        RuntimeError,
        r"backward called before forward",
    ),
]

# The im2col/col2im helpers: public in their modules (cnnbook.im2col, cnnbook.col2im), not
# in a namespace the coverage walker lists, so kept out of CASES and tested alike.
HELPER_CASES = [
    (
        "cnnbook.im2col.im2col",
        lambda: im2col(x, (3, 3), (0, 1)),
        ValueError,
        r"stride \(=\(0, 1\)\)",
    ),
    ("cnnbook.im2col.im2col", lambda: im2col(x, (3, 3), padding=(1, 1)), TypeError, r"padding"),
    ("cnnbook.im2col.im2col", lambda: im2col(img, (3, 3)), ValueError, r"x has ndim 2"),
    (
        "cnnbook.im2col.im2col_shape",
        lambda: im2col_shape((1, 2), (3, 3)),
        ValueError,
        r"input_shape",
    ),
    (
        "cnnbook.im2col.im2col_blocks",
        lambda: next(im2col_blocks(x, (3, 3), images="2")),
        TypeError,
        r"images \(='2'\)",
    ),
    (
        "cnnbook.col2im.col2im",
        lambda: col2im(np.ones((3, 3)), x.shape, (3, 3)),
        ValueError,
        r"cols has shape \(3, 3\)",
    ),
    (
        "cnnbook.col2im.col2im",
        lambda: col2im(np.ones(3), x.shape, (3, 3), dilation=0),
        ValueError,
        r"dilation",
    ),
    (
        "cnnbook.col2im.col2im_by_offset",
        lambda: col2im_by_offset(None, x.shape, (3, 3)),
        TypeError,
        r"block \(=None\) must be a function",
    ),
    (
        "cnnbook.col2im.col2im_by_offset",
        lambda: col2im_by_offset(lambda a, b: np.ones(2), x.shape, (3, 3)),
        ValueError,
        r"block\(0, 0\) has shape \(2,\)",
    ),
]


@pytest.mark.parametrize(
    ("name", "call", "exc", "match"), CASES + HELPER_CASES, ids=[c[0] for c in CASES + HELPER_CASES]
)
def test_bad_input_is_named(name, call, exc, match):
    with pytest.raises(exc, match=match):
        call()


def test_no_input_array_is_modified_by_a_failing_or_succeeding_call():
    a, k = np.arange(36.0).reshape(1, 1, 6, 6), np.ones((1, 1, 3, 3))
    before = a.copy(), k.copy()
    conv2d(a, k, padding=1)
    conv_transpose2d(a, k, stride=2)
    pad(a, (1, 1, 1, 1), "reflect")
    with pytest.raises(ValueError):
        conv2d(a, k, stride=0)
    np.testing.assert_array_equal(a, before[0])
    np.testing.assert_array_equal(k, before[1])
