"""Super-resolution x2: a residual CNN on the bicubic enlargement, against bicubic alone.

SRCNN-style (Dong et al. 2014) with a residual output (Kim et al.'s VDSR, 2016): a
photograph is shrunk by 2 (`skimage.transform.resize`, bicubic with anti-aliasing), then
enlarged back by bicubic interpolation; the network sees that blurry enlargement and
predicts what bicubic got wrong, which is subtracted: the same
[`DnCNN`][cnnbook.usecases.dncnn.DnCNN] module as the denoiser, here removing blur
instead of noise. Trained on patches of `TRAIN_IMAGES`, measured on the held-out
`TEST_IMAGES` (scikit-image's PSNR and SSIM, a `BORDER`-pixel frame left out, as is
usual: neither method sees beyond the image's edge).
"""

from __future__ import annotations

from typing import Any

import numpy as np
from skimage import metrics, transform
from threadpoolctl import threadpool_limits

from cnnbook import nn, optim
from cnnbook._validation import as_numeric_array, boolean
from cnnbook.usecases.cache import DemoResult, cached_run
from cnnbook.usecases.denoising import TEST_IMAGES, TRAIN_IMAGES, grey_image
from cnnbook.usecases.dncnn import DnCNN
from cnnbook.usecases.restoration_quality import worst_block

__all__ = ["BORDER", "SCALE", "bicubic_enlargement", "load_model", "run"]

NAME = "super-resolution"
SCALE = 2
#: Pixels of each side left out of PSNR and SSIM.
BORDER = 4
PATCH = 32
_FULL: dict[str, Any] = {"steps": 1200, "batch": 16, "log_every": 50, "test_crop": None}
_SMALL: dict[str, Any] = {"steps": 8, "batch": 4, "log_every": 4, "test_crop": 48}


def bicubic_enlargement(image: Any) -> tuple[np.ndarray, np.ndarray]:
    """Shrink grey `image` by 2 and enlarge it back, both bicubic: ``(small, enlarged)``.

    The image is first cropped to even sides, so ``enlarged`` has its (cropped) shape.

    Examples
    --------
    >>> small, enlarged = bicubic_enlargement(np.ones((9, 10)))
    >>> small.shape, enlarged.shape, bool(np.allclose(enlarged, 1))
    ((4, 5), (8, 10), True)
    """
    hr = as_numeric_array("image", image, ndim=2).astype(np.float64)
    h, w = (hr.shape[0] // SCALE) * SCALE, (hr.shape[1] // SCALE) * SCALE
    if h < 2 * SCALE or w < 2 * SCALE:
        raise ValueError(f"image has shape {hr.shape}; each side must be >= {2 * SCALE}")
    hr = hr[:h, :w]
    small = transform.resize(hr, (h // SCALE, w // SCALE), order=3, anti_aliasing=True)
    enlarged = transform.resize(small, (h, w), order=3)
    return small, enlarged


def _frame(image: np.ndarray) -> np.ndarray:
    return image[BORDER:-BORDER, BORDER:-BORDER]


def _psnr(clean: np.ndarray, estimate: np.ndarray) -> float:
    return float(
        metrics.peak_signal_noise_ratio(
            _frame(clean), _frame(np.clip(estimate, 0, 1)), data_range=1.0
        )
    )


def _ssim(clean: np.ndarray, estimate: np.ndarray) -> float:
    return float(
        metrics.structural_similarity(
            _frame(clean), _frame(np.clip(estimate, 0, 1)), data_range=1.0
        )
    )


def _patches(
    rng: np.random.Generator, pairs: list[tuple[np.ndarray, np.ndarray]], n: int
) -> tuple[np.ndarray, np.ndarray]:
    # Aligned random crops of (enlarged, original), flipped and rotated alike.
    x = np.empty((n, 1, PATCH, PATCH), np.float32)
    y = np.empty((n, 1, PATCH, PATCH), np.float32)
    for k in range(n):
        enlarged, hr = pairs[rng.integers(len(pairs))]
        r = rng.integers(hr.shape[0] - PATCH + 1)
        c = rng.integers(hr.shape[1] - PATCH + 1)
        flip, turns = rng.random() < 0.5, int(rng.integers(4))
        for source, into in ((enlarged, x), (hr, y)):
            patch = source[r : r + PATCH, c : c + PATCH]
            patch = patch[:, ::-1] if flip else patch
            into[k, 0] = np.rot90(patch, turns)
    return x, y


def _enhance(model: DnCNN, enlarged: np.ndarray) -> np.ndarray:
    model.eval()
    out = model(enlarged[None, None].astype(np.float32))[0, 0].astype(np.float64)
    model.train()
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
    rng = np.random.default_rng(seed)
    pairs = []
    for name in TRAIN_IMAGES:
        _, enlarged = bicubic_enlargement(grey_image(name))
        pairs.append((enlarged, grey_image(name)[: enlarged.shape[0], : enlarged.shape[1]]))
    model = DnCNN(rng=rng)
    optimizer = optim.Adam(model.parameters(), lr=1e-3)
    loss_fn = nn.MSELoss()
    log_steps, log_psnr, running = [], [], []
    steps = range(1, size["steps"] + 1)
    if progress:
        from tqdm.auto import tqdm

        steps = tqdm(steps, desc=NAME)
    for step in steps:
        x, y = _patches(rng, pairs, size["batch"])
        loss = loss_fn(model(x), y)
        optimizer.zero_grad()
        model.backward(loss_fn.backward())
        optimizer.step()
        running.append(loss)
        if step % size["log_every"] == 0 or step == size["steps"]:
            log_steps.append(step)
            log_psnr.append(float(10 * np.log10(1 / np.mean(running))))
            running = []

    rows: list[list[float]] = []
    limit: list[list[float]] = []
    crops: list[np.ndarray] = []
    worst: list[np.ndarray] = []
    crop = 64 if not small else 16
    for name in TEST_IMAGES:
        hr = _centre(grey_image(name), size["test_crop"])
        low, enlarged = bicubic_enlargement(hr)
        hr = hr[: enlarged.shape[0], : enlarged.shape[1]]
        cnn = _enhance(model, enlarged)
        rows.append([_psnr(hr, enlarged), _psnr(hr, cnn), _ssim(hr, enlarged), _ssim(hr, cnn)])
        nearest = np.repeat(np.repeat(low, SCALE, 0), SCALE, 1)
        stack = (hr, nearest, enlarged, cnn)
        r0, c0 = (hr.shape[0] - crop) // 2, (hr.shape[1] - crop) // 2
        r1, c1 = worst_block(hr, cnn, enlarged, crop)
        for r, c, into in ((r0, c0, crops), (r1, c1, worst)):
            into.append(np.stack([np.clip(s[r : r + crop, c : c + crop], 0, 1) for s in stack]))
        # Limits: shrunk by dropping every other pixel (no anti-aliasing), unlike training.
        aliased = transform.resize(hr[::SCALE, ::SCALE], hr.shape, order=3)
        limit.append([_psnr(hr, aliased), _psnr(hr, _enhance(model, aliased))])
    table = np.array(rows)
    metrics_ = {
        "scale": SCALE,
        "cnn_psnr": float(table[:, 1].mean()),
        "bicubic_psnr": float(table[:, 0].mean()),
        "cnn_ssim": float(table[:, 3].mean()),
        "bicubic_ssim": float(table[:, 2].mean()),
        "gain_db": float(table[:, 1].mean() - table[:, 0].mean()),
        "per_image_psnr": {
            n: {"bicubic": float(table[i, 0]), "cnn": float(table[i, 1])}
            for i, n in enumerate(TEST_IMAGES)
        },
        "limit_bicubic_psnr": float(np.mean([b for b, _ in limit])),
        "limit_cnn_psnr": float(np.mean([c for _, c in limit])),
        "train_images": list(TRAIN_IMAGES),
        "test_images": list(TEST_IMAGES),
        "border": BORDER,
        "steps": size["steps"],
        "batch": size["batch"],
        "patch": PATCH,
    }
    arrays = {
        "log_steps": np.array(log_steps),
        "log_psnr": np.array(log_psnr),
        "crops": np.stack(crops).astype(np.float32),  # (image, original/nearest/bicubic/cnn, ...)
        "worst_crops": np.stack(worst).astype(np.float32),
        **{f"weight:{k}": v for k, v in model.state_dict().items()},
    }
    return metrics_, arrays


def load_model(arrays: dict[str, np.ndarray]) -> DnCNN:
    """Rebuild the trained super-resolution network (evaluation mode) from a run's arrays."""
    model = DnCNN(rng=np.random.default_rng(0))
    model.load_state_dict(
        {k[len("weight:") :]: v for k, v in arrays.items() if k.startswith("weight:")}
    )
    model.eval()
    return model


def run(
    seed: int = 0, *, small: bool = False, cache: bool = True, progress: bool = False
) -> DemoResult:
    """Train (or load) the x2 super-resolution network and measure it against bicubic.

    Returns
    -------
    DemoResult
        Metrics ``cnn_psnr``, ``bicubic_psnr`` (dB, held-out images) and more; arrays: the
        training log, crops (original, nearest, bicubic, CNN), the weights.
    """
    small, cache, progress = (
        boolean("small", small),
        boolean("cache", cache),
        boolean("progress", progress),
    )
    return cached_run(NAME, seed, small, lambda: _compute(seed, small, progress), cache)
