"""An audit event mentions its object by name and lists its fields: it obeys the object's own
visibility. A user reading a unit's history sees, for an object they may not open (a secret
document, a task of a secret plan), only that something of that kind changed — no name, no
values. Deleted objects keep their trail (nothing is left to protect but what the row says,
and the unit's history is the user's to read)."""

from django.apps import apps
from django.utils.translation import gettext as _

from hienthuc.audit.models import AuditEvent


def visible_rows(model, user):
    """The model's visible_to(user); for a model without one (an attachment, a grant, a progress
    report, a requirement), the rows whose parent — the first foreign key to a model that has
    one — is visible. None when neither exists (units, people, roles: scoped by the unit)."""
    if hasattr(model.objects, "visible_to"):
        return model.objects.visible_to(user)
    for field in model._meta.get_fields():
        related = getattr(field, "related_model", None)
        if field.many_to_one and related is not None and hasattr(related.objects, "visible_to"):
            return model.objects.filter(**{f"{field.name}__in": related.objects.visible_to(user)})
    return None


def redact(user, events: list[AuditEvent]) -> list[AuditEvent]:
    """Mark each event whose object exists but is not visible to `user` (`event.hidden`).
    Two queries per kind of object on the page, through each model's visible_to()."""
    by_type: dict[str, set[str]] = {}
    for event in events:
        event.hidden = False
        by_type.setdefault(event.object_type, set()).add(event.object_id)
    hidden: set[tuple[str, str]] = set()
    for object_type, ids in by_type.items():
        try:
            model = apps.get_model(object_type)
        except (LookupError, ValueError):
            continue
        visible = visible_rows(model, user)
        if visible is None:
            continue
        keys = [i for i in ids if i.isdigit()]
        existing = {str(pk) for pk in model.objects.filter(pk__in=keys).values_list("pk", flat=True)}
        seen = {str(pk) for pk in visible.filter(pk__in=keys).values_list("pk", flat=True)}
        hidden |= {(object_type, i) for i in existing - seen}
    for event in events:
        if (event.object_type, event.object_id) in hidden:
            event.hidden = True
            model = apps.get_model(event.object_type)
            event.object_repr = _("%(kind)s không hiển thị (mật hoặc ngoài phạm vi của bạn)") % {
                "kind": str(model._meta.verbose_name).capitalize()
            }
            event.before = event.after = None
    return events
