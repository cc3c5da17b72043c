"""Checking a state dict (a checkpoint's arrays) against a model before loading it.

A checkpoint comes from a file: it may be from another architecture, hold complex
or text values, or numbers that overflow the model's dtype. Every entry is checked
before anything is copied, so a failed load leaves the model untouched.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np

__all__ = ["checked_state"]


def checked_state(
    model_name: str,
    own: Mapping[str, np.ndarray],
    state: Any,
    buffers: frozenset[str] = frozenset(),
) -> dict[str, np.ndarray]:
    """Return `state`'s arrays keyed like `own` once each fits its target exactly.

    `buffers` names the keys of `own` that are buffers (the messages say "buffer"
    for those, "parameter" for the others).

    Raises
    ------
    TypeError
        If `state` is not a mapping or a value is not a real numeric array.
    ValueError
        For missing or unexpected keys, a shape that differs, values that would
        overflow the target's float dtype, or fractions for an integer buffer.

    Examples
    --------
    >>> own = {"w": np.zeros(2, np.float32)}
    >>> checked_state("Linear", own, {"w": np.array([1.0, 2.0])})["w"]
    array([1., 2.])
    >>> checked_state("Linear", own, {"w": np.array([1e300, 0.0])})
    Traceback (most recent call last):
    ...
    ValueError: state['w'] has values too large for the model's dtype float32 ...
    """
    if not isinstance(state, Mapping):
        raise TypeError(f"state must be a dict of arrays; got {type(state).__name__}")
    missing = sorted(set(own) - set(state))
    unexpected = sorted(set(state) - set(own))
    if missing or unexpected:
        raise ValueError(
            f"state does not fit {model_name}: missing keys {missing}, unexpected keys {unexpected}"
        )
    values = {}
    for name, target in own.items():
        try:
            value = np.asarray(state[name])
        except ValueError as err:
            raise ValueError(f"state[{name!r}] is a ragged nested sequence") from err
        if value.dtype.kind not in "biuf":
            raise TypeError(
                f"state[{name!r}] has dtype {value.dtype}; expected real numbers "
                f"(the model's {name!r} is {target.dtype})"
            )
        if value.shape != target.shape:
            raise ValueError(
                f"state[{name!r}] has shape {value.shape}; the model's "
                f"{'buffer' if name in buffers else 'parameter'} {name!r} "
                f"has shape {target.shape}"
            )
        if target.dtype.kind == "f":
            with np.errstate(over="ignore"):
                cast = value.astype(target.dtype)
            if not np.array_equal(np.isfinite(cast), np.isfinite(value)):
                raise ValueError(
                    f"state[{name!r}] has values too large for the model's dtype "
                    f"{target.dtype} (they would become inf)"
                )
        elif value.dtype.kind == "f" and not np.array_equal(value, np.round(value)):
            raise ValueError(f"state[{name!r}] must hold whole numbers ({target.dtype})")
        values[name] = value
    return values
