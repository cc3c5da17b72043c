"""The structure section's exercises: answers and known mistakes recomputed independently.

References are torch, scipy or a value by hand: ``REFERENCES`` (per generator) and ``FIXED``
(per page), ``MORE`` are run by ``tests/test_exercises_catalog.py`` with every section's.
"""

from __future__ import annotations

import numpy as np
import scipy.signal
import torch
import torch.nn.functional as F

from cnnbook.exercises import structure


def _neuron(p):
    x, w = torch.tensor(p["x"], dtype=torch.float64), torch.tensor(p["w"], dtype=torch.float64)
    z = float(w @ x + p["b"])
    return max(z, 0.0), {"Forgot the bias": max(z - p["b"], 0.0), "Forgot the ReLU": z}


def _conv_params(p):
    ci, co, k = p["c_in"], p["c_out"], p["k"]
    count = sum(q.numel() for q in torch.nn.Conv2d(ci, co, k).parameters())
    return count, {
        "Forgot the bias": sum(
            q.numel() for q in torch.nn.Conv2d(ci, co, k, bias=False).parameters()
        ),
        "Forgot the input channels": sum(q.numel() for q in torch.nn.Conv2d(1, co, k).parameters()),
        "Counted k weights": sum(q.numel() for q in torch.nn.Conv2d(ci, co, (1, k)).parameters()),
    }


def _multichannel(p):
    x = torch.tensor(p["x"], dtype=torch.float64)[None]
    w = torch.tensor(p["w"], dtype=torch.float64)[None]
    b = torch.tensor([float(p["b"])], dtype=torch.float64)
    y = F.conv2d(x, w, b)[0, 0].numpy()
    return y, {
        "Forgot the bias": F.conv2d(x, w)[0, 0].numpy(),
        "Used channel 0 only": F.conv2d(x[:, :1], w[:, :1], b)[0, 0].numpy(),
        "Flipped the kernels": F.conv2d(x, w.flip(-1, -2), b)[0, 0].numpy(),
    }


def _kernel_gradient(p):
    x = torch.tensor(p["x"], dtype=torch.float64)[None, None]
    w = torch.zeros((1, 1, 3, 3), dtype=torch.float64, requires_grad=True)
    g = torch.tensor(p["g"], dtype=torch.float64)[None, None]
    F.conv2d(x, w).backward(g)
    flipped = scipy.signal.convolve2d(np.array(p["x"]), np.array(p["g"]), "valid")
    return w.grad[0, 0].numpy(), {"Flipped the output gradient": flipped}


def _im2col(p):
    c, n, k = p["c"], p["size"], p["k"]
    cols = F.unfold(torch.zeros(1, c, n, n), k).numel()
    return cols, {
        "Forgot the channels": F.unfold(torch.zeros(1, 1, n, n), k).numel(),
        "Used the input size": c * k * k * n * n,
        "Counted each pixel once": c * n * n,
    }


def _bn(p):
    def running_var(momentum, start, unbiased=True):
        bn = torch.nn.BatchNorm2d(1, momentum=momentum).double()
        bn.running_var.fill_(start)
        x = torch.tensor(p["values"], dtype=torch.float64).reshape(4, 1, 1, 1)
        if not unbiased:  # what the biased variance would give: feed x scaled by sqrt(3/4)
            x = x * np.sqrt(3 / 4)
        bn(x)
        return float(bn.running_var[0])

    return running_var(0.1, 1.0), {
        "Used the biased variance": running_var(0.1, 1.0, unbiased=False),
        "Forgot the momentum": running_var(1.0, 1.0),
        "Started from 0": running_var(0.1, 0.0),
    }


def _block(p):
    ci, co, s = p["c_in"], p["c_out"], p["stride"]

    def count(proj=True, bn=True, conv_bias=False):
        layers = [
            torch.nn.Conv2d(ci, co, 3, bias=conv_bias),
            torch.nn.Conv2d(co, co, 3, bias=conv_bias),
        ]
        if bn:
            layers += [torch.nn.BatchNorm2d(co), torch.nn.BatchNorm2d(co)]
        if proj and (s != 1 or ci != co):
            layers.append(torch.nn.Conv2d(ci, co, 1, bias=conv_bias))
            if bn:
                layers.append(torch.nn.BatchNorm2d(co))
        return sum(q.numel() for layer in layers for q in layer.parameters())

    return count(), {
        "Forgot the projection": count(proj=False),
        "Forgot the batch norms": count(bn=False),
        "Counted conv biases": count(conv_bias=True),
    }


def _max_pool(p):
    x = torch.tensor(p["x"], dtype=torch.float64)[None, None]
    return F.max_pool2d(x, 2, p["stride"])[0, 0].numpy(), {
        "Took each window's mean": F.avg_pool2d(x, 2, p["stride"])[0, 0].numpy()
    }


def _dense(p):
    n_in, o = p["c"] * p["size"] ** 2, p["n_out"]

    def count(n, bias=True):
        return sum(q.numel() for q in torch.nn.Linear(n, o, bias=bias).parameters())

    return count(n_in), {
        "Forgot the bias": count(n_in, bias=False),
        "Forgot the channels": count(p["size"] ** 2),
        "Counted one weight per input": n_in + o,
    }


REFERENCES = {
    "neuron-relu": _neuron,
    "conv-layer-parameters": _conv_params,
    "multichannel-output": _multichannel,
    "conv-kernel-gradient": _kernel_gradient,
    "im2col-size": _im2col,
    "bn-running-var": _bn,
    "basic-block-parameters": _block,
    "max-pool-output": _max_pool,
    "dense-parameters": _dense,
}


def _torch_count(*layers):
    return sum(q.numel() for layer in layers for q in layer.parameters())


def _deep_learning():
    count = _torch_count(torch.nn.Linear(2, 8), torch.nn.Linear(8, 2))
    no_bias = _torch_count(torch.nn.Linear(2, 8, bias=False), torch.nn.Linear(8, 2, bias=False))
    return count, {"Forgot the biases": no_bias}


def _conv_layer_height():
    def height(stride):
        conv = torch.nn.Conv2d(3, 8, 5, stride=stride, padding=2)
        return conv(torch.zeros(4, 3, 32, 32)).shape[2]

    return height(2), {
        "Forgot the +1": (32 + 4 - 5) // 2,  # by hand
        "Used the total padding": (32 + 2 - 5) // 2 + 1,
        "Ignored the stride": height(1),
        "That is the number of output channels": 8,
    }


def _pointwise_count():
    return _torch_count(torch.nn.Conv2d(256, 64, 1)), {
        "Forgot the bias": _torch_count(torch.nn.Conv2d(256, 64, 1, bias=False)),
        "That is a 3×3 layer": _torch_count(torch.nn.Conv2d(256, 64, 3)),
        "Forgot the input channels": _torch_count(torch.nn.Conv2d(1, 64, 1)),
    }


def _input_gradient_entry():
    w = np.array([[1.0, 2.0, 0.0], [-1.0, 3.0, 1.0], [2.0, 0.0, -2.0]])
    g = np.array([[1.0, -1.0], [2.0, 1.0]])
    x = torch.zeros((1, 1, 4, 4), dtype=torch.float64, requires_grad=True)
    F.conv2d(x, torch.tensor(w)[None, None]).backward(torch.tensor(g)[None, None])
    unflipped = scipy.signal.correlate2d(g, w, "full")[1, 1]
    return float(x.grad[0, 0, 1, 1]), {"Used the kernel unflipped": unflipped}


def _layer_macs():
    from torch.utils.flop_counter import FlopCounterMode

    conv = torch.nn.Conv2d(16, 32, 3, padding=1)
    with FlopCounterMode(display=False) as counter:
        conv(torch.zeros(1, 16, 30, 30))
    flops = counter.get_total_flops()
    return flops // 2, {
        "Used 28 × 28 outputs": 32 * 28 * 28 * 16 * 9,
        "Forgot the input channels": 32 * 30 * 30 * 9,
        "That counts FLOPs": flops,
    }


def _normalised_value():
    batch = torch.tensor([2.0, 4.0, 4.0, 4.0, 5.0, 5.0, 7.0, 9.0], dtype=torch.float64)
    with torch.no_grad():
        y = torch.nn.BatchNorm2d(1).double()(batch.reshape(8, 1, 1, 1))
    return float(y[-1]), {
        "Used the unbiased variance": round(4 / np.sqrt(32 / 7), 2),
        "Forgot to subtract the mean": 9 / 2,
        "Divided by the variance": (9 - 5) / 4,
    }


def _residual_gradient():
    def grad(residual):
        x0 = torch.ones((), dtype=torch.float64, requires_grad=True)
        x = x0
        for w in (0.5, -0.5, 0.5):
            x = x + w * x if residual else w * x
        x.backward()
        return float(x0.grad)

    return grad(True), {"Forgot the identity paths": grad(False), "Added the weights": 1.5}


def _pool_width():
    def width(stride):
        return F.max_pool2d(torch.zeros(1, 1, 9, 9), 3, stride).shape[-1]

    return width(None), {"Assumed stride 1": width(1), "Forgot the +1": (9 - 3) // 3}


def _dense_output():
    w = torch.tensor([[1.0, -2.0, 0.5], [0.0, 1.0, 3.0]], dtype=torch.float64)
    b = torch.tensor([1.0, -1.0], dtype=torch.float64)
    x = torch.tensor([2.0, 1.0, 4.0], dtype=torch.float64)
    y = F.linear(x, w, b)
    return float(y[0]), {"Forgot the bias": float(F.linear(x, w)[0]), "That is $y_1$": float(y[1])}


def _tie_gradient():
    x = torch.tensor(
        [[2.0, 5.0, 1.0, 1.0], [5.0, 0.0, 3.0, 0.0], [4.0, 1.0, 6.0, 2.0], [0.0, 3.0, 2.0, 6.0]],
        dtype=torch.float64,
    )[None, None]
    g = torch.tensor([[1.0, 2.0], [3.0, 4.0]], dtype=torch.float64)[None, None]

    def input_gradient(pool):
        x_ = x.clone().requires_grad_()
        pool(x_, 2).backward(g)
        return x_.grad[0, 0].numpy()

    every_tie = np.array(  # by hand: both 5s of the top-left window, both 6s of the bottom-right
        [[0, 1, 0, 0], [1, 0, 2, 0], [3, 0, 4, 0], [0, 0, 0, 4]], dtype=float
    )
    return input_gradient(F.max_pool2d), {
        "Gave the gradient to every tied cell": every_tie,
        "Spread it over the window": input_gradient(F.avg_pool2d),
    }


def _evaluation_value():
    x = torch.full((1, 1, 1, 1), 6.0, dtype=torch.float64)

    def bn(mean, var, gamma=1.5, beta=-1.0):
        return float(
            F.batch_norm(
                x,
                torch.tensor([mean], dtype=torch.float64),
                torch.tensor([var], dtype=torch.float64),
                torch.tensor([gamma], dtype=torch.float64),
                torch.tensor([beta], dtype=torch.float64),
                training=False,
                eps=1e-5,
            )
        )

    return bn(2.0, 4.0), {
        "Normalised with the batch's own statistics": bn(6.0, 0.0),
        "Forgot the shift": bn(2.0, 4.0, beta=0.0),
        "Forgot the scale": bn(2.0, 4.0, gamma=1.0),
        "Divided by the variance": 1.5 * (6 - 2) / 4 - 1,
    }


FIXED = {  # page: (index of the exercise, its independent reference)
    "deep-learning": (1, _deep_learning),
    "convolutional-layers": (1, _conv_layer_height),
    "channels-and-1x1-convolutions": (1, _pointwise_count),
    "backpropagation-through-a-convolution": (1, _input_gradient_entry),
    "how-convolution-is-computed": (1, _layer_macs),
    "batch-normalization": (1, _normalised_value),
    "residual-connections": (1, _residual_gradient),
    "understanding-pooling-layers": (1, _pool_width),
    "fully-connected-layers": (1, _dense_output),
}


MORE = {  # (page, index) of a further fixed exercise: its independent reference
    ("understanding-pooling-layers", 2): _tie_gradient,
    ("batch-normalization", 2): _evaluation_value,
}


def test_every_page_has_a_fixed_exercise_reference():
    assert set(FIXED) == set(structure.PAGES)
