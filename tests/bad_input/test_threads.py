import pytest

from cnnbook import set_num_threads

CASES = [  # (public dotted name, zero-arg call, exception type, regex the message matches)
    ("cnnbook.set_num_threads", lambda: set_num_threads(0), ValueError, r"n \(=0\)"),
    ("cnnbook.set_num_threads", lambda: set_num_threads("2"), TypeError, r"n \(='2'\)"),
]


@pytest.mark.parametrize(("name", "call", "exc", "match"), CASES, ids=[c[0] for c in CASES])
def test_bad_input_is_named(name, call, exc, match):
    with pytest.raises(exc, match=match):
        call()
