"""JSON Lines in, JSON Lines out (contracts 2 and 3), in input order, in chunks: each chunk
asks the person index about all its documents at once, and the registry answers are kept
for the whole run. A line that cannot be read gets ``{"line", "id", "error"}`` in its
place and the rest go on."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from pydantic import BaseModel, ValidationError

from lindungi.screening.lookups import Lookups
from lindungi.screening.rulebook import Result
from lindungi.screening.schemas import OfferIn, ScreeningIn, describe
from lindungi.screening.service import evaluate, evaluate_offer

CHUNK = 1000


@dataclass
class Tally:
    """What a run did: lines read, errors, bands."""

    lines: int = 0
    errors: int = 0
    bands: Counter[str] = field(default_factory=Counter)

    def summary(self) -> str:
        """One line for stderr."""
        bands = ", ".join(f"{self.bands[b]:,} {b}" for b in ("low", "medium", "high"))
        return f"{self.lines - self.errors:,} screened ({bands}); {self.errors:,} lines with errors"


def _error(number: int, raw: bytes, error: ValidationError) -> dict[str, Any]:
    out: dict[str, Any] = {"line": number}
    try:
        data = json.loads(raw)
    except ValueError:
        out["error"] = "not a JSON object: " + describe(error).removeprefix("line: ")
        return out
    if isinstance(data, dict) and isinstance(data.get("id"), str | int) and data["id"] != "":
        out["id"] = data["id"]
    if not isinstance(data, dict):
        out["error"] = f"expected a JSON object, got {type(data).__name__}"
    else:
        out["error"] = describe(error)
    return out


def departure_line(request: ScreeningIn, result: Result, lang: str) -> dict[str, Any]:
    """Contract 2's output object."""
    return {
        "id": request.id,
        "score": result.score,
        "band": result.band,
        "action": result.action,
        "indicators": [
            {
                "code": h.indicator.code,
                "label": h.indicator.label(lang),
                "weight": float(h.indicator.weight),
                "evidence": h.evidence,
            }
            for h in result.hits
        ],
        "rulebook": result.version,
    }


def offer_line(offer: OfferIn, result: Result, lang: str) -> dict[str, Any]:
    """Contract 3's output object."""
    return {
        "id": offer.id,
        "score": result.score,
        "band": result.band,
        "indicators": [
            {"code": h.indicator.code, "label": h.indicator.label(lang), "evidence": h.evidence}
            for h in result.hits
        ],
    }


def _chunks(lines: Iterable[bytes]) -> Iterator[list[tuple[int, bytes]]]:
    chunk: list[tuple[int, bytes]] = []
    for number, raw in enumerate(lines, 1):
        if raw.strip():
            chunk.append((number, raw))
        if len(chunk) >= CHUNK:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _run(
    lines: Iterable[bytes],
    model: type[BaseModel],
    answer: Any,
    prefetch: Any,
    tally: Tally,
) -> Iterator[str]:
    for chunk in _chunks(lines):
        parsed: list[tuple[int, bytes, BaseModel | ValidationError]] = []
        for number, raw in chunk:
            try:
                parsed.append((number, raw, model.model_validate_json(raw)))
            except ValidationError as error:
                parsed.append((number, raw, error))
        prefetch([p for _, _, p in parsed if not isinstance(p, ValidationError)])
        for number, raw, item in parsed:
            tally.lines += 1
            if isinstance(item, ValidationError):
                tally.errors += 1
                out = _error(number, raw, item)
            else:
                out = answer(item)
                tally.bands[out["band"]] += 1
            yield json.dumps(out, ensure_ascii=False)


def screen_lines(
    lines: Iterable[bytes],
    lookups: Lookups,
    tally: Tally,
    *,
    lang: str = "en",
    rates: Mapping[str, float] | None = None,
) -> Iterator[str]:
    """Screen contract-2 lines; yields one output line (without newline) per input line."""

    def answer(request: Any) -> dict[str, Any]:
        return departure_line(request, evaluate(request, lookups, rates=rates), lang)

    return _run(lines, ScreeningIn, answer, lookups.prefetch, tally)


def check_offer_lines(
    lines: Iterable[bytes],
    lookups: Lookups,
    tally: Tally,
    *,
    lang: str = "en",
    rates: Mapping[str, float] | None = None,
) -> Iterator[str]:
    """Check contract-3 lines; yields one output line per input line."""

    def answer(offer: Any) -> dict[str, Any]:
        return offer_line(offer, evaluate_offer(offer, lookups, rates=rates), lang)

    return _run(lines, OfferIn, answer, lambda _: None, tally)
