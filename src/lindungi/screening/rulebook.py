"""The SOP rulebook as data (``rulebook.toml``) joined to its pure indicator functions, and
the one scoring rule that turns fired indicators into a score, a band and an action."""

from __future__ import annotations

import tomllib
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

from lindungi.screening.case import Case, Mode
from lindungi.screening.indicators import FUNCTIONS
from lindungi.screening.schemas import Action, Band

ACTIONS: dict[Band, Action] = {"low": "proceed", "medium": "interview", "high": "refer"}


@dataclass(frozen=True)
class Indicator:
    """One SOP indicator: what it is called, why it matters, what it weighs."""

    code: str
    weight: float
    applies: frozenset[Mode]
    label_id: str
    label_en: str
    description_id: str
    description_en: str
    basis: str
    evidence: str
    test: Callable[[Case], str | None]
    weak: bool = False

    def label(self, lang: str = "en") -> str:
        """The label in ``id`` (Bahasa Indonesia) or ``en``."""
        return self.label_id if lang == "id" else self.label_en


@dataclass(frozen=True)
class Hit:
    """An indicator that fired, with the evidence it cites."""

    indicator: Indicator
    evidence: str


@dataclass(frozen=True)
class Result:
    """The explained outcome of one screening."""

    score: int
    band: Band
    action: Action
    hits: tuple[Hit, ...]
    version: str


@dataclass(frozen=True)
class Rulebook:
    """A versioned set of indicators and the band thresholds."""

    version: str
    medium_from: int
    high_from: int
    indicators: tuple[Indicator, ...]

    def _for(self, mode: Mode) -> tuple[Indicator, ...]:
        return _applying(self, mode)

    def evaluate(self, case: Case) -> Result:
        """Run every indicator that applies to the case's mode; weigh what fired."""
        hits = []
        for indicator in self._for(case.mode):
            evidence = indicator.test(case)
            if evidence is not None:
                hits.append(Hit(indicator, evidence))
        strong = [h for h in hits if not h.indicator.weak]
        counted = hits if strong else []  # weak signals alone never raise the band
        score = min(100, round(sum(h.indicator.weight for h in counted)))
        band: Band = (
            "high" if score >= self.high_from else "medium" if score >= self.medium_from else "low"
        )
        hits.sort(key=lambda h: (h.indicator.weak, -h.indicator.weight, h.indicator.code))
        return Result(score, band, ACTIONS[band], tuple(hits), self.version)


@cache
def _applying(book: Rulebook, mode: Mode) -> tuple[Indicator, ...]:
    """The indicators of ``book`` that apply to ``mode``, in rulebook order."""
    return tuple(i for i in book.indicators if mode in i.applies)


class RulebookError(ValueError):
    """The rulebook file does not hold together (a missing function, field or weight)."""


_FIELDS = ("code", "weight", "applies", "label_id", "label_en", "description_id",
           "description_en", "basis", "evidence")  # fmt: skip


def parse(data: dict[str, Any], functions: dict[str, Callable[[Case], str | None]]) -> Rulebook:
    """Build a rulebook from its parsed TOML, refusing one that does not hold together."""
    indicators = []
    seen: set[str] = set()
    for n, item in enumerate(data.get("indicator", []), 1):
        missing = [f for f in _FIELDS if f not in item]
        if missing:
            raise RulebookError(f"indicator {n}: missing {', '.join(missing)}")
        code = item["code"]
        if code in seen:
            raise RulebookError(f"indicator {code}: defined twice")
        seen.add(code)
        if code not in functions:
            raise RulebookError(f"indicator {code}: no function of that name in indicators.py")
        if not 0 < item["weight"] <= 100:
            raise RulebookError(f"indicator {code}: weight must be in (0, 100]")
        applies = frozenset(item["applies"])
        if not applies or not applies <= {"departure", "offer"}:
            raise RulebookError(f"indicator {code}: applies must list departure and/or offer")
        indicators.append(
            Indicator(
                **{f: item[f] for f in _FIELDS if f not in ("applies",)},
                applies=applies,
                test=functions[code],
                weak=bool(item.get("weak", False)),
            )
        )
    unused = sorted(set(functions) - seen)
    if unused:
        raise RulebookError(f"functions without an indicator in the rulebook: {', '.join(unused)}")
    medium, high = int(data["medium_from"]), int(data["high_from"])
    if not 0 < medium < high <= 100:
        raise RulebookError("thresholds must satisfy 0 < medium_from < high_from <= 100")
    return Rulebook(str(data["version"]), medium, high, tuple(indicators))


@cache
def default_rulebook() -> Rulebook:
    """The rulebook shipped with this version of Lindungi."""
    text = resources.files("lindungi.screening").joinpath("rulebook.toml").read_text("utf-8")
    return parse(tomllib.loads(text), FUNCTIONS)
