"""BatchNorm2d: what training and eval compute, running statistics, buffers in checkpoints."""

from __future__ import annotations

import numpy as np
import pytest

from cnnbook import nn
from cnnbook.threads import get_num_threads, set_num_threads
from cnnbook.train import load_checkpoint, save_checkpoint
from tests.test_nn_gradcheck import numerical_gradient


def _x(seed=0, shape=(4, 3, 5, 5), loc=2.0, scale=3.0):
    return np.random.default_rng(seed).normal(loc, scale, size=shape)


def test_training_output_has_zero_mean_and_unit_variance_per_channel():
    y = nn.BatchNorm2d(3, eps=0.0 + 1e-12, dtype=np.float64)(_x())
    np.testing.assert_allclose(y.mean(axis=(0, 2, 3)), 0, atol=1e-12)
    np.testing.assert_allclose(y.var(axis=(0, 2, 3)), 1, atol=1e-9)


def test_running_statistics_use_the_unbiased_variance_and_the_momentum():
    bn = nn.BatchNorm2d(3, momentum=0.25, dtype=np.float64)
    x = _x()
    bn(x)
    m = x.shape[0] * x.shape[2] * x.shape[3]
    np.testing.assert_allclose(bn.running_mean, 0.25 * x.mean(axis=(0, 2, 3)))
    np.testing.assert_allclose(bn.running_var, 0.75 + 0.25 * x.var(axis=(0, 2, 3)) * m / (m - 1))
    assert bn.num_batches_tracked == 1


def test_momentum_none_gives_the_cumulative_average_of_the_batches():
    bn = nn.BatchNorm2d(3, momentum=None, dtype=np.float64)
    batches = [_x(seed) for seed in range(4)]
    for x in batches:
        bn(x)
    means = [x.mean(axis=(0, 2, 3)) for x in batches]
    np.testing.assert_allclose(bn.running_mean, np.mean(means, axis=0))
    assert bn.num_batches_tracked == 4


def test_eval_uses_the_running_statistics_so_a_sample_ignores_its_batch_mates():
    bn = nn.BatchNorm2d(3, dtype=np.float64)
    for seed in range(3):
        bn(_x(seed))
    bn.eval()
    before = bn.running_mean.copy()
    x = _x(9)
    alone = bn(x[:1])
    together = bn(x)[:1]
    np.testing.assert_array_equal(alone, together)
    expected = (x[:1] - bn.running_mean[:, None, None]) / np.sqrt(
        bn.running_var[:, None, None] + bn.eps
    )
    np.testing.assert_allclose(alone, expected)
    np.testing.assert_array_equal(bn.running_mean, before)  # eval does not update them


@pytest.mark.parametrize("mode", ["train", "eval"])
@pytest.mark.parametrize("affine", [True, False])
def test_gradients_match_finite_differences(mode, affine):
    bn = nn.BatchNorm2d(2, affine=affine, dtype=np.float64)
    if affine:
        bn.weight.data[...] = [1.5, -0.5]
        bn.bias.data[...] = [0.1, 0.3]
    bn(_x(1, (3, 2, 3, 3)))
    bn.train(mode == "train")
    x = _x(2, (3, 2, 3, 3))
    g = np.random.default_rng(3).normal(size=x.shape)

    def loss():
        return float(np.sum(bn(x) * g))

    bn(x)
    grad_x = bn.backward(g)
    np.testing.assert_allclose(grad_x, numerical_gradient(loss, x), rtol=1e-6, atol=1e-7)
    for p in bn.parameters():
        np.testing.assert_allclose(p.grad, numerical_gradient(loss, p.data), rtol=1e-6, atol=1e-7)


def test_buffers_are_saved_and_loaded_with_a_checkpoint(tmp_path):
    model = nn.Sequential(nn.Conv2d(1, 2, 3, rng=np.random.default_rng(0)), nn.BatchNorm2d(2))
    for seed in range(3):
        model(_x(seed, (2, 1, 5, 5)).astype(np.float32))
    path = save_checkpoint(model, tmp_path / "bn")
    assert set(np.load(path).files) == {
        "0.weight", "0.bias", "1.weight", "1.bias",
        "1.running_mean", "1.running_var", "1.num_batches_tracked",
    }  # fmt: skip
    fresh = nn.Sequential(nn.Conv2d(1, 2, 3, rng=np.random.default_rng(1)), nn.BatchNorm2d(2))
    load_checkpoint(fresh, path)
    for key, value in model.state_dict().items():
        np.testing.assert_array_equal(fresh.state_dict()[key], value, err_msg=key)
    assert fresh[1].num_batches_tracked == 3
    x = _x(7, (2, 1, 5, 5)).astype(np.float32)
    np.testing.assert_array_equal(fresh.eval()(x), model.eval()(x))


def test_to_converts_float_buffers_and_keeps_the_batch_count_an_integer():
    bn = nn.BatchNorm2d(2).double()
    assert bn.running_mean.dtype == np.float64 and bn.running_var.dtype == np.float64
    assert bn.num_batches_tracked.dtype == np.int64
    bn(_x(0, (2, 2, 3, 3)))


def test_without_tracking_there_are_no_buffers_and_eval_normalises_by_the_batch():
    bn = nn.BatchNorm2d(2, track_running_stats=False, affine=False).eval()
    assert bn.running_mean is None and list(bn.state_dict()) == []
    y = bn(_x(0, (3, 2, 4, 4)))
    np.testing.assert_allclose(y.mean(axis=(0, 2, 3)), 0, atol=1e-12)


def test_a_single_value_per_channel_in_training_is_a_named_error():
    with pytest.raises(ValueError, match=r"expected more than 1 value per channel when training"):
        nn.BatchNorm2d(2, dtype=np.float64)(np.ones((1, 2, 1, 1)))
    # in eval mode the running statistics make it well defined
    assert nn.BatchNorm2d(2, dtype=np.float64).eval()(np.ones((1, 2, 1, 1))).shape == (1, 2, 1, 1)


def test_repr_and_parameter_names_are_torchs():
    bn = nn.BatchNorm2d(16, momentum=None, affine=False)
    assert repr(bn) == (
        "BatchNorm2d(16, eps=1e-05, momentum=None, affine=False, bias=False, "
        "track_running_stats=True)"
    )
    assert [n for n, _ in nn.BatchNorm2d(3).named_parameters()] == ["weight", "bias"]


def test_bias_false_learns_the_scale_only():
    bn = nn.BatchNorm2d(2, bias=False, dtype=np.float64)
    assert bn.bias is None and [n for n, _ in bn.named_parameters()] == ["weight"]
    assert "bias" not in bn.state_dict()
    bn.weight.data[...] = [2.0, 3.0]
    x = np.random.default_rng(0).normal(1.0, 2.0, size=(3, 2, 4, 4))
    y = bn(x)
    # no shift: each channel has mean 0 and standard deviation = its scale
    np.testing.assert_allclose(y.mean(axis=(0, 2, 3)), 0.0, atol=1e-12)
    np.testing.assert_allclose(y.std(axis=(0, 2, 3)), [2.0, 3.0], rtol=1e-5)
    bn.backward(np.ones_like(y))
    assert bn.weight.grad.shape == (2,)


def test_bias_false_without_affine_has_no_parameters():
    bn = nn.BatchNorm2d(2, affine=False, bias=False)
    assert bn.weight is None and bn.bias is None and list(bn.parameters()) == []


@pytest.mark.parametrize("training", [True, False])
def test_outputs_and_gradients_are_the_same_bits_for_any_thread_count(training):
    # 4 MB of float32: big enough for cnnbook.threads to cut the batch into parts.
    rng = np.random.default_rng(7)
    x = (rng.standard_normal((64, 8, 32, 64)) * 3 + 5).astype(np.float32)
    g = rng.standard_normal(x.shape).astype(np.float32)
    before = get_num_threads()
    results = []
    try:
        for count in (1, 2, 3):
            set_num_threads(count)
            layer = nn.BatchNorm2d(8)
            layer.weight.data[:] = np.linspace(0.5, 2, 8, dtype=np.float32)
            layer.bias.data[:] = np.linspace(-1, 1, 8, dtype=np.float32)
            layer(x)  # one training step fills the running statistics for eval
            layer.train(training)
            y = layer(x)
            gx = layer.backward(g)
            results.append((y, gx, layer.weight.grad.copy(), layer.bias.grad.copy()))
    finally:
        set_num_threads(before)
    for other in results[1:]:
        for a, b in zip(results[0], other, strict=True):
            np.testing.assert_array_equal(a, b)
