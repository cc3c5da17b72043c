import numpy as np
import pytest

from cnnbook import nn
from cnnbook.saliency import occlusion_map, randomized_saliency, rank_correlation, saliency_map

_M = nn.Sequential(nn.Flatten(), nn.Linear(9, 2, rng=np.random.default_rng(0)))
_X = np.zeros((1, 3, 3), np.float32)

CASES = [  # (public dotted name, zero-arg call, exception type, regex the message matches)
    (
        "cnnbook.saliency.saliency_map",
        lambda: saliency_map(nn.Linear(9, 2), _X, 0),
        TypeError,
        r"model \(=Linear\) must be an nn.Sequential",
    ),
    (
        "cnnbook.saliency.saliency_map",
        lambda: saliency_map(_M, _X[0], 0),
        ValueError,
        r"x must be one float image of shape \(C, H, W\)",
    ),
    (
        "cnnbook.saliency.saliency_map",
        lambda: saliency_map(_M, _X + np.nan, 0),
        ValueError,
        r"x must be finite",
    ),
    (
        "cnnbook.saliency.saliency_map",
        lambda: saliency_map(_M, _X, 2),
        ValueError,
        r"target \(=2\) must be a class index in \[0, 2\)",
    ),
    (
        "cnnbook.saliency.saliency_map",
        lambda: saliency_map(_M, _X, True),
        ValueError,
        r"target \(=True\)",
    ),
    (
        "cnnbook.saliency.occlusion_map",
        lambda: occlusion_map(_M, _X, 0, patch=4),
        ValueError,
        r"patch \(=\(4, 4\)\) must fit in the image of size \(3, 3\)",
    ),
    (
        "cnnbook.saliency.occlusion_map",
        lambda: occlusion_map(_M, _X, 0, patch=0),
        ValueError,
        r"patch",
    ),
    (
        "cnnbook.saliency.occlusion_map",
        lambda: occlusion_map(_M, _X, 0, fill=np.inf),
        ValueError,
        r"fill \(=inf\) must be a finite number",
    ),
    (
        "cnnbook.saliency.rank_correlation",
        lambda: rank_correlation(np.ones(3), np.ones(4)),
        ValueError,
        r"a and b must have the same number \(>= 2\) of values; got 3, 4",
    ),
    (
        "cnnbook.saliency.randomized_saliency",
        lambda: randomized_saliency(_M, _X, -1),
        ValueError,
        r"target \(=-1\)",
    ),
]


@pytest.mark.parametrize(("name", "call", "exc", "match"), CASES, ids=[c[0] for c in CASES])
def test_bad_input_is_named(name, call, exc, match):
    with pytest.raises(exc, match=match):
        call()
