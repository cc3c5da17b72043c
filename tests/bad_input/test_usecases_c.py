"""Bad input to the public callables of the denoising and super-resolution demonstrations."""

import numpy as np
import pytest

from cnnbook.usecases import denoising, restoration_quality, super_resolution

_net = denoising.DnCNN(channels=2, depth=2, rng=np.random.default_rng(0))

CASES = [  # (public dotted name, zero-arg call, exception type, regex the message matches)
    (
        "cnnbook.usecases.denoising.DnCNN",
        lambda: denoising.DnCNN(depth=1),
        ValueError,
        r"depth \(=1\) must be >= 2",
    ),
    (
        "cnnbook.usecases.denoising.DnCNN",
        lambda: denoising.DnCNN(channels=0),
        ValueError,
        r"channels \(=0\)",
    ),
    (
        "cnnbook.usecases.denoising.grey_image",
        lambda: denoising.grey_image("lena"),
        ValueError,
        r"name \(='lena'\) is not one of the bundled images",
    ),
    (
        "cnnbook.usecases.denoising.tune_baseline",
        lambda: denoising.tune_baseline("bilateral", [np.zeros((8, 8))], [np.zeros((8, 8))]),
        ValueError,
        r"name \(='bilateral'\) is not a baseline",
    ),
    (
        "cnnbook.usecases.denoising.tune_baseline",
        lambda: denoising.tune_baseline("tv", [np.zeros((8, 8))], []),
        ValueError,
        r"clean and noisy must be equally long",
    ),
    (
        "cnnbook.usecases.denoising.denoise",
        lambda: denoising.denoise("net", np.zeros((8, 8))),
        TypeError,
        r"model \(=str\) must be a DnCNN",
    ),
    (
        "cnnbook.usecases.denoising.denoise",
        lambda: denoising.denoise(_net, np.zeros((1, 8, 8))),
        ValueError,
        r"noisy",
    ),
    (
        "cnnbook.usecases.denoising.denoise",
        lambda: denoising.denoise(_net, np.full((8, 8), np.nan)),
        ValueError,
        r"noisy contains NaN",
    ),
    (
        "cnnbook.usecases.denoising.load_model",
        lambda: denoising.load_model({}),
        ValueError,
        r"missing keys \['body\.0\.bias'",
    ),
    (
        "cnnbook.usecases.denoising.run",
        lambda: denoising.run(small="yes"),
        TypeError,
        r"small",
    ),
    (
        "cnnbook.usecases.denoising.run",
        lambda: denoising.run(seed=-1, small=True),
        ValueError,
        r"seed \(=-1\)",
    ),
    (
        "cnnbook.usecases.super_resolution.bicubic_enlargement",
        lambda: super_resolution.bicubic_enlargement(np.zeros((3, 8))),
        ValueError,
        r"image has shape \(3, 8\); each side must be >= 4",
    ),
    (
        "cnnbook.usecases.super_resolution.bicubic_enlargement",
        lambda: super_resolution.bicubic_enlargement(np.zeros((2, 8, 8))),
        ValueError,
        r"image",
    ),
    (
        "cnnbook.usecases.super_resolution.load_model",
        lambda: super_resolution.load_model({"weight:body.0.weight": np.zeros(3)}),
        ValueError,
        r"missing keys",
    ),
    (
        "cnnbook.usecases.super_resolution.run",
        lambda: super_resolution.run(cache=1),
        TypeError,
        r"cache",
    ),
]

# The denoising page's parts live in their own modules (re-exported by denoising): the same
# calls, under the public path of the module that defines each one.
_DEFINED_IN = {
    "DnCNN": "dncnn",
    "denoise": "dncnn",
    "tune_baseline": "classical_denoisers",
}
CASES += [
    (f"cnnbook.usecases.{_DEFINED_IN[function]}.{function}", call, exc, match)
    for name, call, exc, match in CASES
    if name.startswith("cnnbook.usecases.denoising.")
    and (function := name.rsplit(".", 1)[1]) in _DEFINED_IN
]
_IMAGE = np.zeros((8, 8))
CASES += [
    (
        "cnnbook.usecases.restoration_quality.psnr",
        lambda: restoration_quality.psnr(_IMAGE, np.zeros((8, 9))),
        ValueError,
        r"estimate has shape \(8, 9\); expected clean's shape \(8, 8\)",
    ),
    (
        "cnnbook.usecases.restoration_quality.ssim",
        lambda: restoration_quality.ssim(_IMAGE, "noisy"),
        TypeError,
        r"estimate has dtype <U5",
    ),
    (
        "cnnbook.usecases.restoration_quality.worst_block",
        lambda: restoration_quality.worst_block(_IMAGE, _IMAGE, np.zeros((1, 8, 8)), 4),
        ValueError,
        r"reference has ndim 3",
    ),
    (
        "cnnbook.usecases.restoration_quality.worst_block",
        lambda: restoration_quality.worst_block(_IMAGE, _IMAGE, _IMAGE, 9),
        ValueError,
        r"size \(=9\) must be at most the image's side 8",
    ),
    (
        "cnnbook.usecases.restoration_quality.worst_block",
        lambda: restoration_quality.worst_block(_IMAGE, _IMAGE, _IMAGE, 0),
        ValueError,
        r"size \(=0\) must be positive",
    ),
]


@pytest.mark.parametrize(("name", "call", "exc", "match"), CASES, ids=[c[0] for c in CASES])
def test_bad_input_is_named(name, call, exc, match):
    with pytest.raises(exc, match=match):
        call()
