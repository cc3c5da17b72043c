"""Guided tasks of the Convolution Explorer: reach a target by moving its controls.

Each task names settings and an output size the learner must reach on the explorer; the
page checks it live with the explorer's own output-size computation (which
``tests/browser/test_explorer.py`` proves equal to ``conv_output_size``). The worked
solution is found here by searching the explorer's ranges with ``cnnbook``'s formulas, so
every task is known to be solvable and its solution is computed, never typed.

Examples
--------
>>> task = explorer()[0]
>>> task.target["OH"], task.settings["sh"], task.check({**task.settings, **task.target})
(4, 2, True)
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

from cnnbook.exercises.exercise import Exercise, Generator, TaskExercise
from cnnbook.output_size import conv_output_size, same_padding, transposed_conv_output_size

__all__ = ["GENERATORS", "PAGES", "explorer"]

# The explorer's ranges (docs/assets/explorer/explorer.js, LIMITS).
_PADDING, _STRIDE, _DILATION, _OUTPAD = 9, 6, 6, 5


def _conv_axis(size: int, k: int, before: int, after: int, s: int, d: int) -> int | None:
    """Output size along one axis with per-side padding, or None when the kernel cannot fit."""
    if d * (k - 1) + 1 > size + before + after:
        return None
    # Padding adds cells to the input: the same count as conv_output_size of the padded size.
    return conv_output_size(size + before + after, k, stride=s, dilation=d)


def _size(size: int, k: int, before: int, after: int, s: int, d: int) -> int:
    """Return the output size of settings a task's text relies on (the kernel must fit)."""
    out = _conv_axis(size, k, before, after, s, d)
    if out is None:
        raise RuntimeError(f"a kernel of {k} does not fit {size} + {before} + {after}")
    return out


def _symmetric_settings() -> Iterator[tuple[int, int, int]]:
    """Yield (padding per side, stride, dilation), simplest first: stride, padding, dilation."""
    for s in range(1, _STRIDE + 1):
        for p in range(_PADDING + 1):
            for d in range(1, _DILATION + 1):
                yield p, s, d


def _first_conv(size: int, k: int, out: int, **fixed: int) -> dict[str, int]:
    for p, s, d in _symmetric_settings():
        if any(fixed.get(name, value) != value for name, value in (("p", p), ("s", s), ("d", d))):
            continue
        if _conv_axis(size, k, p, p, s, d) == out:
            return {"pt": p, "pb": p, "pl": p, "pr": p, "sh": s, "sw": s, "dh": d, "dw": d}
    raise RuntimeError(f"no explorer setting maps {size} to {out} with a kernel of {k}")


def _seven_to_four() -> TaskExercise:
    size, k, out = 7, 3, 4
    settings: dict[str, int | str] = {"mode": "conv", "H": size, "W": size, "kh": k, "kw": k}
    settings.update(_first_conv(size, k, out))
    p, s = int(settings["pt"]), int(settings["sh"])
    stride_only = _size(size, k, 0, 0, s, 1)
    return TaskExercise(
        question=(
            f"Make a {size} × {size} input give a {out} × {out} output with a {k} × {k} kernel "
            "(mode: convolution). Change padding and stride."
        ),
        target={"mode": "conv", "H": size, "W": size, "kh": k, "kw": k, "OH": out, "OW": out},
        settings=settings,
        solution=(
            f"Stride {s} with padding {p} on every side: "
            f"$\\lfloor ({size} + 2 \\cdot {p} - {k - 1} - 1)/{s} \\rfloor + 1 = {out}$. "
            f"Stride {s} alone gives {stride_only}: the padding gives the last window room."
        ),
        mistakes=(
            (
                {"OH": stride_only, "OW": stride_only, "sh": s, "sw": s},
                f"Stride {s} without padding gives {stride_only} × {stride_only}: pad the input "
                "so one more window fits.",
            ),
            (
                {"OH": size, "OW": size},
                "That is 'same' padding at stride 1: the size is kept. A stride shrinks it.",
            ),
        ),
    )


def _even_same() -> TaskExercise:
    size, k = 6, 4
    before, after = same_padding(k)
    if _conv_axis(size, k, before, after, 1, 1) != size:
        raise RuntimeError("same_padding does not keep the size")
    too_much = _size(size, k, after, after, 1, 1)
    settings: dict[str, int | str] = {
        "mode": "conv",
        "H": size,
        "W": size,
        "kh": k,
        "kw": k,
        "sh": 1,
        "sw": 1,
        "dh": 1,
        "dw": 1,
        "pt": before,
        "pb": after,
        "pl": before,
        "pr": after,
    }
    return TaskExercise(
        question=(
            f"Keep a {size} × {size} input at {size} × {size} with an even {k} × {k} kernel, "
            "stride 1, by setting the padding per side yourself (not the 'same' preset)."
        ),
        target={
            "mode": "conv",
            "H": size,
            "W": size,
            "kh": k,
            "kw": k,
            "sh": 1,
            "sw": 1,
            "dh": 1,
            "dw": 1,
            "preset": "custom",
            "OH": size,
            "OW": size,
        },
        settings={**settings, "preset": "custom"},
        solution=(
            f"The kernel needs $k - 1 = {before + after}$ zeros in total along each axis, an "
            f"odd number: {before} before (top, left) and {after} after (bottom, right), as "
            f'`same_padding({k})` and PyTorch\'s `padding="same"` split it.'
        ),
        mistakes=(
            (
                {"pt": after, "pb": after, "OH": too_much},
                f"{after} on each side is {2 * after} zeros, one too many: the output grows "
                f"to {too_much}. Put one fewer on top (and on the left).",
            ),
            (
                {"pt": before, "pb": before},
                f"{before} on each side is {2 * before} zeros, one too few: the even kernel "
                "needs an odd total, so the two sides differ.",
            ),
        ),
    )


def _dilation_task() -> TaskExercise:
    size, k, out = 9, 3, 5
    found = _first_conv(size, k, out, p=0, s=1)
    d = found["dh"]
    settings: dict[str, int | str] = {"mode": "conv", "H": size, "W": size, "kh": k, "kw": k}
    settings.update(found)
    return TaskExercise(
        question=(
            f"Without padding and at stride 1, make a {k} × {k} kernel turn a {size} × {size} "
            f"input into a {out} × {out} output. (Which control widens the kernel's reach?)"
        ),
        target={
            "mode": "conv",
            "H": size,
            "W": size,
            "kh": k,
            "kw": k,
            "pt": 0,
            "pb": 0,
            "pl": 0,
            "pr": 0,
            "sh": 1,
            "sw": 1,
            "OH": out,
            "OW": out,
        },
        settings=settings,
        solution=(
            f"Dilation {d}: the taps sit {d} cells apart, so the kernel spans "
            f"$d(k - 1) + 1 = {d * (k - 1) + 1}$ cells and fits "
            f"${size} - {d * (k - 1) + 1} + 1 = {out}$ times."
        ),
        mistakes=(
            (
                {"kh": k + d, "kw": k + d},
                "A bigger kernel also shrinks the output, but the task keeps it "
                f"{k} × {k}: spread its taps instead.",
            ),
        ),
    )


def _upsample_task() -> TaskExercise:
    size, k, s, out = 4, 3, 2, 8
    for p in range(_PADDING + 1):
        for op in range(min(s, _OUTPAD + 1)):
            if transposed_conv_output_size(size, k, stride=s, padding=p, output_padding=op) == out:
                break
        else:
            continue
        break
    else:
        raise RuntimeError("no transposed setting doubles the size")
    without = transposed_conv_output_size(size, k, stride=s, padding=p)
    settings: dict[str, int | str] = {
        "mode": "transposed",
        "H": size,
        "W": size,
        "kh": k,
        "kw": k,
        "sh": s,
        "sw": s,
        "pt": p,
        "pb": p,
        "pl": p,
        "pr": p,
        "oph": op,
        "opw": op,
    }
    return TaskExercise(
        question=(
            f"Switch to transposed convolution and double a {size} × {size} input to "
            f"{out} × {out} with a {k} × {k} kernel at stride {s}."
        ),
        target={
            "mode": "transposed",
            "H": size,
            "W": size,
            "kh": k,
            "kw": k,
            "sh": s,
            "sw": s,
            "OH": out,
            "OW": out,
        },
        settings=settings,
        solution=(
            f"Padding {p} on every side and output padding {op}: "
            f"$(I - 1)s - 2p + (k - 1) + o + 1 = {size - 1} \\cdot {s} - {2 * p} + {k - 1} + "
            f"{op} + 1 = {out}$ (`transposed_conv_output_size`)."
        ),
        mistakes=(
            (
                {"OH": without, "OW": without, "oph": 0, "opw": 0},
                f"{without} × {without}: one short. The output padding adds the missing row "
                "and column.",
            ),
        ),
    )


def explorer() -> list[Exercise]:
    """Return the guided tasks of the Convolution Explorer page."""
    return [_seven_to_four(), _even_same(), _dilation_task(), _upsample_task()]


PAGES: dict[str, Callable[[], list[Exercise]]] = {"explorer": explorer}
GENERATORS: dict[str, Generator] = {}  # the tasks are fixed goals: nothing to draw
