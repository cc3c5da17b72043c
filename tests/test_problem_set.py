"""The Problem Set's answers, checked against torch and against computations by hand.

Every expected value here is computed independently of ``cnnbook``: by torch (layers,
autograd, optimizers) or by the textbook formula written out in the test.
"""

from __future__ import annotations

import math
import re

import numpy as np
import pytest
import torch

from cnnbook.exercises import problem_set as ps

torch.set_default_dtype(torch.float64)


def answers(build):  # type: ignore[no-untyped-def]
    return build().answers


def test_the_set_has_twelve_problems_each_with_givens_and_a_solution() -> None:
    problems = ps.problem_set()
    assert len(problems) == 12
    assert len({p.title for p in problems}) == 12
    for p in problems:
        assert p.statement and p.solution and p.answers and p.pages, p.title


@pytest.mark.torch
def test_sizes_through_a_network_match_torch_shapes() -> None:
    net = torch.nn.ModuleList(
        [
            torch.nn.Conv2d(3, 6, 5),
            torch.nn.MaxPool2d(2),
            torch.nn.Conv2d(6, 16, 5),
            torch.nn.MaxPool2d(2),
        ]
    )
    x = torch.zeros(1, 3, 32, 32)
    shapes = []
    for layer in net:
        x = layer(x)
        shapes.append(tuple(x.shape[1:]))
    got = answers(ps.sizes_through_a_network)
    assert got["shapes"] == shapes
    assert got["flattened"] == torch.flatten(x, 1).shape[1]


@pytest.mark.torch
def test_parameter_counts_match_torch_layers_and_the_unshared_formula() -> None:
    got = answers(ps.parameters_with_and_without_sharing)
    conv = torch.nn.Conv2d(3, 16, 5)
    dense = torch.nn.Linear(3 * 32 * 32, 16 * 28 * 28)
    assert got["shared"] == sum(p.numel() for p in conv.parameters())
    assert got["dense"] == sum(p.numel() for p in dense.parameters())
    # Unshared: one 3x5x5 kernel and one bias per output channel and position.
    assert got["locally_connected"] == 28 * 28 * 16 * (3 * 5 * 5 + 1)


def test_receptive_field_follows_the_recurrence_by_hand() -> None:
    # (kernel, stride, dilation) of each layer; r += (k' - 1) * j, j *= s.
    layers = [(3, 1, 1), (3, 2, 1), (3, 1, 1), (2, 2, 1), (3, 1, 2)]
    r, j, sizes, jumps = 1, 1, [], []
    for k, s, d in layers:
        r += (d * (k - 1) + 1 - 1) * j
        j *= s
        sizes.append(r)
        jumps.append(j)
    got = answers(ps.receptive_field_of_a_stack)
    assert got["sizes"] == sizes
    assert got["jumps"] == jumps


@pytest.mark.torch
def test_receptive_field_is_the_support_of_a_torch_gradient() -> None:
    stack = torch.nn.Sequential(
        torch.nn.Conv2d(1, 1, 3, padding=1),
        torch.nn.Conv2d(1, 1, 3, stride=2, padding=1),
        torch.nn.Conv2d(1, 1, 3, padding=1),
        torch.nn.AvgPool2d(2, 2),  # avg: every input of the window gets gradient
        torch.nn.Conv2d(1, 1, 3, padding=2, dilation=2),
    )
    for m in stack:
        if isinstance(m, torch.nn.Conv2d):
            torch.nn.init.constant_(m.weight, 1.0)
    x = torch.zeros(1, 1, 96, 96, requires_grad=True)
    y = stack(x)
    y[0, 0, y.shape[2] // 2, y.shape[3] // 2].backward()
    rows = torch.nonzero(x.grad[0, 0].abs().sum(1)).flatten()
    assert answers(ps.receptive_field_of_a_stack)["sizes"][-1] == int(rows[-1] - rows[0] + 1)


@pytest.mark.torch
def test_correlation_by_hand_matches_torch_conv2d() -> None:
    p = ps.correlation_by_hand()
    x, k = (np.array(m, dtype=float) for m in _matrices(p.statement))
    xt, kt = torch.tensor(x)[None, None], torch.tensor(k)[None, None]
    corr = torch.nn.functional.conv2d(xt, kt)[0, 0].numpy()
    conv = torch.nn.functional.conv2d(xt, torch.flip(kt, (2, 3)))[0, 0].numpy()
    np.testing.assert_array_equal(p.answers["correlation"], corr)
    np.testing.assert_array_equal(p.answers["convolution"], conv)


def _matrices(markdown: str) -> list[list[list[float]]]:
    """The bmatrix arrays a statement shows, read back from its text (what a reader sees)."""
    found = re.findall(r"\\begin\{bmatrix\}(.*?)\\end\{bmatrix\}", markdown)
    return [[[float(v) for v in row.split("&")] for row in body.split(r"\\")] for body in found]


@pytest.mark.torch
def test_pooling_backward_matches_torch_autograd() -> None:
    p = ps.pooling_backward()
    x_shown, g_shown = _matrices(p.statement)
    x = torch.tensor(x_shown)[None, None].requires_grad_(True)
    torch.nn.functional.max_pool2d(x, 2).backward(torch.tensor(g_shown)[None, None])
    np.testing.assert_array_equal(p.answers["nonoverlapping"], x.grad[0, 0].numpy())
    x.grad = None
    torch.nn.functional.max_pool2d(x, 3, stride=1).sum().backward()
    np.testing.assert_array_equal(p.answers["overlapping"], x.grad[0, 0].numpy())


@pytest.mark.torch
def test_transposed_convolution_matches_torch() -> None:
    p = ps.transposed_convolution_output()
    layer = torch.nn.ConvTranspose2d(1, 1, 3, stride=2, padding=1, output_padding=1)
    assert p.answers["size"] == layer(torch.zeros(1, 1, 5, 5)).shape[-1]
    (x,) = _matrices(p.statement)
    y = torch.nn.functional.conv_transpose2d(
        torch.tensor(x)[None, None], torch.ones(1, 1, 3, 3), stride=2
    )
    np.testing.assert_array_equal(p.answers["output"], y[0, 0].numpy())


def _torch_bn_after_one_batch() -> tuple[torch.nn.BatchNorm2d, torch.Tensor]:
    bn = torch.nn.BatchNorm2d(1)
    with torch.no_grad():
        bn.weight.fill_(2.0)
        bn.bias.fill_(0.5)
    y = bn(torch.tensor([1.0, 2.0, 4.0, 9.0]).reshape(4, 1, 1, 1))
    return bn, y


@pytest.mark.torch
def test_batch_norm_forward_matches_torch_training_mode() -> None:
    _, y = _torch_bn_after_one_batch()
    got = answers(ps.batch_norm_forward)
    np.testing.assert_allclose(got["output"], y.detach().numpy().ravel(), rtol=1e-12)
    assert got["mean"] == 4.0 and got["variance"] == pytest.approx((9 + 4 + 0 + 25) / 4)


@pytest.mark.torch
def test_train_versus_eval_matches_torch_running_statistics() -> None:
    bn, _ = _torch_bn_after_one_batch()
    bn.eval()
    y = bn(torch.tensor([5.0]).reshape(1, 1, 1, 1)).item()
    got = answers(ps.train_versus_eval)
    assert got["running_mean"] == pytest.approx(bn.running_mean.item(), rel=1e-12)
    assert got["running_var"] == pytest.approx(bn.running_var.item(), rel=1e-12)
    assert got["output"] == pytest.approx(y, rel=1e-12)
    # By hand: unbiased variance of (1, 2, 4, 9) is 38 / 3.
    assert got["running_var"] == pytest.approx(0.9 + 0.1 * 38 / 3)


@pytest.mark.torch
def test_one_optimizer_step_matches_torch_sgd_and_adam() -> None:
    got = answers(ps.one_optimizer_step)
    for name, make in (("sgd", torch.optim.SGD), ("adam", torch.optim.Adam)):
        w = torch.tensor([1.0, -2.0], requires_grad=True)
        opt = make([w], lr=0.1)
        w.grad = torch.tensor([0.5, -1.0])
        opt.step()
        np.testing.assert_allclose(got[name], w.detach().numpy(), rtol=1e-12, err_msg=name)


@pytest.mark.torch
def test_softmax_cross_entropy_gradient_matches_torch_autograd() -> None:
    logits = torch.tensor([[2.0, 1.0, 0.1]], requires_grad=True)
    loss = torch.nn.functional.cross_entropy(logits, torch.tensor([0]))
    loss.backward()
    got = answers(ps.softmax_cross_entropy_gradient)
    assert got["loss"] == pytest.approx(loss.item(), rel=1e-12)
    np.testing.assert_allclose(got["gradient"], logits.grad[0].numpy(), rtol=1e-12)
    np.testing.assert_allclose(
        got["probabilities"], torch.softmax(logits, 1)[0].detach().numpy(), rtol=1e-12
    )


@pytest.mark.torch
def test_global_pool_is_invariant_exactly_to_multiples_of_the_total_stride() -> None:
    # A torch twin: circular 3x3 convs, ReLU, 2x2 max pool, global average, random weights.
    torch.manual_seed(0)
    convs = [torch.nn.Conv2d(1, 4, 3, padding=1, padding_mode="circular")]
    convs.append(torch.nn.Conv2d(4, 4, 3, padding=1, padding_mode="circular"))

    def net(x: torch.Tensor) -> torch.Tensor:
        x = torch.nn.functional.max_pool2d(torch.relu(convs[0](x)), 2)
        return torch.relu(convs[1](x)).mean((2, 3))

    x = torch.rand(1, 1, 8, 8)
    exact = [s for s in range(5) if torch.allclose(net(torch.roll(x, s, 3)), net(x), atol=1e-12)]
    got = answers(ps.global_pool_invariance_with_strides)
    assert got["total_stride"] == 2
    assert got["exact_shifts"] == exact == [0, 2, 4]


def test_design_problem_by_hand() -> None:
    got = answers(ps.design_a_stack)
    c = 64
    assert got["field"] == (7, 1 + 3 * 2)
    assert got["parameters"] == (c * (c * 49 + 1), 3 * c * (c * 9 + 1))


def test_markdown_numbers_every_problem_and_solution_in_order() -> None:
    statements, solutions = ps.statements_markdown(), ps.solutions_markdown()
    for n, p in enumerate(ps.problem_set(), start=1):
        assert f"### Problem {n}: {p.title}" in statements
        assert f"### Solution {n}: {p.title}" in solutions
        assert p.solution in solutions and p.statement in statements


def test_every_float_in_a_solution_is_rounded_from_its_answer() -> None:
    # The solution of the softmax problem shows the answers to 4 digits.
    p = ps.softmax_cross_entropy_gradient()
    assert f"{p.answers['loss']:.4f}" in p.solution
    assert math.isclose(float(np.sum(p.answers["probabilities"])), 1.0)
