"""Check the use-case targets of issue 12 for several seeds; print a Markdown table.

Usage: ``python scripts/usecases_seeds.py [--seeds 0 1 2] [--demos inductive-bias ...]``.
Each (demo, seed) is trained or loaded from the cache (``$CNNBOOK_CACHE``); the time shown
is the wall time of the run that filled the cache (a shared machine inflates it).
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from typing import Any

from cnnbook import usecases

Check = Callable[[dict[str, Any]], tuple[str, bool]]


def _inductive_bias(m: dict[str, Any]) -> tuple[str, bool]:
    c, p = m["canvas"], m["canvas_permuted"]
    gap = c["cnn_accuracy"] - c["mlp_accuracy"]
    cnn_cost = c["cnn_accuracy"] - p["cnn_accuracy"]
    mlp_cost = abs(c["mlp_accuracy"] - p["mlp_accuracy"])
    ok = gap >= 0.05 and c["cnn_parameters"] < c["mlp_parameters"]
    ok = ok and cnn_cost >= 0.10 and mlp_cost <= 0.02
    text = (
        f"canvas CNN {c['cnn_accuracy']:.3f} vs MLP {c['mlp_accuracy']:.3f} "
        f"({c['cnn_parameters']} vs {c['mlp_parameters']} params); permuting costs CNN "
        f"{cnn_cost:.3f}, MLP {mlp_cost:.3f}; digits CNN {m['digits']['cnn_accuracy']:.3f} "
        f"MLP {m['digits']['mlp_accuracy']:.3f}"
    )
    return text, ok


def _classification(m: dict[str, Any]) -> tuple[str, bool]:
    text = (
        f"accuracy {m['accuracy']:.3f}, shifted {m['shifted_accuracy']:.3f} (old protocol "
        f"{m['old_protocol_accuracy']:.3f} -> {m['old_protocol_shifted_accuracy']:.3f}, ink lost "
        f"{m['ink_lost_mean']:.3f}); trained on shifts {m['augmented_shifted_accuracy']:.3f}"
    )
    return text, m["canvas_ink_lost_max"] == 0.0 and m["ink_lost_mean"] > 0


def _video(m: dict[str, Any]) -> tuple[str, bool]:
    text = (
        f"accuracy {m['accuracy']:.3f}, single frame {m['single_frame_accuracy']:.3f}, "
        f"repeated frame {m['repeated_frame_accuracy']:.3f}"
    )
    return text, m["accuracy"] >= 0.9 and m["single_frame_accuracy"] <= 0.4


def _detection(m: dict[str, Any]) -> tuple[str, bool]:
    text = (
        f"AP50 {m['ap50']:.3f} (cascade {m['baseline_ap50']:.3f}), precision "
        f"{m['precision']:.3f}, recall {m['recall']:.3f}, {m['test_scenes']} scenes"
    )
    return text, m["ap50"] >= 0.8


def _autoencoder(m: dict[str, Any]) -> tuple[str, bool]:
    text = (
        f"latent size {m['latent_size']}: CNN MSE {m['cnn_mse']:.4f}, PCA MSE {m['pca_mse']:.4f} "
        f"(ratio {m['error_ratio']:.2f}; PCA needs {m['pca_components_to_match']} components)"
    )
    return text, m["cnn_mse"] <= m["pca_mse"]


def _verification(m: dict[str, Any]) -> tuple[str, bool]:
    text = (
        f"AUC {m['auc']:.3f}, EER {m['eer']:.3f}, pixel AUC {m['pixel_auc']:.3f} (digits moved "
        f"up to {m['jitter']} px); aligned pixels {m['aligned_pixel_auc']:.3f}; centred: CNN "
        f"{m['centred_auc']:.3f}, pixels {m['centred_pixel_auc']:.3f}; seen classes "
        f"{m['seen_auc']:.3f}"
    )
    return text, m["auc"] >= 0.9 and m["auc"] >= m["pixel_auc"] + 0.05


def _denoising(m: dict[str, Any]) -> tuple[str, bool]:
    best = max(m["baseline_psnr"].values())
    text = f"sigma {m['sigma']:g}: CNN {m['cnn_psnr']:.2f} dB, best baseline {best:.2f} dB"
    return text, m["cnn_psnr"] >= best + 0.5


def _super_resolution(m: dict[str, Any]) -> tuple[str, bool]:
    text = f"CNN {m['cnn_psnr']:.2f} dB, bicubic {m['bicubic_psnr']:.2f} dB"
    return text, m["cnn_psnr"] >= m["bicubic_psnr"] + 0.3


def _segmentation(m: dict[str, Any]) -> tuple[str, bool]:
    text = (
        f"Dice {m['dice']:.3f} (Otsu {m['otsu_dice']:.3f}), IoU {m['iou']:.3f}, count error "
        f"{m['count_error']:.2f} (Otsu {m['otsu_count_error']:.2f}, exact mask "
        f"{m['exact_mask_count_error']:.2f}), CPU {m['cpu_seconds']:.0f} s"
    )
    return text, m["dice"] >= 0.9 and m["dice"] >= m["otsu_dice"] + 0.03


CHECKS: dict[str, Check] = {
    "inductive-bias": _inductive_bias,
    "classification": _classification,
    "detection": _detection,
    "denoising": _denoising,
    "super-resolution": _super_resolution,
    "autoencoder": _autoencoder,
    "verification": _verification,
    "segmentation": _segmentation,
    "video": _video,
}


def main() -> None:
    """Print one table row per demonstration and seed."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, nargs="+", default=[0, 1, 2])
    parser.add_argument("--demos", nargs="+", default=list(CHECKS))
    args = parser.parse_args()
    print("| demo | seed | result | targets | seconds |")
    print("|---|---:|---|---|---:|")
    for name in args.demos:
        for seed in args.seeds:
            result = usecases.run(name, seed=seed)
            text, ok = CHECKS[name](result.metrics)
            print(
                f"| {name} | {seed} | {text} | {'met' if ok else 'MISSED'} | {result.seconds:.0f} |"
            )


if __name__ == "__main__":
    main()
