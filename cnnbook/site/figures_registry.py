"""Every figure of the site: output file (under ``docs/assets/figures/``) -> figure function.

To add a figure: write the function in your ``cnnbook/figures/<topic>.py`` (returning a
``matplotlib.figure.Figure``, or writing the file itself when its first parameter is
``path``), add one line here, and show it on your page with
``![what it shows](assets/figures/<name>)`` (relative to the page). ``make figures`` (and
so ``make docs`` / ``make serve``) renders it when its inputs change; a registered figure
that fails to render fails the build.
"""

from __future__ import annotations

from cnnbook.site.render import Figure

# The worked example of "Channels and 1x1 Convolutions" (and of the im2col page): 2 input
# channels of 3 x 3, 2 output channels of 2 x 2 kernels, as typed on those pages.
CHANNELS_X = [[[1, 2, 0], [0, 1, 3], [2, 1, 1]], [[0, 1, 2], [1, 0, 1], [3, 2, 0]]]
CHANNELS_W = [[[[1, 0], [-1, 2]], [[2, 1], [0, -1]]], [[[0, 1], [1, 0]], [[-1, 0], [2, 1]]]]

FIGURES: dict[str, Figure] = {
    # "kernel-gallery.png": Figure("cnnbook.figures.convolution:kernel_gallery_figure"),
    # "conv-valid.gif": Figure(
    #     "cnnbook.figures.animations:save_convolution_animation", {"padding": "valid"}
    # ),
    "pipeline.png": Figure("cnnbook.figures.pipeline:pipeline_figure"),
    "pooling.png": Figure("cnnbook.figures.pooling:pooling_figure"),
    "backpropagation.png": Figure("cnnbook.figures.backpropagation:backpropagation_figure"),
    "softmax.png": Figure("cnnbook.figures.softmax:softmax_figure"),
    "optimizer-paths.png": Figure("cnnbook.figures.optimizers:optimizer_paths_figure"),
    "two-layer-network.png": Figure("cnnbook.figures.deep_learning:two_layer_network_figure"),
    "dropout.png": Figure("cnnbook.figures.dropout:dropout_figure"),
    "dropout-overfitting.png": Figure("cnnbook.figures.dropout:dropout_overfitting_figure"),
    "learning-a-kernel.png": Figure("cnnbook.figures.learning_a_kernel:learning_a_kernel_figure"),
    "receptive-field.png": Figure("cnnbook.figures.receptive_field:receptive_field_figure"),
    "effective-receptive-field.png": Figure(
        "cnnbook.figures.effective_receptive_field:effective_receptive_field_figure"
    ),
    "convolution-beyond-images.png": Figure(
        "cnnbook.figures.convolution_beyond:convolution_beyond_images_figure"
    ),
    "translation.png": Figure("cnnbook.figures.translation:translation_figure"),
    "correlation-vs-convolution.png": Figure(
        "cnnbook.figures.convolution:correlation_vs_convolution_figure"
    ),
    "convolution-modes.png": Figure("cnnbook.figures.convolution:convolution_modes_figure"),
    "padding-modes.png": Figure("cnnbook.figures.padding_modes:padding_modes_figure"),
    "convolution-matrix.png": Figure(
        "cnnbook.figures.transposed_convolution:convolution_matrix_figure"
    ),
    "checkerboard-artifacts.png": Figure(
        "cnnbook.figures.transposed_convolution:checkerboard_figure"
    ),
    "convolution-modes-even.png": Figure(
        "cnnbook.figures.convolution:convolution_modes_figure", {"kernel_size": 2}
    ),
    "conv-valid.gif": Figure(
        "cnnbook.figures.animations:save_convolution_animation", {"padding": "valid"}
    ),
    "conv-same.gif": Figure(
        "cnnbook.figures.animations:save_convolution_animation", {"padding": "same"}
    ),
    "conv-full.gif": Figure(
        "cnnbook.figures.animations:save_convolution_animation", {"padding": "full"}
    ),
    "conv-stride-2.gif": Figure(
        "cnnbook.figures.animations:save_convolution_animation",
        {"input_size": 5, "padding": 1, "stride": 2},
    ),
    "conv-dilation-2.gif": Figure(
        "cnnbook.figures.animations:save_convolution_animation", {"input_size": 7, "dilation": 2}
    ),
    "output-size.png": Figure("cnnbook.figures.sizes:output_size_figure"),
    "weight-sharing.png": Figure("cnnbook.figures.sizes:weight_sharing_figure"),
    "parameters-vgg16.png": Figure("cnnbook.figures.sizes:parameters_by_layer_figure"),
    "kernel-gallery.png": Figure("cnnbook.figures.convolution:kernel_gallery_figure"),
    "kernels-on-photograph.png": Figure("cnnbook.figures.kernels:kernels_on_photograph_figure"),
    "edge-detection.png": Figure("cnnbook.figures.edge_detection:edge_detection_figure"),
    "feature-maps.png": Figure("cnnbook.figures.feature_map:feature_maps_figure"),
    "connectivity.png": Figure("cnnbook.figures.layers:connectivity_figure"),
    "conv-layer.png": Figure("cnnbook.figures.layers:conv_layer_figure"),
    "batch-norm-spread.png": Figure("cnnbook.figures.normalization:activation_spread_figure"),
    "residual-gradient-norms.png": Figure("cnnbook.figures.residual:gradient_norm_figure"),
    # Channels and 1x1 Convolutions; How Convolution Is Computed (compute): the pages' arrays.
    "multichannel.png": Figure(
        "cnnbook.figures.channels:multichannel_figure",
        {"x": CHANNELS_X, "weight": CHANNELS_W, "bias": [1, -2]},
    ),
    "im2col.png": Figure(
        "cnnbook.figures.im2col:im2col_figure", {"x": CHANNELS_X, "weight": CHANNELS_W}
    ),
    "layer-cost-vgg16.png": Figure("cnnbook.figures.layer_cost:layer_cost_figure"),
    # Use cases (usecases-a): drawn from the cached runs of cnnbook.usecases.
    "why-convolutions-data.png": Figure(
        "cnnbook.figures.usecases_inductive_bias:inductive_bias_data_figure"
    ),
    "why-convolutions-training.png": Figure(
        "cnnbook.figures.usecases_inductive_bias:inductive_bias_training_figure"
    ),
    "why-convolutions-learning-curve.png": Figure(
        "cnnbook.figures.usecases_inductive_bias:inductive_bias_learning_curve_figure"
    ),
    "why-convolutions-examples.png": Figure(
        "cnnbook.figures.usecases_inductive_bias:inductive_bias_examples_figure"
    ),
    "classification-ink.png": Figure(
        "cnnbook.figures.usecases_classification:classification_ink_figure"
    ),
    "classification-training.png": Figure(
        "cnnbook.figures.usecases_classification:classification_training_figure"
    ),
    "classification-examples.png": Figure(
        "cnnbook.figures.usecases_classification:classification_examples_figure"
    ),
    "saliency.png": Figure("cnnbook.figures.saliency:saliency_figure"),
    "feature-filters.png": Figure("cnnbook.figures.feature_hierarchy:feature_filters_figure"),
    "feature-patches.png": Figure("cnnbook.figures.feature_hierarchy:feature_patches_figure"),
    "feature-maximization.png": Figure(
        "cnnbook.figures.feature_hierarchy:feature_maximization_figure"
    ),
    "video-clips.png": Figure("cnnbook.figures.usecases_video:video_clips_figure"),
    "video-failures.png": Figure(
        "cnnbook.figures.usecases_video:video_clips_figure", {"kind": "failures"}
    ),
    "video-training.png": Figure("cnnbook.figures.usecases_video:video_training_figure"),
    # Use cases (usecases-b): drawn from the cached runs of `python -m cnnbook demo NAME`.
    "detection-training.png": Figure(
        "cnnbook.figures.usecases_detection:detection_training_figure"
    ),
    "detection-successes.png": Figure(
        "cnnbook.figures.usecases_detection:detection_scenes_figure", {"kind": "successes"}
    ),
    "detection-failures.png": Figure(
        "cnnbook.figures.usecases_detection:detection_scenes_figure", {"kind": "failures"}
    ),
    "detection-pr.png": Figure("cnnbook.figures.usecases_detection:detection_pr_figure"),
    "detection-astronaut.png": Figure(
        "cnnbook.figures.usecases_detection:detection_astronaut_figure"
    ),
    "verification-roc.png": Figure("cnnbook.figures.usecases_verification:verification_roc_figure"),
    "verification-training.png": Figure(
        "cnnbook.figures.usecases_verification:verification_training_figure"
    ),
    "verification-pairs.png": Figure(
        "cnnbook.figures.usecases_verification:verification_pairs_figure"
    ),
    # Use cases (segmentation): drawn from the cached run of `python -m cnnbook demo segmentation`.
    "segmentation-training.png": Figure(
        "cnnbook.figures.usecases_segmentation:segmentation_training_figure"
    ),
    "segmentation-successes.png": Figure(
        "cnnbook.figures.usecases_segmentation:segmentation_examples_figure", {"kind": "successes"}
    ),
    "segmentation-failures.png": Figure(
        "cnnbook.figures.usecases_segmentation:segmentation_examples_figure", {"kind": "failures"}
    ),
    "segmentation-noisy.png": Figure(
        "cnnbook.figures.usecases_segmentation:segmentation_examples_figure", {"kind": "noisy"}
    ),
    "segmentation-count.png": Figure(
        "cnnbook.figures.usecases_segmentation:segmentation_count_figure"
    ),
    "segmentation-real.png": Figure(
        "cnnbook.figures.usecases_segmentation:segmentation_real_figure"
    ),
    # Use cases (usecases-c).
    "denoising-training.png": Figure(
        "cnnbook.figures.usecases_denoising:denoising_training_figure"
    ),
    "denoising-successes.png": Figure(
        "cnnbook.figures.usecases_denoising:denoising_crops_figure", {"kind": "successes"}
    ),
    "denoising-failures.png": Figure(
        "cnnbook.figures.usecases_denoising:denoising_crops_figure", {"kind": "failures"}
    ),
    "super-resolution-training.png": Figure(
        "cnnbook.figures.usecases_super_resolution:super_resolution_training_figure"
    ),
    "super-resolution-crops.png": Figure(
        "cnnbook.figures.usecases_super_resolution:super_resolution_crops_figure",
        {"kind": "successes"},
    ),
    "super-resolution-failures.png": Figure(
        "cnnbook.figures.usecases_super_resolution:super_resolution_crops_figure",
        {"kind": "failures"},
    ),
    # Use cases: image synthesis (autoencoder).
    "autoencoder-training.png": Figure(
        "cnnbook.figures.usecases_autoencoder:autoencoder_training_figure"
    ),
    "autoencoder-successes.png": Figure(
        "cnnbook.figures.usecases_autoencoder:autoencoder_reconstructions_figure",
        {"kind": "successes"},
    ),
    "autoencoder-failures.png": Figure(
        "cnnbook.figures.usecases_autoencoder:autoencoder_reconstructions_figure",
        {"kind": "failures"},
    ),
    "autoencoder-inverted.png": Figure(
        "cnnbook.figures.usecases_autoencoder:autoencoder_reconstructions_figure",
        {"kind": "inverted"},
    ),
    "autoencoder-interpolation.png": Figure(
        "cnnbook.figures.usecases_autoencoder:autoencoder_interpolation_figure"
    ),
    "autoencoder-samples.png": Figure(
        "cnnbook.figures.usecases_autoencoder:autoencoder_samples_figure"
    ),
}
