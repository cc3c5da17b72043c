"""Bad input to the public callables of the segmentation demonstration and its parts."""

import numpy as np
import pytest

from cnnbook.models import UNet
from cnnbook.usecases import microscopy, overlap, segmentation, summary, thresholds

_rng = np.random.default_rng(0)
_grid = np.mgrid[0:8, 0:8]
_net = UNet(1, 1, base_channels=2, depth=1, rng=np.random.default_rng(0))

CASES = [  # (public dotted name, zero-arg call, exception type, regex the message matches)
    (
        "cnnbook.usecases.microscopy.make_microscopy",
        lambda: microscopy.make_microscopy(0, _rng),
        ValueError,
        r"n \(=0\) must be positive",
    ),
    (
        "cnnbook.usecases.microscopy.make_microscopy",
        lambda: microscopy.make_microscopy(2, 0),
        TypeError,
        r"rng \(=0\) must be a numpy.random.Generator",
    ),
    (
        "cnnbook.usecases.microscopy.make_microscopy",
        lambda: microscopy.make_microscopy(2, _rng, size=8),
        ValueError,
        r"size \(=8\) must be >= 16",
    ),
    (
        "cnnbook.usecases.microscopy.make_microscopy",
        lambda: microscopy.make_microscopy(2, _rng, nuclei=(5, 2)),
        ValueError,
        r"nuclei \(=\(5, 2\)\) must be a pair of ints",
    ),
    (
        "cnnbook.usecases.microscopy.make_microscopy",
        lambda: microscopy.make_microscopy(2, _rng, touching=1.5),
        ValueError,
        r"touching \(=1.5\) must be <= 1",
    ),
    (
        "cnnbook.usecases.microscopy.make_microscopy",
        lambda: microscopy.make_microscopy(2, _rng, blur=float("nan")),
        ValueError,
        r"blur \(=nan\) must be finite",
    ),
    (
        "cnnbook.usecases.microscopy.make_microscopy",
        lambda: microscopy.make_microscopy(2, _rng, noise=(0.1, -1.0)),
        ValueError,
        r"noise \(=\(0.1, -1.0\)\) must be a pair of finite numbers",
    ),
    (
        "cnnbook.usecases.microscopy.nucleus_distance",
        lambda: microscopy.nucleus_distance(_grid[0], _grid[1][:4], (3, 3), (2, 2), 0.0),
        ValueError,
        r"rows has shape \(8, 8\) and cols \(4, 8\)",
    ),
    (
        "cnnbook.usecases.microscopy.nucleus_distance",
        lambda: microscopy.nucleus_distance(*_grid, (3, 3), (2, 0), 0.0),
        ValueError,
        r"axes \(=\(2, 0\)\) must be two positive semi-axes",
    ),
    (
        "cnnbook.usecases.microscopy.nucleus_distance",
        lambda: microscopy.nucleus_distance(*_grid, (3, 3), (2, 2), 0.0, (0.6, 0, 0.5, 0)),
        ValueError,
        r"wobble .* \|w2\| \+ \|w3\| < 1",
    ),
    (
        "cnnbook.usecases.overlap.dice",
        lambda: overlap.dice(np.zeros((4, 4), bool), np.zeros((4, 5), bool)),
        ValueError,
        r"pred has shape \(4, 4\) and true \(4, 5\)",
    ),
    (
        "cnnbook.usecases.overlap.dice",
        lambda: overlap.dice([[0.2, 1.0]], [[0, 1]]),
        ValueError,
        r"pred must be a mask",
    ),
    (
        "cnnbook.usecases.overlap.iou",
        lambda: overlap.iou([[0, 1]], [["a", "b"]]),
        TypeError,
        r"true has dtype",
    ),
    (
        "cnnbook.usecases.overlap.iou",
        lambda: overlap.iou([[0, 1]], [[0, 2]]),
        ValueError,
        r"true must be a mask",
    ),
    (
        "cnnbook.usecases.overlap.count_nuclei",
        lambda: overlap.count_nuclei(np.zeros((2, 4, 4), bool)),
        ValueError,
        r"mask has ndim 3 \(shape \(2, 4, 4\)\); expected one 2-D mask",
    ),
    (
        "cnnbook.usecases.overlap.count_nuclei",
        lambda: overlap.count_nuclei([[0, 1], [1]]),
        ValueError,
        r"mask is a ragged nested sequence",
    ),
    (
        "cnnbook.usecases.thresholds.otsu_segment",
        lambda: thresholds.otsu_segment(np.zeros((8, 8)), sigma=-1.0),
        ValueError,
        r"sigma \(=-1.0\) must be >= 0",
    ),
    (
        "cnnbook.usecases.thresholds.otsu_segment",
        lambda: thresholds.otsu_segment(np.full((8, 8), np.inf)),
        ValueError,
        r"image contains NaN or infinite values",
    ),
    (
        "cnnbook.usecases.thresholds.otsu_segment",
        lambda: thresholds.otsu_segment(np.zeros(8)),
        ValueError,
        r"image has ndim 1",
    ),
    (
        "cnnbook.usecases.thresholds.local_threshold_segment",
        lambda: thresholds.local_threshold_segment(np.zeros((8, 8)), block_size=4),
        ValueError,
        r"block_size \(=4\) must be an odd int >= 3",
    ),
    (
        "cnnbook.usecases.thresholds.local_threshold_segment",
        lambda: thresholds.local_threshold_segment(np.zeros((8, 8)), offset=float("inf")),
        ValueError,
        r"offset \(=inf\) must be finite",
    ),
    (
        "cnnbook.usecases.thresholds.local_threshold_segment",
        lambda: thresholds.local_threshold_segment(np.full((8, 8), np.nan)),
        ValueError,
        r"image contains NaN",
    ),
    (
        "cnnbook.usecases.thresholds.local_threshold_segment",
        lambda: thresholds.local_threshold_segment(np.zeros((8, 8)), sigma=-2.0),
        ValueError,
        r"sigma \(=-2.0\) must be >= 0",
    ),
    (
        "cnnbook.usecases.segmentation.segment",
        lambda: segmentation.segment("net", np.zeros((8, 8))),
        TypeError,
        r"model \(=str\) must be a UNet with one input and one output channel",
    ),
    (
        "cnnbook.usecases.segmentation.segment",
        lambda: segmentation.segment(UNet(1, 2, base_channels=2, depth=1), np.zeros((8, 8))),
        TypeError,
        r"model \(=UNet\) must be a UNet with one input and one output channel",
    ),
    (
        "cnnbook.usecases.segmentation.segment",
        lambda: segmentation.segment(_net, np.full((8, 8), np.nan)),
        ValueError,
        r"image contains NaN",
    ),
    (
        "cnnbook.usecases.segmentation.hematoxylin",
        lambda: segmentation.hematoxylin(np.zeros((8, 8, 4))),
        ValueError,
        r"rgb has shape \(8, 8, 4\); expected \(H, W, 3\)",
    ),
    (
        "cnnbook.usecases.segmentation.hematoxylin",
        lambda: segmentation.hematoxylin(np.zeros((8, 8))),
        ValueError,
        r"rgb has ndim 2",
    ),
    (
        "cnnbook.usecases.segmentation.load_model",
        lambda: segmentation.load_model({}),
        ValueError,
        r"missing keys",
    ),
    (
        "cnnbook.usecases.summary.block_table",
        lambda: summary.block_table("unet", (1, 8, 8)),
        TypeError,
        r"model \(=str\) must be a cnnbook.nn.Module",
    ),
    (
        "cnnbook.usecases.segmentation.run",
        lambda: segmentation.run(small="yes"),
        TypeError,
        r"small \(='yes'\) must be a bool",
    ),
    (
        "cnnbook.usecases.segmentation.run",
        lambda: segmentation.run(seed=-1, small=True),
        ValueError,
        r"seed \(=-1\)",
    ),
]


@pytest.mark.parametrize(("name", "call", "exc", "match"), CASES, ids=[c[0] for c in CASES])
def test_bad_input_is_named(name, call, exc, match):
    with pytest.raises(exc, match=match):
        call()
