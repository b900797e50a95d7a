"""Labels of the cases' codes (timeline actions, close reasons, services, the legal track,
the protected field groups, the elements of trafficking) as English message ids marked
for the catalogues; the case pages translate them with ``_``. Workflow stages are in
``labels.STATES``."""

from __future__ import annotations

from lindungi.web.i18n import N_

#: Timeline actions: the workflow's moves (``cases.workflow.TABLE``) and the other steps
#: a case's timeline records.
ACTIONS = {
    "verify": N_("Verify the report"),
    "locate": N_("Locate the person"),
    "coordinate_rescue": N_("Coordinate the rescue"),
    "admit_to_shelter": N_("Admit to a shelter"),
    "arrange_repatriation": N_("Arrange humanitarian repatriation"),
    "refer_for_deportation": N_("Refer for deportation"),
    "confirm_arrival": N_("Confirm arrival in Indonesia"),
    "start_rehabilitation": N_("Start rehabilitation"),
    "start_reintegration": N_("Start reintegration"),
    "close": N_("Close the case"),
    "reopen": N_("Reopen the case"),
    "report": N_("Reported"),
    "identify": N_("Victim identification"),
    "transfer": N_("Case transferred"),
    "escalate": N_("Deadline missed, escalated"),
    "bond_claim": N_("Claim on the recruiter's bond"),
    "refer": N_("Referred"),
    "referral": N_("Referral answered"),
    "legal": N_("Legal track"),
}

CLOSE_REASONS = {
    "reintegrated": N_("reintegrated"),
    "declined_services": N_("declined further services"),
    "overstay": N_("overstay (not a victim)"),
    "unfounded": N_("unfounded"),
    "duplicate": N_("duplicate"),
    "deceased": N_("deceased"),
}

DETERMINATIONS = {
    "potential_victim": N_("potential victim of trafficking"),
    "not_victim": N_("not a victim"),
    "undetermined": N_("undetermined"),
}

CHANNELS = {
    "hotline": N_("hotline"),
    "family": N_("family"),
    "sos": N_("SOS"),
    "alert": N_("monitoring alert"),
    "screening_referral": N_("screening referral"),
    "ngo": N_("NGO"),
    "foreign_authority": N_("foreign authority"),
    "walk_in": N_("walk-in"),
}

SERVICES = {
    "psychosocial": N_("psychosocial support"),
    "medical": N_("medical care"),
    "legal_aid": N_("legal aid (pro bono)"),
    "shelter": N_("shelter"),
    "family_tracing": N_("family tracing"),
    "economic_reintegration": N_("economic reintegration"),
    "case_transfer": N_("case transfer"),
    "police": N_("police (legal track)"),
}

REFERRAL_STATUSES = {
    "referred": N_("referred"),
    "accepted": N_("accepted"),
    "rejected": N_("rejected"),
    "delivered": N_("delivered"),
}

BASES = {"consent": N_("with consent"), "override": N_("override")}

DECISIONS = {"accept": N_("accepted"), "reject": N_("rejected"), "deliver": N_("delivered")}

LEGAL_STAGES = {
    "referred_to_police": N_("referred to the police"),
    "investigation": N_("investigation"),
    "prosecution": N_("prosecution"),
    "convicted": N_("convicted"),
    "acquitted": N_("acquitted"),
    "dropped": N_("dropped"),
}

RESTITUTION = {
    "requested": N_("requested"),
    "ordered": N_("ordered by the court"),
    "paid": N_("paid"),
    "refused": N_("refused"),
}

LEGAL_ACTIONS = {
    "refer_to_police": N_("refer to the police"),
    "open_investigation": N_("open an investigation"),
    "prosecute": N_("prosecute"),
    "convict": N_("convict"),
    "acquit": N_("acquit"),
    "drop": N_("drop"),
    "request_restitution": N_("request restitution"),
    "order_restitution": N_("order restitution"),
    "refuse_restitution": N_("refuse restitution"),
    "pay_restitution": N_("pay restitution"),
}

GROUPS = {
    "identity": N_("identity"),
    "narrative": N_("the person's account"),
    "health": N_("health"),
    "reporter": N_("the reporter"),
}

FIELDS = {
    "full_name": N_("Full name"),
    "birth_date": N_("Date of birth"),
    "nik": N_("NIK"),
    "passport_no": N_("Passport number"),
    "narrative": N_("The person's account"),
    "health": N_("Health"),
    "reporter_name": N_("Reporter's name"),
    "reporter_contact": N_("Reporter's contact"),
}

LEVELS = {
    "supervisor": N_("the case worker's supervisor"),
    "duty_officer": N_("the agency's duty officer"),
    "command_centre": N_("the command centre"),
}

ACTS = {
    "recruitment": N_("recruitment"),
    "transportation": N_("transportation"),
    "transfer": N_("transfer"),
    "harbouring": N_("harbouring"),
    "receipt": N_("receipt"),
}

MEANS = {
    "threat": N_("threat"),
    "force": N_("force"),
    "coercion": N_("coercion"),
    "abduction": N_("abduction"),
    "fraud": N_("fraud"),
    "deception": N_("deception"),
    "abuse_of_power": N_("abuse of power"),
    "abuse_of_vulnerability": N_("abuse of a position of vulnerability"),
    "debt_bondage": N_("debt bondage"),
    "payment_to_controller": N_("payment to a person in control"),
}

PURPOSES = {
    "exploitation": N_("exploitation"),
    "forced_labour": N_("forced labour"),
    "sexual_exploitation": N_("sexual exploitation"),
    "slavery": N_("slavery"),
    "servitude": N_("servitude"),
    "forced_criminality": N_("forced criminality"),
    "organ_removal": N_("organ removal"),
}

AGENCIES = ("imigrasi", "kemnaker", "bp2mi", "kemlu", "polri")


def event_label(action: str) -> tuple[str, str | None]:
    """The message ids naming a timeline action: ``refer:medical`` is *Referred* and
    *medical care*; an unknown code is shown as it is."""
    kind, _sep, detail = action.partition(":")
    if not detail:
        return ACTIONS.get(action, action), None
    found = {"refer": SERVICES, "referral": DECISIONS, "legal": LEGAL_ACTIONS}.get(kind, {})
    return ACTIONS.get(kind, kind), found.get(detail, detail)
