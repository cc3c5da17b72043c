import pytest

from cnnbook.usecases.dependencies import module_dependencies

CASES = [  # (public dotted name, zero-arg call, exception type, regex the message matches)
    (
        "cnnbook.usecases.dependencies.module_dependencies",
        lambda: module_dependencies(b"cnnbook.nn"),
        TypeError,
        r"module \(=b'cnnbook.nn'\)",
    ),
    (
        "cnnbook.usecases.dependencies.module_dependencies",
        lambda: module_dependencies("numpy.linalg"),
        ValueError,
        r"module \(='numpy.linalg'\) is not a module of the package",
    ),
    (
        "cnnbook.usecases.dependencies.module_dependencies",
        lambda: module_dependencies("cnnbook.no_such_thing"),
        ValueError,
        r"module \(='cnnbook.no_such_thing'\) is not a module",
    ),
]


@pytest.mark.parametrize(("name", "call", "exc", "match"), CASES, ids=[c[0] for c in CASES])
def test_bad_input_is_named(name, call, exc, match):
    with pytest.raises(exc, match=match):
        call()
