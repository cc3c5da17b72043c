"""cnnbook: what a convolutional neural network is, how it works and what it is best at.

Every concept of the book is a function or a class here, in NumPy, with the
names and conventions of PyTorch (NCHW, ``stride``, ``padding``, ``dilation``,
``groups``) and SciPy (``valid`` / ``same`` / ``full``), cross-checked against both.
"""

from __future__ import annotations

from cnnbook import data, models, nn, optim, train
from cnnbook.adaptive_pooling import adaptive_avg_pool2d, adaptive_avg_pool2d_backward
from cnnbook.architectures import (
    ALEXNET,
    LENET5,
    RESNET18,
    VGG16,
    Architecture,
    LayerSummary,
    architecture_summary,
    parameter_count,
    receptive_field_after,
)
from cnnbook.backpropagation import conv2d_backward_by_correlation, dilate, numerical_gradient
from cnnbook.channels import PixelSum, SeparableCost, pixel_sum, separable_cost
from cnnbook.checkerboard_artifacts import (
    UPSAMPLING_METHODS,
    Spread,
    interior_spread,
    overlap_counts,
    upsampled_constant,
)
from cnnbook.conv2d import (
    Conv2dCache,
    conv2d,
    conv2d_backward,
    conv2d_backward_from_cache,
    conv2d_forward,
)
from cnnbook.conv_transpose2d import conv_transpose2d, conv_transpose2d_backward
from cnnbook.conventions import (
    dilation_from_gap,
    exact_conv_output_size,
    gap_from_dilation,
    split_padding,
    tf_same_padding,
)
from cnnbook.convolution_matrix import (
    RoundTrip,
    conv2d_matrix,
    conv_transpose2d_matrix,
    round_trip,
)
from cnnbook.convolution_speed import SpeedComparison, naive_vs_im2col
from cnnbook.correlation import (
    convolve2d,
    convolve2d_naive,
    correlate2d,
    correlate2d_naive,
)
from cnnbook.correlation1d import convolve1d, correlate1d
from cnnbook.dropout import (
    OverfittingCurves,
    dropout_comparison,
    dropout_mlp,
    overfitting_run,
)
from cnnbook.effective_receptive_field import (
    EffectiveField,
    effective_receptive_field,
    image_patches,
)
from cnnbook.equivariance import (
    conv2d_circular,
    equivariance_error,
    error_vs_shift,
    invariance_error,
    shift,
)
from cnnbook.erf_growth import ERFDepthStudy, erf_by_depth
from cnnbook.feature_hierarchy import (
    activation_maximization,
    feature_network,
    initial_similarity,
    load_feature_network,
    top_patches,
    trained_feature_networks,
)
from cnnbook.fft_convolution import FFTCrossover, fft_crossover, fftconvolve
from cnnbook.global_invariance import (
    GLOBAL_POOL_NETWORKS,
    ShiftInvariance,
    global_pool_invariance,
    global_pool_network,
    total_stride,
)
from cnnbook.global_pooling import (
    global_avg_pool2d,
    global_avg_pool2d_backward,
    global_max_pool2d,
    global_max_pool2d_backward,
)
from cnnbook.images import LUMA_WEIGHTS, checkerboard, photograph, square
from cnnbook.interpolation import interpolate, interpolate_backward
from cnnbook.kernels import (
    KERNELS,
    EdgeMap,
    box_blur,
    edge_detect,
    gaussian_kernel,
    identity,
    laplacian,
    prewitt_x,
    prewitt_y,
    sharpen,
    sobel_x,
    sobel_y,
)
from cnnbook.layer_cost import (
    LayerCost,
    activation_memory,
    conv2d_macs,
    layer_costs,
    linear_macs,
    total_macs,
)
from cnnbook.layouts import flip_kernel, hwio_to_oihw, nchw_to_nhwc, nhwc_to_nchw, oihw_to_hwio
from cnnbook.learning_a_kernel import KernelFit, kernel_pairs, learn_kernel
from cnnbook.normalization import activation_spread, deep_stack
from cnnbook.output_size import (
    conv_output_size,
    pool_output_size,
    same_padding,
    transposed_conv_output_size,
)
from cnnbook.padding import pad, pad_backward
from cnnbook.parameters import (
    ConnectivitySavings,
    connectivity_savings,
    conv2d_parameter_count,
    linear_parameter_count,
    locally_connected_parameter_count,
)
from cnnbook.pooling import avg_pool2d, avg_pool2d_backward, max_pool2d, max_pool2d_backward
from cnnbook.receptive_field import (
    EmpiricalField,
    ReceptiveField,
    empirical_receptive_field,
    receptive_field,
)
from cnnbook.residual import gradient_norms, residual_stack
from cnnbook.threads import get_num_threads, set_num_threads
from cnnbook.two_layer_network import (
    DescentHistory,
    gradient_check,
    gradient_descent,
    two_layer_network,
    xor_data,
)
from cnnbook.windows import fold_windows, pad2d, sliding_windows

__version__ = "0.1.0"

# Each concept module re-exports its public names below, in the order of the book.

__all__ = [
    "conv_output_size",
    "pool_output_size",
    "same_padding",
    "transposed_conv_output_size",
    "correlate2d",
    "convolve2d",
    "correlate2d_naive",
    "convolve2d_naive",
    "correlate1d",
    "convolve1d",
    "fftconvolve",
    "fft_crossover",
    "FFTCrossover",
    "conv2d_parameter_count",
    "linear_parameter_count",
    "locally_connected_parameter_count",
    "connectivity_savings",
    "ConnectivitySavings",
    "identity",
    "box_blur",
    "gaussian_kernel",
    "sharpen",
    "sobel_x",
    "sobel_y",
    "prewitt_x",
    "prewitt_y",
    "laplacian",
    "KERNELS",
    "edge_detect",
    "EdgeMap",
    "photograph",
    "checkerboard",
    "square",
    "LUMA_WEIGHTS",
    "conv2d",
    "conv2d_backward",
    "conv2d_forward",
    "conv2d_backward_from_cache",
    "Conv2dCache",
    "pixel_sum",
    "PixelSum",
    "separable_cost",
    "SeparableCost",
    "conv_transpose2d",
    "conv_transpose2d_backward",
    "conv2d_matrix",
    "conv_transpose2d_matrix",
    "round_trip",
    "RoundTrip",
    "overlap_counts",
    "upsampled_constant",
    "interior_spread",
    "Spread",
    "UPSAMPLING_METHODS",
    "pad",
    "pad_backward",
    "dilate",
    "conv2d_backward_by_correlation",
    "numerical_gradient",
    "conv2d_macs",
    "linear_macs",
    "layer_costs",
    "LayerCost",
    "total_macs",
    "activation_memory",
    "naive_vs_im2col",
    "SpeedComparison",
    "kernel_pairs",
    "learn_kernel",
    "KernelFit",
    "xor_data",
    "two_layer_network",
    "gradient_descent",
    "gradient_check",
    "DescentHistory",
    "dropout_mlp",
    "overfitting_run",
    "dropout_comparison",
    "OverfittingCurves",
    # What the network sees: the hierarchy of features
    "feature_network",
    "trained_feature_networks",
    "load_feature_network",
    "initial_similarity",
    "top_patches",
    "activation_maximization",
    "fold_windows",
    "pad2d",
    "sliding_windows",
    "max_pool2d",
    "max_pool2d_backward",
    "avg_pool2d",
    "avg_pool2d_backward",
    "global_avg_pool2d",
    "global_avg_pool2d_backward",
    "global_max_pool2d",
    "global_max_pool2d_backward",
    "adaptive_avg_pool2d",
    "adaptive_avg_pool2d_backward",
    "interpolate",
    "interpolate_backward",
    "receptive_field",
    "ReceptiveField",
    "empirical_receptive_field",
    "EmpiricalField",
    "effective_receptive_field",
    "EffectiveField",
    "image_patches",
    "erf_by_depth",
    "ERFDepthStudy",
    "Architecture",
    "LayerSummary",
    "LENET5",
    "ALEXNET",
    "VGG16",
    "RESNET18",
    "parameter_count",
    "architecture_summary",
    "receptive_field_after",
    "shift",
    "conv2d_circular",
    "equivariance_error",
    "invariance_error",
    "error_vs_shift",
    "total_stride",
    "global_pool_network",
    "global_pool_invariance",
    "ShiftInvariance",
    "GLOBAL_POOL_NETWORKS",
    "split_padding",
    "tf_same_padding",
    "dilation_from_gap",
    "gap_from_dilation",
    "exact_conv_output_size",
    "flip_kernel",
    "nhwc_to_nchw",
    "nchw_to_nhwc",
    "hwio_to_oihw",
    "oihw_to_hwio",
    "deep_stack",
    "activation_spread",
    "get_num_threads",
    "set_num_threads",
    "residual_stack",
    "gradient_norms",
    "nn",
    "optim",
    "data",
    "models",
    "train",
]
