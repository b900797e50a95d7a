"""SYNTHETIC cases for the demo, one or more in every stage, each walked there through the
real services by the officers who would have done it (so their timelines are what they
would have written): the BP2MI case worker reports, moves, identifies and refers victims
for services with their consent; the police investigator takes the cases referred to
the police through the legal track; the licensing office verifies and pays a victim's
claim on a recruiter's bond. Deterministic for a seed; invented people, stories and
organisations."""

from __future__ import annotations

import random
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from lindungi.auth.permissions import Permission, Principal
from lindungi.cases import handoffs, legal
from lindungi.cases import service as cases
from lindungi.cases.identification import facts
from lindungi.cases.models import Case
from lindungi.cases.referrals import DECISIONS
from lindungi.cases.workflow import CloseReason, Determination
from lindungi.demo.generator import DemoScenario
from lindungi.recruiters import bonds
from lindungi.recruiters.models import Bond, Licence
from lindungi.recruiters.normalize import licence_key

# Steps: a workflow action ("verify", "close:<reason>"), "identify:<victim|not_victim>",
# "refer:<service>" and "accept:<service>" / "deliver:<service>" (the receiver's answer on
# the case's latest referral for that service; "police" is the legal track's referral),
# "legal:<action>" (the legal track) and "claim:<file|verify|pay>" (the bond claim).
_PSY = ("refer:psychosocial", "accept:psychosocial")
_AID = ("refer:legal_aid", "accept:legal_aid")
_WORK = ("refer:economic_reintegration", "accept:economic_reintegration")
_POLICE = ("legal:refer_to_police", "accept:police", "legal:open_investigation")
_HOME = ("verify", "locate", "admit_to_shelter", "identify:victim", *_PSY,
         "arrange_repatriation", "confirm_arrival")  # fmt: skip
#: The steps that bring a case to each stage, with its services and legal track.
_PATHS: tuple[tuple[str, ...], ...] = (
    (),
    ("verify",),
    ("verify", "locate"),
    ("verify", "locate", "coordinate_rescue"),
    ("verify", "locate", "coordinate_rescue", "admit_to_shelter", "identify:victim", *_PSY,
     "refer:medical", "legal:refer_to_police"),
    ("verify", "locate", "identify:victim", "refer:medical", "accept:medical",
     "arrange_repatriation"),
    ("verify", "locate", "identify:not_victim", "refer_for_deportation"),
    _HOME,
    (*_HOME, "refer:medical", "accept:medical", "deliver:medical", "start_rehabilitation",
     "deliver:psychosocial", *_AID, *_POLICE),
    (*_HOME, "start_rehabilitation", "deliver:psychosocial", *_POLICE, *_AID,
     "legal:request_restitution", "legal:prosecute", "start_reintegration", *_WORK,
     "legal:convict", "legal:order_restitution", "legal:pay_restitution"),
    (*_HOME, "start_rehabilitation", "deliver:psychosocial", "start_reintegration", *_WORK,
     "deliver:economic_reintegration", "claim:file", "claim:verify", "claim:pay",
     "close:reintegrated"),
    ("close:unfounded",),
)  # fmt: skip
_STORIES = (
    ("sos", "KH", "Sihanoukville", "SOS dari kompleks: dijanjikan kerja admin, paspor ditahan"),
    ("family", "MM", "Myawaddy", "Ibu melapor: anak tidak bisa dihubungi setelah ke Bangkok"),
    ("hotline", "KH", "Bavet", "Penelepon: dipaksa menipu 16 jam sehari, denda bila keluar"),
    ("walk_in", "KH", "Phnom Penh", "Datang ke KBRI setelah melarikan diri dari kompleks"),
    ("ngo", "LA", "Golden Triangle SEZ", "Rujukan LSM: kelompok 6 WNI di kawasan ekonomi"),
    ("foreign_authority", "PH", "Pasay", "Rujukan polisi setempat: WNI dalam razia POGO"),
)
#: The one the interview finds not a victim: an overstay, handled administratively.
_OVERSTAY = (
    "walk_in",
    "MY",
    "Johor Bahru",
    "Melebihi izin tinggal, bekerja di warung atas kemauan sendiri, ingin pulang",
)
#: What the interviewer found, for a potential victim and for a person who is not one.
VICTIM_FACTS: dict[str, Any] = {
    "indicators": ["retention_of_documents", "deception", "excessive_overtime"],
    "acts": ["recruitment", "transportation"], "means": ["deception"],
    "purposes": ["forced_criminality"],
}  # fmt: skip
NOT_VICTIM_FACTS: dict[str, Any] = {"interview_complete": True}
#: Service → the (invented) organisation it is referred to, and what for.
SERVICES: dict[str, tuple[str, str]] = {
    "psychosocial": ("Yayasan Teduh Hati (LSM sintetis)", "pendampingan psikososial"),
    "medical": ("RSUD Mitra Sehat (sintetis)", "pemeriksaan kesehatan dan visum"),
    "legal_aid": ("LBH Suara Pekerja Migran (sintetis)", "bantuan hukum pro bono"),
    "economic_reintegration": ("Koperasi Purna Migran Mandiri (sintetis)",
                               "pelatihan usaha dan modal bergulir"),
}  # fmt: skip
_ANSWERS = {"accept": "rujukan diterima", "deliver": "layanan selesai diberikan"}
_LEGAL_REASONS = {
    "refer_to_police": "laporan polisi atas dugaan TPPO; korban bersedia memberi keterangan",
    "open_investigation": "penyidikan dimulai atas laporan dan keterangan korban",
    "request_restitution": "permohonan restitusi kerugian korban (UU 21/2007 Pasal 48)",
    "prosecute": "berkas perkara lengkap, dilimpahkan ke penuntut umum",
    "convict": "putusan pengadilan negeri: terdakwa terbukti melakukan TPPO",
    "order_restitution": "putusan menetapkan restitusi bagi korban",
    "pay_restitution": "pembayaran restitusi tahap pertama oleh terpidana",
}
#: Rupiah the court orders, and the first instalment paid (so the restitution is partly paid).
RESTITUTION_ORDERED_IDR, RESTITUTION_PAID_IDR = 85_000_000, 30_000_000
#: The victim's claim on the bond of the recruiter behind the case.
BOND_CLAIM_IDR = 35_000_000
_CLAIM_REASONS = {
    "file": "ganti rugi korban atas biaya penempatan dan gaji tidak dibayar",
    "verify": "klaim dicocokkan dengan berkas kasus",
    "pay": "dibayarkan dari jaminan perusahaan penempatan",
}
_CONSENT = "korban menyetujui setelah dijelaskan tujuan dan data yang dibagikan"
_DEMO = " (demo sintetis)"


@dataclass(frozen=True)
class DemoCase:
    """One synthetic case: the report and the steps that bring it to its stage."""

    fields: dict[str, Any]
    steps: tuple[str, ...]


def demo_cases(scenario: DemoScenario) -> list[DemoCase]:
    """A case in every stage (and a closed one), about the scenario's synthetic people."""
    rng = random.Random(f"lindungi.demo.cases:{scenario.seed}")  # noqa: S311
    people = list(scenario.people[-len(_PATHS) :])
    out = []
    for n, steps in enumerate(_PATHS):
        channel, country, city, summary = (
            _OVERSTAY if "refer_for_deportation" in steps else _STORIES[n % len(_STORIES)]
        )
        person = people[n % len(people)] if people else None
        fields: dict[str, Any] = {
            "channel": channel, "country": country, "city": city,
            "summary": f"{summary} (DEMO-CASE-{n + 1:02d}, synthetic)", "synthetic": True,
            "narrative": "Cerita sintetis untuk demo: direkrut lewat media sosial, "
                         "berangkat dengan visa turis, bekerja di kompleks penipuan.",
            "reporter_name": rng.choice(("Ibu Sari", "Bapak Darto", "Kakak Wulan")),
        }  # fmt: skip
        if person is not None:
            fields |= {"full_name": person.full_name, "birth_date": person.birth_date,
                       "nik": person.nik, "passport_no": person.passport_no}  # fmt: skip
        out.append(DemoCase(fields, steps))
    return out


@dataclass(frozen=True)
class Officers:
    """Who walks the demo cases: the BP2MI case worker, the police investigator and the
    licensing officer, as the principals of the demo's users."""

    desk: Principal
    police: Principal
    licensing: Principal


def claimed_recruiter(session: Session, scenario: DemoScenario) -> int | None:
    """The recruiter a demo victim claims against: the scenario's first revoked company
    whose bond still holds enough (none when the registry was not loaded)."""
    for demo in scenario.recruiters:
        if demo.status != "revoked" or demo.licence_no is None:
            continue
        licence = session.scalar(
            select(Licence).where(Licence.number_key == licence_key(demo.licence_no))
        )
        if licence is None or not licence.recruiter.synthetic:
            continue
        held = session.scalar(
            select(Bond.id).where(Bond.recruiter_id == licence.recruiter_id,
                                  Bond.status == "held", Bond.balance_idr >= BOND_CLAIM_IDR)
        )  # fmt: skip
        if held is not None:
            return licence.recruiter_id
    return None


def walk(session: Session, item: DemoCase, officers: Officers, recruiter_id: int | None) -> Case:
    """Open the case at the BP2MI desk and take its steps through the real services (the
    bond claim only when there is a ``recruiter_id`` to claim against)."""
    case = cases.report(session, item.fields, officers.desk).case
    for step in item.steps:
        _take(session, case, step, officers, recruiter_id)
    return case


def _take(
    session: Session, case: Case, step: str, officers: Officers, recruiter_id: int | None
) -> None:
    action, _, detail = step.partition(":")
    desk = officers.desk
    if action == "identify":
        victim = detail == "victim"
        observed = facts(**(VICTIM_FACTS if victim else NOT_VICTIM_FACTS))
        decided = Determination.VICTIM if victim else Determination.NOT_VICTIM
        cases.identify(session, case.id, observed, decided,
                       "wawancara identifikasi" + _DEMO, desk)  # fmt: skip
    elif action == "refer":
        organisation, purpose = SERVICES[detail]
        asked = {"service": detail, "to_organisation": organisation, "consent": True,
                 "consent_note": _CONSENT + _DEMO, "note": purpose + _DEMO}  # fmt: skip
        handoffs.refer(session, case.id, asked, desk)
    elif action in DECISIONS:
        referral = [r for r in handoffs.case_referrals(session, case.id) if r.service == detail][-1]
        decider = referral.to_agency or referral.from_agency
        by = next(p for p in (desk, officers.police) if p.agency == decider)
        handoffs.decide_referral(session, referral.id, action, _ANSWERS[action] + _DEMO, by)
    elif action == "legal":
        fields: dict[str, Any] = {"action": detail, "reason": _LEGAL_REASONS[detail] + _DEMO}
        if detail == "refer_to_police":
            fields |= {"consent": True, "consent_note": _CONSENT + _DEMO}
        amounts = {"order_restitution": RESTITUTION_ORDERED_IDR,
                   "pay_restitution": RESTITUTION_PAID_IDR}  # fmt: skip
        if detail in amounts:
            fields["amount_idr"] = amounts[detail]
        police = legal.BY_ACTION[detail].permission == "legal"
        handoffs.legal_move(session, case.id, fields, officers.police if police else desk)
    elif action == "claim":
        _claim(session, case, detail, officers, recruiter_id)
    else:
        why = CloseReason(detail) if detail else None
        cases.move(session, case.id, action, "langkah demo sintetis", desk, why)


def _claim(
    session: Session, case: Case, step: str, officers: Officers, recruiter_id: int | None
) -> None:
    if recruiter_id is None:
        return
    reason = _CLAIM_REASONS[step] + _DEMO
    if step == "file":
        handoffs.file_bond_claim(session, case.id, recruiter_id, BOND_CLAIM_IDR, reason,
                              officers.desk)  # fmt: skip
        return
    officers.licensing.require(Permission("claims", "decide"))
    claim = handoffs.bond_claims(session, case.id)[-1]
    bonds.decide_claim(session, claim, step, reason=reason, actor=officers.licensing.username)


def tally(values: Iterable[str | None]) -> dict[str, int]:
    """How many times each value occurs (``None`` left out)."""
    counts: dict[str, int] = {}
    for value in values:
        if value is not None:
            counts[value] = counts.get(value, 0) + 1
    return counts
