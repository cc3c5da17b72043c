"""Problems of the Problem Set on how a network learns and trains.

Batch normalization in training and in evaluation mode, one optimizer step, and the
gradient of softmax cross-entropy; each solution computed by ``cnnbook``
(`cnnbook.exercises.problem_set` orders the set).
"""

from __future__ import annotations

import numpy as np

from cnnbook import nn, optim
from cnnbook.exercises.problem import Problem, katex_vector

__all__ = [
    "batch_norm_forward",
    "one_optimizer_step",
    "softmax_cross_entropy_gradient",
    "train_versus_eval",
]


def _bn_layer() -> tuple[nn.BatchNorm2d, np.ndarray, np.ndarray]:
    bn = nn.BatchNorm2d(1, dtype=np.float64)
    assert bn.weight is not None and bn.bias is not None  # affine=True
    bn.weight.data[...] = 2.0
    bn.bias.data[...] = 0.5
    batch = np.array([1.0, 2.0, 4.0, 9.0]).reshape(4, 1, 1, 1)
    return bn, batch, bn(batch)


def batch_norm_forward() -> Problem:
    """Batch normalization in training mode on a batch of four values."""
    bn, batch, y = _bn_layer()
    mean, var = float(batch.mean()), float(batch.var())
    return Problem(
        "Batch normalization, forward",
        ("Batch Normalization",),
        "A BatchNorm2d layer with one channel, $\\gamma = 2$, $\\beta = 0.5$, "
        f"$\\epsilon = {bn.eps}$ sees, in training mode, a batch of four 1×1 maps with values "
        f"{katex_vector(batch.ravel(), 0)}. Give its output.",
        f"Training mode normalises with the batch's own statistics: mean ${mean:.4f}$, "
        f"biased variance ${var:.4f}$. Then $y = \\gamma (x - \\mu) / \\sqrt{{\\sigma^2 + "
        f"\\epsilon}} + \\beta$ = {katex_vector(y)}.",
        {"mean": mean, "variance": var, "output": y.ravel()},
    )


def one_optimizer_step() -> Problem:
    """One Adam step next to one SGD step from the same gradient."""
    w0, g = np.array([1.0, -2.0]), np.array([0.5, -1.0])
    results = {}
    for name, make in (("adam", optim.Adam), ("sgd", optim.SGD)):
        w = nn.Parameter(w0.copy())
        step = make([w], lr=0.1)
        w.grad = g.copy()
        step.step()
        results[name] = np.array(w.data)
    return Problem(
        "One optimizer step",
        ("Optimizers",),
        f"A weight vector $w =$ {katex_vector(w0, 1)} has the gradient {katex_vector(g, 1)}. "
        "Take one step (a) of SGD with learning rate 0.1 and (b) of Adam with learning rate "
        "0.1 and its default $\\beta_1, \\beta_2, \\epsilon$, from fresh optimizer state.",
        f"(a) $w - \\eta g$ = {katex_vector(results['sgd'])}. (b) Adam's first step: "
        "$m = (1 - \\beta_1) g$, $v = (1 - \\beta_2) g^2$, and the bias corrections make "
        "$\\hat m = g$, $\\hat v = g^2$, so the step is $\\eta\\, g / (|g| + \\epsilon)$: "
        f"about $\\eta$ times the sign of $g$, whatever its size: {katex_vector(results['adam'])}.",
        results,
    )


def softmax_cross_entropy_gradient() -> Problem:
    """Loss and logit gradient of softmax cross-entropy for one example."""
    logits, target = np.array([[2.0, 1.0, 0.1]]), np.array([0])
    loss_fn = nn.CrossEntropyLoss()
    loss = float(loss_fn(logits, target))
    grad = loss_fn.backward()[0]
    p = grad + np.eye(3)[0]
    return Problem(
        "Softmax and cross-entropy gradient",
        ("Softmax and Cross-Entropy",),
        f"A network outputs the logits {katex_vector(logits, 1)} for an example of class 0. Give "
        "the softmax probabilities, the cross-entropy loss and its gradient with respect to "
        "the logits.",
        f"Softmax: {katex_vector(p)}. Loss $-\\log p_0 = {loss:.4f}$. Gradient: $p - "
        f"\\mathrm{{onehot}}(0)$ = {katex_vector(grad)}: the true class is pushed up, the others "
        "down in proportion to their probability.",
        {"probabilities": p, "loss": loss, "gradient": grad},
    )


def train_versus_eval() -> Problem:
    """Batch normalization in eval mode after one training step: the running statistics."""
    bn, _, _ = _bn_layer()
    assert bn.running_mean is not None and bn.running_var is not None
    mean = float(bn.running_mean[0])
    var = float(bn.running_var[0])
    bn.eval()
    x = np.array([5.0]).reshape(1, 1, 1, 1)
    y = float(bn(x)[0, 0, 0, 0])
    return Problem(
        "Training mode versus evaluation mode",
        ("Batch Normalization", "Dropout"),
        "The layer of the batch-normalization problem (running mean 0 and variance 1 at "
        "first, momentum 0.1) has taken that one training batch. It is switched to "
        "evaluation mode and sees a single map of value 5. What does it output? And what "
        "does a Dropout(p = 0.5) layer do to a value in evaluation mode?",
        f"In evaluation mode the layer uses its running statistics, updated once: "
        f"mean $0.9 \\cdot 0 + 0.1 \\mu = {mean:.4f}$ and variance $0.9 \\cdot 1 + 0.1 "
        f"s^2 = {var:.4f}$, where $s^2$ is the unbiased batch variance. Output: "
        f"${y:.4f}$. Dropout in evaluation mode is the identity (training mode already "
        "scaled the kept values by $1/(1 - p)$).",
        {"running_mean": mean, "running_var": var, "output": y},
    )
