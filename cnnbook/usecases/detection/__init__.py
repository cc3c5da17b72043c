"""Object detection: a fully convolutional face detector against the bundled LBP cascade.

The classifier is trained on real face crops of `skimage.data.lfw_subset` (70 of its 100
faces; the other 30 are held out) against non-face crops, background windows and hard
negatives mined from training scenes. Its dense head is rewritten as convolutions, so
one pass over an image scores every window (a heat map); an image pyramid handles
scale, and non-maximum suppression removes duplicates. It is measured on held-out
scenes (held-out faces pasted at random positions and sizes on held-out backgrounds),
where the boxes are known exactly, against scikit-image's bundled OpenCV LBP
frontal-face cascade on the same scenes.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from skimage import color, data, feature
from threadpoolctl import threadpool_limits

from cnnbook import nn, optim, train
from cnnbook._validation import as_numeric_array, boolean
from cnnbook.usecases.cache import DemoResult, cached_run
from cnnbook.usecases.detection import boxes, detector, scenes

__all__ = ["cascade_detect", "load_classifier", "run"]

NAME = "detection"
TRAIN_FACES = 70

# Full and small sizes: positives per face, random negatives, epochs, mining rounds,
# epochs per round, mining scenes, test scenes.
_FULL = {"per_face": 15, "negatives": 2000, "epochs": 8, "rounds": 3, "round_epochs": 3,
         "mining_scenes": 60, "test_scenes": 60}  # fmt: skip
_SMALL = {"per_face": 2, "negatives": 200, "epochs": 1, "rounds": 1, "round_epochs": 1,
          "mining_scenes": 3, "test_scenes": 3}  # fmt: skip


def cascade_detect(image: np.ndarray) -> np.ndarray:
    """Faces found by scikit-image's bundled LBP frontal-face cascade: boxes ``(D, 4)``.

    `skimage.feature.Cascade.detect_multi_scale` with scale factor 1.2, step ratio 1,
    sizes 20 to 100 pixels and its default neighbour grouping. It gives no scores.
    """
    grey = as_numeric_array("image", image, ndim=2).astype(np.float64)
    cascade = _cascade()
    found = cascade.detect_multi_scale(
        img=grey,
        scale_factor=1.2,
        step_ratio=1,
        min_size=(20, 20),
        max_size=(100, 100),
    )
    rows = [[d["c"], d["r"], d["c"] + d["width"], d["r"] + d["height"]] for d in found]
    return np.array(rows, dtype=np.float64).reshape(-1, 4)


_CASCADE: list[feature.Cascade] = []


def _cascade() -> feature.Cascade:
    if not _CASCADE:
        _CASCADE.append(feature.Cascade(data.lbp_frontal_face_cascade_filename()))
    return _CASCADE[0]


def load_classifier(arrays: dict[str, np.ndarray]) -> nn.Sequential:
    """Rebuild the trained window classifier (evaluation mode) from a run's arrays."""
    model = detector.make_classifier(np.random.default_rng(0))
    model.load_state_dict(
        {k[len("weight:") :]: v for k, v in arrays.items() if k.startswith("weight:")}
    )
    model.eval()
    return model


def _flatten(found: list[tuple[np.ndarray, np.ndarray]]) -> dict[str, np.ndarray]:
    # Per-scene detections as flat arrays (npz holds no ragged lists): boxes, scores, scene.
    return {
        "boxes": np.concatenate([b for b, _ in found]).reshape(-1, 4),
        "scores": np.concatenate([s for _, s in found]),
        "scene": np.concatenate([np.full(len(s), i) for i, (_, s) in enumerate(found)]).astype(
            np.int64
        ),
    }


def _operating_threshold(
    found: list[tuple[np.ndarray, np.ndarray]], truth: list[np.ndarray]
) -> float:
    # The score threshold of best F1 on the training scenes (never on the test scenes).
    matched = boxes.match_detections(found, truth, 0.5)
    hits = np.cumsum(matched.true_positive)
    f1 = 2 * hits / (np.arange(1, len(hits) + 1) + matched.ground_truths)
    return float(matched.scores[int(np.argmax(f1))]) if len(f1) else 0.5


def _precision_recall(
    found: list[tuple[np.ndarray, np.ndarray]], truth: list[np.ndarray], threshold: float
) -> tuple[float, float]:
    kept = [(b[s >= threshold], s[s >= threshold]) for b, s in found]
    matched = boxes.match_detections(kept, truth, 0.5)
    hits = int(matched.true_positive.sum())
    precision = hits / len(matched.scores) if len(matched.scores) else 0.0
    return precision, hits / matched.ground_truths


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
    faces, non_faces = scenes.face_crops()
    order = rng.permutation(len(faces))
    train_faces, test_faces = faces[order[:TRAIN_FACES]], faces[order[TRAIN_FACES:]]
    train_backgrounds, test_backgrounds = scenes.background_halves()
    levels = detector.background_pyramid(train_backgrounds)

    x, y = detector.training_windows(
        rng, train_faces, non_faces, levels, size["per_face"], size["negatives"]
    )
    model = detector.make_classifier(rng)
    optimizer = optim.Adam(model.parameters(), lr=2e-3)
    loss_fn = nn.CrossEntropyLoss()
    # Every window, face or not, gets a fresh random brightness and contrast each epoch.
    jitter = detector.photometric_jitter
    history = train.fit(
        model,
        loss_fn,
        optimizer,
        (x, y),
        size["epochs"],
        64,
        rng=rng,
        progress=progress,
        transform=jitter,
    )
    losses, accuracies = list(history.train_loss), list(history.train_accuracy)
    mined = []
    mining_scenes = [
        scenes.make_scene(rng, train_faces, tuple(levels)) for _ in range(size["mining_scenes"])
    ]
    for _ in range(size["rounds"]):
        model.eval()
        hard = detector.hard_negatives(detector.fully_convolutional(model), mining_scenes, 1500)
        mined.append(len(hard))
        x = np.concatenate([x, hard])
        y = np.concatenate([y, np.zeros(len(hard), np.int64)])
        model.train()
        more = train.fit(
            model,
            loss_fn,
            optimizer,
            (x, y),
            size["round_epochs"],
            64,
            rng=rng,
            progress=progress,
            transform=jitter,
        )
        losses += more.train_loss
        accuracies += more.train_accuracy
    model.eval()
    network = detector.fully_convolutional(model)

    # The conversion is exact: the heat map at (i, j) is the classifier on that window.
    probe = scenes.make_scene(np.random.default_rng(seed + 1), test_faces, test_backgrounds, 64)[0]
    windows = np.stack([
        probe[r * 4 : r * 4 + 24, c * 4 : c * 4 + 24] for r in range(11) for c in range(11)
    ])  # fmt: skip
    logits = model(detector.normalise(windows)[:, None])
    dense_prob = 1 / (1 + np.exp(logits[:, 0].astype(np.float64) - logits[:, 1]))
    conversion_error = float(np.abs(dense_prob - detector.heat_map(network, probe).ravel()).max())

    test_rng = np.random.default_rng([seed, 2])
    test = [
        scenes.make_scene(test_rng, test_faces, test_backgrounds)
        for _ in range(size["test_scenes"])
    ]
    truth = [b for _, b in test]
    found = [detector.detect(network, image) for image, _ in test]
    baseline = [cascade_detect(image) for image, _ in test]
    baseline_scored = [(b, np.ones(len(b))) for b in baseline]
    threshold = _operating_threshold(
        [detector.detect(network, image) for image, _ in mining_scenes],
        [b for _, b in mining_scenes],
    )
    precision, recall = _precision_recall(found, truth, threshold)
    base_precision, base_recall = _precision_recall(baseline_scored, truth, 1.0)

    # Limits: the same held-out scenes with the faces upside down, and with small faces.
    limit_rng = np.random.default_rng([seed, 3])
    flipped = [
        scenes.make_scene(limit_rng, test_faces[:, ::-1], test_backgrounds)
        for _ in range(size["test_scenes"] // 2)
    ]
    tiny = [
        scenes.make_scene(limit_rng, test_faces, test_backgrounds, face_sizes=(12, 20))
        for _ in range(size["test_scenes"] // 2)
    ]
    flipped_found = [detector.detect(network, image) for image, _ in flipped]
    tiny_found = [detector.detect(network, image) for image, _ in tiny]

    astronaut = color.rgb2gray(data.astronaut())
    if small:  # a quarter of the photograph: the small run only checks the plumbing
        astronaut = detector.pyramid_level(astronaut, 0.25)
    astronaut_cascade = cascade_detect(astronaut)
    astro_boxes, astro_scores = detector.detect(network, astronaut, min_scale=0.12)
    heat = detector.heat_map(network, detector.pyramid_level(astronaut, 0.25))

    metrics = {
        "ap50": boxes.average_precision(found, truth, 0.5),
        "precision": precision,
        "recall": recall,
        "baseline_ap50": boxes.average_precision(baseline_scored, truth, 0.5),
        "baseline_precision": base_precision,
        "baseline_recall": base_recall,
        "test_scenes": len(test),
        "test_faces": int(sum(len(b) for b in truth)),
        "train_faces": TRAIN_FACES,
        "held_out_faces": len(test_faces),
        "training_windows": len(y),
        "hard_negatives": mined,
        "conversion_max_error": conversion_error,
        "upside_down_ap50": boxes.average_precision(flipped_found, [b for _, b in flipped], 0.5),
        "small_faces_ap50": boxes.average_precision(tiny_found, [b for _, b in tiny], 0.5),
        "operating_threshold": threshold,
        "astronaut_faces": int((astro_scores >= threshold).sum()),
        "astronaut_cascade_faces": len(astronaut_cascade),
    }
    found_flat = _flatten(found)
    arrays = {
        "train_loss": np.array(losses),
        "train_accuracy": np.array(accuracies),
        "scenes": (np.stack([im for im, _ in test]) * 255).round().astype(np.uint8),
        "truth_boxes": np.concatenate(truth).reshape(-1, 4),
        "truth_scene": np.concatenate([np.full(len(b), i) for i, b in enumerate(truth)]).astype(
            np.int64
        ),
        "found_boxes": found_flat["boxes"],
        "found_scores": found_flat["scores"],
        "found_scene": found_flat["scene"],
        "baseline_boxes": _flatten(baseline_scored)["boxes"],
        "baseline_scene": _flatten(baseline_scored)["scene"],
        "astronaut_boxes": astro_boxes,
        "astronaut_scores": astro_scores,
        "astronaut_cascade": astronaut_cascade,
        "astronaut_heat": heat,
        **{f"weight:{k}": v for k, v in model.state_dict().items()},
    }
    return metrics, arrays


def run(
    seed: int = 0, *, small: bool = False, cache: bool = True, progress: bool = False
) -> DemoResult:
    """Train (or load) the face detector and measure it against the LBP cascade.

    Parameters
    ----------
    seed : int, default 0
        Seeds the split of the faces, the training windows, the weights and the scenes.
    small : bool, default False
        A reduced run for the tests (its numbers are not the page's).
    cache : bool, default True
    progress : bool, default False

    Returns
    -------
    DemoResult
        Metrics ``ap50``, ``precision``, ``recall``, ``baseline_ap50``, ``test_scenes``
        (and more); arrays: training curves, test scenes, boxes, the astronaut's.
    """
    small, cache, progress = (
        boolean("small", small),
        boolean("cache", cache),
        boolean("progress", progress),
    )
    return cached_run(NAME, seed, small, lambda: _compute(seed, small, progress), cache)
