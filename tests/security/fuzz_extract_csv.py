"""atheris harness: agency extracts for linkage (contract 4), as files (fuzz_support.py)."""

from __future__ import annotations

import tempfile
from pathlib import Path

import atheris
from fuzz_support import main

with atheris.instrument_imports(include=["lindungi"]):
    from lindungi.identity.ingest import SourceFileError, read_source

FOLDER = Path(tempfile.mkdtemp(prefix="fuzz-extract-"))
HEADERS = [b"", b"record_id,full_name,birth_date,sex,national_id,phone\n", b"ID;NAMA;TGL\n"]


def test_one_input(data: bytes) -> None:
    """Records or errors naming file and line; only a file that cannot be read at all
    raises, naming the file."""
    fdp = atheris.FuzzedDataProvider(data)
    path = FOLDER / "extract.csv"
    path.write_bytes(fdp.PickValueInList(HEADERS) + fdp.ConsumeBytes(fdp.remaining_bytes()))
    mapping = {"ID": "record_id", "NAMA": "full_name", "TGL": "birth_date"}
    try:
        result = read_source(path, source="fuzz", mapping=mapping if b";" in data[:1] else None)
    except SourceFileError as error:
        if not str(error).startswith(str(path)):
            raise AssertionError(str(error)) from None
        return
    for problem in result.errors:
        if problem.file != str(path) or problem.line < 1:
            raise AssertionError(str(problem))


if __name__ == "__main__":
    main(test_one_input)
