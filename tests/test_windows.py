"""sliding_windows / fold_windows / pad2d: views, adjointness, and no read outside the array."""

from __future__ import annotations

import numpy as np
import pytest

from cnnbook import fold_windows, pad2d, sliding_windows


@pytest.mark.parametrize("stride", [1, 2, (1, 3)])
@pytest.mark.parametrize("dilation", [1, 2])
def test_fold_windows_is_the_adjoint_of_sliding_windows(stride, dilation):
    rng = np.random.default_rng(0)
    x = rng.normal(size=(2, 9, 10))
    win = sliding_windows(x, (3, 2), stride, dilation)
    g = rng.normal(size=win.shape)
    back = fold_windows(g, x.shape, stride, dilation)
    assert np.vdot(win, g) == pytest.approx(np.vdot(x, back))


def test_windows_are_a_read_only_view_that_never_leaves_the_array():
    x = np.arange(20.0).reshape(4, 5)
    win = sliding_windows(x, (2, 3), stride=(2, 1), dilation=1)
    assert np.shares_memory(win, x) and not win.flags.writeable
    assert win.max() <= x.max() and win.min() >= x.min()
    with pytest.raises(ValueError, match=r"stride \(=\(-1, 1\)\) must be positive"):
        sliding_windows(x, (2, 2), (-1, 1))


def test_pad2d_surrounds_with_the_value_and_keeps_the_dtype():
    out = pad2d(np.ones((2, 2), dtype=np.int32), (1, 0, 0, 1), value=7)
    assert out.dtype == np.int32
    np.testing.assert_array_equal(out, [[7, 7, 7], [1, 1, 7], [1, 1, 7]])
