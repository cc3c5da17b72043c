"""Bad input to `cnnbook.kernels` is refused with a message naming the argument and the rule."""

import numpy as np
import pytest

from cnnbook import (
    EdgeMap,
    box_blur,
    edge_detect,
    gaussian_kernel,
    identity,
    laplacian,
    prewitt_x,
    prewitt_y,
    sharpen,
    sobel_x,
    sobel_y,
)

CASES = [  # (public dotted name, zero-arg call, exception type, regex the message matches)
    ("cnnbook.identity", lambda: identity(3), TypeError, r"identity\(\) takes 0 positional"),
    ("cnnbook.box_blur", lambda: box_blur(0), ValueError, r"size \(=0\) must be positive"),
    ("cnnbook.box_blur", lambda: box_blur(2.5), TypeError, r"size \(=2.5\) must be an int"),
    ("cnnbook.box_blur", lambda: box_blur((3, 5)), TypeError, r"size \(=\(3, 5\)\) must be an int"),
    ("cnnbook.gaussian_kernel", lambda: gaussian_kernel(5, 0.0), ValueError,
     r"sigma \(=0.0\) must be positive"),
    ("cnnbook.gaussian_kernel", lambda: gaussian_kernel(5, -np.float32(1.0)), ValueError,
     r"sigma \(=np.float32\(-1.0\)\) must be positive"),
    ("cnnbook.gaussian_kernel", lambda: gaussian_kernel(5, float("inf")), ValueError,
     r"sigma \(=inf\) must be finite"),
    ("cnnbook.gaussian_kernel", lambda: gaussian_kernel(5, float("nan")), ValueError,
     r"sigma \(=nan\) must be finite"),
    ("cnnbook.gaussian_kernel", lambda: gaussian_kernel(5, "1"), TypeError,
     r"sigma \(='1'\) must be a real number"),
    ("cnnbook.gaussian_kernel", lambda: gaussian_kernel(5, True), TypeError,
     r"sigma \(=True\) must be a real number"),
    ("cnnbook.gaussian_kernel", lambda: gaussian_kernel(-1), ValueError,
     r"size \(=-1\) must be positive"),
    ("cnnbook.gaussian_kernel", lambda: gaussian_kernel(5.0), TypeError,
     r"size \(=5.0\) must be an int"),
    ("cnnbook.sharpen", lambda: sharpen(3), TypeError, r"sharpen\(\) takes 0 positional"),
    ("cnnbook.laplacian", lambda: laplacian(3), TypeError, r"laplacian\(\) takes 0 positional"),
    ("cnnbook.sobel_x", lambda: sobel_x(3), TypeError, r"sobel_x\(\) takes 0 positional"),
    ("cnnbook.sobel_y", lambda: sobel_y(3), TypeError, r"sobel_y\(\) takes 0 positional"),
    ("cnnbook.prewitt_x", lambda: prewitt_x(3), TypeError, r"prewitt_x\(\) takes 0 positional"),
    ("cnnbook.prewitt_y", lambda: prewitt_y(3), TypeError, r"prewitt_y\(\) takes 0 positional"),
    ("cnnbook.EdgeMap", lambda: EdgeMap(np.ones(2)), TypeError, r"missing 3 required"),
    ("cnnbook.edge_detect", lambda: edge_detect(np.ones((4, 4)), "canny"), ValueError,
     r"operator \(='canny'\)"),
    ("cnnbook.edge_detect", lambda: edge_detect(np.ones((4, 4)), mode="full"), ValueError,
     r"mode \(='full'\)"),
    ("cnnbook.edge_detect", lambda: edge_detect(np.ones(4)), ValueError, r"image has ndim 1"),
    ("cnnbook.edge_detect", lambda: edge_detect(np.ones((2, 2)), mode="valid"), ValueError,
     r"must fit inside"),
    ("cnnbook.edge_detect", lambda: edge_detect([["a"]]), TypeError, r"image has dtype <U1"),
]  # fmt: skip


@pytest.mark.parametrize(("name", "call", "exc", "match"), CASES, ids=[c[0] for c in CASES])
def test_bad_input_is_named(name, call, exc, match):
    with pytest.raises(exc, match=match):
        call()
