"""The labelled test sets (``data/``: hand-written departure vignettes and job offers, with
the band an experienced officer would give) against the rulebook, and the fairness proof.

Agreement is measured, not forced: every disagreement is listed below with the rulebook's
reading of it, so a rule change that moves any result shows up here as a diff to review.
"""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy.orm import Session

from lindungi.recruiters import service as recruiters
from lindungi.recruiters.importer import read_registry
from lindungi.screening import service
from lindungi.screening.lookups import Lookups
from lindungi.screening.rulebook import Result
from lindungi.screening.schemas import OfferIn, ScreeningIn

DATA = Path(__file__).parent / "data"
TODAY = dt.date(2026, 12, 1)
BANDS = ("low", "medium", "high")


def _load(name: str) -> list[dict[str, Any]]:
    return [json.loads(line) for line in (DATA / name).read_text("utf-8").splitlines() if line]


DEPARTURES = _load("departures.jsonl")
OFFERS = _load("offers.jsonl")

#: Where the rulebook and the labeller differ, and why the rulebook reads it as it does.
KNOWN_DEPARTURES: dict[str, str] = {
    "D-007": "low: a one-way visa-free trip to Bangkok and nothing else is one indicator",
    "D-012": "high: work on visa-free entry via WhatsApp, no experience, first trip",
    "D-024": "high: a tourist visa for work, one-way, recruited on TikTok",
    "D-034": "low: the 'online boyfriend' who paid is not in the data; payer unknown only",
    "D-035": "high: a Rp 12 juta 'CS online' offer in the Philippines via Telegram",
    "D-038": "high: a business visa for work in Cambodia, which has no placement channel",
    "D-056": "high: work on a visit visa after paying a deposit to a Facebook recruiter",
}
KNOWN_OFFERS: dict[str, str] = {
    "O-006": "low: an employment pass and an experience requirement; free mail is no rule",
    "O-009": "high: casino work in Cambodia — the rulebook does not tell land from online",
    "O-019": "low: 'gaji 2 digit' names no amount, no place and no job",
    "O-027": "high: Rp 16 juta customer support in Malaysia with flights paid, via DM",
    "O-031": "low: social media and no experience alone",
    "O-032": "low: a work visa through an unnamed agent; only the contact channel fires",
    "O-034": "medium: a warning post quotes the modus; warnings are not told from offers",
    "O-036": "high: admin in Thailand at Rp 12 juta with tickets paid, via DM",
    "O-042": "high: a Rp 25 juta fee taken from wages is a fee and a debt",
    "O-048": "low: a Malaysian factory job at Rp 7 juta with a WhatsApp number",
    "O-049": "low: a work visa is promised; a DM alone is one indicator",
    "O-051": "low: board and lodging are ordinary; no ticket or amount above Rp 10 juta",
    "O-052": "high: 'pakai paspor pelancong dulu' is a tourist visa for work",
    "O-070": "low: a Saudi driver job with a work visa; the moratorium covers domestic work",
}


@pytest.fixture
def lookups(session: Session) -> Lookups:
    with (DATA / "registry.csv").open(encoding="utf-8") as handle:
        report = recruiters.import_registry(
            session, read_registry(handle), actor="test", source="registry.csv"
        )
    assert not report.errors
    return Lookups(session, TODAY)


def _departure(item: dict[str, Any], lookups: Lookups) -> Result:
    return service.evaluate(ScreeningIn.model_validate(item), lookups)


def _report(name: str, pairs: list[tuple[str, str, str]]) -> tuple[float, set[str]]:
    matrix = Counter((want, got) for _, want, got in pairs)
    wrong = {i for i, want, got in pairs if want != got}
    agreement = 1 - len(wrong) / len(pairs)
    rows = "\n".join(
        f"  expected {w:>6}: " + "  ".join(f"{g}={matrix[(w, g)]}" for g in BANDS) for w in BANDS
    )
    print(f"\n{name}: {len(pairs)} items, agreement {agreement:.1%}\n{rows}")
    return agreement, wrong


def test_departure_vignettes(lookups: Lookups) -> None:
    pairs = [(d["id"], d["expected_band"], _departure(d, lookups).band) for d in DEPARTURES]
    _agreement, wrong = _report("departures", pairs)
    severe = {i for i, want, got in pairs if {want, got} == {"low", "high"}}
    assert not severe, f"a high read as low or a low as high: {sorted(severe)}"
    assert wrong == set(KNOWN_DEPARTURES), _detail(pairs, DEPARTURES, lookups)


def test_offer_texts(lookups: Lookups) -> None:
    results = {o["id"]: service.evaluate_offer(OfferIn.model_validate(o), lookups) for o in OFFERS}
    pairs = [(o["id"], o["expected_band"], results[o["id"]].band) for o in OFFERS]
    _agreement, wrong = _report("offers", pairs)
    severe = {i for i, want, got in pairs if {want, got} == {"low", "high"}}
    assert not severe, f"a high read as low or a low as high: {sorted(severe)}"
    assert wrong == set(KNOWN_OFFERS), "\n".join(
        f"{i}: expected {w}, got {g} {[h.indicator.code for h in results[i].hits]}"
        for i, w, g in pairs
        if w != g
    )


def _detail(pairs: list[tuple[str, str, str]], items: list[dict[str, Any]],
            lookups: Lookups) -> str:  # fmt: skip
    by_id = {d["id"]: d for d in items}
    return "\n".join(
        f"{i}: expected {w}, got {g} "
        f"{[h.indicator.code for h in _departure(by_id[i], lookups).hits]}"
        for i, w, g in pairs
        if w != g
    )


def _holdout(name: str, lookups: Lookups) -> list[tuple[str, str, str]]:
    items = _load(name)
    if "offers" in name:
        return [(o["id"], o["expected_band"],
                 service.evaluate_offer(OfferIn.model_validate(o), lookups).band) for o in items]  # fmt: skip
    return [(d["id"], d["expected_band"], _departure(d, lookups).band) for d in items]


@pytest.mark.parametrize(
    "name",
    ["holdout_departures.jsonl", "holdout_offers.jsonl", "holdout2_departures.jsonl",
     "holdout2_offers.jsonl"],
)  # fmt: skip
def test_holdout_sets(name: str, lookups: Lookups) -> None:
    """Sets labelled after the rules were written and never used to change them: measured
    and printed, held only to a floor (no high read as low, no low as high, and most
    agreeing) so that a regression shows while the figure stays honest."""
    if not (DATA / name).exists():
        pytest.skip(f"{name} not written yet")
    pairs = _holdout(name, lookups)
    agreement, _ = _report(name, pairs)
    severe = sorted(i for i, want, got in pairs if {want, got} == {"low", "high"})
    assert len(severe) <= 1, severe
    assert agreement >= 0.6


VARIANTS = [
    {"sex": sex, "religion": religion, "province": province, "ethnicity": ethnicity}
    for sex, religion, province, ethnicity in (
        ("M", "Islam", "Jawa Barat", "Sunda"),
        ("F", "Kristen", "Nusa Tenggara Timur", "Timor"),
        (None, "Hindu", "Bali", "Bali"),
        ("F", "Konghucu", "Kalimantan Barat", "Tionghoa"),
        ("M", None, "Papua", "Papua"),
        ("F", "Buddha", None, None),
    )
]


def test_sex_religion_ethnicity_and_province_never_change_a_result(lookups: Lookups) -> None:
    changed = []
    for item in DEPARTURES:
        seen = set()
        for variant in VARIANTS:
            person = {**item.get("person", {}), **variant}
            result = _departure({**item, "person": person}, lookups)
            seen.add((result.score, result.band, result.action,
                      tuple((h.indicator.code, h.evidence) for h in result.hits)))  # fmt: skip
        if len(seen) != 1:
            changed.append(item["id"])
    assert changed == []
    assert len(DEPARTURES) >= 60
    assert len(OFFERS) >= 80
