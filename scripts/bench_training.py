"""Time training with cnnbook against the identical torch model (to_torch), same run, same threads.

Prints three tables:

1. time per training epoch on the digits (the CLI's reference CNN, batches of 32,
   Adam) for cnnbook and for ``to_torch`` of the same model, on the same batches;
2. time per training step (forward, loss, backward, Adam) on MNIST-sized batches
   of 64 random 28x28 images with the LeNet-like CNN;
3. bridge parity: both models trained for the CLI's default run (same initial
   weights, batches, shifts, dropout masks and learning-rate schedule) and their
   test accuracies.

Times are medians of interleaved repeats; the ratio is cnnbook / torch.

    python scripts/bench_training.py [--repeats N] [--threads T] [--parity-epochs E]

torch.set_num_threads is set to NumPy's BLAS thread count (threadpoolctl), default 1:
on a shared machine more threads than free cores makes OpenBLAS spin and times meaningless.
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable, Iterator

import numpy as np
import speed_targets
import torch
from threadpoolctl import threadpool_info, threadpool_limits

import cnnbook
from cnnbook import nn, optim
from cnnbook.__main__ import TRAIN_DEFAULTS
from cnnbook.data import DataLoader, load_digits, random_shifts, train_test_split
from cnnbook.models import lenet_like, reference_cnn
from cnnbook.torch_bridge import to_torch
from cnnbook.train import evaluate, fit, step_lr

Batch = tuple[np.ndarray, np.ndarray]


def cnnbook_step(model: nn.Module, opt: optim.Optimizer) -> Callable[[Batch], float]:
    loss_fn = nn.CrossEntropyLoss()

    def step(batch: Batch) -> float:
        opt.zero_grad()
        loss = loss_fn(model(batch[0]), batch[1])
        model.backward(loss_fn.backward(), need_input_grad=False)
        opt.step()
        return loss

    return step


def torch_step(tmodel: torch.nn.Module, opt: torch.optim.Optimizer) -> Callable[[Batch], float]:
    def step(batch: Batch) -> float:
        opt.zero_grad()
        logits = tmodel(torch.from_numpy(batch[0]))
        loss = torch.nn.functional.cross_entropy(logits, torch.from_numpy(batch[1]))
        loss.backward()
        opt.step()
        return float(loss.item())

    return step


def timed(fn: Callable[[], object]) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def epoch_table(repeats: int) -> None:
    x, y = load_digits(dtype=np.float32)
    (xtr, ytr), _ = train_test_split(x, y, TRAIN_DEFAULTS["test_fraction"], 0)
    batches = list(DataLoader(xtr, ytr, TRAIN_DEFAULTS["batch_size"], shuffle=True, rng=0))
    model = reference_cnn(np.random.default_rng(0))
    tmodel = to_torch(model)
    ours = cnnbook_step(model, optim.Adam(model.parameters(), lr=1e-3))
    theirs = torch_step(tmodel, torch.optim.Adam(tmodel.parameters(), lr=1e-3))
    times: dict[str, list[float]] = {"cnnbook": [], "torch": []}
    for _ in range(repeats + 1):  # the first epoch of each warms up
        for name, step in (("cnnbook", ours), ("torch", theirs)):
            times[name].append(timed(lambda step=step: [step(b) for b in batches]))
    med = {k: float(np.median(v[1:])) for k, v in times.items()}
    print(f"### Training epoch on the digits ({len(ytr)} images 8x8, {len(batches)} batches)\n")
    print("| model | cnnbook s/epoch | torch s/epoch | ratio |")
    print("|---|---|---|---|")
    print(
        f"| reference_cnn, batch 32, Adam | {med['cnnbook']:.3f} | {med['torch']:.3f} | "
        f"{med['cnnbook'] / med['torch']:.2f} |\n",
        flush=True,
    )
    speed_targets.record(speed_targets.EPOCH, "reference_cnn", med["cnnbook"] / med["torch"])


def step_table(repeats: int) -> None:
    rng = np.random.default_rng(0)
    batch = (rng.random((64, 1, 28, 28), dtype=np.float32), rng.integers(0, 10, 64))
    model = lenet_like(np.random.default_rng(0), image_size=28)
    tmodel = to_torch(model)
    ours = cnnbook_step(model, optim.Adam(model.parameters(), lr=1e-3))
    theirs = torch_step(tmodel, torch.optim.Adam(tmodel.parameters(), lr=1e-3))
    times: dict[str, list[float]] = {"cnnbook": [], "torch": []}
    for _ in range(3):
        ours(batch), theirs(batch)
    for _ in range(max(repeats * 4, 20)):
        times["cnnbook"].append(timed(lambda: ours(batch)))
        times["torch"].append(timed(lambda: theirs(batch)))
    med = {k: float(np.median(v)) for k, v in times.items()}
    print("### Training step on MNIST-sized batches (64 random images 28x28)\n")
    print("| model | cnnbook ms/step | torch ms/step | ratio |")
    print("|---|---|---|---|")
    print(
        f"| lenet_like(28), Adam | {med['cnnbook'] * 1e3:.2f} | {med['torch'] * 1e3:.2f} | "
        f"{med['cnnbook'] / med['torch']:.2f} |\n",
        flush=True,
    )
    speed_targets.record(speed_targets.STEP, "lenet_like(28)", med["cnnbook"] / med["torch"])


def same_batches(
    data: Batch, epochs: int, seed: int, shift_fraction: float
) -> Iterator[tuple[int, Batch]]:
    """Replay `fit`'s batches: one Generator feeds the shuffles and the shifts, in fit's order."""
    generator = np.random.default_rng(seed)
    loader = DataLoader(*data, TRAIN_DEFAULTS["batch_size"], shuffle=True, rng=generator)
    for epoch in range(1, epochs + 1):
        for xb, yb in loader:
            yield epoch, (random_shifts(xb, generator, 1, shift_fraction), yb)


class ReplayedDropout(torch.nn.Module):
    """Dropout applying the masks cnnbook drew (popped from a shared list), in training mode.

    Both runs then see the same masks; in eval mode it is the identity, like torch.nn.Dropout.
    """

    def __init__(self, masks: list[np.ndarray]) -> None:
        super().__init__()
        self.masks = masks

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """Multiply by the next recorded (already scaled) mask."""
        if not self.training:
            return x
        return x * torch.from_numpy(self.masks.pop())


def share_dropout_masks(
    model: nn.Sequential, tmodel: torch.nn.Sequential, rng: np.random.Generator
) -> list[np.ndarray]:
    """Record every training-mode mask of the cnnbook Dropout layers; replay them in torch."""
    masks: list[np.ndarray] = []
    layer_forward: dict[int, Callable[..., np.ndarray]] = {}
    for i, layer in enumerate(model):
        if isinstance(layer, nn.Dropout):
            layer_forward[id(layer)] = layer.forward

            def drawing(
                x: np.ndarray, mask: object = None, layer: nn.Dropout = layer
            ) -> np.ndarray:
                if not layer.training or layer.p in (0.0, 1.0):
                    return layer_forward[id(layer)](x)
                keep = rng.random(x.shape) >= layer.p
                masks.append((keep / (1 - layer.p)).astype(x.dtype))  # torch's scaled mask
                return layer_forward[id(layer)](x, keep)

            layer.forward = drawing  # type: ignore[method-assign]
            tmodel[i] = ReplayedDropout(masks)
    return masks


def parity_line(epochs: int) -> None:
    d = TRAIN_DEFAULTS
    x, y = load_digits(dtype=np.float32)
    train, test = train_test_split(x, y, d["test_fraction"], d["seed"])
    model = reference_cnn(np.random.default_rng(d["seed"]))
    tmodel = to_torch(model)  # before training: the same initial weights
    masks = share_dropout_masks(model, tmodel, np.random.default_rng(d["seed"] + 1))
    schedule = step_lr(d["lr"], [int(0.7 * epochs)])
    start = time.perf_counter()
    fit(
        model,
        nn.CrossEntropyLoss(),
        optim.Adam(model.parameters(), lr=d["lr"]),
        train,
        epochs=epochs,
        batch_size=d["batch_size"],
        rng=d["seed"],
        progress=False,
        transform=lambda xb, g: random_shifts(xb, g, 1, d["shift_fraction"]),
        lr_schedule=schedule,
    )
    ours_s = time.perf_counter() - start
    topt = torch.optim.Adam(tmodel.parameters(), lr=d["lr"])
    step = torch_step(tmodel, topt)
    masks.reverse()  # torch pops them in the order cnnbook drew them
    start = time.perf_counter()
    for epoch, batch in same_batches(train, epochs, d["seed"], d["shift_fraction"]):
        for group in topt.param_groups:
            group["lr"] = schedule(epoch)
        step(batch)
    theirs_s = time.perf_counter() - start
    tmodel.eval()
    with torch.no_grad():
        t_pred = tmodel(torch.from_numpy(test[0])).argmax(1).numpy()
    ours_acc = evaluate(model, *test).accuracy
    theirs_acc = float(np.mean(t_pred == test[1]))
    print(f"### Bridge parity: the CLI's default run ({epochs} epochs), cnnbook vs to_torch\n")
    print("| | cnnbook | torch (to_torch) | difference |")
    print("|---|---|---|---|")
    print(
        f"| test accuracy | {ours_acc:.2%} | {theirs_acc:.2%} | "
        f"{100 * abs(ours_acc - theirs_acc):.2f} points |"
    )
    print(f"| training time | {ours_s:.1f} s | {theirs_s:.1f} s | ratio {ours_s / theirs_s:.2f} |")
    print(
        "\nSame initial weights, batches, shifts, dropout masks and learning rates; "
        "only float32 rounding differs.",
        flush=True,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--threads", type=int, default=1, help="BLAS and torch threads")
    parser.add_argument("--parity-epochs", type=int, default=TRAIN_DEFAULTS["epochs"])
    args = parser.parse_args()
    with threadpool_limits(args.threads, user_api="blas"):
        blas = [i for i in threadpool_info() if i.get("user_api") == "blas"]
        threads = int(blas[0]["num_threads"]) if blas else args.threads
        torch.set_num_threads(threads)
        cnnbook.set_num_threads(threads)  # its element-wise passes, like torch's
        print(
            f"NumPy {np.__version__} ({threads} BLAS threads), torch {torch.__version__} "
            f"({torch.get_num_threads()} threads); medians of {args.repeats} repeats\n"
        )
        epoch_table(args.repeats)
        step_table(args.repeats)
        parity_line(args.parity_epochs)
    print("\nratio = cnnbook / torch (< 1 means cnnbook is faster).")


if __name__ == "__main__":
    main()
