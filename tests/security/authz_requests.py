"""One request per matrix row: the route's path filled with the record the row's ownership
names (the caller's own, one of its agency's, another agency's, one referred to it) and a
valid body, so that what answers is the authorisation and never a payload error."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from authz_world import SOS, TRAVELLER, World, enrolment_body, other, zone


@dataclass(frozen=True)
class Target:
    """Whose record a row acts on, and whether an allowed call needs a fresh one."""

    principal: str
    agency: str | None
    ownership: str
    variant: str
    fresh: bool

    @property
    def owner(self) -> str:
        """The agency owning the record the row names."""
        if self.ownership in ("own", "own_agency", "referred") and self.agency:
            return self.agency
        return other(self.agency)


@dataclass(frozen=True)
class Req:
    """An HTTP request."""

    method: str
    path: str
    params: dict[str, Any] = field(default_factory=dict)
    json: Any = None
    headers: dict[str, str] = field(default_factory=dict)


def _username(w: World, t: Target) -> str:
    if t.ownership == "own":
        return w.users[t.principal]
    return f"colleague.{t.owner}"


def _case(w: World, t: Target) -> int:
    if t.ownership == "referred" and t.agency:
        return w.referred[t.agency]
    return w.new_case(t.owner) if t.fresh else w.case[t.owner]


def _legal(w: World, t: Target) -> int:
    if t.variant == "open_investigation":
        if t.fresh:  # on the police's track: referred to them, or their own case
            return w.new_police_referral("bp2mi" if t.ownership == "referred" else t.owner)[0]
        return _case(w, t)
    return w.new_case(t.owner) if t.fresh else _case(w, t)


def _referral(w: World, t: Target) -> int:
    to = t.agency if t.ownership == "own_agency" and t.agency else other(t.agency)
    if t.variant == "police":
        return w.new_police_referral()[1] if t.fresh else w.shared["police"]
    return w.new_referral(to)[1] if t.fresh else w.referral[to]


def _token(w: World, t: Target) -> int:
    return w.tokens[_username(w, t)]


def _reveal(t: Target) -> dict[str, Any]:
    if not t.variant:
        return {}
    return {"reveal": [t.variant.split("=")[1]], "purpose": "uji matriks otorisasi"}


def _period() -> str:
    return dt.date.today().strftime("%Y-%m")


R = Callable[[World, Target], Req]
API = "/api/v1"
_REASON = {"reason": "uji matriks otorisasi"}
BUILDERS: dict[str, R] = {
    "GET /api/v1": lambda w, t: Req("GET", API),
    "GET /api/v1/me": lambda w, t: Req("GET", f"{API}/me"),
    "GET /api/v1/agencies": lambda w, t: Req("GET", f"{API}/agencies"),
    "GET /api/v1/agencies/{code}/users": lambda w, t: Req("GET", f"{API}/agencies/{t.owner}/users"),
    "POST /api/v1/agencies/{code}/users": lambda w, t: Req(
        "POST", f"{API}/agencies/{t.owner}/users",
        json={"username": f"made.{w.n()}", "full_name": "Made", "roles": ["analyst"]}),
    "GET /api/v1/users/{username}": lambda w, t: Req("GET", f"{API}/users/{_username(w, t)}"),
    "GET /api/v1/users/{username}/tokens": lambda w, t: Req(
        "GET", f"{API}/users/{_username(w, t)}/tokens"),
    "POST /api/v1/users/{username}/tokens": lambda w, t: Req(
        "POST", f"{API}/users/{_username(w, t)}/tokens", json={"name": "matrix"}),
    "POST /api/v1/users/{username}/deactivate": lambda w, t: Req(
        "POST", f"{API}/users/{_username(w, t)}/deactivate"),
    "DELETE /api/v1/tokens/{token_id}": lambda w, t: Req("DELETE", f"{API}/tokens/{_token(w, t)}"),
    "GET /api/v1/audit/entries": lambda w, t: Req("GET", f"{API}/audit/entries"),
    "GET /api/v1/audit/entries/{seq}/proof": lambda w, t: Req("GET", f"{API}/audit/entries/0/proof"),
    "GET /api/v1/audit/checkpoints/latest": lambda w, t: Req("GET", f"{API}/audit/checkpoints/latest"),
    "GET /api/v1/audit/checkpoints": lambda w, t: Req("GET", f"{API}/audit/checkpoints"),
    "POST /api/v1/audit/checkpoints": lambda w, t: Req("POST", f"{API}/audit/checkpoints"),
    "GET /api/v1/audit/consistency": lambda w, t: Req(
        "GET", f"{API}/audit/consistency", params={"first": 0, "second": 1}),
    "GET /api/v1/audit/public-key": lambda w, t: Req("GET", f"{API}/audit/public-key"),
    "GET /api/v1/recruiters/standing": lambda w, t: Req(
        "GET", f"{API}/recruiters/standing", params={"name": "Maju Jaya"}),
    "POST /api/v1/recruiters": lambda w, t: Req("POST", f"{API}/recruiters", json={
        "name": f"PT Uji {w.n()}", "licence_no": f"KEP.{900 + w.n()}/PPTKLN/2024",
        "valid_until": "2030-01-01", "reason": "uji matriks"}),
    "GET /api/v1/recruiters/{recruiter_id}": lambda w, t: Req(
        "GET", f"{API}/recruiters/{w.shared['recruiter']}"),
    "GET /api/v1/licences": lambda w, t: Req(
        "GET", f"{API}/licences", params={"number": "KEP.101/PPTKLN/2020"}),
    "POST /api/v1/recruiters/{recruiter_id}/identifiers": lambda w, t: Req(
        "POST", f"{API}/recruiters/{w.shared['recruiter']}/identifiers",
        json={"kind": "phone", "value": "0812-1111-2222"}),
    "POST /api/v1/licences/status": lambda w, t: Req("POST", f"{API}/licences/status", json={
        "number": "KEP.101/PPTKLN/2020", "status": "active", "reason": "uji matriks"}),
    "POST /api/v1/recruiters/{recruiter_id}/bonds": lambda w, t: Req(
        "POST", f"{API}/recruiters/{w.shared['recruiter']}/bonds", json={"amount_idr": 1000}),
    "POST /api/v1/bonds/{bond_id}/claims": lambda w, t: Req(
        "POST", f"{API}/bonds/{w.shared['bond']}/claims",
        json={"case_ref": "case 1", "amount_idr": 1000}),
    "POST /api/v1/claims/{claim_id}/decision": lambda w, t: Req(
        "POST", f"{API}/claims/{w.new_claim() if t.fresh else w.shared['claim']}/decision",
        json={"decision": "verify", **_REASON}),
    "POST /api/v1/recruiters/{recruiter_id}/sanctions": lambda w, t: Req(
        "POST", f"{API}/recruiters/{w.shared['recruiter']}/sanctions",
        json={"kind": "warning", "starts_on": "2026-01-01", **_REASON}),
    "POST /api/v1/recruiters/{recruiter_id}/complaints": lambda w, t: Req(
        "POST", f"{API}/recruiters/{w.shared['recruiter']}/complaints",
        json={"channel": "hotline", "summary": "gaji tidak dibayar"}),
    "GET /api/v1/public/verify": lambda w, t: Req(
        "GET", f"{API}/public/verify", params={"name": "Maju Jaya"}),
    "GET /api/v1/network/clusters": lambda w, t: Req("GET", f"{API}/network/clusters"),
    "GET /api/v1/network/graph": lambda w, t: Req("GET", f"{API}/network/graph"),
    "POST /api/v1/identity/records": lambda w, t: Req("POST", f"{API}/identity/records", json={
        "source": "matrix", "record_id": "r-1", "full_name": "Rina Marlina",
        "birth_date": "1999-01-05"}),
    "GET /api/v1/persons/{person_id}": lambda w, t: Req(
        "GET", f"{API}/persons/{w.shared['person']}"),
    "GET /api/v1/persons/{person_id}/signals": lambda w, t: Req(
        "GET", f"{API}/persons/{w.shared['person']}/signals"),
    "POST /api/v1/identity/judgements": lambda w, t: Req(
        "POST", f"{API}/identity/judgements", json={
            "first": {"source": "matrix", "record_id": "r-1"},
            "second": {"source": "matrix", "record_id": "r-2"}, "verdict": "different",
            **_REASON}),
    "POST /api/v1/screenings": lambda w, t: Req("POST", f"{API}/screenings", json=TRAVELLER),
    "GET /api/v1/screenings/{screening_id}": lambda w, t: Req(
        "GET", f"{API}/screenings/{w.screening[t.owner]}"),
    "POST /api/v1/screenings/{screening_id}/decision": lambda w, t: Req(
        "POST", f"{API}/screenings/"
        f"{w.new_screening(t.owner) if t.fresh else w.screening[t.owner]}/decision",
        json={"decision": "proceed", **_REASON}),
    "POST /api/v1/screenings/{screening_id}/contest": lambda w, t: Req(
        "POST", f"{API}/screenings/"
        f"{w.new_screening(t.owner) if t.fresh else w.screening[t.owner]}/contest",
        json={"text": "saya keberatan"}),
    "GET /api/v1/referrals": lambda w, t: Req("GET", f"{API}/referrals"),
    "GET /api/v1/screening/rulebook": lambda w, t: Req("GET", f"{API}/screening/rulebook"),
    "POST /api/v1/public/check-offer": lambda w, t: Req(
        "POST", f"{API}/public/check-offer", json={"text": "Lowongan admin Kamboja gaji 15 juta"}),
    "POST /api/v1/cases": lambda w, t: Req("POST", f"{API}/cases", json=SOS),
    "GET /api/v1/cases": lambda w, t: Req("GET", f"{API}/cases"),
    "GET /api/v1/cases/export": lambda w, t: Req("GET", f"{API}/cases/export", params={
        "purpose": "uji matriks", **({"reveal": ["identity", "narrative", "health", "reporter"]}
                                     if t.variant else {})}),
    "GET /api/v1/cases/figures": lambda w, t: Req("GET", f"{API}/cases/figures"),
    "GET /api/v1/case-escalations": lambda w, t: Req("GET", f"{API}/case-escalations"),
    "POST /api/v1/case-escalations/{escalation_id}/acknowledge": lambda w, t: Req(
        "POST", f"{API}/case-escalations/"
        f"{w.new_escalation(t.owner) if t.fresh else w.escalation[t.owner]}/acknowledge"),
    "GET /api/v1/cases/{case_id}": lambda w, t: Req(
        "GET", f"{API}/cases/{_case(w, t)}", params=_reveal(t)),
    "POST /api/v1/cases/{case_id}/moves": lambda w, t: Req(
        "POST", f"{API}/cases/{_case(w, t)}/moves", json={"action": "verify", **_REASON}),
    "POST /api/v1/cases/{case_id}/identification": lambda w, t: Req(
        "POST", f"{API}/cases/{_case(w, t)}/identification",
        json={"indicators": ["deception"], "determination": "undetermined", **_REASON}),
    "GET /api/v1/cases/{case_id}/timeline": lambda w, t: Req(
        "GET", f"{API}/cases/{_case(w, t)}/timeline"),
    "POST /api/v1/cases/{case_id}/referrals": lambda w, t: Req(
        "POST", f"{API}/cases/{_case(w, t)}/referrals", json={
            "service": "medical", "to_organisation": "RS Mitra", "consent": True,
            "note": "periksa"}),
    "GET /api/v1/cases/{case_id}/referrals": lambda w, t: Req(
        "GET", f"{API}/cases/{_case(w, t)}/referrals"),
    "POST /api/v1/case-referrals/{referral_id}/decision": lambda w, t: Req(
        "POST", f"{API}/case-referrals/{_referral(w, t)}/decision",
        json={"decision": "accept", **_REASON}),
    "POST /api/v1/cases/{case_id}/legal": lambda w, t: Req(
        "POST", f"{API}/cases/{_legal(w, t)}/legal",
        json={"action": t.variant, "consent": True, **_REASON}),
    "POST /api/v1/cases/{case_id}/bond-claims": lambda w, t: Req(
        "POST", f"{API}/cases/{_case(w, t)}/bond-claims", json={
            "recruiter_id": w.shared["recruiter"], "amount_idr": 1000, **_REASON}),
    "GET /api/v1/cases/{case_id}/bond-claims": lambda w, t: Req(
        "GET", f"{API}/cases/{_case(w, t)}/bond-claims"),
    "POST /api/v1/public/case-status": lambda w, t: Req(
        "POST", f"{API}/public/case-status", json=w.shared["status"]),
    "POST /api/v1/monitoring/enrolments": lambda w, t: Req(
        "POST", f"{API}/monitoring/enrolments", json=enrolment_body()),
    "GET /api/v1/monitoring/enrolments/{enrolment_id}": lambda w, t: Req(
        "GET", f"{API}/monitoring/enrolments/{w.enrolment[t.owner]}"),
    "POST /api/v1/monitoring/enrolments/{enrolment_id}/withdrawal": lambda w, t: Req(
        "POST", f"{API}/monitoring/enrolments/"
        f"{w.new_enrolment(t.owner) if t.fresh else w.enrolment[t.owner]}/withdrawal",
        json={"reason": "tidak lagi"}),
    "POST /api/v1/monitoring/checkins": lambda w, t: Req(
        "POST", f"{API}/monitoring/checkins", headers={"Idempotency-Key": f"matrix-{w.n():06d}"},
        json={"checkins": [{"subject": w.shared["subject"], "kind": "checkin", "lon": 101.69,
                            "lat": 3.14, "at": dt.datetime.now(dt.UTC).isoformat()}]}),
    "GET /api/v1/monitoring/zones": lambda w, t: Req("GET", f"{API}/monitoring/zones"),
    "POST /api/v1/monitoring/zones": lambda w, t: Req(
        "POST", f"{API}/monitoring/zones", json=zone("high_risk")),
    "POST /api/v1/monitoring/enrolments/{enrolment_id}/work-zone": lambda w, t: Req(
        "POST", f"{API}/monitoring/enrolments/{w.enrolment[t.owner]}/work-zone",
        json=zone("work")),
    "GET /api/v1/monitoring/alerts": lambda w, t: Req("GET", f"{API}/monitoring/alerts"),
    "GET /api/v1/monitoring/alerts/{alert_id}": lambda w, t: Req(
        "GET", f"{API}/monitoring/alerts/{w.shared['alert']}"),
    "POST /api/v1/monitoring/alerts/{alert_id}/acknowledge": lambda w, t: Req(
        "POST", f"{API}/monitoring/alerts/{w.new_alert() if t.fresh else w.shared['alert']}"
        "/acknowledge"),
    "POST /api/v1/monitoring/alerts/{alert_id}/resolution": lambda w, t: Req(
        "POST", f"{API}/monitoring/alerts/{w.new_alert() if t.fresh else w.shared['alert']}"
        "/resolution", json={"resolution": "pekerja aman"}),
    "POST /api/v1/public/monitoring/withdrawal": lambda w, t: Req(
        "POST", f"{API}/public/monitoring/withdrawal", json={"subject": w.shared["subject"]}),
    "POST /api/v1/public/monitoring/mine": lambda w, t: Req(
        "POST", f"{API}/public/monitoring/mine", json={"subject": w.shared["subject"]}),
    "GET /api/v1/exchange/events": lambda w, t: Req("GET", f"{API}/exchange/events"),
    "POST /api/v1/exchange/subscriptions": lambda w, t: Req(
        "POST", f"{API}/exchange/subscriptions", json={
            "name": "matrix", "transport": "webhook", "url": "https://example.org/hook",
            "kinds": ["licence.sanctioned"]}),
    "GET /api/v1/exchange/subscriptions": lambda w, t: Req("GET", f"{API}/exchange/subscriptions"),
    "DELETE /api/v1/exchange/subscriptions/{subscription_id}": lambda w, t: Req(
        "DELETE", f"{API}/exchange/subscriptions/{w.subscription[t.owner]}"),
    "GET /api/v1/exchange/dead-letters": lambda w, t: Req("GET", f"{API}/exchange/dead-letters"),
    "POST /api/v1/exchange/dead-letters/{delivery_id}/replay": lambda w, t: Req(
        "POST", f"{API}/exchange/dead-letters/"
        f"{w.new_delivery(t.owner) if t.fresh else w.delivery[t.owner]}/replay"),
    "POST /api/v1/exchange/dead-letters/replay": lambda w, t: Req(
        "POST", f"{API}/exchange/dead-letters/replay"),
    "GET /api/v1/exchange/services": lambda w, t: Req("GET", f"{API}/exchange/services"),
    "GET /api/v1/exchange/services/{code}/{key}": lambda w, t: Req(
        "GET", f"{API}/exchange/services/{t.variant}/{w.shared['keys'][t.variant]}"),
    "GET /api/v1/exchange/htcds": lambda w, t: Req(
        "GET", f"{API}/exchange/htcds", params={"k": 2, "max_suppression": 0.9,
                                                "format": "json"}),
    "GET /api/v1/legal-holds": lambda w, t: Req("GET", f"{API}/legal-holds"),
    "POST /api/v1/legal-holds": lambda w, t: Req(
        "POST", f"{API}/legal-holds", json={"target": "case", "target_id": w.case["bp2mi"],
                                            "reason": "bukti", "reference": "LP/B/1/2026"}),
    "POST /api/v1/legal-holds/{hold_id}/release": lambda w, t: Req(
        "POST", f"{API}/legal-holds/{w.new_hold(t.owner) if t.fresh else w.hold[t.owner]}"
        "/release",
        json={"reason": "selesai"}),
    "GET /api/v1/analytics/indicators": lambda w, t: Req(
        "GET", f"{API}/analytics/indicators", params={"period": _period()}),
    "GET /api/v1/analytics/report": lambda w, t: Req(
        "GET", f"{API}/analytics/report", params={"period": _period(), "format": "csv"}),
}  # fmt: skip

#: Operations whose allowed call changes its record for good: each allowed row gets a
#: fresh record (a denied one, which must change nothing, uses the shared record).
FRESH = frozenset({
    "POST /api/v1/claims/{claim_id}/decision",
    "POST /api/v1/screenings/{screening_id}/decision",
    "POST /api/v1/screenings/{screening_id}/contest",
    "POST /api/v1/case-escalations/{escalation_id}/acknowledge",
    "POST /api/v1/cases/{case_id}/moves",
    "POST /api/v1/case-referrals/{referral_id}/decision",
    "POST /api/v1/cases/{case_id}/legal",
    "POST /api/v1/monitoring/enrolments/{enrolment_id}/withdrawal",
    "POST /api/v1/monitoring/alerts/{alert_id}/acknowledge",
    "POST /api/v1/monitoring/alerts/{alert_id}/resolution",
    "POST /api/v1/exchange/dead-letters/{delivery_id}/replay",
    "POST /api/v1/legal-holds/{hold_id}/release",
})  # fmt: skip
