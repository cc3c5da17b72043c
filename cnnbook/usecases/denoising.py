"""Denoising: a residual CNN (DnCNN-style) against three classical filters, on held-out photos.

The network (Zhang et al. 2017, "Beyond a Gaussian denoiser") predicts the *noise* and
subtracts it: ``output = input - body(input)``. It is trained on random 32 x 32 patches of
the bundled scikit-image photographs `TRAIN_IMAGES`, each patch given fresh Gaussian
noise of standard deviation `SIGMA` (grey levels out of 255), and tested on the other
photographs, `TEST_IMAGES`, which it never saw. The baselines are a Gaussian filter, a
median filter and total-variation denoising (`skimage.restoration.denoise_tv_chambolle`),
each with its one parameter chosen on the *training* images, as the network's weights
are. PSNR and SSIM are scikit-image's (`skimage.metrics`).

The parts have their own modules, and stay importable from here: the network
(`cnnbook.usecases.dncnn`), the classical filters (`cnnbook.usecases.classical_denoisers`)
and the scores (`cnnbook.usecases.restoration_quality`); this module holds the photographs,
trains and measures.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from skimage import color, data
from threadpoolctl import threadpool_limits

from cnnbook import nn, optim
from cnnbook._validation import boolean
from cnnbook.usecases.cache import DemoResult, cached_run
from cnnbook.usecases.classical_denoisers import BASELINES, tune_baseline
from cnnbook.usecases.dncnn import DnCNN, denoise

# Aliased: the experiment names its tables of scores psnr and ssim.
from cnnbook.usecases.restoration_quality import psnr as _psnr
from cnnbook.usecases.restoration_quality import ssim as _ssim
from cnnbook.usecases.restoration_quality import worst_block

__all__ = [
    "BASELINES",
    "SIGMA",
    "TEST_IMAGES",
    "TRAIN_IMAGES",
    "DnCNN",
    "denoise",
    "grey_image",
    "load_model",
    "run",
    "tune_baseline",
]

NAME = "denoising"
#: Standard deviation of the Gaussian noise, in grey levels of the 0-255 scale.
SIGMA = 25.0
#: Bundled photographs the network and the baselines' parameters are fitted on ...
TRAIN_IMAGES = ("camera", "coins", "brick", "grass", "text", "moon")
#: ... and the held-out ones everything is measured on.
TEST_IMAGES = ("gravel", "page", "chelsea")
PATCH = 32
_FULL: dict[str, Any] = {
    "steps": 1200,
    "batch": 16,
    "log_every": 50,
    "tune_crop": 192,
    "test_crop": None,
}
_SMALL: dict[str, Any] = {"steps": 8, "batch": 4, "log_every": 4, "tune_crop": 48, "test_crop": 48}


def grey_image(name: str) -> np.ndarray:
    """Bundled scikit-image photograph `name` as float64 grey levels in [0, 1].

    Examples
    --------
    >>> grey_image("coins").shape, float(grey_image("coins").max()) <= 1.0
    ((303, 384), True)
    """
    known = TRAIN_IMAGES + TEST_IMAGES
    if name not in known:
        raise ValueError(f"name (={name!r}) is not one of the bundled images {known}")
    image = getattr(data, name)()
    if image.ndim == 3:
        return np.asarray(color.rgb2gray(image), dtype=np.float64)
    return image.astype(np.float64) / 255.0


def _patches(rng: np.random.Generator, images: list[np.ndarray], n: int) -> np.ndarray:
    # Random crops, each flipped and rotated at random (the 8 symmetries of the square).
    out = np.empty((n, 1, PATCH, PATCH), np.float32)
    for k in range(n):
        image = images[rng.integers(len(images))]
        r = rng.integers(image.shape[0] - PATCH + 1)
        c = rng.integers(image.shape[1] - PATCH + 1)
        patch = image[r : r + PATCH, c : c + PATCH]
        patch = patch[:, ::-1] if rng.random() < 0.5 else patch
        out[k, 0] = np.rot90(patch, int(rng.integers(4)))
    return out


def _centre(image: np.ndarray, size: int | None) -> np.ndarray:
    if size is None:
        return image
    r, c = (image.shape[0] - size) // 2, (image.shape[1] - size) // 2
    return image[r : r + size, c : c + size]


def _compute(
    seed: int, small: bool, progress: bool
) -> tuple[dict[str, Any], dict[str, np.ndarray]]:
    # One BLAS thread: these GEMMs are small, and on a shared machine threads only contend.
    with threadpool_limits(limits=1):
        return _experiment(seed, small, progress)


def _experiment(
    seed: int, small: bool, progress: bool
) -> tuple[dict[str, Any], dict[str, np.ndarray]]:
    size = _SMALL if small else _FULL
    sigma = SIGMA / 255.0
    rng = np.random.default_rng(seed)
    train_images = [grey_image(n) for n in TRAIN_IMAGES]
    model = DnCNN(rng=rng)
    optimizer = optim.Adam(model.parameters(), lr=1e-3)
    loss_fn = nn.MSELoss()
    log_steps, log_psnr, running = [], [], []
    steps = range(1, size["steps"] + 1)
    if progress:
        from tqdm.auto import tqdm

        steps = tqdm(steps, desc=NAME)
    for step in steps:
        clean = _patches(rng, train_images, size["batch"])
        noisy = (clean + rng.normal(0, sigma, clean.shape)).astype(np.float32)
        loss = loss_fn(model(noisy), clean)
        optimizer.zero_grad()
        model.backward(loss_fn.backward())
        optimizer.step()
        running.append(loss)
        if step % size["log_every"] == 0 or step == size["steps"]:
            log_steps.append(step)
            log_psnr.append(float(10 * np.log10(1 / np.mean(running))))  # on [0, 1] patches
            running = []

    # Baselines tuned on (centre crops of) the training images, with their own noise.
    tune_rng = np.random.default_rng([seed, 1])
    tune_clean = [_centre(im, size["tune_crop"]) for im in train_images]
    tune_noisy = [c + tune_rng.normal(0, sigma, c.shape) for c in tune_clean]
    chosen = {name: tune_baseline(name, tune_clean, tune_noisy) for name in BASELINES}

    test_rng = np.random.default_rng([seed, 2])
    clean_test = [_centre(grey_image(n), size["test_crop"]) for n in TEST_IMAGES]
    noisy_test = [c + test_rng.normal(0, sigma, c.shape) for c in clean_test]
    methods = ["noisy", *BASELINES, "cnn"]
    outputs: dict[str, list[np.ndarray]] = {m: [] for m in methods}
    for image in noisy_test:
        outputs["noisy"].append(image)
        for name, (apply, _) in BASELINES.items():
            outputs[name].append(apply(image, chosen[name]))
        outputs["cnn"].append(denoise(model, image))
    psnr = np.array([[_psnr(c, outputs[m][i]) for m in methods] for i, c in enumerate(clean_test)])
    ssim = np.array([[_ssim(c, outputs[m][i]) for m in methods] for i, c in enumerate(clean_test)])

    # Limits: a noise level the network was not trained on (TV re-tuned for it, as it can be).
    limit_sigma = 2 * SIGMA
    limit_rng = np.random.default_rng([seed, 3])
    tune_noisy_2 = [c + limit_rng.normal(0, limit_sigma / 255, c.shape) for c in tune_clean]
    limit_weight = tune_baseline("tv", tune_clean, tune_noisy_2)
    noisy_2 = [c + limit_rng.normal(0, limit_sigma / 255, c.shape) for c in clean_test]
    limit_cnn = [_psnr(c, denoise(model, n)) for c, n in zip(clean_test, noisy_2, strict=True)]
    limit_tv = [
        _psnr(c, BASELINES["tv"][0](n, limit_weight))
        for c, n in zip(clean_test, noisy_2, strict=True)
    ]

    # Crops for the page: the centre of each test image, and where the CNN is worst vs TV.
    crop = 64 if not small else 16
    crops: list[np.ndarray] = []
    worst: list[np.ndarray] = []
    for i, clean in enumerate(clean_test):
        r, c = worst_block(clean, outputs["cnn"][i], outputs["tv"][i], crop)
        r0, c0 = (clean.shape[0] - crop) // 2, (clean.shape[1] - crop) // 2
        for rows, cols, into in ((r0, c0, crops), (r, c, worst)):
            stack = [clean] + [outputs[m][i] for m in methods]
            into.append(np.stack([np.clip(s[rows : rows + crop, cols : cols + crop], 0, 1)
                                  for s in stack]))  # fmt: skip
    best = max(BASELINES, key=lambda m: psnr[:, methods.index(m)].mean())
    metrics_ = {
        "sigma": SIGMA,
        "cnn_psnr": float(psnr[:, -1].mean()),
        "cnn_ssim": float(ssim[:, -1].mean()),
        "baseline_psnr": {m: float(psnr[:, methods.index(m)].mean()) for m in BASELINES},
        "baseline_ssim": {m: float(ssim[:, methods.index(m)].mean()) for m in BASELINES},
        "noisy_psnr": float(psnr[:, 0].mean()),
        "best_baseline": best,
        "margin_db": float(psnr[:, -1].mean() - psnr[:, methods.index(best)].mean()),
        "baseline_parameters": chosen,
        "train_images": list(TRAIN_IMAGES),
        "test_images": list(TEST_IMAGES),
        "per_image_psnr": {
            n: dict(zip(methods, map(float, psnr[i]), strict=True))
            for i, n in enumerate(TEST_IMAGES)
        },
        "steps": size["steps"],
        "batch": size["batch"],
        "patch": PATCH,
        "limit_sigma": limit_sigma,
        "limit_cnn_psnr": float(np.mean(limit_cnn)),
        "limit_tv_psnr": float(np.mean(limit_tv)),
        "limit_tv_weight": limit_weight,
    }
    arrays = {
        "log_steps": np.array(log_steps),
        "log_psnr": np.array(log_psnr),
        "crops": np.stack(crops).astype(np.float32),  # (image, clean/noisy/.../cnn, H, W)
        "worst_crops": np.stack(worst).astype(np.float32),
        "psnr": psnr,
        "ssim": ssim,
        **{f"weight:{k}": v for k, v in model.state_dict().items()},
    }
    return metrics_, arrays


def load_model(arrays: dict[str, np.ndarray]) -> DnCNN:
    """Rebuild the trained denoiser (evaluation mode) from a run's arrays."""
    model = DnCNN(rng=np.random.default_rng(0))
    model.load_state_dict(
        {k[len("weight:") :]: v for k, v in arrays.items() if k.startswith("weight:")}
    )
    model.eval()
    return model


def run(
    seed: int = 0, *, small: bool = False, cache: bool = True, progress: bool = False
) -> DemoResult:
    """Train (or load) the residual denoiser and measure it against the classical filters.

    Returns
    -------
    DemoResult
        Metrics ``sigma``, ``cnn_psnr``, ``cnn_ssim``, ``baseline_psnr`` (filter name ->
        PSNR in dB) and more; arrays: the training log, crops of the test images, the
        per-image PSNR and SSIM, the weights.
    """
    small, cache, progress = (
        boolean("small", small),
        boolean("cache", cache),
        boolean("progress", progress),
    )
    return cached_run(NAME, seed, small, lambda: _compute(seed, small, progress), cache)
