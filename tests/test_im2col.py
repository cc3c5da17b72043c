import numpy as np
import pytest

from cnnbook import fold_windows, pad2d, sliding_windows


def test_sliding_windows_reads_the_strided_dilated_pixels():
    x = np.random.default_rng(0).normal(size=(2, 3, 9, 8))
    w = sliding_windows(x, (2, 3), stride=(2, 1), dilation=(3, 2))
    assert w.shape == (2, 3, 3, 4, 2, 3)
    for i, j, a, b in [(0, 0, 0, 0), (2, 3, 1, 2), (1, 2, 1, 0)]:
        assert w[1, 2, i, j, a, b] == x[1, 2, i * 2 + a * 3, j * 1 + b * 2]


def test_fold_windows_is_the_adjoint_of_sliding_windows():
    rng = np.random.default_rng(1)
    x = rng.normal(size=(1, 2, 7, 6))
    g = rng.normal(size=sliding_windows(x, (3, 2), (2, 1), (1, 2)).shape)
    lhs = np.sum(sliding_windows(x, (3, 2), (2, 1), (1, 2)) * g)
    rhs = np.sum(x * fold_windows(g, x.shape, (2, 1), (1, 2)))
    assert np.isclose(lhs, rhs)


def test_pad2d_places_the_input_inside_the_border():
    x = np.arange(4.0).reshape(2, 2)
    p = pad2d(x, (1, 2, 0, 1), value=-1.0)
    assert p.shape == (5, 3)
    np.testing.assert_array_equal(p[1:3, 0:2], x)
    assert (p[0] == -1).all() and (p[3:] == -1).all() and (p[:, 2] == -1).all()


def test_window_larger_than_input_is_rejected():
    with pytest.raises(ValueError, match="does not fit"):
        sliding_windows(np.zeros((2, 2)), (3, 3))
