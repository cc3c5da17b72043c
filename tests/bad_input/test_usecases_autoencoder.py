"""Bad input to the public callables of the autoencoder demonstration (page Image Synthesis)."""

import numpy as np
import pytest
from sklearn.decomposition import PCA

from cnnbook.usecases import autoencoder, pca_baseline

_X = np.random.default_rng(0).random((10, 1, 8, 8))
_AE = autoencoder.digit_autoencoder(np.random.default_rng(0))
_DIGIT = np.zeros((1, 8, 8))

_PCA = pca_baseline.fit_pca(_X, 2)

CASES = [  # (public dotted name, zero-arg call, exception type, regex the message matches)
    (
        "cnnbook.usecases.autoencoder.digit_autoencoder",
        lambda: autoencoder.digit_autoencoder(7),
        TypeError,
        r"rng \(=7\) must be a numpy.random.Generator",
    ),
    (
        "cnnbook.usecases.pca_baseline.fit_pca",
        lambda: pca_baseline.fit_pca(_X, 0),
        ValueError,
        r"latent_size \(=0\)",
    ),
    (
        "cnnbook.usecases.pca_baseline.fit_pca",
        lambda: pca_baseline.fit_pca(_X, 11),
        ValueError,
        r"latent_size \(=11\) must be <= min\(N, pixels\) \(=10\)",
    ),
    (
        "cnnbook.usecases.pca_baseline.fit_pca",
        lambda: pca_baseline.fit_pca(np.zeros((10, 64)), 3),
        ValueError,
        r"x_train has shape \(10, 64\); expected \(N, 1, H, W\)",
    ),
    (
        "cnnbook.usecases.pca_baseline.fit_pca",
        lambda: pca_baseline.fit_pca([[[[0.0] * 8] * 8], [[[0.0] * 7] * 8]], 1),
        ValueError,
        r"x_train",
    ),
    (
        "cnnbook.usecases.pca_baseline.pca_reconstruct",
        lambda: pca_baseline.pca_reconstruct("pca", _X),
        TypeError,
        r"pca \(=str\) must be a sklearn PCA fitted by fit_pca",
    ),
    (
        "cnnbook.usecases.pca_baseline.pca_reconstruct",
        lambda: pca_baseline.pca_reconstruct(_PCA, np.full_like(_X, np.nan)),
        ValueError,
        r"images contains NaN",
    ),
    (
        "cnnbook.usecases.pca_baseline.pca_reconstruct",
        lambda: pca_baseline.pca_reconstruct(_PCA, np.zeros((2, 1, 4, 4))),
        ValueError,
        r"images are \(1, 4, 4\); pca was fitted to \(1, 8, 8\)",
    ),
    (
        "cnnbook.usecases.pca_baseline.pca_reconstruct",
        lambda: pca_baseline.pca_reconstruct(PCA(2).fit(_X.reshape(10, -1)), _X),
        TypeError,
        r"fitted by fit_pca",
    ),
    (
        "cnnbook.usecases.pca_baseline.pca_interpolate",
        lambda: pca_baseline.pca_interpolate(_PCA, _DIGIT, _DIGIT, 1),
        ValueError,
        r"steps \(=1\) must be >= 2",
    ),
    (
        "cnnbook.usecases.pca_baseline.pca_interpolate",
        lambda: pca_baseline.pca_interpolate(_PCA, _DIGIT, np.zeros((1, 8, 7)), 3),
        ValueError,
        r"could not be|shape|ragged",
    ),
    (
        "cnnbook.usecases.pca_baseline.pca_samples",
        lambda: pca_baseline.pca_samples(_PCA, 0, np.random.default_rng(0)),
        ValueError,
        r"n \(=0\)",
    ),
    (
        "cnnbook.usecases.pca_baseline.pca_samples",
        lambda: pca_baseline.pca_samples(_PCA, 2, 3),
        TypeError,
        r"rng \(=3\) must be a numpy.random.Generator",
    ),
    (
        "cnnbook.usecases.pca_baseline.pca_error_curve",
        lambda: pca_baseline.pca_error_curve(_X, np.zeros((3, 1, 4, 4))),
        ValueError,
        r"x_test's images \(1, 4, 4\) differ from x_train's",
    ),
    (
        "cnnbook.usecases.pca_baseline.pca_error_curve",
        lambda: pca_baseline.pca_error_curve(_X, np.full((3, 1, 8, 8), np.inf)),
        ValueError,
        r"x_test contains NaN or infinite",
    ),
    (
        "cnnbook.usecases.autoencoder.interpolate",
        lambda: autoencoder.interpolate("net", _DIGIT, _DIGIT),
        TypeError,
        r"model \(=str\) must be a ConvAutoencoder",
    ),
    (
        "cnnbook.usecases.autoencoder.interpolate",
        lambda: autoencoder.interpolate(_AE, _DIGIT, _DIGIT, steps=1),
        ValueError,
        r"steps \(=1\) must be >= 2",
    ),
    (
        "cnnbook.usecases.autoencoder.interpolate",
        lambda: autoencoder.interpolate(_AE, _DIGIT, np.zeros((1, 8, 6))),
        ValueError,
        r"a and b must be two images \(C, H, W\) of one shape",
    ),
    (
        "cnnbook.usecases.autoencoder.load_model",
        lambda: autoencoder.load_model({}),
        ValueError,
        r"missing keys",
    ),
    (
        "cnnbook.usecases.autoencoder.load_model",
        lambda: autoencoder.load_model([1, 2]),
        TypeError,
        r"arrays \(=list\) must be a run's dict of arrays",
    ),
    (
        "cnnbook.usecases.autoencoder.run",
        lambda: autoencoder.run(small="yes"),
        TypeError,
        r"small",
    ),
    (
        "cnnbook.usecases.autoencoder.run",
        lambda: autoencoder.run(seed=-1, small=True),
        ValueError,
        r"seed \(=-1\)",
    ),
]


@pytest.mark.parametrize(("name", "call", "exc", "match"), CASES, ids=[c[0] for c in CASES])
def test_bad_input_is_named(name, call, exc, match):
    with pytest.raises(exc, match=match):
        call()
