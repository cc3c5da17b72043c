"""The synthetic microscopy: exact masks, varied nuclei, touching clumps, the degradations."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import ndimage

from cnnbook.usecases.microscopy import make_microscopy, nucleus_distance


@pytest.fixture(scope="module")
def batch():
    return make_microscopy(60, np.random.default_rng(0))


@pytest.fixture(scope="module")
def clean():
    """No blur and no noise: the image shows the objects the masks describe, unsoftened."""
    return make_microscopy(30, np.random.default_rng(1), blur=0.0, noise=(0.0, 0.0))


def test_masks_are_the_labels_foreground_and_counts_are_the_labels(batch) -> None:
    np.testing.assert_array_equal(batch.masks, batch.labels > 0)
    for lab, count in zip(batch.labels, batch.counts, strict=True):
        # Every nucleus keeps pixels of its own: labels 1..count all present, nothing else.
        np.testing.assert_array_equal(np.unique(lab[lab > 0]), np.arange(1, count + 1))


def test_masks_are_exact_every_nucleus_edge_is_an_edge_of_the_clean_image(clean) -> None:
    """Without blur and noise, each mask pixel is brighter than its 4-neighbours outside it."""
    for image, mask in zip(clean.images, clean.masks, strict=True):
        for axis in (0, 1):
            for shift in (1, -1):
                inside = mask & ~np.roll(mask, shift, axis=axis)
                # Skip the wrap-around of np.roll at the image border.
                edge = [slice(None), slice(None)]
                edge[axis] = 0 if shift == 1 else -1
                inside[tuple(edge)] = False
                neighbour = np.roll(image, shift, axis=axis)
                assert (image[inside] > neighbour[inside]).all()


def test_nuclei_vary_in_size_and_brightness(clean) -> None:
    areas, levels = [], []
    for image, lab in zip(clean.images, clean.labels, strict=True):
        ids = np.arange(1, lab.max() + 1)
        areas += ndimage.sum(np.ones_like(lab), lab, ids).tolist()
        background = np.median(image[lab == 0])
        levels += (ndimage.mean(image, lab, ids) - background).tolist()
    assert min(areas) < 40 and max(areas) > 120  # radii from 3 to 7.5 pixels
    assert np.percentile(levels, 90) > 3 * np.percentile(levels, 10)  # dim and bright nuclei


def test_touching_nuclei_are_present_and_merge_in_the_exact_mask(batch) -> None:
    merged = [
        ndimage.label(m, structure=np.ones((3, 3)))[1] < c
        for m, c in zip(batch.masks, batch.counts, strict=True)
    ]
    assert np.mean(merged) > 0.3
    # And the labels show nuclei touching: 4-neighbouring pixels of two different nuclei.
    lab = batch.labels
    pairs = (lab[:, 1:] != lab[:, :-1]) & (lab[:, 1:] > 0) & (lab[:, :-1] > 0)
    assert pairs.any()


def test_without_touching_every_nucleus_is_its_own_component() -> None:
    data = make_microscopy(20, np.random.default_rng(2), touching=0.0)
    for m, c in zip(data.masks, data.counts, strict=True):
        assert ndimage.label(m, structure=np.ones((3, 3)))[1] == c


def test_illumination_is_uneven_and_noise_is_added(clean, batch) -> None:
    # The background level differs across a clean image (the gain ramp and the haze).
    spreads = [np.ptp(im[~m]) for im, m in zip(clean.images, clean.masks, strict=True)]
    assert np.median(spreads) > 0.03
    # With noise, neighbouring background pixels differ far more than without.
    rough = np.median(
        [np.std(np.diff(im[~m])) for im, m in zip(batch.images, batch.masks, strict=True)]
    )
    smooth = np.median(
        [np.std(np.diff(im[~m])) for im, m in zip(clean.images, clean.masks, strict=True)]
    )
    assert rough > 5 * smooth


def test_generator_is_reproducible_from_its_generator() -> None:
    a = make_microscopy(3, np.random.default_rng(7))
    b = make_microscopy(3, np.random.default_rng(7))
    for x, y in zip(a, b, strict=True):
        np.testing.assert_array_equal(x, y)


def test_no_nuclei_gives_empty_masks() -> None:
    data = make_microscopy(2, np.random.default_rng(0), nuclei=(0, 0))
    assert not data.masks.any() and data.counts.tolist() == [0, 0]


@pytest.mark.parametrize("radius", [3.0, 5.5, 8.0])
def test_a_round_nucleus_covers_about_pi_r_squared_pixels(radius: float) -> None:
    rows, cols = np.mgrid[0:40, 0:40]
    inside = nucleus_distance(rows, cols, (20.3, 19.6), (radius, radius), 0.0) < 1
    assert inside.sum() == pytest.approx(np.pi * radius**2, rel=0.12)


def test_turning_a_nucleus_by_half_a_turn_changes_nothing() -> None:
    rows, cols = np.mgrid[0:30, 0:30]
    args = ((15.0, 15.0), (7.0, 3.0))
    a = nucleus_distance(rows, cols, *args, 0.4, (0.1, 0.3, 0.0, 0.0))
    b = nucleus_distance(rows, cols, *args, 0.4 + np.pi, (0.1, 0.3, 0.0, 0.0))
    np.testing.assert_allclose(a, b, atol=1e-9)
