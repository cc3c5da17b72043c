"""Checkpoints: a model's parameters in an ``.npz`` file keyed by torch's names (``"0.weight"``).

Writes are atomic (`cnnbook.atomic_files`: a temporary file in the same directory, then
`os.replace`), so an interrupted save leaves the old file or the new one, never half of
one; a load checks every array before it touches the model, so a bad file leaves the model
unchanged.
"""

from __future__ import annotations

import os
import pickle
import zipfile
import zlib
from pathlib import Path
from typing import Any

import numpy as np

# atomic_write stays importable from here (cnnbook.cli.train and users import it).
from cnnbook.atomic_files import atomic_write
from cnnbook.nn import Module
from cnnbook.train.evaluation import check_model

__all__ = ["CheckpointError", "atomic_write", "load_checkpoint", "save_checkpoint"]


class CheckpointError(ValueError):
    """A checkpoint file is unreadable or does not fit the model (the message names the file)."""


def _check_path(path: Any) -> Path:
    if not isinstance(path, str | os.PathLike):
        raise TypeError(f"path (={path!r}) must be a str or a pathlib.Path")
    return Path(path)


def save_checkpoint(model: Module, path: str | Path) -> Path:
    """Save every parameter and buffer of `model` to an ``.npz`` file (torch's keys), atomically.

    Returns
    -------
    Path
        The file written (``.npz`` is appended if missing, as `numpy.savez` does).

    Raises
    ------
    TypeError
        If `model` is not a `cnnbook.nn.Module` or `path` not a path.

    Examples
    --------
    >>> import tempfile
    >>> from cnnbook import nn
    >>> model = nn.Sequential(nn.Linear(3, 2, rng=np.random.default_rng(0)))
    >>> path = save_checkpoint(model, Path(tempfile.mkdtemp()) / "weights")
    >>> path.name, sorted(np.load(path).files)
    ('weights.npz', ['0.bias', '0.weight'])
    """
    check_model(model)
    path = _check_path(path)
    if path.suffix != ".npz":
        path = path.with_name(path.name + ".npz")
    path.parent.mkdir(parents=True, exist_ok=True)
    state: dict[str, Any] = model.state_dict()
    with atomic_write(path) as f:
        np.savez(f, **state)
    return path


def _read(path: Path) -> dict[str, np.ndarray]:
    """Every array of the ``.npz`` at `path`, or a CheckpointError naming the file and the fault."""
    if not path.exists():
        raise FileNotFoundError(f"checkpoint {path} does not exist")
    if path.is_dir():
        raise CheckpointError(f"checkpoint {path} is a directory, not an .npz file")
    broken = (ValueError, OSError, EOFError, zipfile.BadZipFile, zlib.error, pickle.PickleError)
    # Our own file handle, closed on every path (np.load leaks its own on a bad zip).
    with path.open("rb") as handle:
        try:
            archive = np.load(handle, allow_pickle=False)
        except broken as err:
            raise CheckpointError(
                f"checkpoint {path} is not an .npz file written by save_checkpoint "
                f"({type(err).__name__}: {err})"
            ) from err
        if not isinstance(archive, np.lib.npyio.NpzFile):
            raise CheckpointError(
                f"checkpoint {path} holds a single array (.npy); "
                "expected an .npz of named parameters"
            )
        with archive:
            try:
                return {name: archive[name] for name in archive.files}
            except (*broken, KeyError) as err:
                raise CheckpointError(
                    f"checkpoint {path} is corrupt or truncated ({type(err).__name__}: {err})"
                ) from err


def load_checkpoint(model: Module, path: str | Path) -> Module:
    """Load a checkpoint written by `save_checkpoint` into `model` (in place); return it.

    Raises
    ------
    CheckpointError
        A `ValueError` naming the file: not a readable ``.npz`` (corrupt, truncated,
        pickled, a single ``.npy`` array); a parameter that is not real numbers
        (complex weights would lose their imaginary part) or whose values overflow
        the model's dtype (``1e300`` into float32); or a checkpoint saved from
        another architecture (the parameter and both shapes, or the missing and
        unexpected names). The model is unchanged.
    FileNotFoundError
        If `path` does not exist.

    Examples
    --------
    >>> import tempfile
    >>> from cnnbook import nn
    >>> a = nn.Sequential(nn.Linear(3, 2, rng=np.random.default_rng(0)))
    >>> b = nn.Sequential(nn.Linear(3, 2, rng=np.random.default_rng(1)))
    >>> path = save_checkpoint(a, Path(tempfile.mkdtemp()) / "a.npz")
    >>> np.array_equal(load_checkpoint(b, path)[0].weight.data, a[0].weight.data)
    True
    """
    check_model(model)
    path = _check_path(path)
    state = _read(path)
    own = dict(model.named_parameters())
    for name, value in state.items():
        if value.dtype.kind not in "biuf":
            what = "its imaginary part would be lost" if value.dtype.kind == "c" else "not numbers"
            raise CheckpointError(
                f"checkpoint {path}: {name!r} has dtype {value.dtype}; expected real numbers "
                f"({what})"
            )
        if name in own and value.shape == own[name].data.shape:
            target = own[name].data.dtype
            with np.errstate(over="ignore", invalid="ignore"):
                cast = value.astype(target)
            lost = np.isfinite(value) & ~np.isfinite(cast)
            if lost.any():
                first = value[lost].flat[0].item()
                raise CheckpointError(
                    f"checkpoint {path}: {name!r} holds {first!r}, which overflows "
                    f"the model's {target} (largest {np.finfo(target).max:g})"
                )
            state[name] = cast
    try:
        model.load_state_dict(state)
    except ValueError as err:
        raise CheckpointError(f"checkpoint {path} does not fit the model: {err}") from err
    return model
