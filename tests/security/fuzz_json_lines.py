"""atheris harness: JSON Lines screening and offer checks (contracts 2 and 3), on an
empty in-memory database (fuzz_support.py)."""

from __future__ import annotations

import datetime as dt
import json

import atheris
from fuzz_support import json_value, main

with atheris.instrument_imports(include=["lindungi"]):
    from lindungi.db import make_engine, session_factory
    from lindungi.migrate import init_db
    from lindungi.screening.batch import Tally, check_offer_lines, screen_lines
    from lindungi.screening.lookups import Lookups

ENGINE = make_engine("sqlite://")
init_db(ENGINE)
LOOKUPS = Lookups(session_factory(ENGINE)(), dt.date(2026, 11, 30), batch=True)


def test_one_input(data: bytes) -> None:
    """One output line per input line, each a JSON object writable as UTF-8."""
    fdp = atheris.FuzzedDataProvider(data)
    if fdp.ConsumeBool():
        lines = [json.dumps(json_value(fdp)).encode() for _ in range(fdp.ConsumeIntInRange(0, 4))]
    else:
        lines = fdp.ConsumeBytes(fdp.remaining_bytes()).split(b"\n")
    read = screen_lines if fdp.ConsumeBool() else check_offer_lines
    out = list(read(lines, LOOKUPS, Tally()))
    if len(out) != sum(1 for line in lines if line.strip()):
        raise AssertionError(f"{len(out)} answers to {lines!r}")
    for line in out:
        if not isinstance(json.loads(line.encode("utf-8")), dict):
            raise AssertionError(line)


if __name__ == "__main__":
    main(test_one_input)
