"""The layer protocol: `Module` (`Parameter` and `Sequential` have their own modules).

A layer is an object with a `forward` that remembers what its `backward` will
need, and a `backward(grad_output)` that returns the gradient with respect to
its input and *adds* the gradients of its parameters to their ``.grad``
(gradients accumulate, as in PyTorch, until `zero_grad`). The names, the
order of `parameters()` and the printed form are PyTorch's, so a model here
and its `torch.nn` twin (see `cnnbook.torch_bridge`) read the same.

dtype policy: a layer with parameters creates them in the ``dtype`` it is given
(``np.float32`` by default, like torch) and refuses an input of another dtype
with a `TypeError` (torch does the same) instead of silently converting every
batch; `Module.to` / `double()` / `float()` convert a whole model. Layers without
parameters compute in their input's dtype.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Iterator
from typing import Any

import numpy as np
from numpy.typing import DTypeLike

from cnnbook.nn.layer_input import check_float_input as check_float_input
from cnnbook.nn.layer_input import named_errors as named_errors
from cnnbook.nn.parameter import Parameter
from cnnbook.nn.state import checked_state

__all__ = ["Module", "Parameter"]


class Module:
    """Base class of every layer: a `forward`, a `backward` and registered parameters.

    Assigning a `Parameter` or a `Module` to an attribute registers it, in
    assignment order, exactly like ``torch.nn.Module``; `parameters()` then
    yields a module's own parameters first and its children's after, which is
    torch's order. `register_buffer` registers state that is not trained but
    belongs to the model (`BatchNorm2d`'s running statistics): it is part of
    `state_dict` (so checkpoints keep it) and converted by `to`.

    A network whose forward is not a chain (a residual block, a U-Net) is a
    subclass with its own ``forward`` that combines the outputs of sub-modules
    held as attributes, and its own ``backward`` that routes the gradient back
    through them in reverse: a sum sends the same gradient to both branches, and
    a branch used twice receives the sum of its gradients (see `BasicBlock` in
    `cnnbook.models` and `cnnbook.nn.cat` / `cnnbook.nn.split` for concatenation).
    Each sub-module instance remembers only its last forward, so a layer used at
    two places of a forward needs two instances.

    Examples
    --------
    >>> class Scale(Module):
    ...     def __init__(self):
    ...         super().__init__()
    ...         self.a = Parameter(np.array([2.0]))
    ...     def forward(self, x):
    ...         self._x = x
    ...         return self.a.data * x
    ...     def backward(self, grad_output):
    ...         self.a.accumulate(np.atleast_1d((grad_output * self._x).sum()))
    ...         return grad_output * self.a.data
    >>> m = Scale()
    >>> m(np.array([1.0, 3.0]))
    array([2., 6.])
    >>> m.backward(np.ones(2)), m.a.grad
    (array([2., 2.]), array([4.]))
    >>> [name for name, _ in m.named_parameters()]
    ['a']
    """

    training: bool
    _parameters: OrderedDict[str, Parameter]
    _modules: OrderedDict[str, Module]
    _buffers: OrderedDict[str, np.ndarray | None]
    #: Whether ``backward`` takes ``need_input_grad=False`` and then skips the input gradient.
    can_skip_input_grad: bool = False

    def __init__(self) -> None:
        object.__setattr__(self, "_parameters", OrderedDict())
        object.__setattr__(self, "_modules", OrderedDict())
        object.__setattr__(self, "_buffers", OrderedDict())
        object.__setattr__(self, "training", True)

    def __setattr__(self, name: str, value: Any) -> None:
        params: OrderedDict[str, Parameter] = self.__dict__.get("_parameters")  # type: ignore[assignment]
        if params is None:
            raise AttributeError(
                f"{type(self).__name__}.__init__ must call super().__init__() first"
            )
        modules: OrderedDict[str, Module] = self.__dict__["_modules"]
        buffers: OrderedDict[str, np.ndarray | None] = self.__dict__["_buffers"]
        if name in buffers:
            # Assigning to a buffer's name replaces the buffer (torch's rule too).
            if value is not None and not isinstance(value, np.ndarray):
                raise TypeError(
                    f"buffer {name!r} of {type(self).__name__} must be an ndarray or None; "
                    f"got {type(value).__name__}"
                )
            buffers[name] = value
            object.__setattr__(self, name, value)
            return
        params.pop(name, None)
        modules.pop(name, None)
        if isinstance(value, Parameter):
            params[name] = value
        elif isinstance(value, Module):
            modules[name] = value
        object.__setattr__(self, name, value)

    def register_buffer(self, name: str, value: np.ndarray | None) -> None:
        """Register `value` as a buffer: saved in `state_dict`, converted by `to`, not trained.

        A buffer of None (torch's convention for "not tracked") is registered but
        left out of `state_dict`.
        """
        if not isinstance(name, str) or not name.isidentifier():
            raise ValueError(f"buffer name (={name!r}) must be a Python identifier")
        if value is not None and not isinstance(value, np.ndarray):
            raise TypeError(
                f"buffer {name!r} must be an ndarray or None; got {type(value).__name__}"
            )
        self._parameters.pop(name, None)
        self._modules.pop(name, None)
        self._buffers[name] = value
        object.__setattr__(self, name, value)

    # -- the protocol ----------------------------------------------------------------------
    def forward(self, *args: Any, **kwargs: Any) -> Any:
        """Compute the output and remember what `backward` needs."""
        raise NotImplementedError(f"{type(self).__name__} does not define forward")

    def backward(self, *args: Any, **kwargs: Any) -> Any:
        """Return the gradient w.r.t. the input of the last `forward`; accumulate ``.grad``.

        Raises
        ------
        RuntimeError
            When called before `forward` (nothing saved to differentiate; torch raises
            RuntimeError for a backward without a graph too).
        NotImplementedError
            When the subclass does not define it.
        """
        raise NotImplementedError(f"{type(self).__name__} does not define backward")

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        """Run `forward` (as torch's modules do); a ragged nested list is named here."""
        for i, arg in enumerate(args):
            if isinstance(arg, list | tuple):
                try:
                    np.asarray(arg)
                except ValueError as err:  # NumPy's "inhomogeneous shape"
                    raise ValueError(
                        f"{self!r} got a ragged nested sequence as input {i} (rows of "
                        "different lengths); expected a rectangular array"
                    ) from err
        return self.forward(*args, **kwargs)

    def _saved(self, value: Any) -> Any:
        """Return a value saved by `forward`, or explain that `forward` has not run."""
        if value is None:
            raise RuntimeError(
                f"{self!r}: backward called before forward (call the module on an input "
                "first; backward uses what that forward saved)"
            )
        return value

    # -- traversal -------------------------------------------------------------------------
    def children(self) -> Iterator[Module]:
        """Yield the direct sub-modules in registration order."""
        yield from self._modules.values()

    def named_modules(self, prefix: str = "") -> Iterator[tuple[str, Module]]:
        """Yield ``(name, module)`` for this module and every descendant, depth first."""
        yield prefix, self
        for name, child in self._modules.items():
            yield from child.named_modules(f"{prefix}.{name}" if prefix else name)

    def modules(self) -> Iterator[Module]:
        """Yield this module and every descendant, depth first."""
        for _, m in self.named_modules():
            yield m

    def named_parameters(self, prefix: str = "") -> Iterator[tuple[str, Parameter]]:
        """Yield ``(dotted name, parameter)`` in torch's order, each shared parameter once."""
        seen: set[int] = set()
        for mod_name, module in self.named_modules(prefix):
            for name, p in module._parameters.items():
                if id(p) not in seen:
                    seen.add(id(p))
                    yield (f"{mod_name}.{name}" if mod_name else name), p

    def parameters(self) -> Iterator[Parameter]:
        """Yield the parameters in torch's order (own first, then each child's)."""
        for _, p in self.named_parameters():
            yield p

    def named_buffers(self, prefix: str = "") -> Iterator[tuple[str, np.ndarray]]:
        """Yield ``(dotted name, buffer)`` for every buffer that is not None."""
        for mod_name, module in self.named_modules(prefix):
            for name, b in module._buffers.items():
                if b is not None:
                    yield (f"{mod_name}.{name}" if mod_name else name), b

    def buffers(self) -> Iterator[np.ndarray]:
        """Yield every buffer that is not None (e.g. running statistics)."""
        for _, b in self.named_buffers():
            yield b

    def zero_grad(self, set_to_none: bool = True) -> None:
        """Forget every parameter's gradient (see `Parameter.zero_grad`)."""
        for p in self.parameters():
            p.zero_grad(set_to_none)

    def train(self, mode: bool = True) -> Module:
        """Switch this module and its descendants to training (or, with False, eval) mode."""
        if not isinstance(mode, bool | np.bool_):
            raise TypeError(f"mode (={mode!r}) must be a bool (True or False)")
        mode = bool(mode)
        for m in self.modules():
            object.__setattr__(m, "training", mode)
        return self

    def eval(self) -> Module:
        """Switch to evaluation mode (`Dropout` becomes the identity)."""
        return self.train(False)

    # -- dtype and state -------------------------------------------------------------------
    def to(self, dtype: DTypeLike) -> Module:
        """Convert every parameter (and its gradient) and every float buffer to `dtype`.

        In place; returns self. Integer buffers (``num_batches_tracked``) keep
        their dtype, as in torch.
        """
        try:
            dt = np.dtype(dtype)
        except TypeError as err:
            raise TypeError(f"dtype (={dtype!r}) is not a NumPy dtype") from err
        if dt.kind != "f":
            raise TypeError(f"dtype (={dt}) must be a floating dtype")
        for p in self.parameters():
            p.data = p.data.astype(dt, copy=False)
            if p.grad is not None:
                p.grad = p.grad.astype(dt, copy=False)
        for m in self.modules():
            for name, b in m._buffers.items():
                if b is not None and b.dtype.kind == "f":
                    setattr(m, name, b.astype(dt, copy=False))
        return self

    def double(self) -> Module:
        """Convert the parameters to float64 (what the parity tests use)."""
        return self.to(np.float64)

    def float(self) -> Module:
        """Convert the parameters to float32 (the default)."""
        return self.to(np.float32)

    def _state(self) -> dict[str, np.ndarray]:
        """Return the live arrays of `state_dict` (no copies), in torch's key order."""
        state: dict[str, np.ndarray] = {}
        seen: set[int] = set()
        for mod_name, module in self.named_modules():
            prefix = f"{mod_name}." if mod_name else ""
            for name, p in module._parameters.items():
                if id(p) not in seen:
                    seen.add(id(p))
                    state[prefix + name] = p.data
            for name, b in module._buffers.items():
                if b is not None:
                    state[prefix + name] = b
        return state

    def state_dict(self) -> dict[str, np.ndarray]:
        """Return a copy of every parameter and buffer, keyed by its dotted name (torch's keys).

        Per module, parameters come first and buffers after (``running_mean``,
        ``running_var``, ``num_batches_tracked``), as in torch, so a checkpoint
        keeps a `BatchNorm2d`'s running statistics.
        """
        return {name: a.copy() for name, a in self._state().items()}

    def load_state_dict(self, state: dict[str, np.ndarray]) -> None:
        """Copy `state` into the parameters and buffers; keys and shapes must match exactly.

        Nothing is copied unless every entry fits: the values must be real numbers
        (complex values would lose their imaginary part) that fit the model's dtype
        (1e300 into float32 would become inf).

        Raises
        ------
        ValueError
            When a key is missing or unexpected, a shape differs (the message
            names the key and both shapes), or a value would overflow the dtype.
        TypeError
            When a value is not a real numeric array.
        """
        own = self._state()
        buffers = frozenset(name for name, _ in self.named_buffers())
        values = checked_state(type(self).__name__, own, state, buffers)
        for name, target in own.items():
            target[...] = values[name]

    # -- printing --------------------------------------------------------------------------
    def extra_repr(self) -> str:
        """Return the text inside the parentheses of a leaf module's repr (as in torch)."""
        return ""

    def __repr__(self) -> str:
        if not self._modules:
            return f"{type(self).__name__}({self.extra_repr()})"
        lines = [f"{type(self).__name__}("]
        for name, child in self._modules.items():
            body = repr(child).replace("\n", "\n  ")
            lines.append(f"  ({name}): {body}")
        lines.append(")")
        return "\n".join(lines)
