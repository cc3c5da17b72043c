"""erf_by_depth: the effective field of random stacks spreads like the square root of depth."""

from __future__ import annotations

import numpy as np
import pytest

from cnnbook import ERFDepthStudy, erf_by_depth


def test_box_law_and_theoretical_size_are_the_closed_forms():
    study = erf_by_depth((1, 3), relu=False, samples=2)
    assert study.size == (3, 7)  # n (k - 1) + 1 with k = 3
    np.testing.assert_allclose(study.box_spread, np.sqrt(np.array([1, 3]) * (9 - 1) / 12))


def test_linear_random_stack_spread_matches_the_box_convolution_law():
    # The mean square gradient of a random linear stack is the n-fold box convolution;
    # measured over 24 inputs it is within a few percent of sqrt(n (k^2 - 1) / 12).
    study = erf_by_depth((1, 2, 4), relu=False, samples=24)
    np.testing.assert_allclose(study.spread, study.box_spread, rtol=0.1)


def test_relu_stack_spread_grows_like_the_square_root_of_depth_not_linearly():
    study = erf_by_depth((1, 2, 4, 8), samples=16)
    assert 0.35 < study.exponent < 0.65
    # the box grows linearly: the effective share of it shrinks with depth
    ratios = np.array(study.spread) / np.array(study.size)
    assert np.all(np.diff(ratios) < 0)


def test_fit_helpers_on_an_exact_square_root():
    study = ERFDepthStudy((1, 4, 9), (2.0, 4.0, 6.0), (0.0, 0.0, 0.0), (3, 9, 19))
    assert study.exponent == pytest.approx(0.5)
    assert study.sqrt_coefficient == pytest.approx(2.0)


@pytest.mark.slow
def test_the_pages_random_stacks_follow_the_square_root_law():
    # The configuration the Effective Receptive Field page prints (its claims in prose).
    from cnnbook.figures.effective_receptive_field import DEPTHS

    study = erf_by_depth(DEPTHS)
    assert abs(study.exponent - 0.5) < 0.1
    np.testing.assert_allclose(study.spread, study.box_spread, rtol=0.15)
    ratios = np.array(study.spread) / np.array(study.size)
    assert np.all(np.diff(ratios) < 0)
