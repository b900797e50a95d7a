"""What the atheris harnesses ``fuzz_*.py`` share: starting libFuzzer, and JSON values
drawn from its bytes (numbers past any float, NaN, deep nesting and odd text included).

Run a harness for a bounded time, with a seed, from the repository's root::

    .venv/bin/python tests/security/fuzz_zones.py -max_total_time=60 -seed=1

libFuzzer's own flags apply (``-runs=N``, ``-max_len=N``, a corpus folder to keep what
it found); a crash prints the input and writes it to ``crash-*`` in the current folder.
See docs/security-testing.md.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import Any

import atheris


def main(test_one_input: Callable[[bytes], None]) -> None:
    """Hand the harness to libFuzzer with this process's arguments (never returns)."""
    atheris.Setup(sys.argv, test_one_input)
    atheris.Fuzz()


def json_value(fdp: atheris.FuzzedDataProvider, depth: int = 0) -> Any:
    """A JSON value steered by the fuzzer's bytes."""
    kind = fdp.ConsumeIntInRange(0, 9 if depth < 4 else 6)
    if kind == 0:
        return None
    if kind == 1:
        return fdp.ConsumeBool()
    if kind == 2:
        return fdp.ConsumeInt(fdp.ConsumeIntInRange(1, 200))  # up to 1,600 bits
    if kind == 3:
        return fdp.ConsumeRegularFloat()
    if kind == 4:
        return fdp.PickValueInList([float("nan"), float("inf"), -float("inf"), 1e308, -0.0])
    if kind in (5, 6):
        return fdp.ConsumeUnicodeNoSurrogates(fdp.ConsumeIntInRange(0, 40))
    if kind == 7:
        return [json_value(fdp, depth + 1) for _ in range(fdp.ConsumeIntInRange(0, 5))]
    return {
        fdp.ConsumeUnicodeNoSurrogates(8): json_value(fdp, depth + 1)
        for _ in range(fdp.ConsumeIntInRange(0, 5))
    }


def text(fdp: atheris.FuzzedDataProvider, limit: int = 20_000) -> str:
    """Text of up to ``limit`` characters (lone surrogates only where a reader could meet
    them: the readers here get text from UTF-8 files and JSON)."""
    return fdp.ConsumeUnicodeNoSurrogates(fdp.ConsumeIntInRange(0, limit))
