"""fftconvolve equals scipy.signal.fftconvolve; the convolution theorem; the crossover timing."""

from __future__ import annotations

import numpy as np
import pytest
import scipy.fft
import scipy.signal
from hypothesis import given
from hypothesis import strategies as st

from cnnbook import FFTCrossover, convolve1d, convolve2d, fft_crossover, fftconvolve
from cnnbook.fft_convolution import fast_length

MODES = ["full", "same", "valid"]
SHAPES = [
    ((9,), (3,)),
    ((9,), (4,)),
    ((3,), (9,)),
    ((6, 7), (3, 3)),
    ((6, 7), (2, 4)),
    ((2, 3), (5, 6)),
    ((5, 4, 3), (2, 3, 3)),
]


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize(("s1", "s2"), SHAPES)
def test_equals_scipy_fftconvolve_in_every_mode(mode, s1, s2):
    rng = np.random.default_rng(0)
    a, v = rng.standard_normal(s1), rng.standard_normal(s2)
    np.testing.assert_allclose(
        fftconvolve(a, v, mode), scipy.signal.fftconvolve(a, v, mode), atol=1e-12
    )


@pytest.mark.parametrize("mode", MODES)
@given(n=st.integers(1, 40), m=st.integers(1, 40), seed=st.integers(0, 2**16))
def test_fft_convolution_equals_the_direct_sum_in_1d(mode, n, m, seed):
    rng = np.random.default_rng(seed)
    a, v = rng.standard_normal(n), rng.standard_normal(m)
    np.testing.assert_allclose(fftconvolve(a, v, mode), convolve1d(a, v, mode), atol=1e-10)


@pytest.mark.parametrize("mode", MODES)
def test_fft_convolution_equals_convolve2d_on_an_image(mode):
    rng = np.random.default_rng(3)
    image, kernel = rng.standard_normal((12, 10)), rng.standard_normal((4, 3))
    np.testing.assert_allclose(
        fftconvolve(image, kernel, mode), convolve2d(image, kernel, mode), atol=1e-12
    )


def test_convolution_theorem_fft_of_the_full_convolution_is_the_product_of_ffts():
    rng = np.random.default_rng(4)
    a, v = rng.standard_normal(13), rng.standard_normal(6)
    length = len(a) + len(v) - 1
    lhs = np.fft.fft(np.convolve(a, v))
    rhs = np.fft.fft(a, length) * np.fft.fft(v, length)
    np.testing.assert_allclose(lhs, rhs, atol=1e-10)
    np.testing.assert_allclose(fftconvolve(a, v), np.fft.ifft(rhs).real, atol=1e-12)


def test_dtypes_follow_scipy():
    f32 = np.ones(4, np.float32)
    assert fftconvolve(f32, f32).dtype == scipy.signal.fftconvolve(f32, f32).dtype
    ints = np.ones(4, int)
    assert fftconvolve(ints, ints).dtype == scipy.signal.fftconvolve(ints, ints).dtype


def test_fast_length_is_scipys_next_fast_len_for_real_input():
    assert [fast_length(n) for n in range(1, 2000)] == [
        scipy.fft.next_fast_len(n, real=True) for n in range(1, 2000)
    ]


def test_crossover_reports_every_size_and_obeys_its_definition():
    timing = fft_crossover(512, (1, 8, 64, 256), repeats=1)
    assert timing.kernel_sizes == (1, 8, 64, 256)
    for times in (timing.direct_seconds, timing.numpy_seconds, timing.fft_seconds):
        assert len(times) == 4 and all(t > 0 for t in times)
    # No assertion on the times themselves (they depend on the machine); only that the
    # crossover is the first size from which the FFT is faster at every larger size.
    for slow, crossover in (
        (timing.direct_seconds, timing.crossover),
        (timing.numpy_seconds, timing.numpy_crossover),
    ):
        wins = [f < s for s, f in zip(slow, timing.fft_seconds, strict=True)]
        if crossover is None:
            assert not wins[-1]
        else:
            i = timing.kernel_sizes.index(crossover)
            assert all(wins[i:]) and (i == 0 or not wins[i - 1])


def test_crossover_of_made_up_times_is_the_first_size_of_a_lasting_win():
    made_up = FFTCrossover(
        100, (1, 2, 4, 8), (1.0, 3.0, 5.0, 9.0), (1, 1, 1, 1), (2.0, 2.0, 6.0, 4.0)
    )
    assert made_up.crossover == 8  # the win at size 2 does not last
    assert made_up.numpy_crossover is None
