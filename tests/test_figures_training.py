from __future__ import annotations

import io

import numpy as np
import pytest
from matplotlib.figure import Figure

from cnnbook import nn
from cnnbook.figures.training import (
    confusion_matrix_figure,
    learned_filters_figure,
    network_feature_maps_figure,
    training_curves_figure,
)
from cnnbook.models import reference_cnn
from cnnbook.train import History, confusion_matrix


def render(fig: Figure) -> None:
    fig.savefig(io.BytesIO(), format="png")


def images(ax: object) -> list[np.ndarray]:
    return [np.asarray(im.get_array()) for im in ax.get_images()]  # type: ignore[attr-defined]


def test_training_curves_draw_the_history_lists() -> None:
    history = History(
        train_loss=[2.0, 1.0, 0.5],
        train_accuracy=[0.3, 0.7, 0.9],
        test_loss=[2.1, 1.2, 0.7],
        test_accuracy=[0.25, 0.65, 0.875],
    )
    fig = training_curves_figure(history)
    render(fig)
    ax_loss, ax_acc = fig.axes[:2]
    for ax, key in ((ax_loss, "loss"), (ax_acc, "accuracy")):
        lines = {line.get_label(): line for line in ax.get_lines()}
        assert set(lines) == {"train", "test"}
        for part in ("train", "test"):
            np.testing.assert_array_equal(lines[part].get_xdata(), [1, 2, 3])
            np.testing.assert_array_equal(
                lines[part].get_ydata(), getattr(history, f"{part}_{key}")
            )
    assert "87.50%" in ax_acc.get_title()


def test_training_curves_without_test_data_draw_only_train_lines() -> None:
    fig = training_curves_figure(History(train_loss=[1.0, 0.5], train_accuracy=[0.5, 0.8]))
    render(fig)
    assert [line.get_label() for line in fig.axes[0].get_lines()] == ["train"]


def test_learned_filters_show_each_first_layer_kernel_on_one_symmetric_scale() -> None:
    model = reference_cnn(np.random.default_rng(0))
    fig = learned_filters_figure(model, columns=8)
    render(fig)
    weight = model[0].weight.data
    shown = [im for ax in fig.axes for im in images(ax)]
    assert len(shown) == 32
    for o, image in enumerate(shown):
        np.testing.assert_array_equal(image, weight[o, 0])
    clim = fig.axes[0].get_images()[0].get_clim()
    assert clim == pytest.approx((-np.abs(weight).max(), np.abs(weight).max()))


def test_learned_filters_need_a_convolution() -> None:
    with pytest.raises(ValueError, match="model has no Conv2d layer"):
        learned_filters_figure(nn.Sequential(nn.Flatten()))


def test_feature_maps_are_the_layer_outputs_of_the_image() -> None:
    model = reference_cnn(np.random.default_rng(0))
    image = np.random.default_rng(1).random((1, 8, 8)).astype(np.float32)
    fig = network_feature_maps_figure(model, image, max_maps=4)
    render(fig)
    assert model.training  # mode restored
    rows = np.asarray(fig.axes).reshape(-1, 4)
    np.testing.assert_array_equal(images(rows[0, 0])[0], image[0])
    model.eval()
    # default rows: ReLU (1), MaxPool2d (2), ReLU (4), MaxPool2d (5)
    for row, index in zip(rows[1:], (1, 2, 4, 5), strict=True):
        expected = model[: index + 1](image[None])[0]
        assert row[0].get_title(loc="left").startswith(f"[{index}] {type(model[index]).__name__}")
        for k, ax in enumerate(row):
            np.testing.assert_array_equal(images(ax)[0], expected[k])


def test_feature_maps_of_chosen_layers_only() -> None:
    model = reference_cnn(np.random.default_rng(0))
    fig = network_feature_maps_figure(model, np.zeros((1, 8, 8), np.float32), layers=[0])
    render(fig)
    titles = [ax.get_title(loc="left") for ax in fig.axes if ax.get_title(loc="left")]
    assert titles == ["[0] Conv2d: 32×8×8"]


def test_confusion_matrix_figure_writes_every_count() -> None:
    y_true = np.array([0, 0, 1, 1, 2, 2, 2])
    y_pred = np.array([0, 1, 1, 1, 2, 0, 2])
    m = confusion_matrix(y_true, y_pred, 3)
    fig = confusion_matrix_figure(m, labels=["a", "b", "c"])
    render(fig)
    ax = fig.axes[0]
    np.testing.assert_array_equal(images(ax)[0], m)
    assert [int(t.get_text()) for t in ax.texts] == m.ravel().tolist()
    assert ax.get_title() == "5/7 correct"
    assert [t.get_text() for t in ax.get_xticklabels()] == ["a", "b", "c"]
