"""Root pytest settings: every doctest in the package sees ``np`` and fixed print options."""

from __future__ import annotations

import numpy as np
import pytest


@pytest.fixture(autouse=True)
def _doctest_namespace(doctest_namespace: dict) -> None:
    doctest_namespace["np"] = np
    np.set_printoptions(precision=4, suppress=True, legacy=False)
