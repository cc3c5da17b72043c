"""Bad input to the public callables of the detection and verification demonstrations."""

import numpy as np
import pytest

from cnnbook import nn
from cnnbook.usecases import detection, verification
from cnnbook.usecases.detection import boxes, detector, scenes
from cnnbook.usecases.summary import layer_table

_fc = nn.Linear(60, 2, rng=np.random.default_rng(0))
_net = detector.fully_convolutional(detector.make_classifier(np.random.default_rng(0)))
_bg = (np.zeros((200, 200)),)

CASES = [  # (public dotted name, zero-arg call, exception type, regex the message matches)
    (
        "cnnbook.nn.linear_to_conv2d",
        lambda: nn.linear_to_conv2d(_fc, (3, 4, 4)),
        ValueError,
        r"in_features \(=60\)",
    ),
    (
        "cnnbook.nn.linear_to_conv2d",
        lambda: nn.linear_to_conv2d("fc", (3, 4, 5)),
        TypeError,
        r"linear \(=str\)",
    ),
    (
        "cnnbook.nn.TripletMarginLoss",
        lambda: nn.TripletMarginLoss(margin=0.0),
        ValueError,
        r"margin \(=0.0\) must be > 0",
    ),
    (
        "cnnbook.nn.TripletMarginLoss",
        lambda: nn.TripletMarginLoss(reduction="avg"),
        ValueError,
        r"reduction \(='avg'\)",
    ),
    (
        "cnnbook.nn.TripletMarginLoss",
        lambda: nn.TripletMarginLoss()(np.ones((2, 3)), np.ones((2, 3)), np.ones((3, 3))),
        ValueError,
        r"one shape",
    ),
    (
        "cnnbook.nn.TripletMarginLoss",
        lambda: nn.TripletMarginLoss().backward(),
        RuntimeError,
        r"before forward",
    ),
    (
        "cnnbook.usecases.detection.boxes.box_iou",
        lambda: boxes.box_iou([[0, 0, 1]], [[0, 0, 1, 1]]),
        ValueError,
        r"boxes1 has shape \(1, 3\)",
    ),
    (
        "cnnbook.usecases.detection.boxes.box_iou",
        lambda: boxes.box_iou([[2, 0, 1, 1]], [[0, 0, 1, 1]]),
        ValueError,
        r"x1 < x0",
    ),
    (
        "cnnbook.usecases.detection.boxes.box_iou",
        lambda: boxes.box_iou([[0, 0, np.nan, 1]], [[0, 0, 1, 1]]),
        ValueError,
        r"NaN",
    ),
    (
        "cnnbook.usecases.detection.boxes.nms",
        lambda: boxes.nms([[0, 0, 1, 1]], [0.5, 0.2], 0.5),
        ValueError,
        r"scores has 2 entries for 1 boxes",
    ),
    (
        "cnnbook.usecases.detection.boxes.nms",
        lambda: boxes.nms([[0, 0, 1, 1]], [0.5], 1.5),
        ValueError,
        r"iou_threshold \(=1.5\) must be in \[0, 1\]",
    ),
    (
        "cnnbook.usecases.detection.boxes.match_detections",
        lambda: boxes.match_detections([], [[[0, 0, 1, 1]]]),
        ValueError,
        r"detections has 0 images but ground_truths has 1",
    ),
    (
        "cnnbook.usecases.detection.boxes.match_detections",
        lambda: boxes.match_detections([([[0, 0, 1, 1]],)], [[]]),
        ValueError,
        r"detections\[0\] must be a pair",
    ),
    (
        "cnnbook.usecases.detection.boxes.average_precision",
        lambda: boxes.average_precision([], [], interpolation="11-point"),
        ValueError,
        r"interpolation \(='11-point'\)",
    ),
    (
        "cnnbook.usecases.detection.boxes.Matches",
        lambda: boxes.Matches(np.zeros(1)),
        TypeError,
        r"missing 2 required",
    ),
    (
        "cnnbook.usecases.detection.detector.detect",
        lambda: detector.detect(_net, np.zeros((30,))),
        ValueError,
        r"image has ndim 1",
    ),
    (
        "cnnbook.usecases.detection.detector.detect",
        lambda: detector.detect(_net, np.zeros((10, 40))),
        ValueError,
        r"each side must be >= 24",
    ),
    (
        "cnnbook.usecases.detection.detector.detect",
        lambda: detector.detect(_net, np.zeros((30, 30)), threshold=2.0),
        ValueError,
        r"threshold \(=2.0\) must be <= 1.0",
    ),
    (
        "cnnbook.usecases.detection.detector.detect",
        lambda: detector.detect(_net, np.zeros((30, 30)), step=1.0),
        ValueError,
        r"step \(=1.0\) must be >= 1.01",
    ),
    (
        "cnnbook.usecases.detection.detector.heat_map",
        lambda: detector.heat_map(_net, "image"),
        TypeError,
        r"image has dtype",
    ),
    (
        "cnnbook.usecases.detection.detector.fully_convolutional",
        lambda: detector.fully_convolutional(_fc),
        TypeError,
        r"classifier \(=Linear\)",
    ),
    (
        "cnnbook.usecases.detection.detector.make_classifier",
        lambda: detector.make_classifier(0),
        TypeError,
        r"rng \(=0\) must be a numpy.random.Generator",
    ),
    (
        "cnnbook.usecases.detection.detector.photometric_jitter",
        lambda: detector.photometric_jitter(np.zeros((2, 24, 24)), np.random.default_rng(0)),
        ValueError,
        r"windows",
    ),
    (
        "cnnbook.usecases.detection.detector.photometric_jitter",
        lambda: detector.photometric_jitter(np.zeros((2, 1, 24, 24)), 0),
        TypeError,
        r"rng \(=0\) must be a numpy.random.Generator",
    ),
    (
        "cnnbook.usecases.detection.scenes.make_scene",
        lambda: scenes.make_scene(
            np.random.default_rng(0), np.zeros((1, 24, 24)), _bg, face_sizes=(2, 8)
        ),
        ValueError,
        r"face_sizes \(=\(2, 8\)\)",
    ),
    (
        "cnnbook.usecases.detection.scenes.make_scene",
        lambda: scenes.make_scene(
            np.random.default_rng(0), np.zeros((1, 24, 24)), _bg, max_faces=0
        ),
        ValueError,
        r"max_faces \(=0\)",
    ),
    (
        "cnnbook.usecases.detection.run",
        lambda: detection.run(seed=-1, small=True),
        ValueError,
        r"seed \(=-1\)",
    ),
    (
        "cnnbook.usecases.detection.run",
        lambda: detection.run(small="yes"),
        TypeError,
        r"small \(='yes'\) must be a bool",
    ),
    (
        "cnnbook.usecases.detection.cascade_detect",
        lambda: detection.cascade_detect(np.zeros(5)),
        ValueError,
        r"image has ndim 1",
    ),
    (
        "cnnbook.usecases.detection.load_classifier",
        lambda: detection.load_classifier({}),
        ValueError,
        r".",
    ),
    (
        "cnnbook.usecases.verification.run",
        lambda: verification.run(seed=1.5),
        ValueError,
        r"seed \(=1.5\)",
    ),
    (
        "cnnbook.usecases.verification.run",
        lambda: verification.run(cache="no"),
        TypeError,
        r"cache \(='no'\) must be a bool",
    ),
    (
        "cnnbook.usecases.verification.pair_distances",
        lambda: verification.pair_distances(np.ones((3, 2)), [0, 1]),
        ValueError,
        r"labels has 2 entries for 3 embeddings",
    ),
    (
        "cnnbook.usecases.verification.equal_error_rate",
        lambda: verification.equal_error_rate([True, True], [0.1, 0.2]),
        ValueError,
        r"both True and False",
    ),
    (
        "cnnbook.usecases.verification.equal_error_rate",
        lambda: verification.equal_error_rate([True, False], [0.1]),
        ValueError,
        r"same has 2 entries but distance has 1",
    ),
    (
        "cnnbook.usecases.verification.make_embedding",
        lambda: verification.make_embedding(None),
        TypeError,
        r"rng \(=None\)",
    ),
    (
        "cnnbook.usecases.verification.cosine_margin_loss",
        lambda: verification.cosine_margin_loss(np.ones((2, 3)), np.ones((4, 2)), [0, 1]),
        ValueError,
        r"weight has shape \(4, 2\); expected \(classes, 3\)",
    ),
    (
        "cnnbook.usecases.verification.cosine_margin_loss",
        lambda: verification.cosine_margin_loss(np.ones((2, 3)), np.ones((4, 3)), [0, 4]),
        ValueError,
        r"targets must be 2 class indices in \[0, 4\)",
    ),
    (
        "cnnbook.usecases.verification.cosine_margin_loss",
        lambda: verification.cosine_margin_loss(np.ones((1, 3)), np.ones((2, 3)), [0], scale=0),
        ValueError,
        r"scale \(=0.0\) must be > 0",
    ),
    (
        "cnnbook.usecases.verification.dihedral_views",
        lambda: verification.dihedral_views(np.ones((1, 1, 2, 3)), [0]),
        ValueError,
        r"images has shape \(1, 1, 2, 3\); expected \(N, C, H, H\)",
    ),
    (
        "cnnbook.usecases.verification.dihedral_views",
        lambda: verification.dihedral_views(np.ones((2, 1, 2, 2)), [0.5, 1.5]),
        ValueError,
        r"labels must be 2 integers",
    ),
    (
        "cnnbook.usecases.verification.jitter_on_canvas",
        lambda: verification.jitter_on_canvas(np.ones((1, 1, 8, 8)), np.random.default_rng(0), 3),
        ValueError,
        r"jitter \(=3\) moves a 8x8 image off the 12x12 canvas",
    ),
    (
        "cnnbook.usecases.verification.jitter_on_canvas",
        lambda: verification.jitter_on_canvas(np.ones((1, 1, 8, 8)), 0),
        TypeError,
        r"rng \(=0\) must be a numpy.random.Generator",
    ),
    (
        "cnnbook.usecases.verification.aligned_pixel_distances",
        lambda: verification.aligned_pixel_distances(np.ones((2, 1, 3, 3)), [0, 1], reach=-1),
        ValueError,
        r"reach \(=-1\) must be a non-negative integer",
    ),
    (
        "cnnbook.usecases.verification.aligned_pixel_distances",
        lambda: verification.aligned_pixel_distances(np.ones((2, 9)), [0, 1]),
        ValueError,
        r"images has shape \(2, 9\); expected \(N, C, H, W\)",
    ),
    (
        "cnnbook.usecases.summary.layer_table",
        lambda: layer_table(_fc, (60,)),
        TypeError,
        r"model \(=Linear\) must be a cnnbook.nn.Sequential",
    ),
]

# The verification page's parts live in their own modules (re-exported by verification):
# the same calls, under the public path of the module that defines each function.
_DEFINED_IN = {
    "dihedral_views": "digit_identities",
    "jitter_on_canvas": "digit_identities",
    "cosine_margin_loss": "cosine_margin",
    "pair_distances": "pair_distances",
    "aligned_pixel_distances": "pair_distances",
    "equal_error_rate": "pair_distances",
}
CASES += [
    (f"cnnbook.usecases.{_DEFINED_IN[function]}.{function}", call, exc, match)
    for name, call, exc, match in CASES
    if name.startswith("cnnbook.usecases.verification.")
    and (function := name.rsplit(".", 1)[1]) in _DEFINED_IN
]


@pytest.mark.parametrize(("name", "call", "exc", "match"), CASES, ids=[c[0] for c in CASES])
def test_bad_input_is_named(name, call, exc, match):
    with pytest.raises(exc, match=match):
        call()
