"""Bad input to the use-case demonstrations of usecases-a and their helpers is named."""

from __future__ import annotations

import numpy as np
import pytest

from cnnbook import nn, usecases
from cnnbook.figures import usecases_classification, usecases_inductive_bias, usecases_video
from cnnbook.usecases import canvas, classification, inductive_bias, training, video

X = np.zeros((2, 1, 4, 4))
RNG = np.random.default_rng(0)
MODEL = nn.Sequential(nn.Flatten(), nn.Linear(16, 2))
DATA = (np.zeros((4, 1, 4, 4), np.float32), np.zeros(4, np.int64))

CASES = [  # (public dotted name, zero-arg call, exception type, regex the message matches)
    (
        "cnnbook.usecases.run",
        lambda: usecases.run("no-such-demo"),
        ValueError,
        r"name \(='no-such-demo'\) is not a demonstration",
    ),
    (
        "cnnbook.usecases.canvas.random_positions",
        lambda: canvas.random_positions(3, 9, 8, RNG),
        ValueError,
        r"image_size \(=9\) must not exceed canvas_size \(=8\)",
    ),
    (
        "cnnbook.usecases.canvas.random_positions",
        lambda: canvas.random_positions(3, 2, 8, 0),
        TypeError,
        r"rng \(=0\) must be a numpy.random.Generator",
    ),
    (
        "cnnbook.usecases.canvas.place_on_canvas",
        lambda: canvas.place_on_canvas(X, 5, np.array([[0, 0], [2, 2]])),
        ValueError,
        r"positions must keep every 4x4 image inside the 5x5 canvas",
    ),
    (
        "cnnbook.usecases.canvas.place_on_canvas",
        lambda: canvas.place_on_canvas(X, 3, np.zeros((2, 2), int)),
        ValueError,
        r"canvas_size \(=3\) must be at least the image side",
    ),
    (
        "cnnbook.usecases.canvas.place_on_canvas",
        lambda: canvas.place_on_canvas(X, 6, np.zeros((2, 2))),
        TypeError,
        r"positions has dtype float64; expected integers",
    ),
    (
        "cnnbook.usecases.canvas.place_on_canvas",
        lambda: canvas.place_on_canvas(X[0], 6, np.zeros((2, 2), int)),
        ValueError,
        r"x has shape \(1, 4, 4\); expected \(N, C, H, W\)",
    ),
    (
        "cnnbook.usecases.canvas.shift_images",
        lambda: canvas.shift_images(X, np.zeros((3, 2), int)),
        ValueError,
        r"offsets has shape \(3, 2\); expected \(2, 2\)",
    ),
    (
        "cnnbook.usecases.canvas.shift_images",
        lambda: canvas.shift_images(X, np.full((2, 2), 9)),
        ValueError,
        r"offsets \(largest 9\) move an image entirely off",
    ),
    (
        "cnnbook.usecases.canvas.ink_lost",
        lambda: canvas.ink_lost(X, X[:1]),
        ValueError,
        r"moved has shape \(1, 1, 4, 4\); expected the shape of original",
    ),
    (
        "cnnbook.usecases.canvas.ink_lost",
        lambda: canvas.ink_lost(X - 1, X),
        ValueError,
        r"original and moved must be non-negative",
    ),
    (
        "cnnbook.usecases.canvas.permute_pixels",
        lambda: canvas.permute_pixels(X, np.arange(15)),
        ValueError,
        r"permutation \(shape \(15,\)\) must be a permutation of 0..15",
    ),
    (
        "cnnbook.usecases.canvas.permute_pixels",
        lambda: canvas.permute_pixels(X, [[1, 2], [3]]),
        ValueError,
        r"permutation is a ragged nested sequence",
    ),
    (
        "cnnbook.usecases.training.check_run_arguments",
        lambda: training.check_run_arguments("no", True, False),
        TypeError,
        r"small \(='no'\) must be a bool",
    ),
    (
        "cnnbook.usecases.training.parameter_total",
        lambda: training.parameter_total("model"),
        TypeError,
        r"model \(=str\) must be a cnnbook.nn.Module",
    ),
    (
        "cnnbook.usecases.training.train",
        lambda: training.train(MODEL, DATA, None, epochs=0, lr=0.1, rng=RNG),
        ValueError,
        r"epochs \(=0\) must be a positive int",
    ),
    (
        "cnnbook.usecases.inductive_bias.cnn",
        lambda: inductive_bias.cnn(10, RNG),
        ValueError,
        r"image_size \(=10\) must be a multiple of 4",
    ),
    (
        "cnnbook.usecases.inductive_bias.mlp",
        lambda: inductive_bias.mlp(0, RNG),
        ValueError,
        r"image_size \(=0\) must be a positive int",
    ),
    (
        "cnnbook.usecases.inductive_bias.run",
        lambda: inductive_bias.run(seed=-1),
        ValueError,
        r"seed \(=-1\) must be a non-negative int",
    ),
    (
        "cnnbook.usecases.inductive_bias.run",
        lambda: inductive_bias.run(small="yes"),
        TypeError,
        r"small \(='yes'\) must be a bool",
    ),
    (
        "cnnbook.usecases.classification.run",
        lambda: classification.run(seed=1.5),
        ValueError,
        r"seed \(=1.5\) must be a non-negative int",
    ),
    (
        "cnnbook.usecases.classification.run",
        lambda: classification.run(cache="False"),
        TypeError,
        r"cache \(='False'\) must be a bool",
    ),
    (
        "cnnbook.usecases.video.run",
        lambda: video.run(progress=1),
        TypeError,
        r"progress \(=1\) must be a bool",
    ),
    (
        "cnnbook.usecases.video.run",
        lambda: video.run(seed=True),
        ValueError,
        r"seed \(=True\) must be a non-negative int",
    ),
    (
        "cnnbook.usecases.video.make_clips",
        lambda: video.make_clips(0, RNG),
        ValueError,
        r"n \(=0\) must be a positive int",
    ),
    (
        "cnnbook.usecases.video.make_clips",
        lambda: video.make_clips(4, RNG, speeds=()),
        ValueError,
        r"speeds \(=\(\)\) must be a non-empty tuple",
    ),
    (
        "cnnbook.usecases.video.make_clips",
        lambda: video.make_clips(4, RNG, noise=float("nan")),
        ValueError,
        r"noise \(=nan\) must be a finite non-negative number",
    ),
    (
        "cnnbook.usecases.video.make_clips",
        lambda: video.make_clips(4, 7),
        TypeError,
        r"rng \(=7\) must be a numpy.random.Generator",
    ),
    (
        "cnnbook.usecases.video.motion_cnn",
        lambda: video.motion_cnn(0, RNG),
        ValueError,
        r"in_channels \(=0\) must be a positive int",
    ),
]


#: The figures of the three pages (not a public namespace of the coverage suite).
FIGURE_CASES = [
    (
        "cnnbook.figures.usecases_inductive_bias.inductive_bias_data_figure",
        lambda: usecases_inductive_bias.inductive_bias_data_figure(seed=-2),
        ValueError,
        r"seed \(=-2\)",
    ),
    (
        "cnnbook.figures.usecases_inductive_bias.inductive_bias_training_figure",
        lambda: usecases_inductive_bias.inductive_bias_training_figure(seed=-2),
        ValueError,
        r"seed \(=-2\)",
    ),
    (
        "cnnbook.figures.usecases_inductive_bias.inductive_bias_learning_curve_figure",
        lambda: usecases_inductive_bias.inductive_bias_learning_curve_figure(seed=-2),
        ValueError,
        r"seed \(=-2\)",
    ),
    (
        "cnnbook.figures.usecases_inductive_bias.inductive_bias_examples_figure",
        lambda: usecases_inductive_bias.inductive_bias_examples_figure(seed=-2),
        ValueError,
        r"seed \(=-2\)",
    ),
    (
        "cnnbook.figures.usecases_classification.classification_ink_figure",
        lambda: usecases_classification.classification_ink_figure(seed=-2),
        ValueError,
        r"seed \(=-2\)",
    ),
    (
        "cnnbook.figures.usecases_classification.classification_training_figure",
        lambda: usecases_classification.classification_training_figure(seed=-2),
        ValueError,
        r"seed \(=-2\)",
    ),
    (
        "cnnbook.figures.usecases_classification.classification_examples_figure",
        lambda: usecases_classification.classification_examples_figure(seed=-2),
        ValueError,
        r"seed \(=-2\)",
    ),
    (
        "cnnbook.figures.usecases_video.video_clips_figure",
        lambda: usecases_video.video_clips_figure(kind="all"),
        ValueError,
        r"kind \(='all'\) must be 'successes' or 'failures'",
    ),
    (
        "cnnbook.figures.usecases_video.video_training_figure",
        lambda: usecases_video.video_training_figure(seed=-2),
        ValueError,
        r"seed \(=-2\)",
    ),
]


@pytest.mark.parametrize(("name", "call", "exc", "match"), CASES, ids=[c[0] for c in CASES])
def test_bad_input_is_named(name, call, exc, match):
    with pytest.raises(exc, match=match):
        call()


@pytest.mark.parametrize(
    ("name", "call", "exc", "match"), FIGURE_CASES, ids=[c[0] for c in FIGURE_CASES]
)
def test_bad_figure_input_is_named(name, call, exc, match):
    with pytest.raises(exc, match=match):
        call()
