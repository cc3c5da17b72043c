"""Bad input to the demonstrations' registry, cache and summary table is named."""

import pytest

from cnnbook import usecases
from cnnbook.usecases import cache, summary

CASES = [  # (public dotted name, zero-arg call, exception type, regex the message matches)
    ("cnnbook.usecases.module", lambda: usecases.module("nope"), ValueError,
     r"name \(='nope'\) is not a demonstration; known: inductive-bias"),
    ("cnnbook.usecases.module", lambda: usecases.module(3), ValueError,
     r"name \(=3\) is not a demonstration"),
    ("cnnbook.usecases.run", lambda: usecases.run("video", seed=1.5), ValueError,
     r"seed \(=1.5\) must be a non-negative int"),
    ("cnnbook.usecases.cached_run", lambda: usecases.cached_run("toy", -1, True, dict),
     ValueError, r"seed \(=-1\) must be a non-negative int"),
    ("cnnbook.usecases.cached_run", lambda: usecases.cached_run("", 0, True, dict), TypeError,
     r"name \(=''\) must be a non-empty str"),
    ("cnnbook.usecases.cached_run", lambda: usecases.cached_run("toy", 0, "yes", dict),
     TypeError, r"small \(='yes'\) must be a bool"),
    ("cnnbook.usecases.cached_run", lambda: usecases.cached_run("toy", 0, True, None),
     TypeError, r"compute \(=None\) must be a callable"),
    ("cnnbook.usecases.cache.cached_run", lambda: cache.cached_run("toy", 0, True, dict, "no"),
     TypeError, r"cache \(='no'\) must be a bool"),
    ("cnnbook.usecases.code_fingerprint", lambda: usecases.code_fingerprint(3), TypeError,
     r"name \(=3\) must be a demonstration's name"),
    ("cnnbook.usecases.cache.code_fingerprint", lambda: cache.code_fingerprint(b"video"),
     TypeError, r"must be a demonstration's name \(a str\) or None"),
    ("cnnbook.usecases.summary.markdown_table", lambda: summary.markdown_table([1]), TypeError,
     r"rows \(=\[1\]\) must be a list of LayerRow"),
    ("cnnbook.usecases.summary.markdown_table", lambda: summary.markdown_table(None),
     TypeError, r"rows \(=None\) must be a list of LayerRow"),
    ("cnnbook.usecases.cache.is_cached", lambda: cache.is_cached(3), TypeError,
     r"name \(=3\) must be a non-empty str"),
    ("cnnbook.usecases.cache.is_cached", lambda: cache.is_cached("video", -2), ValueError,
     r"seed \(=-2\) must be a non-negative int"),
    ("cnnbook.usecases.cache.is_cached", lambda: cache.is_cached("video", 0, "no"), TypeError,
     r"small \(='no'\) must be a bool"),
]  # fmt: skip


@pytest.mark.parametrize(("name", "call", "exc", "match"), CASES, ids=[c[0] for c in CASES])
def test_bad_input_is_named(name, call, exc, match):
    with pytest.raises(exc, match=match):
        call()
