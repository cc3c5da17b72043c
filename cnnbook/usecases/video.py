"""Video: four frames stacked as channels tell a CNN which way an object moves; one frame cannot.

The experiment of the page [[Video]]. Each clip is four 16×16 frames of one small object
(a random 4×4 blob of grey levels) drifting up, down, left or right by one or two pixels
per frame, with Gaussian noise on every frame. The canvas wraps around (what leaves on
one side comes back on the other, as in old arcade games), so the object's position in
any single frame is uniform whatever its direction: by construction, one frame carries no
information about the motion.

- The **video CNN** takes the four frames as four input channels — its first convolution
  mixes time and space at once — and learns the direction.
- The **single-frame CNN** is the same architecture with one input channel, trained the
  same way on the last frame of each clip: the honest comparison, since it gets every
  chance to find a cue in one frame. It stays at chance.
- The trained video CNN given the last frame repeated four times (a still clip) is
  measured too.

The limit: the network knows time only through the order of its input channels; clips
played backwards are computed to get the *opposite* direction.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from cnnbook import nn
from cnnbook.train import evaluate, predict
from cnnbook.usecases.cache import DemoResult, cached_run
from cnnbook.usecases.training import check_run_arguments, parameter_total, train

__all__ = ["CONFIG", "DIRECTIONS", "make_clips", "motion_cnn", "run"]

NAME = "video"
#: Class names, indexed by label, and the move of each (dy, dx) per frame.
DIRECTIONS = ("up", "down", "left", "right")
_STEP = np.array([(-1, 0), (1, 0), (0, -1), (0, 1)])
#: The full run and the reduced one of the tests (``small=True``).
CONFIG: dict[bool, dict[str, Any]] = {
    False: {"n_train": 1600, "n_test": 800, "epochs": 10, "lr": 5e-3, "batch_size": 32},
    True: {"n_train": 120, "n_test": 60, "epochs": 1, "lr": 5e-3, "batch_size": 32},
}
FRAMES, SIZE, OBJECT, NOISE = 4, 16, 4, 0.3


def make_clips(
    n: int,
    rng: np.random.Generator,
    speeds: tuple[int, ...] = (1, 2),
    frames: int = FRAMES,
    size: int = SIZE,
    noise: float = NOISE,
) -> tuple[np.ndarray, np.ndarray]:
    """Draw `n` clips of a random blob moving in one of four directions, on a wrapping canvas.

    Parameters
    ----------
    n : int
        Number of clips; the directions are balanced (``n // 4`` each, then at random).
    rng : numpy.random.Generator
    speeds : tuple of int, default (1, 2)
        Pixels per frame, one drawn per clip.
    frames : int, default 4
    size : int, default 16
        Side of the square frames.
    noise : float, default 0.3
        Standard deviation of the Gaussian noise added to every pixel.

    Returns
    -------
    clips : ndarray of shape (n, frames, size, size), float32
        Frames as channels, in time order.
    labels : ndarray of shape (n,), int64
        Index into `DIRECTIONS`.

    Examples
    --------
    >>> clips, labels = make_clips(8, np.random.default_rng(0), noise=0.0)
    >>> clips.shape, sorted(np.bincount(labels).tolist())
    ((8, 4, 16, 16), [2, 2, 2, 2])
    >>> bool(np.allclose(clips[:, 0].sum(axis=(1, 2)), clips[:, 3].sum(axis=(1, 2))))
    True
    """
    for name, value in (("n", n), ("frames", frames), ("size", size)):
        if not isinstance(value, int) or isinstance(value, bool) or value < 1:
            raise ValueError(f"{name} (={value!r}) must be a positive int")
    if not isinstance(rng, np.random.Generator):
        raise TypeError(f"rng (={rng!r}) must be a numpy.random.Generator")
    if not speeds or not all(isinstance(s, int) and s >= 0 for s in speeds):
        raise ValueError(f"speeds (={speeds!r}) must be a non-empty tuple of non-negative ints")
    if not (isinstance(noise, int | float) and np.isfinite(noise) and noise >= 0):
        raise ValueError(f"noise (={noise!r}) must be a finite non-negative number")
    if size < OBJECT:
        raise ValueError(f"size (={size}) must be at least the object's side {OBJECT}")
    labels = np.arange(n) % 4
    rng.shuffle(labels)
    speed = rng.choice(np.array(speeds), size=n)
    start = rng.integers(0, size, size=(n, 2))
    blobs = rng.uniform(0.3, 1.0, size=(n, OBJECT, OBJECT)) * (
        rng.random((n, OBJECT, OBJECT)) < 0.8
    )
    clips = np.zeros((n, frames, size, size))
    clips[:, :, :OBJECT, :OBJECT] = blobs[:, None]
    rows = np.arange(size)
    for t in range(frames):
        offset = start + _STEP[labels] * (speed * t)[:, None]
        # Circular shift of each clip's frame t by its own offset (the canvas wraps).
        r = (rows[None, :] - offset[:, :1]) % size
        c = (rows[None, :] - offset[:, 1:]) % size
        clips[:, t] = clips[np.arange(n)[:, None, None], t, r[:, :, None], c[:, None, :]]
    clips += noise * rng.standard_normal(clips.shape)
    return clips.astype(np.float32), labels.astype(np.int64)


def motion_cnn(in_channels: int, rng: np.random.Generator) -> nn.Sequential:
    """Build conv 16 → pool → conv 32 → pool → conv 32 → global max pool → linear 4, for 16×16.

    Examples
    --------
    >>> motion_cnn(4, np.random.default_rng(0))(np.zeros((2, 4, 16, 16), np.float32)).shape
    (2, 4)
    """
    if not isinstance(in_channels, int) or isinstance(in_channels, bool) or in_channels < 1:
        raise ValueError(f"in_channels (={in_channels!r}) must be a positive int")
    return nn.Sequential(
        nn.Conv2d(in_channels, 16, 3, padding=1, rng=rng),
        nn.ReLU(),
        nn.MaxPool2d(2),
        nn.Conv2d(16, 32, 3, padding=1, rng=rng),
        nn.ReLU(),
        nn.MaxPool2d(2),
        nn.Conv2d(32, 32, 3, padding=1, rng=rng),
        nn.ReLU(),
        nn.MaxPool2d(SIZE // 4),
        nn.Flatten(),
        nn.Linear(32, len(DIRECTIONS), rng=rng),
    )


def _compute(seed: int, small: bool, progress: bool) -> tuple[dict[str, Any], dict[str, Any]]:
    cfg = CONFIG[small]
    data_rng = np.random.default_rng([seed, 6])
    x_train, y_train = make_clips(cfg["n_train"], data_rng)
    x_test, y_test = make_clips(cfg["n_test"], data_rng)
    last = slice(FRAMES - 1, FRAMES)
    metrics: dict[str, Any] = {}
    arrays: dict[str, np.ndarray] = {}
    models = {}
    for key, channels in (("video", slice(None)), ("single_frame", last)):
        rng = np.random.default_rng([seed, 7])
        model = motion_cnn(x_train[:, channels].shape[1], rng)
        history = train(
            model,
            (x_train[:, channels], y_train),
            (x_test[:, channels], y_test),
            epochs=cfg["epochs"],
            lr=cfg["lr"],
            batch_size=cfg["batch_size"],
            rng=rng,
            progress=progress,
        )
        models[key] = model
        arrays[f"{key}_train_loss"] = np.array(history.train_loss)
        arrays[f"{key}_test_accuracy"] = np.array(history.test_accuracy)
        arrays[f"{key}_pred"] = predict(model, x_test[:, channels])
        for name, value in model.state_dict().items():
            arrays[f"{key}_weights.{name}"] = value
    video = models["video"]
    metrics["accuracy"] = evaluate(video, x_test, y_test).accuracy
    metrics["single_frame_accuracy"] = evaluate(
        models["single_frame"], x_test[:, last], y_test
    ).accuracy
    still = np.repeat(x_test[:, last], FRAMES, axis=1)
    arrays["repeated_frame_pred"] = predict(video, still)
    metrics["repeated_frame_accuracy"] = float(np.mean(arrays["repeated_frame_pred"] == y_test))
    metrics["chance"] = 1 / len(DIRECTIONS)
    # The limit: time is only the order of the channels. Played backwards, up becomes down.
    backwards = x_test[:, ::-1].copy()
    arrays["reversed_pred"] = predict(video, backwards)
    opposite = y_test ^ 1  # up <-> down, left <-> right
    metrics["reversed_accuracy"] = float(np.mean(arrays["reversed_pred"] == y_test))
    metrics["reversed_opposite_fraction"] = float(np.mean(arrays["reversed_pred"] == opposite))
    # A speed never seen in training (4 pixels per frame).
    fast_x, fast_y = make_clips(cfg["n_test"], np.random.default_rng([seed, 8]), speeds=(4,))
    metrics["unseen_speed_accuracy"] = evaluate(video, fast_x, fast_y).accuracy
    metrics["parameters"] = parameter_total(video)
    metrics["single_frame_parameters"] = parameter_total(models["single_frame"])
    metrics["frames"] = FRAMES
    metrics["frame_size"] = SIZE
    metrics["noise"] = NOISE
    metrics["speeds"] = [1, 2]
    metrics["unseen_speed"] = 4
    metrics["train_size"] = cfg["n_train"]
    metrics["test_size"] = cfg["n_test"]
    metrics["epochs"] = cfg["epochs"]
    metrics["lr"] = cfg["lr"]
    arrays["x_test"] = x_test[:48]
    arrays["y_test"] = y_test
    return metrics, arrays


def run(
    seed: int = 0, *, small: bool = False, cache: bool = True, progress: bool = False
) -> DemoResult:
    """Train the four-frame CNN and the single-frame CNN on moving blobs; evaluate both.

    Parameters
    ----------
    seed : int, default 0
        Seeds the clips, the weights and the shuffles.
    small : bool, default False
        A reduced run for the tests (120 clips, 1 epoch).
    cache : bool, default True
    progress : bool, default False

    Returns
    -------
    DemoResult
        ``metrics``: ``accuracy`` (four frames), ``single_frame_accuracy`` (the same
        architecture trained on one frame), ``repeated_frame_accuracy`` (the four-frame
        network given a still clip), ``chance``, ``reversed_accuracy`` and
        ``reversed_opposite_fraction`` (clips played backwards), ``unseen_speed_accuracy``.
    """
    check_run_arguments(small, cache, progress)
    return cached_run(NAME, seed, small, lambda: _compute(seed, small, progress), cache)
