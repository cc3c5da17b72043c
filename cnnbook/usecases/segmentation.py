r"""Medical imaging: a small U-Net segments nuclei; Otsu's threshold is the baseline.

The experiment of the page [[Medical Imaging]]. A [`UNet`][cnnbook.models.UNet] is trained
from scratch, with the per-pixel loss
[`BCEWithLogitsLoss`][cnnbook.nn.BCEWithLogitsLoss] and Adam, on synthetic fluorescence
images whose masks are exact ([`make_microscopy`][cnnbook.usecases.microscopy.make_microscopy]),
and measured on held-out images of the same kind against **Otsu's threshold**
(`skimage.filters.threshold_otsu`) applied after a Gaussian smoothing whose width is
chosen on the training images, as the network's weights are — and against a stronger
classical method, a local threshold tuned the same way
([`cnnbook.usecases.thresholds`][cnnbook.usecases.thresholds]).

- **Dice** $= 2|P \cap T| / (|P| + |T|)$ and **IoU** $= |P \cap T| / |P \cup T|$, over all
  held-out pixels pooled (``P`` predicted, ``T`` true nucleus pixels).
- **Count error**: the mean, over held-out images, of the absolute difference between the
  number of connected components of the predicted mask (`skimage.measure.label`,
  8-connected) and the true number of nuclei. Touching nuclei form one component, for
  either method and even for the exact mask, whose own count error is reported too.

Then the trained network is applied to a real bundled image, scikit-image's
``immunohistochemistry()``: qualitative only, since it has no ground truth.
"""

from __future__ import annotations

import time
from typing import Any

import numpy as np
from scipy import ndimage
from skimage import color, data
from threadpoolctl import threadpool_limits

from cnnbook import nn, optim
from cnnbook._validation import as_numeric_array
from cnnbook.models import UNet
from cnnbook.optim.lr_scheduler import StepLR
from cnnbook.usecases.cache import DemoResult, cached_run
from cnnbook.usecases.microscopy import make_microscopy
from cnnbook.usecases.overlap import count_nuclei, dice, iou
from cnnbook.usecases.thresholds import (
    LOCAL_GRID,
    OTSU_SIGMAS,
    local_threshold_segment,
    otsu_segment,
)
from cnnbook.usecases.training import check_run_arguments, parameter_total

__all__ = [
    "hematoxylin",
    "load_model",
    "run",
    "segment",
]

NAME = "segmentation"
#: The full run and the reduced one of the tests (``small=True``).
CONFIG: dict[bool, dict[str, Any]] = {
    False: {"n_train": 240, "n_test": 100, "epochs": 6, "lr": 3e-3, "batch_size": 8},
    True: {"n_train": 16, "n_test": 8, "epochs": 1, "lr": 3e-3, "batch_size": 8},
}
BASE_CHANNELS, DEPTH = 8, 2
#: The limit: held-out images far noisier than any in training (read noise range).
NOISY = (0.12, 0.18)
#: The crop of ``immunohistochemistry()`` the network is shown (rows, columns).
REAL_CROP = (slice(256, 512), slice(256, 512))


def _logits(model: UNet, images: np.ndarray, batch: int = 25) -> np.ndarray:
    model.eval()
    out = np.concatenate(
        [model(images[i : i + batch, None])[:, 0] for i in range(0, len(images), batch)]
    )
    model.train()
    return out


def segment(model: UNet, image: Any) -> np.ndarray:
    """Apply a trained one-logit `model` to one 2-D image of any size: the mask (logit > 0).

    The image is padded by reflection to a multiple of ``2**depth`` and the result cropped.
    """
    if not isinstance(model, UNet) or model.n_classes != 1 or model.in_channels != 1:
        raise TypeError(
            f"model (={type(model).__name__}) must be a UNet with one input and one output channel"
        )
    x = as_numeric_array("image", image, ndim=2).astype(np.float32)
    if not np.isfinite(x).all():
        raise ValueError("image contains NaN or infinite values; an image must be finite")
    step = 2**model.depth
    h, w = x.shape
    padded = np.pad(x, ((0, -h % step), (0, -w % step)), mode="reflect")
    with threadpool_limits(limits=1, user_api="blas"):
        out: np.ndarray = _logits(model, padded[None])[0, :h, :w] > 0
    return out


def hematoxylin(rgb: Any) -> np.ndarray:
    """Return the nuclear stain of a bright-field RGB image, scaled like the training images.

    Colour deconvolution (`skimage.color.rgb2hed`) separates hematoxylin, which stains
    nuclei. Its median (most pixels are not nuclei) is mapped to 0.08 and its 99.5th
    percentile to 1 — the training images' background and brightest nuclei — so nuclei
    are bright on a dark ground, as in fluorescence.
    """
    x = as_numeric_array("rgb", rgb, ndim=3)
    if x.shape[2] != 3:
        raise ValueError(f"rgb has shape {x.shape}; expected (H, W, 3)")
    h = color.rgb2hed(x)[..., 0]
    lo, hi = np.percentile(h, [50, 99.5])
    return (0.08 + 0.92 * (h - lo) / max(hi - lo, 1e-12)).astype(np.float32)


def load_model(arrays: dict[str, np.ndarray]) -> UNet:
    """Rebuild the trained U-Net (evaluation mode) from a run's arrays."""
    model = UNet(1, 1, base_channels=BASE_CHANNELS, depth=DEPTH, rng=np.random.default_rng(0))
    model.load_state_dict({k[7:]: v for k, v in arrays.items() if k.startswith("weight:")})
    model.eval()
    return model


def _augment(rng: np.random.Generator, x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, ...]:
    # One of the 8 symmetries of the square per batch: a nucleus has no up or left.
    k = int(rng.integers(4))
    x, y = np.rot90(x, k, axes=(2, 3)), np.rot90(y, k, axes=(2, 3))
    if rng.random() < 0.5:
        x, y = x[..., ::-1], y[..., ::-1]
    return np.ascontiguousarray(x), np.ascontiguousarray(y)


def _per_nucleus(images: np.ndarray, labels: np.ndarray, preds: list[np.ndarray]) -> np.ndarray:
    """Rows (mean intensity, fraction found by each prediction), one per true nucleus."""
    rows = []
    for i, lab in enumerate(labels):
        ids = np.arange(1, lab.max() + 1)
        found = [ndimage.mean(p[i], lab, ids) for p in preds]
        rows.append(np.column_stack([ndimage.mean(images[i], lab, ids), *found]))
    return np.concatenate(rows)


def _scores(pred: np.ndarray, data: Any) -> dict[str, Any]:
    counts = np.array([count_nuclei(p) for p in pred])
    return {
        "dice": dice(pred, data.masks),
        "iou": iou(pred, data.masks),
        "per_image_dice": np.array([dice(p, t) for p, t in zip(pred, data.masks, strict=True)]),
        "counts": counts,
        "count_error": float(np.mean(np.abs(counts - data.counts))),
    }


def _experiment(seed: int, small: bool, progress: bool) -> tuple[dict[str, Any], dict[str, Any]]:
    cfg = CONFIG[small]
    train = make_microscopy(cfg["n_train"], np.random.default_rng([seed, 1]))
    test = make_microscopy(cfg["n_test"], np.random.default_rng([seed, 2]))
    rng = np.random.default_rng([seed, 3])
    model = UNet(1, 1, base_channels=BASE_CHANNELS, depth=DEPTH, rng=rng)
    optimizer = optim.Adam(model.parameters(), lr=cfg["lr"])
    scheduler = StepLR(optimizer, step_size=max(1, cfg["epochs"] - 1), gamma=0.1)
    loss_fn = nn.BCEWithLogitsLoss()
    x, y = train.images[:, None], train.masks[:, None].astype(np.float32)
    epoch_loss, epoch_dice = [], []
    epochs = range(cfg["epochs"])
    if progress:
        from tqdm.auto import tqdm

        epochs = tqdm(epochs, desc=NAME)
    for _ in epochs:
        order, losses = rng.permutation(len(x)), []
        for start in range(0, len(x), cfg["batch_size"]):
            xb, yb = _augment(
                rng,
                x[order[start : start + cfg["batch_size"]]],
                y[order[start : start + cfg["batch_size"]]],
            )
            losses.append(loss_fn(model(xb), yb))
            optimizer.zero_grad()
            model.backward(loss_fn.backward())
            optimizer.step()
        scheduler.step()
        epoch_loss.append(float(np.mean(losses)))
        epoch_dice.append(dice(_logits(model, test.images) > 0, test.masks))

    unet_pred = _logits(model, test.images) > 0
    # Otsu's one parameter, the smoothing, is chosen on the training images (pooled Dice).
    sigma = max(
        OTSU_SIGMAS,
        key=lambda s: dice(np.array([otsu_segment(im, s) for im in train.images]), train.masks),
    )
    otsu_pred = np.array([otsu_segment(im, sigma) for im in test.images])
    # A stronger classical baseline: a local threshold, its two parameters tuned likewise.
    block, offset = max(
        ((b, o) for b in LOCAL_GRID[0] for o in LOCAL_GRID[1]),
        key=lambda bo: dice(
            np.array([local_threshold_segment(im, *bo) for im in train.images]), train.masks
        ),
    )
    local_pred = np.array([local_threshold_segment(im, block, offset) for im in test.images])
    unet, otsu = _scores(unet_pred, test), _scores(otsu_pred, test)
    local = _scores(local_pred, test)
    exact = _scores(test.masks, test)  # the exact mask: only the merging of touching nuclei
    # Which nuclei each method finds, by brightness: the dimmest quarter is where they differ.
    nuclei = _per_nucleus(test.images, test.labels, [unet_pred, otsu_pred])
    dim = nuclei[:, 0] <= np.quantile(nuclei[:, 0], 0.25)
    touching = np.array([count_nuclei(m) < c for m, c in zip(test.masks, test.counts, strict=True)])

    noisy = make_microscopy(cfg["n_test"], np.random.default_rng([seed, 4]), noise=NOISY)
    noisy_unet = dice(_logits(model, noisy.images) > 0, noisy.masks)
    noisy_otsu = dice(np.array([otsu_segment(im, sigma) for im in noisy.images]), noisy.masks)

    real = hematoxylin(data.immunohistochemistry()[REAL_CROP])
    metrics = {
        "dice": unet["dice"],
        "iou": unet["iou"],
        "otsu_dice": otsu["dice"],
        "otsu_iou": otsu["iou"],
        "count_error": unet["count_error"],
        "otsu_count_error": otsu["count_error"],
        "exact_mask_count_error": exact["count_error"],
        "otsu_sigma": sigma,
        "local_dice": local["dice"],
        "local_iou": local["iou"],
        "local_count_error": local["count_error"],
        "local_block_size": block,
        "local_offset": offset,
        "dim_unet_found": float(nuclei[dim, 1].mean()),
        "dim_otsu_found": float(nuclei[dim, 2].mean()),
        "bright_unet_found": float(nuclei[~dim, 1].mean()),
        "bright_otsu_found": float(nuclei[~dim, 2].mean()),
        "mean_count": float(test.counts.mean()),
        "touching_fraction": float(touching.mean()),
        "noisy_dice": noisy_unet,
        "noisy_otsu_dice": noisy_otsu,
        "noisy_range": list(NOISY),
        "parameters": parameter_total(model),
        "image_size": int(train.images.shape[-1]),
        "train_size": cfg["n_train"],
        "test_size": cfg["n_test"],
        "epochs": cfg["epochs"],
        "lr": cfg["lr"],
        "batch_size": cfg["batch_size"],
    }
    arrays = {
        "epoch_loss": np.array(epoch_loss),
        "epoch_dice": np.array(epoch_dice),
        "test_images": test.images,
        "test_masks": test.masks,
        "test_labels": test.labels,
        "test_counts": test.counts,
        "nuclei": nuclei,  # (intensity, U-Net found, Otsu found) per held-out nucleus
        **{
            f"{key}_{k}": v
            for key, s in (("unet", unet), ("otsu", otsu))
            for k, v in s.items()
            if isinstance(v, np.ndarray)
        },
        "unet_pred": unet_pred,
        "otsu_pred": otsu_pred,
        "local_pred": local_pred,
        "noisy_images": noisy.images[:4],
        "noisy_masks": noisy.masks[:4],
        "real_image": real,
        "real_unet": segment(model, real),
        "real_otsu": otsu_segment(real, sigma),
        **{f"weight:{k}": v for k, v in model.state_dict().items()},
    }
    return metrics, arrays


def _compute(seed: int, small: bool, progress: bool) -> tuple[dict[str, Any], dict[str, Any]]:
    # One BLAS thread: these GEMMs are small, and on a shared machine threads only contend.
    start = time.process_time()
    with threadpool_limits(limits=1, user_api="blas"):
        metrics, arrays = _experiment(seed, small, progress)
    # CPU time of this process: what the run costs on a quiet machine (one thread), where
    # the wall time (DemoResult.seconds) also counts the waits of a shared one.
    metrics["cpu_seconds"] = time.process_time() - start
    return metrics, arrays


def run(
    seed: int = 0, *, small: bool = False, cache: bool = True, progress: bool = False
) -> DemoResult:
    """Train (or load) the U-Net on synthetic nuclei; measure it against Otsu's threshold.

    Parameters
    ----------
    seed : int, default 0
        Seeds the images, the weights and the shuffles.
    small : bool, default False
        A reduced run for the tests (16 training images, 1 epoch).
    cache : bool, default True
    progress : bool, default False

    Returns
    -------
    DemoResult
        ``metrics``: ``dice``, ``iou``, ``otsu_dice``, ``otsu_iou``, ``count_error``,
        ``otsu_count_error``, ``exact_mask_count_error`` and more; ``arrays``: the
        training curve, the held-out images, masks and predictions, the real image and
        its masks, the weights.
    """
    check_run_arguments(small, cache, progress)
    return cached_run(NAME, seed, small, lambda: _compute(seed, small, progress), cache)
