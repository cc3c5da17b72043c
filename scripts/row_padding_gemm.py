"""Why the engine pads its GEMM operands' rows: a float32 GEMM with rows a power of two apart.

For each product ``(M x K) @ (K x N)``, the CPU time (one BLAS thread, medians of
alternating rounds) with the operands' rows ``N`` floats apart (contiguous) and
`cnnbook.row_padding.padded_row_length` apart (an odd number of 64-byte lines), and the
ratio. The shapes are those of the engine's column matrices: ``N`` a multiple of 4 KB
(32 images 32x32 with padding 1: 32 * 32 * 33 columns), 1 KB, 512 bytes, and none.

    python scripts/row_padding_gemm.py [--rounds R]
"""

from __future__ import annotations

import argparse

import numpy as np
from call_profile import cpu_us, row
from threadpoolctl import threadpool_limits

from cnnbook.row_padding import padded_row_length

SHAPES = [(32, 28, 18432), (16, 28, 33792), (32, 145, 8192), (16, 73, 12544), (64, 289, 640)]
SHAPES += [(32, 28, 17952)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    rng = np.random.default_rng(0)
    print("float32 GEMM, one BLAS thread, CPU time in us (median of alternating rounds)\n")
    print(row(["M x K @ K x N", "N x 4 bytes mod 4096", "rows N apart", "rows padded", "ratio"]))
    print(row(["---"] * 5))
    with threadpool_limits(1):
        for m, k, n in SHAPES:
            ld = padded_row_length(n, 4)
            a = rng.standard_normal((m, k), dtype=np.float32)
            operands = {}
            for name, stride in (("plain", n), ("padded", ld)):
                b = rng.standard_normal((k, stride), dtype=np.float32)[:, :n]
                c = np.empty((m, stride), np.float32)[:, :n]
                operands[name] = (b, c)
            times: dict[str, list[float]] = {"plain": [], "padded": []}
            for _ in range(args.rounds):
                for name, (b, c) in operands.items():
                    times[name].append(cpu_us(lambda a=a, b=b, c=c: np.matmul(a, b, out=c), 20))
            plain, padded = (float(np.median(times[key])) for key in ("plain", "padded"))
            print(
                row(
                    [
                        f"{m} x {k} @ {k} x {n}",
                        f"{n * 4 % 4096}",
                        f"{plain:.0f}",
                        f"{padded:.0f}",
                        f"{padded / plain:.2f}",
                    ]
                )
            )


if __name__ == "__main__":
    main()
