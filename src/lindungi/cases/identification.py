"""Victim identification: the ILO forced-labour indicators and the trafficking elements
of UU 21/2007 and the Palermo Protocol (act, means, purpose), turned into an explained
*suggestion*. The determination itself is recorded by a person, with their reason; this
module only says what the observed facts point to and why. Pure."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from lindungi.cases.workflow import Determination


@dataclass(frozen=True)
class Indicator:
    """An ILO indicator of forced labour."""

    code: str
    label_id: str
    label_en: str
    strong: bool  # alone enough to treat the person as a potential victim


#: The eleven ILO indicators of forced labour (ILO, 2012).
ILO_INDICATORS: tuple[Indicator, ...] = (
    Indicator("abuse_of_vulnerability", "Penyalahgunaan kerentanan",
              "Abuse of vulnerability", False),
    Indicator("deception", "Penipuan", "Deception", False),
    Indicator("restriction_of_movement", "Pembatasan gerak", "Restriction of movement", True),
    Indicator("isolation", "Isolasi", "Isolation", False),
    Indicator("physical_sexual_violence", "Kekerasan fisik dan seksual",
              "Physical and sexual violence", True),
    Indicator("intimidation_threats", "Intimidasi dan ancaman", "Intimidation and threats",
              False),
    Indicator("retention_of_documents", "Penahanan dokumen identitas",
              "Retention of identity documents", True),
    Indicator("withholding_of_wages", "Penahanan upah", "Withholding of wages", False),
    Indicator("debt_bondage", "Jeratan utang", "Debt bondage", True),
    Indicator("abusive_conditions", "Kondisi kerja dan hidup yang abusif",
              "Abusive working and living conditions", False),
    Indicator("excessive_overtime", "Lembur berlebihan", "Excessive overtime", False),
)  # fmt: skip
BY_CODE = {i.code: i for i in ILO_INDICATORS}

#: The elements of trafficking (UU 21/2007 Pasal 1 angka 1; Palermo Protocol Article 3).
ACTS = ("recruitment", "transportation", "transfer", "harbouring", "receipt")
MEANS = ("threat", "force", "coercion", "abduction", "fraud", "deception", "abuse_of_power",
         "abuse_of_vulnerability", "debt_bondage", "payment_to_controller")  # fmt: skip
PURPOSES = ("exploitation", "forced_labour", "sexual_exploitation", "slavery", "servitude",
            "forced_criminality", "organ_removal")  # fmt: skip


@dataclass(frozen=True)
class Facts:
    """What the interviewer observed or was told."""

    indicators: frozenset[str] = frozenset()
    acts: frozenset[str] = frozenset()
    means: frozenset[str] = frozenset()
    purposes: frozenset[str] = frozenset()
    child: bool = False  # under 18: the means need not be shown
    interview_complete: bool = False


@dataclass(frozen=True)
class Suggestion:
    """What the facts point to, with the reasons an officer reads before deciding."""

    determination: Determination
    reasons: tuple[str, ...]


class UnknownTermError(ValueError):
    """A term that is not an indicator or element, with the allowed ones named."""


def facts(
    indicators: Iterable[str] = (),
    acts: Iterable[str] = (),
    means: Iterable[str] = (),
    purposes: Iterable[str] = (),
    *,
    child: bool = False,
    interview_complete: bool = False,
) -> Facts:
    """Checked facts: an unknown indicator or element is refused, naming the known ones."""
    for given, known, what in (
        (indicators, tuple(BY_CODE), "indicator"),
        (acts, ACTS, "act"),
        (means, MEANS, "means"),
        (purposes, PURPOSES, "purpose"),
    ):
        for term in given:
            if term not in known:
                raise UnknownTermError(f"unknown {what} {term!r}; known: {', '.join(known)}")
    return Facts(frozenset(indicators), frozenset(acts), frozenset(means), frozenset(purposes),
                 child, interview_complete)  # fmt: skip


def suggest(observed: Facts) -> Suggestion:
    """Potential victim when the elements of trafficking are all present (the means not
    needed for a child), or when a strong ILO indicator or two indicators are present;
    not a victim only after a complete interview found none; undetermined otherwise."""
    reasons = []
    elements = bool(observed.acts) and bool(observed.purposes)
    elements = elements and (observed.child or bool(observed.means))
    if elements:
        parts = [f"act: {', '.join(sorted(observed.acts))}"]
        if observed.means:
            parts.append(f"means: {', '.join(sorted(observed.means))}")
        parts.append(f"purpose: {', '.join(sorted(observed.purposes))}")
        why = "; ".join(parts)
        if observed.child and not observed.means:
            why += " (a child: the means need not be shown)"
        reasons.append(f"the elements of trafficking are present — {why}")
    present = [BY_CODE[c] for c in sorted(observed.indicators)]
    strong = [i for i in present if i.strong]
    if strong:
        reasons.append("strong forced-labour indicator: " + ", ".join(i.label_en for i in strong))
    elif len(present) >= 2:
        reasons.append("forced-labour indicators: " + ", ".join(i.label_en for i in present))
    if reasons:
        return Suggestion(Determination.VICTIM, tuple(reasons))
    if present:
        return Suggestion(
            Determination.UNDETERMINED,
            (f"one forced-labour indicator ({present[0].label_en}): interview further",),
        )
    if observed.interview_complete:
        return Suggestion(
            Determination.NOT_VICTIM,
            ("a complete interview found no indicator of forced labour or trafficking",),
        )
    return Suggestion(
        Determination.UNDETERMINED, ("no interview recorded yet: identify before deciding",)
    )
