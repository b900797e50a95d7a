"""SYNTHETIC cases for the demo, one or more in every stage, each walked there through the
real workflow (so their timelines are what an officer would have written). Deterministic
for a seed; invented people and stories."""

from __future__ import annotations

import random
from dataclasses import dataclass
from typing import Any

from lindungi.demo.generator import DemoScenario

#: The steps that bring a case to each stage (identification recorded where it belongs).
_PATHS: tuple[tuple[str, ...], ...] = (
    (),
    ("verify",),
    ("verify", "locate"),
    ("verify", "locate", "coordinate_rescue"),
    ("verify", "locate", "coordinate_rescue", "admit_to_shelter", "identify:victim"),
    ("verify", "locate", "identify:victim", "arrange_repatriation"),
    ("verify", "locate", "identify:not_victim", "refer_for_deportation"),
    ("verify", "locate", "admit_to_shelter", "identify:victim", "arrange_repatriation",
     "confirm_arrival"),
    ("verify", "locate", "admit_to_shelter", "identify:victim", "arrange_repatriation",
     "confirm_arrival", "start_rehabilitation"),
    ("verify", "locate", "admit_to_shelter", "identify:victim", "arrange_repatriation",
     "confirm_arrival", "start_rehabilitation", "start_reintegration"),
    ("verify", "locate", "admit_to_shelter", "identify:victim", "arrange_repatriation",
     "confirm_arrival", "start_rehabilitation", "start_reintegration", "close:reintegrated"),
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
