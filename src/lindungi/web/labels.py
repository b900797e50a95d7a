"""Labels of the hub's codes (workflow stages, alert kinds, channels) as English message
ids marked for the catalogues; templates translate them with ``_``."""

from __future__ import annotations

from lindungi.web.i18n import N_

STATES = {
    "reported": N_("reported"),
    "verified": N_("verified"),
    "located": N_("located"),
    "rescue_coordinated": N_("rescue coordinated"),
    "in_shelter": N_("in shelter"),
    "repatriation_arranged": N_("repatriation arranged"),
    "deportation": N_("deportation"),
    "arrived": N_("arrived"),
    "rehabilitation": N_("rehabilitation"),
    "reintegration": N_("reintegration"),
    "closed": N_("closed"),
}

ALERT_KINDS = {
    "sos": N_("SOS"),
    "missed_checkin": N_("missed check-in"),
    "left_work_zone": N_("left the work zone"),
    "entered_high_risk": N_("entered a high-risk zone"),
}

CHANNELS = {
    "facebook": "Facebook",
    "instagram": "Instagram",
    "tiktok": "TikTok",
    "telegram": "Telegram",
    "whatsapp": "WhatsApp",
    "agency": N_("a recruitment agency"),
    "friend": N_("a friend"),
    "family": N_("family"),
    "job_portal": N_("a job portal"),
    "other": N_("somewhere else"),
}

#: The titles of the hub's problems (``errors.py``), as the error page shows them.
PROBLEMS = (
    N_("Bad request"),
    N_("Invalid configuration"),
    N_("Database unavailable"),
    N_("Database not initialised"),
    N_("Not found"),
    N_("Conflict"),
    N_("Invalid input"),
    N_("Too many requests"),
    N_("Authentication required"),
    N_("Forbidden"),
)
