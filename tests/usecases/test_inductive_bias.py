"""The inductive-bias demonstration: CNN versus MLP (page "Why Convolutions: CNN versus MLP")."""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pytest

from cnnbook import usecases
from cnnbook.usecases import cache as cache_module
from cnnbook.usecases.canvas import permute_pixels
from cnnbook.usecases.inductive_bias import DATASETS, cnn, mlp
from tests.usecases.helpers import assert_fraction, cli, cli_json, small_run

KEYS = {"cnn_accuracy", "mlp_accuracy", "cnn_parameters", "mlp_parameters"}


def test_small_run_has_the_keys_and_fractions(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    result = small_run("inductive-bias", tmp_path, monkeypatch)
    for name in DATASETS:
        assert KEYS <= set(result.metrics[name])
        assert_fraction(result.metrics[name]["cnn_accuracy"])
        assert_fraction(result.metrics[name]["mlp_accuracy"])
    curve = result.metrics["learning_curve"]
    assert len(curve["train_sizes"]) == len(curve["cnn"]) == len(curve["mlp"])
    assert curve["train_sizes"][-1] == result.metrics["train_size"]


def test_small_run_is_deterministic_for_a_seed(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("CNNBOOK_CACHE", str(tmp_path))
    a = usecases.run("inductive-bias", seed=1, small=True, cache=False)
    b = usecases.run("inductive-bias", seed=1, small=True, cache=False)
    assert a.metrics == b.metrics
    assert not list(tmp_path.iterdir())  # cache=False stores nothing


def test_cnn_parameters_do_not_depend_on_the_image_size() -> None:
    rng = np.random.default_rng(0)
    sizes = {sum(p.data.size for p in cnn(s, rng).parameters()) for s in (8, 12, 16, 32)}
    assert len(sizes) == 1


def test_permuted_mlp_is_the_same_network_relabelled() -> None:
    """Permuting the pixels and the first layer's columns together changes no output."""
    rng = np.random.default_rng(0)
    x = rng.random((5, 1, 8, 8)).astype(np.float32)
    perm = rng.permutation(64)
    plain = mlp(8, np.random.default_rng(1))
    relabelled = mlp(8, np.random.default_rng(1))
    relabelled[1].weight.data[:] = relabelled[1].weight.data[:, perm]
    np.testing.assert_allclose(relabelled(permute_pixels(x, perm)), plain(x), rtol=1e-5, atol=1e-6)


def _copy_package(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    copy = tmp_path / "cnnbook"
    shutil.copytree(cache_module.PACKAGE, copy, ignore=shutil.ignore_patterns("__pycache__"))
    monkeypatch.setattr(cache_module, "PACKAGE", copy)
    return copy


def test_a_code_edit_changes_the_key_and_a_page_edit_does_not(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    copy = _copy_package(tmp_path, monkeypatch)
    before = cache_module._key("inductive-bias", 0, False)
    # Pages, figures and the site machinery do not define the result.
    (tmp_path / "why-convolutions.md").write_text("# edited page\n")
    with open(copy / "figures" / "usecases_inductive_bias.py", "a") as f:
        f.write("\n# a figure edit\n")
    with open(copy / "site" / "computed.py", "a") as f:
        f.write("\n# a site edit\n")
    assert cache_module._key("inductive-bias", 0, False) == before
    # Another demonstration's module does not either.
    with open(copy / "usecases" / "video.py", "a") as f:
        f.write("\n# another demo's edit\n")
    assert cache_module._key("inductive-bias", 0, False) == before
    # A layer does.
    with open(copy / "nn" / "conv.py", "a") as f:
        f.write("\n# a layer edit\n")
    edited = cache_module._key("inductive-bias", 0, False)
    assert edited != before
    # So does the demonstration's own module.
    with open(copy / "usecases" / "inductive_bias.py", "a") as f:
        f.write("\n# the demo's edit\n")
    assert cache_module._key("inductive-bias", 0, False) not in {before, edited}


def test_keys_differ_by_seed_and_size() -> None:
    keys = {
        cache_module._key("inductive-bias", s, small) for s in (0, 1) for small in (True, False)
    }
    assert len(keys) == 4


def test_demo_list_names_every_demonstration(tmp_path: Path) -> None:
    lines = cli("--list", cache=tmp_path).stdout.splitlines()
    listed = [line.split()[0] for line in lines]
    assert listed == usecases.names()
    assert {"inductive-bias", "classification", "video"} <= set(listed)


def test_demo_small_json_last_line_is_one_object_with_the_keys(tmp_path: Path) -> None:
    record = cli_json("inductive-bias", tmp_path)
    assert record["demo"] == "inductive-bias" and record["small"] is True
    for name in DATASETS:
        assert KEYS <= set(record[name])


# The claims of the page, from the very run the page shows (seed 0, full size, default cache:
# the site build and these tests train it once).


@pytest.fixture(scope="module")
def full() -> dict:
    return usecases.run("inductive-bias").metrics


@pytest.mark.slow
def test_cnn_beats_mlp_on_canvas_by_five_points_with_fewer_parameters(full: dict) -> None:
    canvas = full["canvas"]
    assert canvas["cnn_accuracy"] >= canvas["mlp_accuracy"] + 0.05
    assert canvas["cnn_parameters"] < canvas["mlp_parameters"]


@pytest.mark.slow
def test_permuting_costs_the_cnn_ten_points_and_the_mlp_at_most_two(full: dict) -> None:
    assert full["canvas"]["cnn_accuracy"] - full["canvas_permuted"]["cnn_accuracy"] >= 0.10
    assert abs(full["canvas"]["mlp_accuracy"] - full["canvas_permuted"]["mlp_accuracy"]) <= 0.02
    assert abs(full["digits"]["mlp_accuracy"] - full["digits_permuted"]["mlp_accuracy"]) <= 0.02


@pytest.mark.slow
def test_cnn_needs_fewer_examples_on_the_learning_curve(full: dict) -> None:
    curve = full["learning_curve"]
    assert all(c > m for c, m in zip(curve["cnn"], curve["mlp"], strict=True))
    # The page: with the second size, the CNN beats the MLP trained on every image.
    assert curve["cnn"][1] > curve["mlp"][-1]


@pytest.mark.slow
def test_mlp_is_as_good_as_the_cnn_on_the_8x8_digits(full: dict) -> None:
    digits = full["digits"]
    assert digits["mlp_accuracy"] >= digits["cnn_accuracy"] - 0.02
    assert digits["mlp_parameters"] < digits["cnn_parameters"]
