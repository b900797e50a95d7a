"""HTTP routes of the exchange: the event catalogue, an agency's subscriptions and dead
letters, and the agency API (deny by default, every call audited)."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, status

from lindungi.api.deps import AuditDep, RecordId, Requires, Router, SessionDep, SettingsDep
from lindungi.audit.entry import Action
from lindungi.auth.permissions import Principal
from lindungi.db import utcnow
from lindungi.errors import PermissionDeniedError
from lindungi.exchange import catalogue, sealing, service, services
from lindungi.exchange.delivery import subject
from lindungi.exchange.models import Delivery, ExchangeEvent, Subscription
from lindungi.exchange.schemas import (
    AgencyServiceOut,
    DeadLetterOut,
    EventKindOut,
    ReplayedOut,
    ServiceAnswer,
    SubscriptionCreated,
    SubscriptionIn,
    SubscriptionOut,
)

router = Router(tags=["exchange"])


def _out(row: Subscription, stream: str) -> SubscriptionOut:
    subjects = (
        [subject(stream, row.agency, kind) for kind in row.grants]
        if row.transport == "nats"
        else []
    )
    return SubscriptionOut.model_validate(row, from_attributes=True).model_copy(
        update={"subjects": subjects}
    )


@router.get(
    "/exchange/events",
    response_model=list[EventKindOut],
    summary="The domain events the hub emits, each with the fields your agency may receive",
)
def event_kinds(
    principal: Annotated[Principal, Depends(Requires("agencies", "read"))],
) -> list[EventKindOut]:
    mandate = catalogue.MANDATES.get(principal.agency, {})
    return [
        EventKindOut(code=k.code, module=k.module, label_id=k.label_id, label_en=k.label_en,
                     fields=list(k.fields), mandate=list(mandate.get(k.code, ())))
        for k in catalogue.EVENTS.values()
    ]  # fmt: skip


@router.post(
    "/exchange/subscriptions",
    response_model=SubscriptionCreated,
    status_code=status.HTTP_201_CREATED,
    summary="Subscribe your agency to events, within its mandate (403 names what lies beyond)",
)
def subscribe(
    body: SubscriptionIn,
    session: SessionDep,
    settings: SettingsDep,
    auditor: AuditDep,
    principal: Annotated[Principal, Depends(Requires("subscriptions", "manage"))],
) -> SubscriptionCreated:
    row, secret = service.new_subscription(
        session, principal, name=body.name, transport=body.transport, kinds=body.kinds,
        fields=body.fields, url=body.url, bus_configured=settings.nats_url is not None,
        production=settings.environment == "production",
        seal_key=sealing.key_from(settings.secret_key.get_secret_value()),
    )  # fmt: skip
    granted = [f"{kind}.{f}" for kind, fields in row.grants.items() for f in fields]
    auditor.record(Action.CREATE, "exchange_subscriptions", row.id, granted)
    created = _out(row, settings.nats_events_stream)
    return SubscriptionCreated(**created.model_dump(), secret=secret)


@router.get(
    "/exchange/subscriptions",
    response_model=list[SubscriptionOut],
    summary="Your agency's subscriptions",
)
def list_subscriptions(
    session: SessionDep,
    settings: SettingsDep,
    principal: Annotated[Principal, Depends(Requires("subscriptions", "read"))],
) -> list[SubscriptionOut]:
    rows = service.subscriptions(session, principal.agency)
    return [_out(row, settings.nats_events_stream) for row in rows]


@router.delete(
    "/exchange/subscriptions/{subscription_id}",
    response_model=SubscriptionOut,
    summary="End a subscription (no new deliveries; pending ones finish)",
)
def end_subscription(
    subscription_id: RecordId,
    session: SessionDep,
    settings: SettingsDep,
    auditor: AuditDep,
    principal: Annotated[Principal, Depends(Requires("subscriptions", "manage"))],
) -> SubscriptionOut:
    row = service.end(session, subscription_id, principal)
    auditor.record(Action.UPDATE, "exchange_subscriptions", row.id, ("active",))
    return _out(row, settings.nats_events_stream)


@router.get(
    "/exchange/dead-letters",
    response_model=list[DeadLetterOut],
    summary="Deliveries to your agency that gave up after their retries",
)
def dead_letters(
    session: SessionDep,
    principal: Annotated[Principal, Depends(Requires("subscriptions", "read"))],
) -> list[DeadLetterOut]:
    return [_dead(session, row) for row in service.dead_letters(session, principal.agency)]


def _dead(session: SessionDep, row: Delivery) -> DeadLetterOut:
    event = session.get(ExchangeEvent, row.event_id)
    assert event is not None  # a foreign key
    return DeadLetterOut(
        id=row.id, subscription_id=row.subscription_id, event_id=event.event_id,
        kind=event.kind, attempts=row.attempts, last_error=row.last_error,
        dead_at=row.dead_at, replays=row.replays,
    )  # fmt: skip


@router.post(
    "/exchange/dead-letters/{delivery_id}/replay",
    response_model=ReplayedOut,
    summary="Put one dead delivery back in the queue (the same event id)",
)
def replay(
    delivery_id: RecordId,
    session: SessionDep,
    auditor: AuditDep,
    principal: Annotated[Principal, Depends(Requires("subscriptions", "replay"))],
) -> ReplayedOut:
    service.replay(session, delivery_id, principal, utcnow())
    auditor.record(Action.UPDATE, "exchange_deliveries", delivery_id, ("status",))
    return ReplayedOut(replayed=1)


@router.post(
    "/exchange/dead-letters/replay",
    response_model=ReplayedOut,
    summary="Put every dead delivery of your agency back in the queue",
)
def replay_all(
    session: SessionDep,
    auditor: AuditDep,
    principal: Annotated[Principal, Depends(Requires("subscriptions", "replay"))],
) -> ReplayedOut:
    count = service.replay_all(session, principal.agency, utcnow())
    auditor.record(Action.UPDATE, "exchange_deliveries", f"dead:{principal.agency}", ("status",))
    return ReplayedOut(replayed=count)


@router.get(
    "/exchange/services",
    response_model=list[AgencyServiceOut],
    summary="The agency API's services, who produces them and who may call them",
)
def list_services(
    principal: Annotated[Principal, Depends(Requires("exchange", "query"))],
) -> list[AgencyServiceOut]:
    return [
        AgencyServiceOut(code=s.code, producer=s.producer, consumers=sorted(s.consumers),
                         label_id=s.label_id, label_en=s.label_en, key=s.key,
                         fields=list(s.fields), allowed=principal.agency in s.consumers)
        for s in services.SERVICES.values()
    ]  # fmt: skip


@router.get(
    "/exchange/services/{code}/{key:path}",
    response_model=ServiceAnswer,
    summary="Call an agency service (deny by default: 403 unless your agency is a consumer)",
)
def call_service(
    code: str,
    key: str,
    session: SessionDep,
    auditor: AuditDep,
    principal: Annotated[Principal, Depends(Requires("exchange", "query"))],
) -> ServiceAnswer:
    found = services.service(code)
    if not services.allowed(code, principal.agency):
        raise PermissionDeniedError(
            f"agency {principal.agency} may not call {code} (produced by {found.producer}; "
            f"consumers: {', '.join(sorted(found.consumers))})",
            actor=principal.username, agency=principal.agency,
            resource=f"exchange_service:{code}", action="query", resource_id=key[:64],
        )  # fmt: skip
    now = utcnow()
    data = found.answer(session, key, now.date())
    auditor.record(Action.READ, f"exchange_service:{code}", key[:64], found.fields)
    return ServiceAnswer(
        service=code, producer=found.producer, consumer=principal.agency, answered_at=now,
        data=data,
    )  # fmt: skip
