"""JSON Lines in, JSON Lines out (contracts 2 and 3), in input order, in chunks: each chunk
asks the person index about all its documents at once, and the registry answers are kept
for the whole run. A line that cannot be read gets ``{"line", "id", "error"}`` in its
place and the rest go on."""

from __future__ import annotations

import datetime as dt
import itertools
import json
import multiprocessing
from collections import Counter, deque
from collections.abc import Iterable, Iterator, Mapping
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field
from typing import Any, Literal

from pydantic import BaseModel, ValidationError

from lindungi.db import make_engine, session_factory
from lindungi.screening.lookups import Lookups
from lindungi.screening.rulebook import Result
from lindungi.screening.schemas import OfferIn, ScreeningIn, describe
from lindungi.screening.service import evaluate, evaluate_offer

CHUNK = 1000
#: Chunks read before worker processes are worth starting.
WARM_CHUNKS = 4


@dataclass
class Tally:
    """What a run did: lines read, errors, bands."""

    lines: int = 0
    errors: int = 0
    bands: Counter[str] = field(default_factory=Counter)

    def add(self, other: Tally) -> None:
        """Count another chunk's lines in."""
        self.lines += other.lines
        self.errors += other.errors
        self.bands.update(other.bands)

    def summary(self) -> str:
        """One line for stderr."""
        bands = ", ".join(f"{self.bands[b]:,} {b}" for b in ("low", "medium", "high"))
        return f"{self.lines - self.errors:,} screened ({bands}); {self.errors:,} lines with errors"


def _writable(value: str | int) -> bool:
    """Whether an id read by ``json`` can be written back as UTF-8 (a lone surrogate,
    which ``json`` reads from an escape, cannot)."""
    try:
        str(value).encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _error(number: int, raw: bytes, error: ValidationError) -> dict[str, Any]:
    out: dict[str, Any] = {"line": number}
    try:
        data = json.loads(raw)
    except (ValueError, RecursionError):  # RecursionError: nested deeper than the stack
        out["error"] = "not a JSON object: " + describe(error).removeprefix("line: ")
        return out
    known = isinstance(data, dict) and isinstance(data.get("id"), str | int)
    if known and data["id"] != "" and _writable(data["id"]):
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


def _chunks(lines: Iterable[bytes], size: int) -> Iterator[list[tuple[int, bytes]]]:
    chunk: list[tuple[int, bytes]] = []
    for number, raw in enumerate(lines, 1):
        if raw.strip():
            chunk.append((number, raw))
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


@dataclass(frozen=True)
class Job:
    """What a run does, in a form a worker process can receive."""

    kind: Literal["screen", "check-offer"]
    database_url: str | None  # what worker processes open; None: this process only
    today: dt.date
    lang: str = "en"
    rates: Mapping[str, float] | None = None


def answer_chunk(job: Job, chunk: list[tuple[int, bytes]], lookups: Lookups) -> Answered:
    """Screen one chunk of numbered lines: the output lines, and what they were."""
    model: type[BaseModel] = ScreeningIn if job.kind == "screen" else OfferIn
    parsed: list[tuple[int, bytes, BaseModel | ValidationError]] = []
    for number, raw in chunk:
        try:
            parsed.append((number, raw, model.model_validate_json(raw)))
        except ValidationError as error:
            parsed.append((number, raw, error))
    lookups.prefetch([p for _, _, p in parsed if isinstance(p, ScreeningIn)])
    tally = Tally()
    out = []
    for number, raw, item in parsed:
        tally.lines += 1
        if isinstance(item, ValidationError):
            tally.errors += 1
            line = _error(number, raw, item)
        elif isinstance(item, ScreeningIn):
            line = departure_line(item, evaluate(item, lookups, rates=job.rates), job.lang)
        else:
            assert isinstance(item, OfferIn)
            line = offer_line(item, evaluate_offer(item, lookups, rates=job.rates), job.lang)
        if "band" in line:
            tally.bands[line["band"]] += 1
        out.append(json.dumps(line, ensure_ascii=False))
    return Answered(out, tally)


@dataclass
class Answered:
    """A chunk's output lines and its tally."""

    lines: list[str]
    tally: Tally


_WORKER: dict[str, Any] = {}


def _start_worker(job: Job) -> None:
    assert job.database_url is not None  # run() starts workers only for a shareable database
    engine = make_engine(job.database_url, read_only=True)
    _WORKER.update(job=job, lookups=Lookups(session_factory(engine)(), job.today, batch=True))


def _work(chunk: list[tuple[int, bytes]]) -> Answered:
    # One read-only transaction per worker for the whole run, like the in-process path:
    # ending it between chunks would expire the registry the worker read once.
    return answer_chunk(_WORKER["job"], chunk, _WORKER["lookups"])


def run(
    job: Job,
    lines: Iterable[bytes],
    lookups: Lookups,
    tally: Tally,
    *,
    workers: int = 1,
    chunk: int = CHUNK,
) -> Iterator[str]:
    """Every output line in input order. With ``workers`` > 1 and more than a few chunks
    of input, chunks are screened by that many processes (each with its own connection and
    caches) and put back in order; a small input never pays for starting them."""
    chunks = _chunks(lines, chunk)
    first = list(itertools.islice(chunks, WARM_CHUNKS))
    url = job.database_url
    shareable = url is not None and not (url.startswith("sqlite") and (
        url.rstrip("/") in ("sqlite:", "sqlite:/") or ":memory:" in url
    ))  # fmt: skip
    if workers <= 1 or len(first) < WARM_CHUNKS or not shareable:
        for part in itertools.chain(first, chunks):
            answered = answer_chunk(job, part, lookups)
            tally.add(answered.tally)
            yield from answered.lines
        return
    context = multiprocessing.get_context("spawn")  # no connection is inherited
    with ProcessPoolExecutor(workers, context, _start_worker, (job,)) as pool:
        pending: deque[Future[Answered]] = deque()
        for part in itertools.chain(first, chunks):
            pending.append(pool.submit(_work, part))
            if len(pending) >= 2 * workers:  # bounded: memory stays flat over millions
                answered = pending.popleft().result()
                tally.add(answered.tally)
                yield from answered.lines
        while pending:
            answered = pending.popleft().result()
            tally.add(answered.tally)
            yield from answered.lines


def screen_lines(
    lines: Iterable[bytes],
    lookups: Lookups,
    tally: Tally,
    *,
    lang: str = "en",
    rates: Mapping[str, float] | None = None,
) -> Iterator[str]:
    """Screen contract-2 lines in this process; yields one output line per input line."""
    job = Job("screen", None, lookups.today, lang, rates)
    return run(job, lines, lookups, tally)


def check_offer_lines(
    lines: Iterable[bytes],
    lookups: Lookups,
    tally: Tally,
    *,
    lang: str = "en",
    rates: Mapping[str, float] | None = None,
) -> Iterator[str]:
    """Check contract-3 lines in this process; yields one output line per input line."""
    job = Job("check-offer", None, lookups.today, lang, rates)
    return run(job, lines, lookups, tally)
