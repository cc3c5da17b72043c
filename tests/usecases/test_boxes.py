"""Boxes: IoU and NMS on hand-made cases; AP checked against pycocotools."""

from __future__ import annotations

import numpy as np
import pytest

from cnnbook.usecases.detection.boxes import average_precision, box_iou, match_detections, nms


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        ([0, 0, 10, 10], [0, 0, 10, 10], 1.0),  # identical
        ([0, 0, 10, 10], [10, 0, 20, 10], 0.0),  # touching edges
        ([0, 0, 10, 10], [5, 0, 15, 10], 50 / 150),  # half overlap
        ([0, 0, 10, 10], [2, 2, 4, 4], 4 / 100),  # contained
        ([0, 0, 4, 4], [2, 2, 6, 6], 4 / 28),  # corner overlap
        ([0, 0, 0, 0], [0, 0, 0, 0], 0.0),  # empty union
    ],
)
def test_box_iou_matches_hand_computed_overlaps(a, b, expected):
    assert box_iou([a], [b])[0, 0] == pytest.approx(expected)


def test_box_iou_is_symmetric_with_pair_shape():
    rng = np.random.default_rng(0)
    lo = rng.uniform(0, 50, (5, 2))
    a = np.hstack([lo, lo + rng.uniform(1, 20, (5, 2))])
    b = a[:3] + 2.0
    iou = box_iou(a, b)
    assert iou.shape == (5, 3)
    np.testing.assert_allclose(iou, box_iou(b, a).T)


def test_nms_keeps_best_of_each_cluster_in_score_order():
    boxes = [[0, 0, 10, 10], [1, 1, 11, 11], [50, 50, 60, 60], [51, 50, 61, 60], [0, 0, 10, 10]]
    scores = [0.6, 0.9, 0.3, 0.8, 0.1]
    assert nms(boxes, scores, 0.5).tolist() == [1, 3]


def test_nms_threshold_is_strict_and_one_keeps_everything():
    boxes = [[0, 0, 10, 10], [5, 0, 15, 10]]  # IoU exactly 1/3
    assert nms(boxes, [1.0, 0.5], 1 / 3).tolist() == [0, 1]
    assert nms(boxes, [1.0, 0.5], 0.3).tolist() == [0]
    assert nms(boxes, [1.0, 0.5], 1.0).tolist() == [0, 1]


def test_nms_of_no_boxes_is_empty():
    assert nms(np.zeros((0, 4)), np.zeros(0), 0.5).tolist() == []


def test_a_duplicate_detection_is_a_false_positive():
    m = match_detections([([[0, 0, 10, 10], [0, 0, 10, 10]], [0.9, 0.8])], [[[0, 0, 10, 10]]])
    assert m.true_positive.tolist() == [True, False] and m.ground_truths == 1


def test_average_precision_of_perfect_and_of_missing_detections():
    truth = [[[0, 0, 10, 10]], [[5, 5, 20, 20]]]
    perfect = [([[0, 0, 10, 10]], [0.9]), ([[5, 5, 20, 20]], [0.8])]
    assert average_precision(perfect, truth) == 1.0
    assert average_precision([([], []), ([], [])], truth) == 0.0


def test_all_points_ap_integrates_the_precision_envelope():
    # Ranked: TP, FP, TP out of 3 truths -> recall 1/3 at p=1, 2/3 at p=2/3.
    truth = [[[0, 0, 10, 10], [20, 0, 30, 10], [40, 0, 50, 10]]]
    dets = [([[0, 0, 10, 10], [60, 0, 70, 10], [20, 0, 30, 10]], [0.9, 0.8, 0.7])]
    assert average_precision(dets, truth) == pytest.approx(1 / 3 * 1 + 1 / 3 * 2 / 3)


def _random_problem(seed: int):
    rng = np.random.default_rng(seed)
    truths, dets = [], []
    for _ in range(6):
        n = int(rng.integers(0, 4))
        xy = rng.uniform(0, 100, (n, 2))
        wh = rng.uniform(10, 40, (n, 2))
        gt = np.hstack([xy, xy + wh])
        jitter = gt + rng.normal(0, 4, gt.shape)
        jitter[:, 2:] = np.maximum(jitter[:, 2:], jitter[:, :2] + 1)
        fxy = rng.uniform(0, 100, (int(rng.integers(0, 4)), 2))
        false = np.hstack([fxy, fxy + rng.uniform(10, 40, fxy.shape)])
        boxes = np.vstack([jitter, false]).reshape(-1, 4)
        truths.append(gt.reshape(-1, 4))
        dets.append((boxes, rng.uniform(0, 1, len(boxes))))
    return dets, truths


def _coco_ap50(dets, truths) -> float:
    from pycocotools.coco import COCO
    from pycocotools.cocoeval import COCOeval

    def xywh(b):
        return [float(b[0]), float(b[1]), float(b[2] - b[0]), float(b[3] - b[1])]

    images = [{"id": i + 1, "width": 200, "height": 200} for i in range(len(truths))]
    annotations = [
        {"id": k, "image_id": i + 1, "category_id": 1, "bbox": xywh(b), "iscrowd": 0,
         "area": float((b[2] - b[0]) * (b[3] - b[1]))}
        for k, (i, b) in enumerate(((i, b) for i, g in enumerate(truths) for b in g), start=1)
    ]  # fmt: skip
    gt = COCO()
    gt.dataset = {"images": images, "annotations": annotations, "categories": [{"id": 1}]}
    gt.createIndex()
    results = [
        {"image_id": i + 1, "category_id": 1, "bbox": xywh(b), "score": float(s)}
        for i, (boxes, scores) in enumerate(dets)
        for b, s in zip(boxes, scores, strict=False)
    ]
    evaluation = COCOeval(gt, gt.loadRes(results), "bbox")
    evaluation.params.iouThrs = np.array([0.5])
    evaluation.params.maxDets = [100]
    evaluation.params.areaRng = [[0, 1e10]]
    evaluation.params.areaRngLbl = ["all"]
    evaluation.evaluate()
    evaluation.accumulate()
    return float(evaluation.eval["precision"][0, :, 0, 0, 0].mean())


@pytest.mark.parametrize("seed", range(8))
def test_101_point_ap_equals_pycocotools(seed, capsys):
    dets, truths = _random_problem(seed)
    expected = _coco_ap50(dets, truths)
    capsys.readouterr()  # pycocotools prints its progress
    assert average_precision(dets, truths, 0.5, "101-point") == pytest.approx(expected, abs=1e-12)


@pytest.mark.parametrize("seed", range(4))
def test_all_points_ap_is_close_to_101_point_ap(seed):
    dets, truths = _random_problem(seed)
    ap_all = average_precision(dets, truths)
    ap_101 = average_precision(dets, truths, interpolation="101-point")
    assert abs(ap_all - ap_101) <= 0.02
