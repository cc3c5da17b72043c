"""Every figure of the book, one function each (the only place matplotlib is imported).

Each function returns a :class:`matplotlib.figure.Figure` drawn deterministically
from the package's own functions; ``scripts/render_figures.py`` saves them for the site.
"""

from __future__ import annotations

from cnnbook.figures.animations import (
    ANIMATIONS,
    convolution_animation_frames,
    save_convolution_animation,
)
from cnnbook.figures.convolution import (
    convolution_modes_figure,
    correlation_vs_convolution_figure,
    edge_detection_figure,
    feature_maps_figure,
    kernel_gallery_figure,
)
from cnnbook.figures.kernels import PHOTO_DETAIL, kernels_on_photograph_figure, photograph_detail
from cnnbook.figures.layers import connectivity_figure, conv_layer_figure
from cnnbook.figures.normalization import activation_spread_figure
from cnnbook.figures.parity import parity_curves_figure
from cnnbook.figures.pipeline import pipeline_figure, pipeline_stages
from cnnbook.figures.pooling import pooling_figure
from cnnbook.figures.receptive_field import DEFAULT_STACK, receptive_field_figure
from cnnbook.figures.residual import gradient_norm_figure
from cnnbook.figures.sizes import (
    OUTPUT_SIZE_CURVES,
    output_size_figure,
    parameters_by_layer_figure,
    weight_sharing_figure,
)
from cnnbook.figures.training import (
    confusion_matrix_figure,
    learned_filters_figure,
    network_feature_maps_figure,
    training_curves_figure,
)
from cnnbook.figures.translation import (
    EQUIVARIANCE_CURVES,
    INVARIANCE_CURVES,
    translation_figure,
    translation_image,
)

# Each figures submodule re-exports its functions below.

__all__: list[str] = [
    "ANIMATIONS",
    "DEFAULT_STACK",
    "EQUIVARIANCE_CURVES",
    "INVARIANCE_CURVES",
    "OUTPUT_SIZE_CURVES",
    "PHOTO_DETAIL",
    "activation_spread_figure",
    "confusion_matrix_figure",
    "connectivity_figure",
    "conv_layer_figure",
    "convolution_animation_frames",
    "convolution_modes_figure",
    "correlation_vs_convolution_figure",
    "edge_detection_figure",
    "feature_maps_figure",
    "gradient_norm_figure",
    "kernel_gallery_figure",
    "kernels_on_photograph_figure",
    "learned_filters_figure",
    "network_feature_maps_figure",
    "output_size_figure",
    "parameters_by_layer_figure",
    "parity_curves_figure",
    "photograph_detail",
    "pipeline_figure",
    "pipeline_stages",
    "pooling_figure",
    "receptive_field_figure",
    "save_convolution_animation",
    "training_curves_figure",
    "translation_figure",
    "translation_image",
    "weight_sharing_figure",
]
