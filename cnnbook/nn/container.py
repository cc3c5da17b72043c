"""`Sequential`: the container for a network whose forward is a chain of layers."""

from __future__ import annotations

from collections.abc import Iterator
from typing import overload

import numpy as np

from cnnbook.nn.module import Module

__all__ = ["Sequential"]


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
