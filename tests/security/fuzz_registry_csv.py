"""atheris harness: the recruiter registry file (contract 1) (fuzz_support.py)."""

from __future__ import annotations

import io

import atheris
from fuzz_support import main, text

with atheris.instrument_imports(include=["lindungi"]):
    from lindungi.recruiters.importer import (
        COLUMNS,
        HeaderError,
        RegistryRow,
        RowError,
        read_registry,
    )

HEADER = ",".join(COLUMNS) + "\n"


def test_one_input(data: bytes) -> None:
    """Every line is a row or an error naming its line and field; only the header may
    refuse the file."""
    fdp = atheris.FuzzedDataProvider(data)
    written = (HEADER if fdp.ConsumeBool() else "") + text(fdp)
    try:
        rows = list(read_registry(io.StringIO(written)))
    except HeaderError:
        return
    for row in rows:
        if not isinstance(row, RegistryRow | RowError) or row.line < 2:
            raise AssertionError(repr(row))


if __name__ == "__main__":
    main(test_one_input)
