"""The layer protocol: `Module`, `Parameter` and `Sequential`.

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
from collections.abc import Callable, Iterable, Iterator
from typing import Any, TypeVar, overload

import numpy as np
from numpy.typing import DTypeLike

__all__ = ["Module", "Parameter", "Sequential"]

T = TypeVar("T")


class Parameter:
    """A trainable array and its accumulated gradient.

    Parameters
    ----------
    data : ndarray
        The values; kept as given (no copy), so optimizers update it in place.

    Attributes
    ----------
    data : ndarray
        The values.
    grad : ndarray or None
        Sum of the gradients of every `backward` since the last `zero_grad`;
        ``None`` before the first one, like torch's ``.grad``.

    Examples
    --------
    >>> p = Parameter(np.zeros(2))
    >>> p.accumulate(np.array([1.0, 2.0])); p.accumulate(np.array([1.0, 2.0]))
    >>> p.grad
    array([2., 4.])
    >>> p.zero_grad(); p.grad is None
    True
    """

    __slots__ = ("data", "grad")

    def __init__(self, data: np.ndarray) -> None:
        self.data: np.ndarray = np.asarray(data)
        self.grad: np.ndarray | None = None

    @property
    def shape(self) -> tuple[int, ...]:
        """Shape of `data`."""
        return self.data.shape

    @property
    def dtype(self) -> np.dtype:
        """The dtype of `data`."""
        return self.data.dtype

    def accumulate(self, grad: np.ndarray) -> None:
        """Add `grad` to ``.grad`` (taking ownership of `grad` when ``.grad`` is None)."""
        if self.grad is None:
            # No copy: every layer hands over a freshly computed array it no longer touches.
            self.grad = grad
        else:
            self.grad += grad

    def zero_grad(self, set_to_none: bool = True) -> None:
        """Forget the gradient (``None``, torch's default) or fill it with zeros."""
        if set_to_none or self.grad is None:
            self.grad = None
        else:
            self.grad.fill(0)

    def __repr__(self) -> str:
        return f"Parameter(shape={self.data.shape}, dtype={self.data.dtype})"


class Module:
    """Base class of every layer: a `forward`, a `backward` and registered parameters.

    Assigning a `Parameter` or a `Module` to an attribute registers it, in
    assignment order, exactly like ``torch.nn.Module``; `parameters()` then
    yields a module's own parameters first and its children's after, which is
    torch's order.

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
    #: Whether ``backward`` takes ``need_input_grad=False`` and then skips the input gradient.
    can_skip_input_grad: bool = False

    def __init__(self) -> None:
        object.__setattr__(self, "_parameters", OrderedDict())
        object.__setattr__(self, "_modules", OrderedDict())
        object.__setattr__(self, "training", True)

    def __setattr__(self, name: str, value: Any) -> None:
        params: OrderedDict[str, Parameter] = self.__dict__.get("_parameters")  # type: ignore[assignment]
        if params is None:
            raise AttributeError(
                f"{type(self).__name__}.__init__ must call super().__init__() first"
            )
        modules: OrderedDict[str, Module] = self.__dict__["_modules"]
        params.pop(name, None)
        modules.pop(name, None)
        if isinstance(value, Parameter):
            params[name] = value
        elif isinstance(value, Module):
            modules[name] = value
        object.__setattr__(self, name, value)

    # -- the protocol ----------------------------------------------------------------------
    def forward(self, *args: Any, **kwargs: Any) -> Any:
        """Compute the output and remember what `backward` needs."""
        raise NotImplementedError(f"{type(self).__name__} does not define forward")

    def backward(self, *args: Any, **kwargs: Any) -> Any:
        """Return the gradient w.r.t. the input of the last `forward`; accumulate ``.grad``."""
        raise NotImplementedError(f"{type(self).__name__} does not define backward")

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        """Run `forward` (as torch's modules do)."""
        return self.forward(*args, **kwargs)

    def _saved(self, value: Any) -> Any:
        """Return a value saved by `forward`, or explain that `forward` has not run."""
        if value is None:
            raise RuntimeError(f"{self!r}: backward called before forward")
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

    def zero_grad(self, set_to_none: bool = True) -> None:
        """Forget every parameter's gradient (see `Parameter.zero_grad`)."""
        for p in self.parameters():
            p.zero_grad(set_to_none)

    def train(self, mode: bool = True) -> Module:
        """Switch this module and its descendants to training (or, with False, eval) mode."""
        for m in self.modules():
            object.__setattr__(m, "training", mode)
        return self

    def eval(self) -> Module:
        """Switch to evaluation mode (`Dropout` becomes the identity)."""
        return self.train(False)

    # -- dtype and state -------------------------------------------------------------------
    def to(self, dtype: DTypeLike) -> Module:
        """Convert every parameter (and its gradient) to `dtype`, in place; return self."""
        dt = np.dtype(dtype)
        if dt.kind != "f":
            raise TypeError(f"dtype (={dt}) must be a floating dtype")
        for p in self.parameters():
            p.data = p.data.astype(dt, copy=False)
            if p.grad is not None:
                p.grad = p.grad.astype(dt, copy=False)
        return self

    def double(self) -> Module:
        """Convert the parameters to float64 (what the parity tests use)."""
        return self.to(np.float64)

    def float(self) -> Module:
        """Convert the parameters to float32 (the default)."""
        return self.to(np.float32)

    def state_dict(self) -> dict[str, np.ndarray]:
        """Return a copy of every parameter, keyed by its dotted name (torch's keys)."""
        return {name: p.data.copy() for name, p in self.named_parameters()}

    def load_state_dict(self, state: dict[str, np.ndarray]) -> None:
        """Copy `state` into the parameters; keys and shapes must match exactly.

        Raises
        ------
        ValueError
            When a key is missing or unexpected, or a shape differs (the message
            names the key and both shapes).
        """
        own = dict(self.named_parameters())
        missing = sorted(set(own) - set(state))
        unexpected = sorted(set(state) - set(own))
        if missing or unexpected:
            raise ValueError(
                f"state does not fit {type(self).__name__}: missing keys {missing}, "
                f"unexpected keys {unexpected}"
            )
        for name, p in own.items():
            value = np.asarray(state[name])
            if value.shape != p.data.shape:
                raise ValueError(
                    f"state[{name!r}] has shape {value.shape}; the model's parameter "
                    f"{name!r} has shape {p.data.shape}"
                )
        for name, p in own.items():
            p.data[...] = state[name]

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


class Sequential(Module):
    """Layers applied one after the other; `backward` runs them in reverse.

    Parameters
    ----------
    *layers : Module
        The layers, registered under the names ``"0"``, ``"1"``, ... (torch's keys).

    Examples
    --------
    >>> from cnnbook.nn import Flatten, Linear, ReLU
    >>> model = Sequential(Flatten(), Linear(4, 3, rng=np.random.default_rng(0)), ReLU())
    >>> model
    Sequential(
      (0): Flatten(start_dim=1, end_dim=-1)
      (1): Linear(in_features=4, out_features=3, bias=True)
      (2): ReLU()
    )
    >>> len(model), model[1].weight.shape, [n for n, _ in model.named_parameters()]
    (3, (3, 4), ['1.weight', '1.bias'])
    >>> model(np.ones((2, 2, 2), dtype=np.float32)).shape
    (2, 3)
    """

    can_skip_input_grad = True

    def __init__(self, *layers: Module) -> None:
        super().__init__()
        for layer in layers:
            self.append(layer)

    def append(self, layer: Module) -> Sequential:
        """Add `layer` at the end; return self."""
        if not isinstance(layer, Module):
            raise TypeError(f"Sequential takes Modules; got {type(layer).__name__}")
        setattr(self, str(len(self._modules)), layer)
        return self

    def forward(self, x: np.ndarray) -> np.ndarray:
        """Apply every layer in order."""
        for layer in self._modules.values():
            x = layer(x)
        return x

    def backward(self, grad_output: np.ndarray, need_input_grad: bool = True) -> np.ndarray | None:
        """Back-propagate through every layer in reverse order; return the input gradient.

        With ``need_input_grad=False`` (a training step, where the data needs no
        gradient) the first layer skips computing it, as torch does for an input
        that does not require grad, and None is returned.
        """
        layers = list(self._modules.values())
        for i in range(len(layers) - 1, -1, -1):
            layer = layers[i]
            if i == 0 and not need_input_grad and layer.can_skip_input_grad:
                layer.backward(grad_output, need_input_grad=False)
                return None
            grad_output = layer.backward(grad_output)
        return grad_output if need_input_grad else None

    def __len__(self) -> int:
        return len(self._modules)

    def __iter__(self) -> Iterator[Module]:
        return iter(self._modules.values())

    @overload
    def __getitem__(self, index: int) -> Module: ...
    @overload
    def __getitem__(self, index: slice) -> Sequential: ...
    def __getitem__(self, index: int | slice) -> Module | Sequential:
        layers = list(self._modules.values())
        if isinstance(index, slice):
            return Sequential(*layers[index])
        try:
            return layers[index]
        except IndexError:
            raise IndexError(
                f"index {index} is out of range for a Sequential of {len(layers)} layers"
            ) from None


def check_float_input(layer: Module, x: Any, dtype: np.dtype) -> np.ndarray:
    """Return `x` as an ndarray of the layer's parameter `dtype`, or raise a TypeError naming it."""
    x = np.asarray(x)
    if x.dtype != dtype:
        raise TypeError(
            f"{layer!r} got input of dtype {x.dtype}; its parameters are {dtype} "
            f"(convert the input with x.astype(np.{dtype}) or the model with .to(np.{x.dtype}))"
        )
    return x


def named_errors(layer: Module, x: Any, call: Callable[[], T]) -> T:
    """Run `call`; re-raise a core ValueError naming `layer` and the input shape."""
    try:
        return call()
    except ValueError as err:
        raise ValueError(f"{layer!r} got input of shape {np.shape(x)}: {err}") from err


def as_parameters(params: Iterable[Parameter]) -> list[Parameter]:
    """Return `params` as a list, checking that each item is a `Parameter`."""
    out = list(params)
    for p in out:
        if not isinstance(p, Parameter):
            raise TypeError(f"expected Parameters; got {type(p).__name__}")
    return out
