"""The convolution section's exercises: answers and known mistakes recomputed independently.

References are torch, scipy, NumPy or a value by hand: ``REFERENCES`` (per generator) and ``FIXED``
(per page) are run by ``tests/test_exercises_catalog.py`` with every section's.
"""

from __future__ import annotations

import warnings

import numpy as np
import scipy.signal
import torch
import torch.nn.functional as F

from cnnbook.exercises import convolution

SOBEL_X = np.array([[-1.0, 0.0, 1.0], [-2.0, 0.0, 2.0], [-1.0, 0.0, 1.0]])
PREWITT_X = np.array([[-1.0, 0.0, 1.0]] * 3)


def _t(a):
    return torch.tensor(np.asarray(a, dtype=float), dtype=torch.float64)


def _mode_size(p):
    n, k, mode = p["size"], p["k"], p["mode"]

    def width(m):
        return scipy.signal.correlate2d(np.ones((n, n)), np.ones((k, k)), m).shape[1]

    return width(mode), {
        "That is the valid size": width("valid"),
        "That is the same size": width("same"),
        "That is the full size": width("full"),
        "Forgot the +1": n - k,
        "Forgot the −1": n + k,
    }


def _same_even(p):
    x, k = _t(p["x"])[None, None], _t(p["k"])[None, None]
    with warnings.catch_warnings():  # torch warns that an even "same" kernel copies the input
        warnings.simplefilter("ignore", UserWarning)
        same = F.conv2d(x, k, padding="same")[0, 0].numpy()
        flipped = F.conv2d(x, k.flip(-1, -2), padding="same")[0, 0].numpy()
    return same, {
        "Put the extra zero at the top and left": F.conv2d(F.pad(x, (1, 0, 1, 0)), k)[0, 0].numpy(),
        "Flipped the kernel": flipped,
    }


def _pad_row(p):
    x, lr = _t(p["row"])[None, None], (p["left"], p["right"])

    def padded(mode):
        return F.pad(x, lr, mode=mode)[0].numpy()

    return padded(p["mode"]), {
        "That is zero padding": padded("constant"),
        "That is reflect": padded("reflect"),
        "That is replicate": padded("replicate"),
        "That is circular": padded("circular"),
        "Repeated the border pixel": np.pad(np.array(p["row"], float), lr, "symmetric")[None],
    }


def _transposed_size(p):
    n, k, s, pd, o = p["size"], p["k"], p["s"], p["p"], p["o"]

    def width(out_pad):
        y = F.conv_transpose2d(
            torch.zeros(1, 1, n, n),
            torch.zeros(1, 1, k, k),
            stride=s,
            padding=pd,
            output_padding=out_pad,
        )
        return y.shape[-1]

    wrong = {
        "Forgot the +1": (n - 1) * s - 2 * pd + (k - 1) + o,
        "Used total instead of per-side padding": (n - 1) * s - pd + (k - 1) + o + 1,
        "Forgot the output padding": width(0),
        "Multiplied by the stride only": n * s,
    }
    if n + 2 * pd >= k:
        y = F.conv2d(torch.zeros(1, 1, n, n), torch.zeros(1, 1, k, k), stride=s, padding=pd)
        wrong["Used the convolution's formula"] = y.shape[-1]
    return width(o), wrong


def _stamp(p):
    x, w = _t(p["x"])[None, None], _t(p["w"])[None, None]
    s = p["stride"]
    return F.conv_transpose2d(x, w, stride=s)[0, 0].numpy(), {
        "Stamped the flipped kernel": F.conv_transpose2d(x, w.flip(-1, -2), stride=s)[0, 0].numpy()
    }


def _feature_map(p):
    x, w, b = _t(p["x"])[None, None], _t(p["w"])[None, None], _t([p["b"]])
    flipped = scipy.signal.convolve2d(np.array(p["x"]), np.array(p["w"]), "valid") + p["b"]
    return F.conv2d(x, w, b)[0, 0].numpy(), {
        "Forgot the bias": F.conv2d(x, w)[0, 0].numpy(),
        "Flipped the kernel": flipped,
    }


def _sobel(p):
    patch = np.array(p["patch"], float)
    return float((SOBEL_X * patch).sum()), {
        "Flipped the kernel": scipy.signal.convolve2d(patch, SOBEL_X, "valid")[0, 0],
        "Used sobel_y": float((SOBEL_X.T * patch).sum()),
        "Weighted the three rows equally": float((PREWITT_X * patch).sum()),
    }


def _polynomial(p):
    a, v = p["a"], p["v"]
    product = np.zeros(len(a) + len(v) - 1)
    for i, ai in enumerate(a):  # by hand: a_i x^i times v_j x^j lands on x^(i+j)
        for j, vj in enumerate(v):
            product[i + j] += ai * vj
    return product[None], {"Did not flip v": np.correlate(a, v, "full")[None]}


REFERENCES = {
    "conv-mode-size": _mode_size,
    "same-even-kernel": _same_even,
    "pad-row": _pad_row,
    "transposed-size": _transposed_size,
    "transposed-stamp": _stamp,
    "feature-map-values": _feature_map,
    "sobel-gx": _sobel,
    "polynomial-product": _polynomial,
}


def _pad_gradient():
    def grad(lr):
        x = _t([1, 2, 3, 4])[None, None].requires_grad_()
        F.pad(x, lr, mode="reflect").sum().backward()
        return float(x.grad[0, 0, 1])

    return grad((3, 2)), {"Forgot the copies": 1.0, "Counted one side only": grad((3, 0))}


def _feature_map_values():
    def count(filters):
        return F.conv2d(torch.zeros(1, 1, 32, 32), torch.zeros(filters, 1, 5, 5)).numel()

    return count(8), {
        "Forgot the +1": 8 * 27 * 27,
        "Counted one map": count(1),
        "Kept the input size": F.conv2d(
            torch.zeros(1, 1, 32, 32), torch.zeros(8, 1, 5, 5), padding=2
        ).numel(),
    }


def _ramp_gain():
    window = np.tile(2.0 * np.arange(3.0), (3, 1))  # any 3x3 window of the ramp
    return float((SOBEL_X * window).sum()), {
        "Read it as the derivative": 2.0,
        "That is Prewitt's response": float((PREWITT_X * window).sum()),
        "That is a ramp of 1 per pixel": float((SOBEL_X * window / 2).sum()),
    }


def _full_length():
    a, v = np.zeros(1000), np.zeros(60)
    return len(np.convolve(a, v, "full")), {
        "Forgot the −1": 1060,
        "That is the valid length": len(np.convolve(a, v, "valid")),
        "That is the same length": len(np.convolve(a, v, "same")),
    }


FIXED = {  # page: (index of the fixed number exercise, its independent reference)
    "padding-modes": (1, _pad_gradient),
    "feature-map": (1, _feature_map_values),
    "edge-detection": (1, _ramp_gain),
    "convolution-beyond-images": (1, _full_length),
}


def test_same_mode_choice_names_pytorchs_split():
    """The choice's right answer (the zero after the image) is what torch does."""
    x = torch.arange(9.0).reshape(1, 1, 3, 3)
    k = torch.ones(1, 1, 2, 2)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        same = F.conv2d(x, k, padding="same")
    assert torch.equal(same, F.conv2d(F.pad(x, (0, 1, 0, 1)), k))
    choice = convolution.PAGES["full-same-and-valid-convolution"]()[2]
    assert "After the image" in choice.options[choice.correct]
