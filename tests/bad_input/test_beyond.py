"""Bad input to 1-D/FFT convolution and the effective receptive field is named."""

import numpy as np
import pytest

from cnnbook import (
    EffectiveField,
    ERFDepthStudy,
    FFTCrossover,
    convolve1d,
    correlate1d,
    effective_receptive_field,
    erf_by_depth,
    fft_crossover,
    fftconvolve,
    image_patches,
    nn,
)


def _net():
    return nn.Sequential(nn.Conv2d(1, 2, 3, padding=1, rng=np.random.default_rng(0)))


_ZERO = EffectiveField(np.zeros((3, 3)), np.zeros((3, 3)), (1, 1))

CASES = [  # (public dotted name, zero-arg call, exception type, regex the message matches)
    (
        "cnnbook.correlate1d",
        lambda: correlate1d([1, 2], [1], mode="wide"),
        ValueError,
        r"mode \(='wide'\) must be one of",
    ),
    ("cnnbook.correlate1d", lambda: correlate1d([[1, 2]], [1]), ValueError, r"a has ndim 2"),
    ("cnnbook.correlate1d", lambda: correlate1d([1, 2], []), ValueError, r"v is empty"),
    ("cnnbook.convolve1d", lambda: convolve1d(["a"], [1]), TypeError, r"a has dtype <U1"),
    ("cnnbook.convolve1d", lambda: convolve1d([1, 2], [[1], [2, 3]]), ValueError, r"v is a ragged"),
    ("cnnbook.fftconvolve", lambda: fftconvolve([1, 2], [[1]]), ValueError, r"same number of axes"),
    (
        "cnnbook.fftconvolve",
        lambda: fftconvolve(np.ones((3, 5)), np.ones((4, 2)), "valid"),
        ValueError,
        r"at least as large as the other along every axis in 'valid' mode",
    ),
    (
        "cnnbook.fftconvolve",
        lambda: fftconvolve([1], [1], mode=None),
        ValueError,
        r"mode \(=None\) must be one of",
    ),
    ("cnnbook.fftconvolve", lambda: fftconvolve([1j], [1]), TypeError, r"in1 has dtype complex"),
    (
        "cnnbook.fft_crossover",
        lambda: fft_crossover(8, (4, 2)),
        ValueError,
        r"kernel_sizes \(=\(4, 2\)\) must be increasing and at most signal_length \(=8\)",
    ),
    (
        "cnnbook.fft_crossover",
        lambda: fft_crossover(8, (16,)),
        ValueError,
        r"at most signal_length",
    ),
    ("cnnbook.fft_crossover", lambda: fft_crossover(0), ValueError, r"signal_length \(=0\)"),
    (
        "cnnbook.fft_crossover",
        lambda: fft_crossover(8, (), repeats=1),
        ValueError,
        r"kernel_sizes is empty",
    ),
    (
        "cnnbook.FFTCrossover",
        lambda: FFTCrossover(8, (1, 2), (1.0,), (1.0, 1.0), (1.0, 1.0)),
        ValueError,
        r"direct_seconds has 1 times; expected one per kernel size \(2\)",
    ),
    (
        "cnnbook.effective_receptive_field",
        lambda: effective_receptive_field("net", 5),
        TypeError,
        r"model \(=str\) must be a cnnbook.nn.Module",
    ),
    (
        "cnnbook.effective_receptive_field",
        lambda: effective_receptive_field(_net()),
        ValueError,
        r"exactly one of input_size",
    ),
    (
        "cnnbook.effective_receptive_field",
        lambda: effective_receptive_field(_net(), 5, unit=(9, 0)),
        ValueError,
        r"unit \(=\(9, 0\)\) must index the output, of size \(5, 5\)",
    ),
    (
        "cnnbook.effective_receptive_field",
        lambda: effective_receptive_field(_net(), 5, channel=2),
        ValueError,
        r"channel \(=2\) must be in \[0, 2\)",
    ),
    (
        "cnnbook.effective_receptive_field",
        lambda: effective_receptive_field(_net(), inputs=np.full((1, 1, 4, 4), np.nan)),
        ValueError,
        r"inputs contains NaN",
    ),
    (
        "cnnbook.effective_receptive_field",
        lambda: effective_receptive_field(_net(), 5, samples=0),
        ValueError,
        r"samples \(=0\)",
    ),
    (
        "cnnbook.EffectiveField",
        lambda: _ZERO.spread,
        ValueError,
        r"the gradient map is zero everywhere",
    ),
    (
        "cnnbook.image_patches",
        lambda: image_patches([np.ones((3, 3))], 4),
        ValueError,
        r"images\[0\] \(shape \(3, 3\)\) is smaller than size \(=4\)",
    ),
    ("cnnbook.image_patches", lambda: image_patches([], 2), ValueError, r"images is empty"),
    (
        "cnnbook.image_patches",
        lambda: image_patches([np.ones((3, 3))], 2, noise=-1.0),
        ValueError,
        r"noise",
    ),
    ("cnnbook.erf_by_depth", lambda: erf_by_depth((0,)), ValueError, r"depths\[\] \(=0\)"),
    ("cnnbook.erf_by_depth", lambda: erf_by_depth(()), ValueError, r"depths is empty"),
    ("cnnbook.erf_by_depth", lambda: erf_by_depth((1,), relu="yes"), TypeError, r"relu"),
    (
        "cnnbook.ERFDepthStudy",
        lambda: ERFDepthStudy((1, 2), (1.0,), (1.0,), (3,)),
        ValueError,
        r"spread has 1 values; expected one per depth \(2\)",
    ),
]


@pytest.mark.parametrize(("name", "call", "exc", "match"), CASES, ids=[c[0] for c in CASES])
def test_bad_input_is_named(name, call, exc, match):
    with pytest.raises(exc, match=match):
        call()
