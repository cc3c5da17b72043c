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
    flip_kernel,
    gap_from_dilation,
    hwio_to_oihw,
    nchw_to_nhwc,
    nhwc_to_nchw,
    oihw_to_hwio,
    split_padding,
    tf_same_padding,
)
from cnnbook.convolution_matrix import (
    RoundTrip,
    conv2d_matrix,
    conv_transpose2d_matrix,
    round_trip,
)
from cnnbook.correlation import (
    convolve2d,
    convolve2d_naive,
    correlate2d,
    correlate2d_naive,
)
from cnnbook.equivariance import (
    conv2d_circular,
    equivariance_error,
    error_vs_shift,
    invariance_error,
    shift,
)
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
    "kernel_pairs",
    "learn_kernel",
    "KernelFit",
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
    "residual_stack",
    "gradient_norms",
    "nn",
    "optim",
    "data",
    "models",
    "train",
]
