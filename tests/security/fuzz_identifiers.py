"""atheris harness: NIK, passport and phone readers on any text (fuzz_support.py)."""

from __future__ import annotations

import re

import atheris
import phonenumbers
from fuzz_support import main, text

with atheris.instrument_imports(include=["lindungi"]):
    from lindungi.people.nik import nik_facts
    from lindungi.people.validation import check_nik, check_passport, check_phone
    from lindungi.recruiters.normalize import phone_key
    from lindungi.screening.contacts import phones

E164 = re.compile(r"\+[1-9][0-9]{4,18}")  # the plan of Indonesia allows 17 digits


def test_one_input(data: bytes) -> None:
    """Each reader answers; what it answers is well-formed."""
    written = text(atheris.FuzzedDataProvider(data), 200)
    check = check_nik(written)
    if check.valid != (not check.problems) or (nik_facts(written) is None) == check.valid:
        raise AssertionError(f"NIK verdicts disagree on {written!r}")
    check_passport(written)
    check_passport(written, indonesian=False)
    valid = check_phone(written).e164
    if valid is not None and _again(valid) != valid:
        raise AssertionError(f"{valid!r} from {written!r} does not read back as itself")
    for number in [valid, phone_key(written), *phones(written)]:
        if number is not None and not E164.fullmatch(number):
            raise AssertionError(f"{number!r} from {written!r} is not E.164")


def _again(number: str) -> str:
    return phonenumbers.format_number(
        phonenumbers.parse(number), phonenumbers.PhoneNumberFormat.E164
    )


if __name__ == "__main__":
    main(test_one_input)
