"""The naive loop and im2col + GEMM compute the same numbers; the timing record is consistent.

Times are measurements of a shared machine: no test asserts on how fast anything is.
"""

from __future__ import annotations

import pytest

from cnnbook import SpeedComparison, naive_vs_im2col


@pytest.mark.parametrize(("size", "k"), [(8, 3), (12, 5), (6, 6)])
def test_both_compute_the_same_output(size, k):
    result = naive_vs_im2col(size, k, repeat=1)
    assert result.max_difference < 1e-12
    assert (result.image_size, result.kernel_size) == (size, k)


def test_the_ratio_is_naive_time_over_im2col_time():
    r = naive_vs_im2col(10, 3, repeat=2, seed=4)
    assert isinstance(r, SpeedComparison)
    assert r.naive_seconds > 0 and r.im2col_seconds > 0
    assert r.ratio == r.naive_seconds / r.im2col_seconds


def test_a_loop_too_long_for_the_naive_twin_is_refused_before_running():
    with pytest.raises(ValueError, match=r"would loop .* times in the naive twin"):
        naive_vs_im2col(2000, 5, repeat=3)
