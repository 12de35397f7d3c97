"""Writing audit rows: every action calls record() inside its own transaction."""

import datetime
from decimal import Decimal

from django.db import models
from django.utils.translation import gettext as _

from hienthuc.audit.models import AuditEvent


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


def record(
    actor,
    action: str,
    obj: models.Model,
    *,
    organization=None,
    before: dict | None = None,
    after: dict | None = None,
) -> AuditEvent:
    return AuditEvent.objects.create(
        actor=actor if actor is not None and actor.pk else None,
        actor_name=actor.get_username() if actor is not None and actor.pk else _("hệ thống"),
        action=action,
        object_type=obj._meta.label_lower,
        object_id=str(obj.pk),
        object_repr=str(obj)[:300],
        organization=organization,
        before=before,
        after=after,
    )
