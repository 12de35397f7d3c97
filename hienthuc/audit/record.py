"""Writing audit rows: every action calls record() inside its own transaction."""

import datetime
from collections.abc import Callable, Iterable
from decimal import Decimal

from django.db import models
from django.utils.translation import gettext as _

from hienthuc.audit.models import AuditEvent
from hienthuc.scope import acting_label


def snapshot(obj: models.Model, fields: list[str]) -> dict:
    """A JSON-safe picture of the given fields (foreign keys as their ids)."""
    data = {}
    for name in fields:
        field = obj._meta.get_field(name)
        value = getattr(obj, field.attname)
        if isinstance(value, datetime.date | datetime.datetime):
            value = value.isoformat()
        elif isinstance(value, Decimal):
            value = str(value)
        data[name] = value
    return data


def _actor(actor) -> dict:
    if actor is not None and actor.pk:
        return {"actor": actor, "actor_name": actor.get_username()}
    return {"actor": None, "actor_name": _("hệ thống")}


def _event(who: dict, action: str, obj: models.Model, organization, before, after) -> AuditEvent:
    actor = who["actor"]
    return AuditEvent(
        **who,
        on_behalf=acting_label(actor, organization)[:300] if actor is not None else "",
        action=action,
        object_type=obj._meta.label_lower,
        object_id=str(obj.pk),
        object_repr=str(obj)[:300],
        organization=organization,
        before=before,
        after=after,
    )


def record(
    actor,
    action: str,
    obj: models.Model,
    *,
    organization=None,
    before: dict | None = None,
    after: dict | None = None,
) -> AuditEvent:
    event = _event(_actor(actor), action, obj, organization, before, after)
    event.save()
    return event


def record_each(
    actor,
    action: str,
    objs: Iterable[models.Model],
    *,
    organization: Callable[[models.Model], models.Model | None],
    after: dict | None = None,
) -> int:
    """One row per object, written in bulk: a national reorganization ends ninety thousand
    units in one decision. Same rows as `record` for each, in the same transaction."""
    who = _actor(actor)
    written = 0
    batch: list[AuditEvent] = []
    for obj in objs:
        batch.append(_event(who, action, obj, organization(obj), None, after))
        if len(batch) >= 2_000:
            written += len(AuditEvent.objects.bulk_create(batch))
            batch = []
    written += len(AuditEvent.objects.bulk_create(batch))
    return written
