"""One helper that checks a NumPy op against its torch twin, forward and every gradient.

    crosscheck(numpy_fn, torch_fn, inputs, *, kwargs=None, numpy_backward=None,
               grad_wrt=None, atol=1e-10, rtol=0.0, seed=0) -> dict[str, float]

- ``inputs``: ``{name: float64 ndarray or None}``, passed positionally (in order) to
  both functions; torch gets ``torch.tensor(value)`` (``None`` stays ``None``).
- ``kwargs``: keyword arguments passed unchanged to both functions
  (``stride=2, padding="same"``, ...).
- ``numpy_backward(grad_output, *inputs, **kwargs)``: returns the gradients of the
  inputs named in ``grad_wrt`` (default: every non-None input), as a tuple in that
  order or a dict by name. A seeded random ``grad_output`` is backpropagated through
  the torch op (``out.backward(grad_output)``) and each gradient is compared with
  torch autograd's. Without ``numpy_backward`` only the forward is compared.
- Every comparison is ``np.testing.assert_allclose(..., rtol, atol)`` with a message
  naming what differed. Returns ``{"out": err, "grad_<name>": err, ...}``, the max
  absolute errors, for reports.

Example (pooling)::

    crosscheck(max_pool2d, F.max_pool2d, {"x": x}, kwargs={"kernel_size": 2},
               numpy_backward=max_pool2d_backward)
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

import numpy as np
import torch

__all__ = ["crosscheck"]


def _to_torch(value: Any, requires_grad: bool) -> Any:
    if value is None:
        return None
    return torch.tensor(np.asarray(value, dtype=np.float64), requires_grad=requires_grad)


def _compare(name: str, actual: Any, expected: np.ndarray, rtol: float, atol: float) -> float:
    actual = np.asarray(actual)
    assert actual.shape == expected.shape, f"{name}: shape {actual.shape} != torch {expected.shape}"
    np.testing.assert_allclose(actual, expected, rtol=rtol, atol=atol, err_msg=f"{name} vs torch")
    return float(np.max(np.abs(actual - expected))) if actual.size else 0.0


def crosscheck(
    numpy_fn: Callable[..., Any],
    torch_fn: Callable[..., Any],
    inputs: Mapping[str, Any],
    *,
    kwargs: Mapping[str, Any] | None = None,
    numpy_backward: Callable[..., Any] | None = None,
    grad_wrt: Sequence[str] | None = None,
    atol: float = 1e-10,
    rtol: float = 0.0,
    seed: int = 0,
) -> dict[str, float]:
    """Compare `numpy_fn` with `torch_fn` on the same float64 inputs (see module docstring)."""
    kwargs = dict(kwargs or {})
    names = list(inputs)
    wrt = [n for n in names if inputs[n] is not None] if grad_wrt is None else list(grad_wrt)
    arrays = [None if inputs[n] is None else np.asarray(inputs[n], np.float64) for n in names]
    tensors = [
        _to_torch(a, requires_grad=numpy_backward is not None and n in wrt)
        for n, a in zip(names, arrays, strict=True)
    ]
    out_np = numpy_fn(*arrays, **kwargs)
    out_t = torch_fn(*tensors, **kwargs)
    errors = {"out": _compare("output", out_np, out_t.detach().numpy(), rtol, atol)}
    if numpy_backward is None:
        return errors
    grad_output = np.random.default_rng(seed).normal(size=tuple(out_t.shape))
    out_t.backward(torch.tensor(grad_output))
    grads = numpy_backward(grad_output, *arrays, **kwargs)
    if not isinstance(grads, Mapping):
        grads = dict(zip(wrt, grads, strict=True))
    for n in wrt:
        t = tensors[names.index(n)]
        expected = np.zeros(t.shape) if t.grad is None else t.grad.numpy()
        errors[f"grad_{n}"] = _compare(f"gradient of {n}", grads[n], expected, rtol, atol)
    return errors
