"""Shared test settings: deterministic Hypothesis, fixed NumPy print options for doctests."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import HealthCheck, settings

settings.register_profile(
    "cnnbook", deadline=None, max_examples=60, derandomize=True,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.load_profile("cnnbook")
