"""correlate1d / convolve1d equal NumPy's and SciPy's in every mode, and what they compute."""

from __future__ import annotations

import numpy as np
import pytest
import scipy.signal
from hypothesis import given
from hypothesis import strategies as st

import cnnbook.correlation1d as correlation1d
from cnnbook import convolve1d, correlate1d

MODES = ["full", "same", "valid"]
OURS = {"correlate": correlate1d, "convolve": convolve1d}
NUMPY = {"correlate": np.correlate, "convolve": np.convolve}
SCIPY = {"correlate": scipy.signal.correlate, "convolve": scipy.signal.convolve}


@pytest.mark.parametrize("op", ["correlate", "convolve"])
@pytest.mark.parametrize("mode", MODES)
@given(n=st.integers(1, 12), m=st.integers(1, 12), seed=st.integers(0, 2**16))
def test_every_mode_equals_scipy_for_any_lengths(op, mode, n, m, seed):
    rng = np.random.default_rng(seed)
    a, v = rng.standard_normal(n), rng.standard_normal(m)
    np.testing.assert_allclose(OURS[op](a, v, mode), SCIPY[op](a, v, mode), atol=1e-12)


@pytest.mark.parametrize("op", ["correlate", "convolve"])
@pytest.mark.parametrize("mode", MODES)
@given(m=st.integers(1, 10), extra=st.integers(0, 10), seed=st.integers(0, 2**16))
def test_every_mode_equals_numpy_when_the_kernel_is_not_longer(op, mode, m, extra, seed):
    rng = np.random.default_rng(seed)
    a, v = rng.standard_normal(m + extra), rng.standard_normal(m)
    np.testing.assert_allclose(OURS[op](a, v, mode), NUMPY[op](a, v, mode), atol=1e-12)


@pytest.mark.parametrize("op", ["correlate", "convolve"])
@pytest.mark.parametrize("mode", ["full", "valid"])
def test_full_and_valid_equal_numpy_even_with_a_longer_kernel(op, mode):
    a, v = np.array([1.0, 2.0, 3.0]), np.array([1.0, 10.0, 100.0, 1000.0, 5.0])
    np.testing.assert_allclose(OURS[op](a, v, mode), NUMPY[op](a, v, mode))


def test_defaults_are_numpys_valid_for_correlation_and_full_for_convolution():
    a, v = [1, 2, 3, 4], [1, -1]
    np.testing.assert_array_equal(correlate1d(a, v), np.correlate(a, v))
    np.testing.assert_array_equal(convolve1d(a, v), np.convolve(a, v))


def test_moving_average_is_a_convolution_with_a_normalised_box():
    x = np.arange(10.0) ** 2
    expected = [(x[i] + x[i + 1] + x[i + 2]) / 3 for i in range(8)]
    np.testing.assert_allclose(convolve1d(x, np.full(3, 1 / 3), "valid"), expected)


def test_two_dice_distribution_is_the_convolution_of_two_uniform_ones():
    die = np.full(6, 1 / 6)
    counts = np.zeros(13)
    for a in range(1, 7):
        for b in range(1, 7):
            counts[a + b] += 1
    np.testing.assert_allclose(convolve1d(die, die), counts[2:] / 36)


@given(
    p=st.lists(st.integers(-9, 9), min_size=1, max_size=8),
    q=st.lists(st.integers(-9, 9), min_size=1, max_size=8),
)
def test_polynomial_product_equals_numpy_polymul(p, q):
    # polymul drops leading zeros of its result; compare as polynomials.
    np.testing.assert_array_equal(
        np.trim_zeros(convolve1d(p, q), "f") if any(convolve1d(p, q)) else [0],
        np.trim_zeros(np.polymul(p, q), "f") if any(np.polymul(p, q)) else [0],
    )


def test_convolution_is_correlation_with_the_kernel_reversed():
    rng = np.random.default_rng(1)
    a, v = rng.standard_normal(9), rng.standard_normal(4)
    for mode in MODES:
        np.testing.assert_allclose(convolve1d(a, v, mode), correlate1d(a, v[::-1], mode))


def test_integers_are_summed_in_int64_without_wrap_around():
    a = np.full(4, 200, dtype=np.uint8)
    out = convolve1d(a, a)
    assert out.dtype == np.int64
    np.testing.assert_array_equal(out, np.convolve(a.astype(np.int64), a.astype(np.int64)))


def test_float32_stays_float32():
    a = np.ones(5, np.float32)
    assert correlate1d(a, a[:2]).dtype == np.float32


def test_tap_loop_for_large_windows_equals_the_matrix_product(monkeypatch):
    rng = np.random.default_rng(2)
    a, v = rng.standard_normal(300), rng.standard_normal(40)
    expected = {mode: convolve1d(a, v, mode) for mode in MODES}
    monkeypatch.setattr(correlation1d, "_WINDOW_BYTES", 0)
    for mode in MODES:
        np.testing.assert_allclose(convolve1d(a, v, mode), expected[mode], atol=1e-12)
        np.testing.assert_allclose(convolve1d(a, v, mode), np.convolve(a, v, mode), atol=1e-12)


def test_inputs_are_not_modified():
    a, v = np.arange(6.0), np.array([1.0, 2.0])
    a0, v0 = a.copy(), v.copy()
    convolve1d(a, v, "same")
    correlate1d(a, v, "full")
    np.testing.assert_array_equal(a, a0)
    np.testing.assert_array_equal(v, v0)
