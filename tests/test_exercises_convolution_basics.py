"""The exercises of Kernel, Cross-Correlation and Convolution, and Output Size are right.

Each key is recomputed here by an independent route: SciPy's correlate2d/convolve2d, the
positions a window can take counted one by one, PyTorch's parameter count.
"""

from __future__ import annotations

import warnings

import numpy as np
import pytest
from scipy import signal

from cnnbook import KERNELS
from cnnbook.exercises import ChoiceExercise, GridExercise, NumberExercise, catalog
from cnnbook.exercises import convolution_basics as cb

SEEDS = range(40)


def positions(size: int, kernel: int, padding: int, stride: int, dilation: int) -> int:
    """Count the starts of the dilated window on the padded input, one by one."""
    span = dilation * (kernel - 1) + 1
    return sum(
        1 for start in range(0, size + 2 * padding, stride) if start + span <= size + 2 * padding
    )


@pytest.mark.parametrize("seed", SEEDS)
def test_the_output_size_key_counts_the_window_positions(seed: int) -> None:
    params = cb.OUTPUT_SIZE.draw(np.random.default_rng(seed))
    ex = cb.OUTPUT_SIZE.build(params)
    assert ex.answer == positions(**params)
    assert ex.answer not in ex.mistakes


@pytest.mark.parametrize("seed", SEEDS)
def test_the_correlation_grid_is_scipys_and_its_mistake_the_convolution(seed: int) -> None:
    params = cb.CORRELATE.draw(np.random.default_rng(seed))
    ex = cb.CORRELATE.build(params)
    x, k = np.array(params["image"]), np.array(params["kernel"])
    np.testing.assert_array_equal(ex.answer, signal.correlate2d(x, k, "valid"))
    flipped = [g for g, hint in ex.mistakes if "flipped" in hint]
    if not np.array_equal(k, k[::-1, ::-1]):
        np.testing.assert_array_equal(flipped[0], signal.convolve2d(x, k, "valid"))


@pytest.mark.parametrize("seed", SEEDS)
def test_the_convolution_entry_is_scipys_convolve2d(seed: int) -> None:
    params = cb.CONVOLVE.draw(np.random.default_rng(seed))
    ex = cb.CONVOLVE.build(params)
    x, k = np.array(params["image"]), np.array(params["kernel"])
    assert ex.answer == signal.convolve2d(x, k, "valid")[0, 0]
    correlation = signal.correlate2d(x, k, "valid")[0, 0]
    if correlation != ex.answer:
        assert "did not flip" in ex.mistakes[correlation]


@pytest.mark.parametrize("seed", SEEDS)
def test_the_kernel_response_is_the_weighted_sum_of_the_patch(seed: int) -> None:
    params = cb.KERNEL_RESPONSE.draw(np.random.default_rng(seed))
    ex = cb.KERNEL_RESPONSE.build(params)
    assert ex.answer == float(np.sum(np.array(params["patch"]) * KERNELS[params["kernel"]]))


def test_the_shift_kernel_moves_an_image_right_under_scipy_correlation() -> None:
    ex = next(e for e in catalog.exercises_for("kernel") if isinstance(e, GridExercise))
    x = np.random.default_rng(0).integers(1, 9, size=(6, 7))
    moved = signal.correlate2d(x, ex.answer, "same")
    np.testing.assert_array_equal(moved[:, 1:], x[:, :-1])
    np.testing.assert_array_equal(moved[:, 0], 0)


def test_the_rgb_parameter_count_is_torchs() -> None:
    torch = pytest.importorskip("torch")
    ex = [e for e in catalog.exercises_for("kernel") if isinstance(e, NumberExercise)][-1]
    layer = torch.nn.Conv2d(3, 1, 3)
    assert ex.answer == sum(p.numel() for p in layer.parameters())
    assert ex.mistakes[ex.answer - 1] == "You forgot the bias."


def test_same_padding_choice_is_what_torch_does_with_an_even_kernel() -> None:
    torch = pytest.importorskip("torch")
    ex = next(e for e in catalog.exercises_for("output-size") if isinstance(e, ChoiceExercise))
    gen = torch.Generator().manual_seed(0)
    x, w = torch.randn(1, 1, 10, 10, generator=gen), torch.randn(1, 1, 4, 4, generator=gen)
    with warnings.catch_warnings():  # torch warns that it pads a copy for an even kernel
        warnings.simplefilter("ignore", UserWarning)
        same = torch.nn.functional.conv2d(x, w, padding="same")
    one_then_two = torch.nn.functional.conv2d(torch.nn.functional.pad(x, (1, 2, 1, 2)), w)
    torch.testing.assert_close(same, one_then_two)
    assert ex.options[ex.correct] == "1 zero before (top/left) and 2 after (bottom/right)"


def test_the_three_pages_mix_the_three_kinds() -> None:
    kinds = {type(e) for build in cb.PAGES.values() for e in build()}
    assert kinds == {NumberExercise, GridExercise, ChoiceExercise}


# The generators' independent checks (tests/test_exercises_catalog.py holds every generator to one).
INDEPENDENT = {
    "conv-output-size": test_the_output_size_key_counts_the_window_positions,
    "correlate-grid": test_the_correlation_grid_is_scipys_and_its_mistake_the_convolution,
    "convolve-entry": test_the_convolution_entry_is_scipys_convolve2d,
    "kernel-response": test_the_kernel_response_is_the_weighted_sum_of_the_patch,
}
