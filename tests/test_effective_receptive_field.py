"""effective_receptive_field: the gradient map of one unit, by the package's own backward."""

from __future__ import annotations

import numpy as np
import pytest
import scipy.signal

from cnnbook import EffectiveField, effective_receptive_field, image_patches, nn, receptive_field


def _ones_stack(depth):
    convs = [nn.Conv2d(1, 1, 3, padding=1, bias=False, dtype=np.float64) for _ in range(depth)]
    for conv in convs:
        conv.weight.data[:] = 1.0
    return nn.Sequential(*convs)


@pytest.mark.parametrize("depth", [1, 2, 3, 5])
def test_equal_weights_give_the_n_fold_box_convolution_inside_the_theoretical_box(depth):
    size = 2 * depth + 5
    field = effective_receptive_field(_ones_stack(depth), size, samples=2)
    expected = np.zeros((size, size))
    expected[size // 2, size // 2] = 1.0
    for _ in range(depth):
        expected = scipy.signal.convolve2d(expected, np.ones((3, 3)), "same")
    np.testing.assert_allclose(field.magnitude, expected)
    np.testing.assert_allclose(field.energy, expected**2)
    (top, bottom), (left, right) = receptive_field(_ones_stack(depth))[-1].bounds(
        size // 2, size // 2
    )
    assert field.fraction_inside((top, bottom), (left, right)) == pytest.approx(1.0)


def _small_net(seed):
    rng = np.random.default_rng(seed)
    return nn.Sequential(
        nn.Conv2d(2, 3, 3, padding=1, rng=rng, dtype=np.float64),
        nn.ReLU(),
        nn.Conv2d(3, 2, 3, padding=1, rng=rng, dtype=np.float64),
    )


def test_maps_equal_finite_differences_of_the_unit():
    model = _small_net(0)
    x = np.random.default_rng(1).standard_normal((3, 2, 7, 7))
    field = effective_receptive_field(model, inputs=x, unit=(3, 2), channel=1)
    grads = np.zeros_like(x)
    eps = 1e-6
    for idx in np.ndindex(x.shape):
        up, down = x.copy(), x.copy()
        up[idx] += eps
        down[idx] -= eps
        grads[idx] = (model(up)[idx[0], 1, 3, 2] - model(down)[idx[0], 1, 3, 2]) / (2 * eps)
    np.testing.assert_allclose(field.magnitude, np.abs(grads).sum(1).mean(0), atol=1e-7)
    np.testing.assert_allclose(field.energy, (grads**2).sum(1).mean(0), atol=1e-7)
    assert field.unit == (3, 2)


def test_spread_of_a_known_distribution_is_its_standard_deviation():
    energy = np.zeros((5, 5))
    energy[2, 0], energy[2, 4] = 1.0, 1.0  # columns 0 and 4: mean 2, std 2
    field = EffectiveField(energy, energy, (2, 2))
    assert field.centre == (2.0, 2.0)
    assert field.spread == (0.0, 2.0)
    assert field.fraction_inside((0, 4), (0, 2)) == 0.5


def test_model_mode_parameter_gradients_and_inputs_are_left_as_they_were():
    model = nn.Sequential(_small_net(2), nn.Dropout(0.5))
    model.train()
    params = list(model.parameters())
    params[0].grad = np.full(params[0].shape, 7.0)
    x = np.random.default_rng(3).standard_normal((2, 2, 6, 6))
    x0 = x.copy()
    first = effective_receptive_field(model, inputs=x)
    assert all(m.training for m in model.modules())
    np.testing.assert_array_equal(params[0].grad, 7.0)
    assert all(p.grad is None for p in params[1:])
    np.testing.assert_array_equal(x, x0)
    # evaluation mode: dropout off, so the measurement is repeatable
    np.testing.assert_array_equal(effective_receptive_field(model, inputs=x).energy, first.energy)


def test_random_inputs_are_seeded_and_follow_the_models_dtype():
    model = nn.Sequential(nn.Conv2d(1, 1, 3, padding=1, rng=np.random.default_rng(0)))
    a = effective_receptive_field(model, 5, seed=4)
    b = effective_receptive_field(model, 5, seed=4)
    np.testing.assert_array_equal(a.energy, b.energy)


def test_image_patches_are_crops_of_the_images_plus_the_requested_noise():
    images = [np.arange(100.0).reshape(10, 10), -np.arange(64.0).reshape(8, 8)]
    patches = image_patches(images, 4, count=20, seed=0)
    assert patches.shape == (20, 1, 4, 4)
    for p in patches[:, 0]:
        # a crop of arange: rows step by the image width, columns by one
        assert np.all(np.diff(p, axis=1) == np.sign(p[0, 1] - p[0, 0]))
        assert p[1, 0] - p[0, 0] in (10.0, -8.0)
    clean = image_patches(images, 4, count=200, seed=0)
    noise = image_patches(images, 4, count=200, noise=0.5, seed=0) - clean  # same crops
    assert np.std(noise) == pytest.approx(0.5, rel=0.05)
    assert abs(np.mean(noise)) < 0.05


@pytest.mark.slow
def test_trained_denoiser_body_concentrates_on_the_centre_cell_inside_its_box():
    # The claims of the Effective Receptive Field page about the trained denoiser
    # (reads the cached run of the Image Denoising demonstration, trains it if missing).
    from cnnbook.figures.effective_receptive_field import PATCH, denoiser_fields

    fields = denoiser_fields(seed=0)
    c = PATCH // 2

    def centre_share(name):
        return fields[name].fraction_inside((c, c), (c, c))

    assert np.mean(fields["trained body"].spread) < np.mean(fields["untrained body"].spread)
    assert centre_share("trained body") > 0.5 > centre_share("untrained body")
    denoiser = fields["trained denoiser"]
    # a smoothing window: a sharp centre, yet a part of the energy outside the centre 3 x 3
    assert denoiser.fraction_inside((c - 1, c + 1), (c - 1, c + 1)) < 0.95
    for field in fields.values():
        assert field.fraction_inside((c - 5, c + 5), (c - 5, c + 5)) == pytest.approx(1.0)


def test_random_inputs_take_the_channels_of_the_first_convolution():
    from cnnbook import deep_stack

    field = effective_receptive_field(deep_stack(2, channels=3), 7, samples=2)
    explicit = effective_receptive_field(deep_stack(2, channels=3), 7, in_channels=3, samples=2)
    np.testing.assert_array_equal(field.energy, explicit.energy)
