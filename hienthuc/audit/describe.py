"""An audit trail people can read: one Vietnamese sentence per event — who did what to which
object (named as the pages name it, and linked) — and each changed field with its label, its
old and its new value formatted as the pages show them (names for ids, labels for codes, dates
as dd/mm/yyyy, numbers in Vietnamese notation).

A page of events costs a few queries whatever its length: the objects named, and the objects
their changed fields point to, are fetched per kind (`describe`). Redaction (redact.py) runs
first: an event the user may not see keeps only its kind.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.apps import apps
from django.contrib.auth import get_user_model
from django.db import models
from django.utils.translation import gettext_lazy as _

from hienthuc.audit.models import AuditEvent
from hienthuc.lib import periods
from hienthuc.lib.numbers import decimals_of, format_number

# What an action did, said of its object: "{who} {verb} {kind} “{name}”".
VERBS = {
    "create": _("đã tạo"),
    "update": _("đã sửa"),
    "move": _("đã chuyển"),
    "deactivate": _("đã cho ngừng hoạt động"),
    "reactivate": _("đã khôi phục"),
    "delete": _("đã xóa"),
    "grant": _("đã cấp"),
    "revoke": _("đã thu hồi"),
    "issue": _("đã ban hành"),
    "amend": _("đã sửa đổi, bổ sung"),
    "require": _("đã giao thực hiện"),
    "progress": _("đã báo cáo tiến độ"),
    "request": _("đã gửi"),
    "answer": _("đã trả lời"),
    "submit": _("đã gửi"),
    "accept": _("đã duyệt"),
    "return": _("đã trả lại"),
    "import": _("đã nhập từ tệp số liệu của"),
    "link": _("đã gắn hồ sơ cán bộ cho"),
    "mute": _("đã bật"),
    "unmute": _("đã bỏ"),
    "set_password": _("đã đặt mật khẩu mới cho"),
    "queue": _("đã chuyển xử lý trong nền"),
    "apply": _("đã áp dụng"),
    "undo": _("đã hủy áp dụng"),
    "correct": _("đã đính chính"),
    "urge": _("đã đôn đốc"),
}
# Where the object's kind changes the words: (action, object type) -> verb, kind shown or not.
VERBS_FOR = {
    ("grant", "documents.document"): (_("đã cấp quyền đọc"), True),
    ("require", "indicators.reportform"): (_("đã giao đơn vị nộp"), True),
    ("mute", "plans.remindermute"): (_("đã tắt nhắc việc"), False),
    ("unmute", "plans.remindermute"): (_("đã bật lại nhắc việc"), False),
    ("cease", "orgs.organization"): (_("đã ghi nhận chấm dứt hoạt động của"), True),
}

# Keys of before/after that are not fields of the object's model: their labels, and for those
# naming another object, its model.
EXTRA_LABELS = {
    "values": _("số liệu"),
    "estimates": _("số ước"),
    "estimate": _("là số ước"),
    "fields": _("lĩnh vực"),
    "values_taken": _("số liệu duyệt kèm"),
    "period": _("kỳ"),
    "comment": _("ý kiến"),
    "person": _("hồ sơ cán bộ"),
    "by": _("người đặt"),
    "created": _("giá trị mới"),
    "updated": _("giá trị cập nhật"),
    "unchanged": _("giá trị không đổi"),
    "indicators": _("chỉ tiêu"),
    "number": _("số hiệu"),
    "units": _("đơn vị"),
    "user": _("tài khoản"),
    "organization": _("đơn vị"),
    "kind": _("loại"),
    "prefix": _("mã khóa"),
    "revoked": _("đã thu hồi"),
    "path": _("vị trí trong cây"),
    "task": _("nhiệm vụ"),
    "reason": _("lý do"),
    "status": _("trạng thái"),
    "rule": _("quy tắc"),
    "question": _("nội dung yêu cầu"),
    "answer": _("nội dung giải trình"),
}
EXTRA_REFS = {"person": "people.Person", "user": "auth.User", "organization": "orgs.Organization"}
WORDS = {"self": _("chính người dùng"), "admin": _("quản trị đơn vị")}
WORDS_KEYS = {"by"}
# Internal keys no reader needs (the tree's paths, a row's version counter).
HIDDEN_KEYS = {"path", "version"}


@dataclass
class Change:
    label: str
    old: str
    new: str


@dataclass
class Line:
    event: AuditEvent
    who: str
    verb: str
    kind: str
    name: str
    url: str = ""
    changes: list[Change] = field(default_factory=list)


def who(user, fallback: str = "") -> str:
    """A person's name where the account has one (its linked person, or its own full name),
    the login name otherwise; an action by a set-up command is the system's."""
    if user is None:
        # Rows written by set-up commands carry the system's name as text (audit/record.py).
        return fallback if fallback and fallback != "hệ thống" else str(_("hệ thống"))
    person = getattr(user, "person", None)
    name = person.full_name if person is not None else user.get_full_name()
    return f"{name} ({user.get_username()})" if name else user.get_username()


def _model(label: str) -> type[models.Model] | None:
    try:
        return apps.get_model(label)
    except (LookupError, ValueError):
        return None


def _field(model, key: str) -> models.Field | None:
    if model is None:
        return None
    try:
        found = model._meta.get_field(key)
    except Exception:  # FieldDoesNotExist, or a reverse relation
        return None
    return found if isinstance(found, models.Field) else None


def _referenced(model, key: str):
    """The model a before/after key points to by id, if any."""
    found = _field(model, key)
    if found is not None and found.many_to_one:
        return found.related_model
    if key in EXTRA_REFS and found is None:
        return _model(EXTRA_REFS[key]) if EXTRA_REFS[key] != "auth.User" else get_user_model()
    return None


def _date(text: str) -> str | None:
    try:
        if len(text) == 10:
            return datetime.date.fromisoformat(text).strftime("%d/%m/%Y")
        moment = datetime.datetime.fromisoformat(text)
    except ValueError:
        return None
    return moment.strftime("%d/%m/%Y %H:%M")


def _number(text: str) -> str | None:
    if not text or not (text[0].isdigit() or text[0] == "-"):
        return None
    try:
        value = Decimal(text)
    except InvalidOperation:
        return None
    return format_number(value, decimals_of(value)) if value.is_finite() else None


def _show(value, model=None, key: str = "", names: dict | None = None) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return str(_("có") if value else _("không"))
    target = _referenced(model, key) if model is not None and isinstance(value, int) else None
    if target is not None and names is not None:
        return names.get((target._meta.label_lower, str(value)), f"#{value}")
    found = _field(model, key)
    if found is not None and found.choices:
        return str(dict(found.flatchoices).get(value, value))
    if isinstance(value, int):
        return str(value)  # years, counts and percentages: no thousands dot (2026, not 2.026)
    if isinstance(value, dict):
        return "; ".join(f"{k}: {_show(v)}" for k, v in value.items()) or "—"
    if isinstance(value, list):
        return ", ".join(_show(v) for v in value) or "—"
    text = str(value)
    if key in WORDS_KEYS:
        return str(WORDS.get(text, text))
    if key == "period":
        try:
            return periods.parse(text).label
        except ValueError:
            return text
    if isinstance(found, models.CharField | models.TextField):
        return text  # text that looks like a number stays as typed (a number, a code)
    return _date(text) or _number(text) or text


def _label(model, key: str) -> str:
    found = _field(model, key)
    # A field without a verbose name of its own has Django's English one ("user", "status").
    if found is not None and str(found.verbose_name) != found.name.replace("_", " "):
        return str(found.verbose_name)
    return str(EXTRA_LABELS.get(key, key.replace("_", " ")))


def _fetch(wanted: dict[type[models.Model], set[str]]) -> dict[tuple[str, str], models.Model]:
    """The live objects, one query per kind."""
    found: dict[tuple[str, str], models.Model] = {}
    for model, ids in wanted.items():
        keys = [i for i in ids if i.isdigit()]
        if not keys:
            continue
        queryset = model._default_manager.filter(pk__in=keys)
        # Their names read their parents (a submission's form and unit): fetched with them.
        queryset = queryset.select_related(*_parents(model))
        found.update(((model._meta.label_lower, str(obj.pk)), obj) for obj in queryset)
    return found


def _parents(model) -> list[str]:
    return [f.name for f in model._meta.get_fields() if getattr(f, "many_to_one", False) and not f.null][:4]


def describe(events: list[AuditEvent]) -> list[Line]:
    """Each event as a readable line. Redacted events (event.hidden) keep their kind only."""
    wanted: dict[type[models.Model], set[str]] = defaultdict(set)
    for event in events:
        model = _model(event.object_type)
        if model is None or getattr(event, "hidden", False):
            continue
        wanted[model].add(event.object_id)
        for key, value in {**(event.before or {}), **(event.after or {})}.items():
            target = _referenced(model, key) if isinstance(value, int) else None
            if target is not None:
                wanted[target].add(str(value))
    objects = _fetch(wanted)
    names = {key: str(obj) for key, obj in objects.items()}
    actors = {e.actor_id for e in events if e.actor_id}
    people = {}
    if actors:
        users = get_user_model()._default_manager.filter(pk__in=actors).select_related("person")
        people = {u.pk: who(u) for u in users}
    lines = []
    for event in events:
        model = _model(event.object_type)
        kind = str(model._meta.verbose_name) if model is not None else event.object_type
        kind = kind[:1].lower() + kind[1:]  # "người dùng", as a common noun mid-sentence
        obj = None if getattr(event, "hidden", False) else objects.get((event.object_type, event.object_id))
        verb, show_kind = VERBS_FOR.get((event.action, event.object_type), (VERBS.get(event.action), True))
        line = Line(
            event=event,
            who=people.get(event.actor_id) or who(None, event.actor_name),
            verb=str(verb or event.action),
            kind=kind if show_kind else "",
            name=str(obj) if obj is not None else event.object_repr,
            url=obj.get_absolute_url() if obj is not None and hasattr(obj, "get_absolute_url") else "",
        )
        for key, old, new in event.changes():
            if key in HIDDEN_KEYS:
                continue
            line.changes.append(
                Change(_label(model, key), _show(old, model, key, names), _show(new, model, key, names))
            )
        lines.append(line)
    return lines
