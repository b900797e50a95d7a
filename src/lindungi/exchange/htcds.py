"""The anonymised export in the Human Trafficking Case Data Standard v2.0: what a case
becomes in the standard's columns, and the k-anonymous CSV. Pure: callers hand in
:class:`CaseFacts` (``htcds_service`` reads them from the cases package).

Quasi-identifiers — what someone who knows a victim could look up — are generalised
(``kanon``): gender, age, citizenship, the place of exploitation (country and city),
the recruitment app and method, and the month the case reached the hub. The rest are the
sensitive attributes, kept as they are: the trafficking status and who decided it, the
type of exploitation, the methods of control, the case status, outgoing referrals and the
support given. Direct identifiers (names, NIK, passport, phones, addresses, narratives,
the reporter) are never read into a row: :class:`CaseFacts` carries the NIK only so that
gender and birth date can be derived from it, and no column is built from it.
"""

from __future__ import annotations

import datetime as dt
import functools
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from typing import Any

import pandas as pd

from lindungi.exchange import htcds_fields as f
from lindungi.exchange.kanon import Anonymised, Hierarchy, Report, anonymise
from lindungi.exchange.kanon_hierarchies import age as age_bands
from lindungi.exchange.kanon_hierarchies import category, flat, month, place
from lindungi.people.nik import nik_facts

CITIZENSHIP = "ID"  # the hub's cases are Indonesian citizens abroad
#: The quasi-identifiers and their hierarchies. Age and the place of exploitation weigh
#: double in the information loss: they are what analyses of routes and victims need most.
HIERARCHIES: tuple[Hierarchy, ...] = (
    flat("gender", "prs_Gender"),
    replace(age_bands("age", "vic_AgeWhenTrafficked"), weight=2.0),
    flat("citizenship", "prs_Citizenship"),
    replace(place("place of exploitation", ("hte_Country", "hte_City"), f.SUBREGION), weight=2.0),
    category("recruitment", ("vic_RecruitmentWebsitesAndApps", "vic_MethodOfRecruitment")),
    month("month reported", "cas_IncomingReferralDate"),
)
SENSITIVE: tuple[str, ...] = tuple(c for c in f.COLUMNS if c not in f.QUASI_IDENTIFIER_COLUMNS)
_FORMULA = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True)
class CaseFacts:
    """What the export needs to know about one case (nothing that names the person)."""

    opened_at: dt.datetime
    state: str
    channel: str
    country: str | None = None
    city: str | None = None
    birth_date: dt.date | None = None
    nik: str | None = None  # read for gender and birth date only; never exported
    determination: str | None = None
    determination_agency: str | None = None
    indicators: tuple[str, ...] = ()
    means: tuple[str, ...] = ()
    purposes: tuple[str, ...] = ()
    child: bool = False
    recruitment_channel: str | None = None  # how the offer reached them (screening)
    services: tuple[str, ...] = ()  # referred for and not rejected
    legal_stage: str | None = None


def gender_and_birth(facts: CaseFacts) -> tuple[str, dt.date | None]:
    """``prs_Gender`` from the NIK (its day of birth is +40 for women) and the birth
    date (the recorded one, else the NIK's); NonSpecifiedUnknown without a valid NIK."""
    found = nik_facts(facts.nik, reference_date=facts.opened_at.date()) if facts.nik else None
    if found is None:
        return "NonSpecifiedUnknown", facts.birth_date
    return ("Feminine" if found.sex == "F" else "Masculine"), facts.birth_date or found.birth_date


def age_at(birth: dt.date | None, day: dt.date) -> int:
    """Whole years from ``birth`` to ``day``; -1 when unknown or not plausible."""
    if birth is None or birth > day:
        return -1
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))


def _joined(values: Iterable[str], order: Sequence[str]) -> str:
    present = set(values)
    return ";".join(v for v in order if v in present)


@functools.lru_cache(maxsize=4096)
def _exploitation(purposes: tuple[str, ...], child: bool) -> str:
    found = [f.EXPLOITATION[p] for p in purposes if p in f.EXPLOITATION]
    if child and "ForcedLabour" in found:
        found.append("ChildLabour")
    return _joined(found, f.EXPLOITATION_ORDER)


@functools.lru_cache(maxsize=4096)
def _control(indicators: tuple[str, ...], means: tuple[str, ...]) -> str:
    found = [f.METHODS_OF_CONTROL[c] for c in (*indicators, *means) if c in f.METHODS_OF_CONTROL]
    return _joined(found, f.METHODS_OF_CONTROL_ORDER)


@functools.lru_cache(maxsize=4096)
def _support(services: tuple[str, ...]) -> str:
    return _joined((f.SUPPORT_PLAN[s] for s in services if s in f.SUPPORT_PLAN),
                   f.SUPPORT_PLAN_ORDER)  # fmt: skip


def _status(facts: CaseFacts) -> tuple[str, str]:
    """``vic_TraffickingStatus`` and who decided it: a conviction is the court's."""
    if facts.legal_stage == "convicted":
        return "ActualVictimOfTrafficking", "CourtOrProsecution"
    status = f.TRAFFICKING_STATUS.get(facts.determination, "PossibleVictimOfTrafficking")
    if facts.determination is None:
        return status, ""
    police = facts.determination_agency in f.POLICE_AGENCIES
    return status, "Police" if police else "NonPoliceGovernmentalOrganization"


def _case_status(facts: CaseFacts) -> str:
    if facts.state == "closed":
        return "ClosedReferred" if "case_transfer" in facts.services else "Closed"
    return "FollowUp" if facts.state == "reintegration" else "Active"


def _outgoing(facts: CaseFacts) -> str:
    if facts.legal_stage is not None or set(facts.services) - {"case_transfer"}:
        return "AdditionalServicesRequired"
    return "MigrationOrChangeOfLocation" if "case_transfer" in facts.services else ""


def _text(value: str | None) -> str:
    return " ".join((value or "").split())


def row(facts: CaseFacts) -> dict[str, Any]:
    """One case as the base values of its quasi-identifiers (named as in
    :data:`HIERARCHIES`) and its sensitive columns (named as in the standard)."""
    gender, birth = gender_and_birth(facts)
    country = _text(facts.country).upper()
    channel = facts.recruitment_channel or ""
    status, decided_by = _status(facts)
    opened = facts.opened_at.astimezone(dt.UTC)
    return {
        "gender": gender,
        "age": age_at(birth, opened.date()),
        "citizenship": CITIZENSHIP,
        "place of exploitation": (country, _text(facts.city) if country else ""),
        "recruitment": (f.RECRUITMENT_APPS.get(channel, ""),
                        f.RECRUITMENT_METHODS.get(channel, "")),
        "month reported": f"{opened.year:04d}-{opened.month:02d}",
        "hte_Type": "Exploitation" if country else "",
        "org_Type": f.REFERRING_ORGANISATION.get(facts.channel, ""),
        "vic_TraffickingStatus": status,
        "vic_TraffickingStatusDecisionMakingOrg": decided_by,
        "vic_TypeOfExploitation": _exploitation(tuple(facts.purposes), facts.child),
        "vic_MethodsOfControl": _control(tuple(facts.indicators), tuple(facts.means)),
        "cas_Status": _case_status(facts),
        "cas_ReasonForOutgoingReferral": _outgoing(facts),
        "spl_Type": _support(tuple(facts.services)),
    }  # fmt: skip


def records(cases: Iterable[CaseFacts]) -> pd.DataFrame:
    """The rows of ``cases`` as a frame, ready for :func:`anonymise_records`."""
    names = [h.name for h in HIERARCHIES] + list(SENSITIVE)
    rows = [row(c) for c in cases]
    frame = pd.DataFrame.from_records(rows, columns=names) if rows else pd.DataFrame(columns=names)
    for h in HIERARCHIES:
        if len(h.columns) > 1:  # keep pairs as tuples, not split by pandas
            frame[h.name] = pd.Series([r[h.name] for r in rows], dtype=object)
    return frame


@dataclass(frozen=True)
class HtcdsExport:
    """The anonymised rows in the standard's columns, and the anonymisation report."""

    frame: pd.DataFrame
    report: Report

    def csv(self) -> str:
        """The rows as CSV text, header first (cells a spreadsheet would run are quoted)."""
        out = io.StringIO()
        self.write(out)
        return out.getvalue()

    def write(self, target: Any) -> None:
        """Write the CSV to a path or a text stream."""
        self.frame.to_csv(target, index=False, lineterminator="\n")


def anonymise_records(
    frame: pd.DataFrame, k: int = 11, max_suppression: float = 0.05
) -> HtcdsExport:
    """The k-anonymous export of the rows :func:`records` made."""
    made: Anonymised = anonymise(frame, HIERARCHIES, k, max_suppression)
    out = made.frame.reindex(columns=list(f.COLUMNS), fill_value="")
    for column in ("hte_Country", "hte_City"):  # the only text typed in by a person
        text = out[column].astype(str)
        out[column] = text.where(~text.str.startswith(_FORMULA), "'" + text)
    return HtcdsExport(out, made.report)


def export(cases: Iterable[CaseFacts], k: int = 11, max_suppression: float = 0.05) -> HtcdsExport:
    """``cases`` in the HTCDS columns, k-anonymous over the quasi-identifiers."""
    return anonymise_records(records(cases), k, max_suppression)
