"""atheris harness: the job-offer reader on any text up to the API's limit (fuzz_support.py)."""

from __future__ import annotations

import math

import atheris
from fuzz_support import main, text

with atheris.instrument_imports(include=["lindungi"]):
    from lindungi.screening.offer_text import analyse_offer


def test_one_input(data: bytes) -> None:
    """The reader answers, with amounts that are finite and not negative."""
    facts = analyse_offer(text(atheris.FuzzedDataProvider(data)))
    for money in facts.salaries + facts.fees:
        if not (math.isfinite(money.idr_month) and money.idr_month >= 0):
            raise AssertionError(f"{money!r}")


if __name__ == "__main__":
    main(test_one_input)
