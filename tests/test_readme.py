"""The README's example says what the package computes: each ``expr  # value`` line is evaluated."""

from __future__ import annotations

import re
from pathlib import Path

README = Path(__file__).resolve().parents[1] / "README.md"
BLOCK = re.compile(r"```python\n(.*?)```", re.S)
CLAIM = re.compile(r"^(?P<expr>\S.*?)\s+#\s+(?P<value>\([^)]*\)|\S+)")


def test_every_commented_value_in_the_readme_example_is_what_the_code_returns() -> None:
    (code,) = BLOCK.findall(README.read_text(encoding="utf-8"))
    namespace: dict[str, object] = {}
    claims = 0
    for line in code.splitlines():
        match = CLAIM.match(line)
        if match is None:
            exec(line, namespace)
            continue
        shown = match.group("value")
        assert repr(eval(match.group("expr"), namespace)) == shown, line
        claims += 1
    assert claims == 3
