"""Every public callable of cnnbook has bad-input cases (or a stated reason why it cannot).

The cases live in the ``CASES`` lists of the modules ``tests/bad_input/test_<topic>.py``
(contract in HELPERS.md). A new public function or class with no case fails here, naming it.
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil
from collections.abc import Iterator
from types import ModuleType

import pytest

import tests.bad_input

#: The public namespaces, in one place: every function and class in their ``__all__``.
PUBLIC_NAMESPACES = (
    "cnnbook",
    "cnnbook.nn",
    "cnnbook.nn.init",
    "cnnbook.optim",
    "cnnbook.optim.lr_scheduler",  # when it exists
    "cnnbook.data",
    "cnnbook.train",
    "cnnbook.models",
    "cnnbook.torch_bridge",
    "cnnbook.usecases",
    "cnnbook.network_json",
    "cnnbook.browser_network",
    "cnnbook.saliency",
    "cnnbook.exercises",
    "cnnbook.exercises.catalog",
    "cnnbook.exercises.render",
)


def _usecase_modules() -> tuple[str, ...]:
    """Every module of ``cnnbook.usecases`` (one per use-case page, and their parts)."""
    import cnnbook.usecases

    return tuple(
        info.name
        for info in pkgutil.walk_packages(cnnbook.usecases.__path__, "cnnbook.usecases.")
        if info.name.rsplit(".", 1)[-1] != "cli"  # the command line, tested as a subprocess
    )


#: Public callables whose bad input is impossible or meaningless, with the reason.
NO_BAD_INPUT = {
    "cnnbook.photograph": "takes no argument: it returns a copy of a fixed photograph",
    "cnnbook.get_num_threads": "takes no argument: the thread count in use",
    # Result records: returned by the functions whose input is checked, read by users.
    "cnnbook.ReceptiveField": "a frozen result record of receptive_field",
    "cnnbook.EmpiricalField": "a frozen result record of empirical_receptive_field",
    "cnnbook.LayerSummary": "a result row (NamedTuple) of architecture_summary",
    "cnnbook.RoundTrip": "a result record (NamedTuple) of round_trip",
    "cnnbook.Spread": "a result record (NamedTuple) of interior_spread",
    "cnnbook.train.Evaluation": "a result record (NamedTuple) of evaluate",
    "cnnbook.train.History": "the record fit fills in, epoch by epoch",
    "cnnbook.torch_bridge.LayerParity": "a result row (dataclass) of parity_report",
    "cnnbook.torch_bridge.ParityReport": "a result record (dataclass) of parity_report",
    "cnnbook.usecases.DemoResult": "the result record of a demonstration's run",
    "cnnbook.network_json.ExportedNetwork": "a result record (dataclass) of from_json",
    "cnnbook.usecases.cache.DemoResult": "the result record of a demonstration's run",
    "cnnbook.usecases.summary.LayerRow": "a result row (NamedTuple) of layer_table",
    "cnnbook.usecases.microscopy.Microscopy": "a result record (NamedTuple) of make_microscopy",
    "cnnbook.usecases.names": "takes no argument: the demonstrations whose module exists",
    "cnnbook.usecases.cache_dir": "takes no argument: reads $CNNBOOK_CACHE or the user's cache",
    "cnnbook.usecases.cache.cache_dir": "takes no argument: reads $CNNBOOK_CACHE or the cache",
    # Exceptions: raised by cnnbook with a message, not called with user input.
    "cnnbook.data.IDXFormatError": "an exception class (a ValueError raised by read_idx)",
    "cnnbook.train.CheckpointError": "an exception class (a ValueError raised by checkpoints)",
    "cnnbook.train.NonFiniteLossError": "an exception class (raised by fit)",
}

# owned by another branch, cases arrive at merge ---------------------------------------------
# The helpers working on these modules in parallel add their own tests/bad_input/test_*.py;
# the lead empties this set when their branches are merged.
OWNED_BY_ANOTHER_BRANCH: set[str] = set()
# end of the temporary section -----------------------------------------------------------


def _namespaces() -> Iterator[ModuleType]:
    for name in PUBLIC_NAMESPACES + _usecase_modules():
        try:
            yield importlib.import_module(name)
        except ModuleNotFoundError as err:
            if err.name != name:  # a namespace that exists but fails to import is a bug
                raise


def public_callables() -> dict[str, object]:
    """``{"cnnbook.data.resize": resize, ...}``: functions and classes of every ``__all__``."""
    found = {}
    for module in _namespaces():
        for attr in getattr(module, "__all__", ()):
            obj = getattr(module, attr)
            if inspect.isfunction(obj) or inspect.isclass(obj):
                found[f"{module.__name__}.{attr}"] = obj
    return found


def _case_modules() -> list[ModuleType]:
    return [
        importlib.import_module(f"tests.bad_input.{info.name}")
        for info in pkgutil.iter_modules(tests.bad_input.__path__)
        if info.name.startswith("test_") and info.name != "test_coverage"
    ]


def cases() -> list[tuple[str, object, type, str]]:
    return [case for module in _case_modules() for case in getattr(module, "CASES", [])]


def _owned_elsewhere(obj: object) -> bool:
    module = getattr(obj, "__module__", "") or ""
    return any(module == m or module.startswith(m + ".") for m in OWNED_BY_ANOTHER_BRANCH)


PUBLIC = public_callables()
COVERED = {case[0] for case in cases()}
REQUIRED = sorted(
    name for name, obj in PUBLIC.items() if name not in NO_BAD_INPUT and not _owned_elsewhere(obj)
)


@pytest.mark.parametrize("name", REQUIRED)
def test_every_public_callable_has_bad_input_cases(name: str) -> None:
    assert name in COVERED, (
        f"{name} has no bad-input case: add (name, call, exception, regex) to the CASES of a "
        "tests/bad_input/test_<topic>.py, or a reason to NO_BAD_INPUT in this file"
    )


def test_every_case_names_a_public_callable_and_a_specific_exception() -> None:
    for name, call, exc, match in cases():
        assert name in PUBLIC, f"CASES name {name!r} is not a public callable (a typo?)"
        assert callable(call) and isinstance(match, str) and match
        assert issubclass(exc, Exception) and exc is not Exception, (name, exc)


def test_every_allow_list_entry_gives_a_reason() -> None:
    assert all(isinstance(reason, str) and len(reason) > 10 for reason in NO_BAD_INPUT.values())


def test_no_allow_list_entry_is_stale() -> None:
    stale = sorted((set(NO_BAD_INPUT) - set(PUBLIC)) | (set(NO_BAD_INPUT) & COVERED))
    assert stale == [], "remove these from NO_BAD_INPUT: gone, or now covered by cases"


def test_the_suite_knows_every_public_namespace() -> None:
    import cnnbook

    subpackages = {f"cnnbook.{n}" for n in cnnbook.__all__ if inspect.ismodule(getattr(cnnbook, n))}
    assert subpackages <= set(PUBLIC_NAMESPACES)
