"""The Dropout page's claims: the expectation is kept, and what the overfitting run measured."""

from __future__ import annotations

import numpy as np
import pytest

from cnnbook import dropout_comparison, dropout_mlp, nn, overfitting_run


@pytest.mark.parametrize("p", [0.2, 0.5, 0.8])
def test_inverted_dropout_keeps_the_expected_activation(p):
    x = np.linspace(-1.0, 2.0, 7)
    draws = 20_000
    y = nn.Dropout(p, rng=np.random.default_rng(0))(np.tile(x, (draws, 1)))
    # Each output is x/(1-p) with probability 1-p: standard deviation |x| sqrt(p/(1-p)).
    sd = np.abs(x) * np.sqrt(p / (1 - p)) / np.sqrt(draws)
    assert np.all(np.abs(y.mean(axis=0) - x) <= 5 * sd + 1e-15)
    assert np.allclose(np.unique(y[:, -1]), [0.0, x[-1] / (1 - p)])


def test_without_the_rescaling_the_expectation_would_shrink_by_one_minus_p():
    x = np.ones(50_000)
    kept = nn.Dropout(0.3, rng=np.random.default_rng(1))(x) != 0  # the mask alone
    assert abs(kept.mean() - 0.7) < 0.01


def test_the_network_has_a_dropout_after_each_hidden_layer():
    model = dropout_mlp(0.25, hidden=8, rng=0)
    kinds = [type(m).__name__ for m in model]
    assert kinds == ["Flatten", "Linear", "ReLU", "Dropout", "Linear", "ReLU", "Dropout", "Linear"]
    assert [m.p for m in model if isinstance(m, nn.Dropout)] == [0.25, 0.25]


def test_runs_with_and_without_dropout_start_from_the_same_network_and_split():
    a = overfitting_run(0.0, seed=4, train_size=60, epochs=1, hidden=16)
    b = overfitting_run(0.5, seed=4, train_size=60, epochs=1, hidden=16)
    # Entry 0 is the untrained network in eval mode: identical when the weights and split are.
    for name in a._fields:
        assert getattr(a, name)[0] == getattr(b, name)[0]
    assert a.train_loss[1] != b.train_loss[1]  # then dropout changes the training


def test_a_run_is_reproducible_from_its_seed():
    a = overfitting_run(0.5, seed=2, train_size=60, epochs=2, hidden=16)
    b = overfitting_run(0.5, seed=2, train_size=60, epochs=2, hidden=16)
    for u, v in zip(a, b, strict=True):
        np.testing.assert_array_equal(u, v)


def test_the_cached_comparison_is_the_uncached_run(tmp_path, monkeypatch):
    monkeypatch.setenv("CNNBOOK_CACHE", str(tmp_path))
    args = {"train_size": 60, "epochs": 2, "hidden": 16}
    first = dropout_comparison((0.0, 0.5), (1,), **args)
    again = dropout_comparison((0.0, 0.5), (1,), **args)
    assert len(list(tmp_path.glob("*.json"))) == 2
    direct = overfitting_run(0.5, 1, **args)
    for u, v, w in zip(first[0.5, 1], again[0.5, 1], direct, strict=True):
        np.testing.assert_array_equal(u, w)
        np.testing.assert_array_equal(v, w)


@pytest.fixture(scope="module")
def page_runs():
    """The page's runs (default arguments, seeds 0-2), from the shared cache when built."""
    return dropout_comparison((0.0, 0.5), (0, 1, 2))


def test_without_dropout_the_network_memorises_its_training_digits(page_runs):
    for seed in (0, 1, 2):
        run = page_runs[0.0, seed]
        assert run.train_accuracy[-1] == 1.0
        assert run.train_loss[-1] < 0.01
        assert run.test_accuracy[-1] < 0.97  # while a few percent of the held-out ones are wrong


def test_dropout_keeps_the_training_loss_higher(page_runs):
    for seed in (0, 1, 2):
        assert page_runs[0.5, seed].train_loss[-1] > page_runs[0.0, seed].train_loss[-1]


def test_without_dropout_the_held_out_loss_bottoms_out_earlier_and_then_rises(page_runs):
    for seed in (0, 1, 2):
        plain, dropped = page_runs[0.0, seed], page_runs[0.5, seed]
        assert np.argmin(plain.test_loss) < np.argmin(dropped.test_loss)
        assert plain.test_loss[-1] > plain.test_loss.min()


def test_on_held_out_accuracy_dropout_changes_less_than_three_points(page_runs):
    for seed in (0, 1, 2):
        change = page_runs[0.5, seed].test_accuracy[-1] - page_runs[0.0, seed].test_accuracy[-1]
        assert abs(change) < 0.03


def test_with_dropout_the_lowest_held_out_loss_is_lower(page_runs):
    for seed in (0, 1, 2):
        assert page_runs[0.5, seed].test_loss.min() < page_runs[0.0, seed].test_loss.min()
