"""The indicators as data: each with its id, section, labels in Bahasa Indonesia and
English, unit and a one-sentence definition served beside its value (in the API, the
report's method note and the exported tables). Pure: no I/O."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from lindungi.monitoring.models import ALERT_KINDS

Unit = Literal["count", "share", "hours", "minutes", "idr"]

#: Section → (heading in Bahasa Indonesia, in English), in report order.
SECTIONS: dict[str, tuple[str, str]] = {
    "cases": ("Kasus WNI bermasalah", "Troubled-citizen cases"),
    "routes": ("Overstay: dirujuk atau dideportasi", "Overstay: referred or deported"),
    "timeliness": ("Waktu verifikasi dan pemulangan", "Time to verify and to repatriate"),
    "services": ("Rehabilitasi dan bantuan hukum", "Rehabilitation and legal aid"),
    "screening": ("Rujukan skrining dan hasilnya", "Screening referrals and their outcomes"),
    "recruiters": ("Sanksi perekrut dan klaim jaminan", "Recruiter sanctions and bond claims"),
    "alerts": ("Peringatan dan waktu tanggap", "Alerts and response time"),
}


@dataclass(frozen=True)
class Spec:
    """What an indicator is (its value is computed elsewhere)."""

    id: str
    section: str
    label_id: str
    label_en: str
    unit: Unit
    definition: str


_OF_CASES = "among the cases opened in the period (by when they were reported)"
_VICTIMS = "identified victims (current determination: potential victim) of the period's cases"
_OUTCOME_LABELS: dict[str, tuple[str, str, str]] = {
    "potential_victim": ("korban potensial", "potential victim",
                         "whose case now holds the determination potential victim"),
    "not_victim": ("bukan korban", "not a victim",
                   "whose case now holds the determination not a victim"),
    "undetermined": ("belum dapat ditentukan", "undetermined",
                     "whose case now holds the determination undetermined"),
    "closed_without_identification": ("ditutup tanpa identifikasi", "closed unidentified",
                                      "whose case was closed with no determination recorded"),
    "awaiting_identification": ("menunggu identifikasi", "awaiting identification",
                                "whose case is open with no determination recorded yet"),
    "no_case": ("tanpa kasus", "no case opened", "for which no case was opened"),
}  # fmt: skip
_KIND_LABELS = {
    "sos": ("SOS", "SOS"),
    "missed_checkin": ("check-in terlewat", "missed check-in"),
    "left_work_zone": ("keluar zona kerja", "left work zone"),
    "entered_high_risk": ("masuk zona risiko tinggi", "entered high-risk zone"),
}

_SPECS: list[tuple[str, str, str, str, Unit, str]] = [
    ("cases", "cases", "Kasus dibuka", "Cases opened", "count",
     "Cases of troubled citizens opened in the period (by when they were reported), from "
     "every channel and agency."),
    ("screened", "cases", "Diskrining TPPO", "Screened for trafficking", "count",
     f"Cases with at least one victim-identification determination recorded, {_OF_CASES}."),
    ("screened_share", "cases", "Porsi diskrining", "Share screened", "share",
     "Screened cases divided by cases opened (empty when there are none)."),
    ("identified", "cases", "Teridentifikasi korban TPPO", "Identified as trafficking victims",
     "count", f"Cases whose current determination is potential victim, {_OF_CASES}."),
    ("identified_share", "cases", "Porsi teridentifikasi", "Share identified", "share",
     "Identified cases divided by cases opened (empty when there are none)."),
    ("not_victim", "cases", "Bukan korban", "Not a victim", "count",
     f"Cases whose current determination is not a victim, {_OF_CASES}."),
    ("deportations", "routes", "Dirujuk untuk deportasi", "Referred for deportation", "count",
     f"Cases with a refer_for_deportation step (an administrative return), {_OF_CASES}."),
    ("closed_as_overstay", "routes", "Ditutup sebagai overstay", "Closed as overstay",
     "count", f"Cases closed with the reason overstay (an administrative matter), {_OF_CASES}."),
    ("deported_without_identification", "routes", "Dideportasi tanpa identifikasi",
     "Deported without identification", "count",
     "Cases referred for deportation with no victim-identification determination recorded "
     "before that step (the workflow forbids it, so this should be 0)."),
    ("victims_referred", "routes", "Korban dirujuk ke layanan", "Victims referred for protection",
     "count", f"Of the {_VICTIMS}, those with at least one referral for a service or to the "
     "police, whatever its answer."),
    ("referred_share", "routes", "Porsi dirujuk (vs dideportasi)", "Share referred (vs deported)",
     "share", "Victims referred for protection divided by those plus the cases referred for "
     "deportation or closed as overstay (empty when there are none)."),
    ("verified", "timeliness", "Kasus diverifikasi", "Cases verified", "count",
     f"Cases with a verify step, {_OF_CASES}."),
    ("hours_to_verify_median", "timeliness", "Median jam sampai verifikasi",
     "Median hours to verification", "hours",
     "Median of the hours from a case's report to its first verification, over verified cases."),
    ("hours_to_verify_p90", "timeliness", "P90 jam sampai verifikasi",
     "90th percentile hours to verification", "hours",
     "90th percentile (nearest rank) of the hours from report to first verification."),
    ("repatriated", "timeliness", "Dipulangkan (kemanusiaan)", "Repatriated (humanitarian)",
     "count", "Cases with a humanitarian repatriation arranged whose arrival in Indonesia is "
     "confirmed."),
    ("hours_to_repatriation_median", "timeliness", "Median jam sampai tiba",
     "Median hours to repatriation", "hours",
     "Median of the hours from the report to the first confirmed arrival, over repatriated cases."),
    ("hours_to_repatriation_p90", "timeliness", "P90 jam sampai tiba",
     "90th percentile hours to repatriation", "hours",
     "90th percentile (nearest rank) of the hours from report to first confirmed arrival."),
    ("victims_rehabilitated", "services", "Korban direhabilitasi",
     "Victims in rehabilitation", "count", f"Of the {_VICTIMS}, those who started "
     "rehabilitation or whose psychosocial or medical referral was accepted or delivered."),
    ("rehabilitation_share", "services", "Porsi korban direhabilitasi",
     "Share of victims rehabilitated", "share",
     "Victims in rehabilitation divided by identified victims (empty when there are none)."),
    ("victims_legal_aid", "services", "Korban mendapat bantuan hukum",
     "Victims receiving legal aid", "count",
     f"Of the {_VICTIMS}, those whose legal-aid referral was accepted or delivered."),
    ("legal_aid_share", "services", "Porsi korban mendapat bantuan hukum",
     "Share of victims with legal aid", "share",
     "Victims receiving legal aid divided by identified victims (empty when there are none)."),
    ("victims_referred_to_police", "services", "Korban dirujuk ke polisi",
     "Victims referred to the police", "count",
     f"Of the {_VICTIMS}, those whose case entered the legal track."),
    ("screenings", "screening", "Skrining di loket", "Screenings at the desks", "count",
     "Departure screenings recorded at the desks in the period."),
    ("screening_referrals", "screening", "Rujukan ke BP2MI", "Referrals to BP2MI", "count",
     "Screenings the officer referred to BP2MI in the period (each opens a case)."),
    ("referral_rate", "screening", "Porsi skrining dirujuk", "Share of screenings referred",
     "share", "Referrals divided by screenings in the period (empty when there are none)."),
    *[(f"referral_outcome_{o}", "screening", f"Rujukan: {lid}", f"Referrals: {len_}", "count",
       f"Referrals made in the period {why}.") for o, (lid, len_, why) in _OUTCOME_LABELS.items()],
    ("licence_suspensions", "recruiters", "Izin dibekukan", "Licences suspended", "count",
     "Recruiter licences whose status changed to suspended in the period."),
    ("licence_revocations", "recruiters", "Izin dicabut", "Licences revoked", "count",
     "Recruiter licences whose status changed to revoked in the period."),
    ("sanctions_imposed", "recruiters", "Sanksi administratif", "Administrative sanctions",
     "count", "Other administrative sanctions on recruiters starting in the period."),
    ("bond_claims_filed", "recruiters", "Klaim jaminan diajukan", "Bond claims filed", "count",
     "Victims' claims on recruiters' bonds filed in the period, from a case or not."),
    ("bond_claims_paid", "recruiters", "Klaim jaminan dibayar", "Bond claims paid", "count",
     "Claims on recruiters' bonds paid in the period (by the date of payment)."),
    ("bond_claims_paid_idr", "recruiters", "Nilai klaim dibayar", "Bond claims paid (Rupiah)",
     "idr", "The amount of the claims paid in the period, in Rupiah."),
    ("alerts", "alerts", "Peringatan", "Alerts raised", "count",
     "Monitoring alerts raised in the period (a repeat of an open alert is not a new one)."),
    *[(f"alerts_{k}", "alerts", f"Peringatan: {lid}", f"Alerts: {len_}", "count",
       f"Alerts of the kind {k} raised in the period.")
      for k, (lid, len_) in _KIND_LABELS.items() if k in ALERT_KINDS],
    ("alerts_acknowledged", "alerts", "Peringatan ditangani", "Alerts taken in hand", "count",
     "Alerts of the period that an officer acknowledged (took in hand)."),
    ("minutes_to_acknowledge_median", "alerts", "Median menit sampai ditangani",
     "Median minutes to acknowledgement", "minutes",
     "Median of the minutes from an alert being raised to its first acknowledgement."),
    ("minutes_to_acknowledge_p90", "alerts", "P90 menit sampai ditangani",
     "90th percentile minutes to acknowledgement", "minutes",
     "90th percentile (nearest rank) of the minutes from raised to first acknowledgement."),
    ("alerts_became_case", "alerts", "Peringatan menjadi kasus", "Alerts that became cases",
     "count", "Alerts of the period that the escalation ladder turned into a case."),
]  # fmt: skip

#: Every indicator, in report order.
CATALOGUE: dict[str, Spec] = {row[0]: Spec(*row) for row in _SPECS}
#: The labels of screening outcomes and alert kinds, for tables and charts.
OUTCOME_LABELS = {o: (lid, len_) for o, (lid, len_, _) in _OUTCOME_LABELS.items()}
KIND_LABELS = dict(_KIND_LABELS)
