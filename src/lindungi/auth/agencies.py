"""The agencies that share the hub (contract 7). Pure data."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class AgencyInfo:
    """An agency's code and its names in Bahasa Indonesia and English."""

    code: str
    name_id: str
    name_en: str


AGENCIES: dict[str, AgencyInfo] = {
    a.code: a
    for a in (
        AgencyInfo(
            "imigrasi",
            "Direktorat Jenderal Imigrasi",
            "Directorate General of Immigration",
        ),
        AgencyInfo(
            "kemnaker",
            "Kementerian Ketenagakerjaan",
            "Ministry of Manpower",
        ),
        AgencyInfo(
            "bp2mi",
            "Badan Pelindungan Pekerja Migran Indonesia (BP2MI/KP2MI)",
            "Indonesian Migrant Workers Protection Agency (BP2MI/KP2MI)",
        ),
        AgencyInfo(
            "kemlu",
            "Kementerian Luar Negeri dan Perwakilan RI",
            "Ministry of Foreign Affairs and Indonesian missions abroad",
        ),
        AgencyInfo(
            "polri",
            "Kepolisian Negara Republik Indonesia (Unit TPPO)",
            "Indonesian National Police (anti-trafficking units)",
        ),
    )
}
