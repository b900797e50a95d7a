"""The Human Trafficking Case Data Standard v2.0 (IOM / UN Migration, CC BY 4.0) as far as
the anonymised export uses it: the columns, in the standard's own field names with their
prefix, the picklist value names our values map to, and the UN M49 sub-regions the place
of exploitation is generalised to. Constants only: the standard is public and fixed, so
it ships with the code rather than being read at run time.

Multi-select picklists are written as the standard's value names joined by ``;`` (how
Salesforce, the standard's reference implementation, stores them), in picklist order.
"""

from __future__ import annotations

from collections.abc import Mapping

#: The columns of the export, in order. Quasi-identifiers (generalised) are marked in
#: ``QUASI_IDENTIFIER_COLUMNS``; the rest are kept as they are.
COLUMNS: tuple[str, ...] = (
    "prs_Gender",
    "vic_AgeWhenTrafficked",
    "prs_Citizenship",
    "hte_Type",
    "hte_Country",
    "hte_City",
    "vic_RecruitmentWebsitesAndApps",
    "vic_MethodOfRecruitment",
    "cas_IncomingReferralDate",
    "org_Type",
    "vic_TraffickingStatus",
    "vic_TraffickingStatusDecisionMakingOrg",
    "vic_TypeOfExploitation",
    "vic_MethodsOfControl",
    "cas_Status",
    "cas_ReasonForOutgoingReferral",
    "spl_Type",
)

QUASI_IDENTIFIER_COLUMNS: tuple[str, ...] = (
    "prs_Gender",
    "vic_AgeWhenTrafficked",
    "prs_Citizenship",
    "hte_Country",
    "hte_City",
    "vic_RecruitmentWebsitesAndApps",
    "vic_MethodOfRecruitment",
    "cas_IncomingReferralDate",
)

#: Fields of the standard that identify a person directly (or carry free text that may):
#: never written by the export, whatever the caller asks.
DIRECT_IDENTIFIERS: tuple[str, ...] = (
    "prs_Salutation", "prs_FirstName", "prs_MiddleName", "prs_SecondName", "prs_Birthdate",
    "prs_IdentityNumber", "prs_Title", "prs_Email", "prs_HomePhone", "prs_MobilePhone",
    "prs_MailingStreet", "prs_MailingPostalCode", "prs_MailingLongitude",
    "prs_MailingLatitude", "hte_Street", "hte_PostalCode", "hte_Longitude", "hte_Latitude",
    "hte_Description", "vic_DetailsOfVulnerabilities", "cas_ReasonForCaseClosure",
    "cas_IncomingReferralDetails", "cas_OutgoingReferralDetails", "cco_CaseComment",
    "per_RoleDetails", "spl_Objectives", "spl_ActionPlan",
)  # fmt: skip

GENDERS = ("Feminine", "Masculine", "NonSpecifiedUnknown")
#: ``vic_TraffickingStatus`` by our recorded determination (none recorded: possible).
TRAFFICKING_STATUS: Mapping[str | None, str] = {
    "potential_victim": "ActualVictimOfTrafficking",
    "not_victim": "NotAVictimOfTrafficking",
    "undetermined": "PossibleVictimOfTrafficking",
    None: "PossibleVictimOfTrafficking",
}
#: Agencies whose determination is the police's; every other hub agency is a
#: non-police governmental organisation.
POLICE_AGENCIES = frozenset({"polri"})

#: The offer's channel (screening) → ``vic_RecruitmentWebsitesAndApps`` (apps only).
RECRUITMENT_APPS: Mapping[str, str] = {
    "facebook": "Facebook", "instagram": "Instagram", "tiktok": "TikTok",
    "telegram": "Telegram", "whatsapp": "WhatsApp",
}  # fmt: skip
#: The offer's channel → ``vic_MethodOfRecruitment``.
RECRUITMENT_METHODS: Mapping[str, str] = {
    "facebook": "ThroughOnlineSocialNetworks", "instagram": "ThroughOnlineSocialNetworks",
    "tiktok": "ThroughOnlineSocialNetworks", "telegram": "ThroughOnlineSocialNetworks",
    "whatsapp": "ThroughOnlineSocialNetworks", "job_portal": "ThroughAnOnlineAdvertisement",
    "agency": "AtAPlaceOfBusiness", "friend": "ThroughFriendsOrSocialEvents",
    "family": "ThroughFamilyOrFamilyEvents", "other": "Other",
}  # fmt: skip

#: How the case reached the hub → ``org_Type`` of the referring organisation (blank when
#: the person, their family or the hub's own systems reported it).
REFERRING_ORGANISATION: Mapping[str, str] = {
    "ngo": "NGO",
    "foreign_authority": "LawEnforcement",
    "screening_referral": "ImmigrationService",
}

#: ILO indicators and trafficking means (``cases.identification``) → ``vic_MethodsOfControl``.
METHODS_OF_CONTROL: Mapping[str, str] = {
    "deception": "FalsePromises", "fraud": "FalsePromises",
    "restriction_of_movement": "Other", "isolation": "Other",
    "physical_sexual_violence": "PhysicalAbuse", "force": "PhysicalAbuse",
    "intimidation_threats": "PhysicalThreats", "threat": "PhysicalThreats",
    "coercion": "PhysicalThreats", "abduction": "Other",
    "retention_of_documents": "WithholdsDocuments",
    "withholding_of_wages": "TakesEarnings", "debt_bondage": "DebtBondage",
    "abusive_conditions": "WithholdsNecessities", "excessive_overtime": "ExcessiveWorkingHours",
    "abuse_of_vulnerability": "PsychologicalAbuse", "abuse_of_power": "PsychologicalAbuse",
    "payment_to_controller": "Other",
}  # fmt: skip
METHODS_OF_CONTROL_ORDER = (
    "PhysicalThreats", "ThreatsLawEnforcement", "ThreatensChildrenFamily", "DebtBondage",
    "FalsePromises", "PhysicalAbuse", "SexualAbuse", "TakesEarnings", "RestrictsFinancialAccess",
    "RestrictsMedicalCare", "WithholdsNecessities", "PsychologicalAbuse", "PsychoactiveSubstance",
    "ExcessiveWorkingHours", "WithholdsDocuments", "Other",
)  # fmt: skip

#: Purposes of trafficking → ``vic_TypeOfExploitation`` (forced criminality, e.g. in scam
#: compounds, has no value of its own in v2.0: Other).
EXPLOITATION: Mapping[str, str] = {
    "forced_labour": "ForcedLabour", "sexual_exploitation": "SexualExploitation",
    "slavery": "Servitude", "servitude": "Servitude", "organ_removal": "OrganRemoval",
    "forced_criminality": "Other", "exploitation": "Other",
}  # fmt: skip
EXPLOITATION_ORDER = (
    "ForcedLabour", "SexualExploitation", "ChildLabour", "ForcedMarriage", "Servitude",
    "ForcedMilitaryByNonStateActors", "OrganRemoval", "ForcedBegging", "ForcedAdoption",
    "Surrogacy", "Other",
)  # fmt: skip

#: Services a case was referred for (not rejected) → ``spl_Type`` (support plan types).
SUPPORT_PLAN: Mapping[str, str] = {
    "psychosocial": "Health", "medical": "Health", "legal_aid": "Legal",
    "shelter": "SocialCare", "family_tracing": "SocialCare",
    "economic_reintegration": "Livelihood",
}  # fmt: skip
SUPPORT_PLAN_ORDER = (
    "Education", "Financial", "Health", "LabourExploitationRehabilitation", "Legal",
    "Livelihood", "RightsBasedTraining", "SexualExploitationRehabilitation", "SocialCare",
)  # fmt: skip

#: UN M49 sub-regions by ISO 3166-1 alpha-2 code: the level above the country.
_SUBREGIONS: Mapping[str, str] = {
    "South-eastern Asia": "BN KH ID LA MM MY PH SG TH TL VN",
    "Eastern Asia": "CN HK JP KP KR MN MO TW",
    "Southern Asia": "AF BD BT IN IR LK MV NP PK",
    "Central Asia": "KG KZ TJ TM UZ",
    "Western Asia": "AE AM AZ BH CY GE IL IQ JO KW LB OM PS QA SA SY TR YE",
    "Australia and New Zealand": "AU NZ NF CX CC HM",
    "Melanesia": "FJ NC PG SB VU",
    "Micronesia": "FM GU KI MH MP NR PW UM",
    "Polynesia": "AS CK NU PF PN TK TO TV WF WS",
    "Northern Africa": "DZ EG EH LY MA SD TN",
    "Sub-Saharan Africa": "AO BF BI BJ BW CD CF CG CI CM CV DJ ER ET GA GH GM GN GQ GW KE KM "
    "LR LS MG ML MR MU MW MZ NA NE NG RE RW SC SH SL SN SO SS ST SZ TD TG TZ UG YT ZA ZM ZW "
    "IO TF",
    "Northern Europe": "AX DK EE FI FO GB GG IE IM IS JE LT LV NO SE SJ",
    "Western Europe": "AT BE CH DE FR LI LU MC NL",
    "Eastern Europe": "BG BY CZ HU MD PL RO RU SK UA",
    "Southern Europe": "AD AL BA ES GI GR HR IT ME MK MT PT RS SI SM VA XK",
    "Northern America": "BM CA GL PM US",
    "Latin America and the Caribbean": "AG AI AR AW BB BL BO BQ BR BS BV BZ CL CO CR CU CW "
    "DM DO EC FK GD GF GP GS GT GY HN HT JM KN KY LC MF MQ MS MX NI PA PE PR PY SR SV SX TC "
    "TT UY VC VE VG VI",
    "Antarctica": "AQ",
}
SUBREGION: Mapping[str, str] = {
    code: region for region, codes in _SUBREGIONS.items() for code in codes.split()
}
