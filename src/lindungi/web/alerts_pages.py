"""The alerts map and list of the console: the recent alerts (most urgent first) with
why each was raised and how far up its ladder it went, the zones, and the forms that take
an alert in hand or close it. The list and the forms are plain HTML; the map
(``static/alerts-map.js`` over the hub's own Leaflet) is drawn from ``data.json`` on top.

Permissions and audit entries follow ``monitoring/api.py``: reading needs
``monitoring:read`` and is recorded as a read of ``monitoring_alerts``; acknowledging and
resolving need ``monitoring:alerts`` and are recorded as updates. Workers are named by
their enrolment id only (the alerts API does not name them either)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import APIRouter, Form, Request, Response
from fastapi.responses import JSONResponse, RedirectResponse
from shapely.geometry import shape
from sqlalchemy import case, select
from sqlalchemy.orm import Session

from lindungi.api.deps import SessionDep
from lindungi.audit.entry import Action
from lindungi.auth.permissions import Permission, Principal
from lindungi.db import utcnow
from lindungi.errors import ConflictError
from lindungi.monitoring import alerts, places
from lindungi.monitoring.ladder import AlertKind, Ladder, configured
from lindungi.monitoring.models import ALERT_STATUSES, Alert, Checkin, Enrolment, Zone
from lindungi.web import i18n, labels, page_audit
from lindungi.web.app import PageRoute
from lindungi.web.i18n import N_
from lindungi.web.security import check_csrf, require, take_draft
from lindungi.web.templating import language, render

router = APIRouter(route_class=PageRoute, include_in_schema=False)

READ = Permission("monitoring", "read")
HANDLE = Permission("monitoring", "alerts")
#: How many alerts the list shows (the API's default page).
LIMIT = 100

STATUSES = {
    "open": N_("open"),
    "acknowledged": N_("acknowledged"),
    "resolved": N_("resolved"),
}
STEPS = {
    "remind_worker": N_("remind the worker"),
    "notify_contacts": N_("notify the sponsor and the family"),
    "notify_embassy": N_("notify the embassy"),
    "open_case": N_("open a case at the embassy"),
}
ZONE_KINDS = {
    "work": N_("work zone"),
    "high_risk": N_("high-risk zone"),
    "other": N_("other zone"),
}
ERRORS = {
    "status": N_("Choose a status from the list."),
    "resolution": N_("Say what was found (3 to 2,000 characters)."),
    "conflict": N_("This alert has changed meanwhile: it is now {status}."),
}


@dataclass(frozen=True)
class AlertRow:
    """An alert as the list shows it: the alert, the worker's country, the ladder steps
    taken and the next one with when it falls due."""

    alert: Alert
    country: str
    taken: tuple[str, ...]
    next_step: str | None


# --- reading (kept out of the route handlers) ----------------------------------------


def _urgency() -> Any:
    """Open alerts first, then those in hand, then the closed ones."""
    return case({"open": 0, "acknowledged": 1}, value=Alert.status, else_=2)


def recent(session: Session, status: str | None, limit: int = LIMIT) -> list[tuple[Alert, str]]:
    """The most urgent alerts, newest first within a status, with each worker's country."""
    query = select(Alert, Enrolment.country).join(Enrolment, Enrolment.id == Alert.enrolment_id)
    if status is not None:
        query = query.where(Alert.status == status)
    query = query.order_by(_urgency(), Alert.opened_at.desc(), Alert.id.desc()).limit(limit)
    return [(alert, country) for alert, country in session.execute(query).all()]


def _rows(found: list[tuple[Alert, str]], ladders: dict[AlertKind, Ladder]) -> list[AlertRow]:
    rows = []
    for alert, country in found:
        ladder = ladders[AlertKind(alert.kind)]
        taken = tuple(step.value for step, _ in ladder[: alert.steps_taken])
        pending = ladder[alert.steps_taken][0].value if alert.next_step_at is not None else None
        rows.append(AlertRow(alert, country, taken, pending))
    return rows


def last_position(session: Session, alert: Alert) -> tuple[float, float, str] | None:
    """Where to put an alert on the map: the worker's last retained check-in up to the
    alert's latest sign (an SOS is its own check-in), else a point of the alert's zone;
    ``None`` when neither is held (check-ins are purged after the retention window)."""
    found = session.execute(
        select(Checkin.lon, Checkin.lat)
        .where(Checkin.enrolment_id == alert.enrolment_id, Checkin.at <= alert.last_seen_at)
        .order_by(Checkin.at.desc())
        .limit(1)
    ).first()
    if found is not None:
        return float(found.lon), float(found.lat), "checkin"
    if alert.zone_id is not None:
        zone = session.scalar(select(Zone).where(Zone.zone_id == alert.zone_id))
        if zone is not None:
            point = shape(zone.geometry).representative_point()
            return float(point.x), float(point.y), "zone"
    return None


def map_data(session: Session, lang: str) -> dict[str, Any]:
    """One GeoJSON FeatureCollection for the map: the active zones (``layer: zone``) and
    the alerts not yet resolved at their last known place (``layer: alert``), with their
    labels in the reader's language."""
    _ = i18n.gettext_for(lang)
    zones = places.export_zones(session)
    features: list[dict[str, Any]] = []
    for feature in zones["features"]:
        props = dict(feature.get("properties") or {})
        kind = str(props.get("kind", "other"))
        props.update(layer="zone", label=_(ZONE_KINDS.get(kind, kind)))
        features.append({"type": "Feature", "properties": props,
                         "geometry": feature["geometry"]})  # fmt: skip
    for alert, country in recent(session, None):
        if alert.status == "resolved":
            continue
        where = last_position(session, alert)
        if where is None:
            continue
        lon, lat, source = where
        features.append({
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": [round(lon, 5), round(lat, 5)]},
            "properties": {
                "layer": "alert", "id": alert.id, "kind": alert.kind,
                "label": _(labels.ALERT_KINDS.get(alert.kind, alert.kind)),
                "status": alert.status, "status_label": _(STATUSES[alert.status]),
                "enrolment_id": alert.enrolment_id, "country": country,
                "zone_id": alert.zone_id, "placed_by": source,
                "opened_at": alert.opened_at.isoformat(), "href": f"#alert-{alert.id}",
            },
        })  # fmt: skip
    return {"type": "FeatureCollection", "features": features}


# --- pages ---------------------------------------------------------------------------


def _record(request: Request, session: Session, user: Principal, action: Action,
            resource_id: str | int, fields: tuple[str, ...], why: str = "") -> None:  # fmt: skip
    page_audit.record(request, session, user, action, "monitoring_alerts", resource_id, fields,
                      purpose=why)  # fmt: skip


def _page(
    request: Request,
    session: Session,
    user: Principal,
    *,
    status: str = "",
    status_code: int = 200,
    errors: dict[str, str] | None = None,
    typed: dict[str, str] | None = None,
    done: str = "",
) -> Response:
    wanted = status if status in ALERT_STATUSES else None
    found = recent(session, wanted)
    _record(request, session, user, Action.READ, "list", ("kind", "explanation"))
    ladders = dict(configured(request.app.state.settings.alert_ladders))
    zones = places.export_zones(session)["features"]
    return render(request, "alerts/list.html", status_code=status_code, user=user,
                  rows=_rows(found, ladders), zones=[z["properties"] for z in zones],
                  status=status, statuses=STATUSES, steps=STEPS, zone_kinds=ZONE_KINDS,
                  errors=errors or {}, typed=typed or {}, done=done,
                  tiles=request.app.state.settings.map_tiles_url or "",
                  may_handle=user.scope_for(HANDLE) is not None)  # fmt: skip


@router.get("/console/alerts")
def alerts_page(
    request: Request, session: SessionDep, status: str = "", done: str = ""
) -> Response:
    user = require(request, session, READ)
    errors = {}
    if status and status not in ALERT_STATUSES:
        errors["status"] = ERRORS["status"]
    done = done if done in ("acknowledged", "resolved") else ""
    return _page(request, session, user, status=status, errors=errors, done=done,
                 typed=take_draft(request), status_code=422 if errors else 200)  # fmt: skip


@router.get("/console/alerts/data.json")
def alerts_data(request: Request, session: SessionDep) -> Response:
    user = require(request, session, READ)
    data = map_data(session, language(request))
    placed = sum(f["properties"]["layer"] == "alert" for f in data["features"])
    _record(request, session, user, Action.READ, "map", ("kind", "location"),
            why=f"alerts map: {placed} alert(s) placed")  # fmt: skip
    return JSONResponse(data, media_type="application/geo+json",
                        headers={"Cache-Control": "no-store"})  # fmt: skip


def _conflict(request: Request, session: Session, user: Principal, alert_id: int,
              typed: dict[str, str]) -> Response:  # fmt: skip
    now_status = alerts.get_alert(session, alert_id).status
    message = i18n.gettext_for(language(request))(ERRORS["conflict"])
    detail = message.format(status=i18n.gettext_for(language(request))(STATUSES[now_status]))
    return _page(request, session, user, status_code=409, typed=typed,
                 errors={f"alert-{alert_id}": detail})  # fmt: skip


@router.post("/console/alerts/{alert_id}/acknowledge")
def acknowledge(
    request: Request,
    session: SessionDep,
    alert_id: int,
    csrf: Annotated[str, Form(max_length=100)] = "",
) -> Response:
    check_csrf(request, csrf)
    user = require(request, session, HANDLE)
    try:
        alerts.acknowledge(session, alert_id, user.username, utcnow())
    except ConflictError:
        return _conflict(request, session, user, alert_id, {})
    _record(request, session, user, Action.UPDATE, alert_id, ("status",))
    return RedirectResponse(f"/console/alerts?done=acknowledged#alert-{alert_id}", status_code=303)


@router.post("/console/alerts/{alert_id}/resolution")
def resolve(
    request: Request,
    session: SessionDep,
    alert_id: int,
    resolution: Annotated[str, Form(max_length=5000)] = "",
    csrf: Annotated[str, Form(max_length=100)] = "",
) -> Response:
    check_csrf(request, csrf, {f"resolution-{alert_id}": resolution})
    user = require(request, session, HANDLE)
    why = resolution.strip()
    typed = {f"resolution-{alert_id}": resolution}
    if not 3 <= len(why) <= 2000:
        alerts.get_alert(session, alert_id)  # an unknown alert is a 404, not a bad reason
        return _page(request, session, user, status_code=422, typed=typed,
                     errors={f"resolution-{alert_id}": ERRORS["resolution"]})  # fmt: skip
    try:
        alerts.resolve(session, alert_id, why, user.username, utcnow())
    except ConflictError:
        return _conflict(request, session, user, alert_id, typed)
    _record(request, session, user, Action.UPDATE, alert_id, ("status", "resolution"),
            why=why)  # fmt: skip
    return RedirectResponse(f"/console/alerts?done=resolved#alert-{alert_id}", status_code=303)
