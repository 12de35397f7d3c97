"""Changes to people and their positions: atomic, audited, subtree counts kept."""

import datetime

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from hienthuc.audit.record import record, snapshot
from hienthuc.lib.text import clean, max_length
from hienthuc.orgs import aggregates
from hienthuc.orgs.models import Organization
from hienthuc.people.models import Gender, Person, Position
from hienthuc.scope import can_admin, can_edit, can_view

PERSON_FIELDS = ["full_name", "birth_year", "gender", "party_joined_on", "home_unit", "is_active"]
POSITION_FIELDS = ["person", "title", "unit", "start_date", "end_date"]
# The Party was founded on 3 February 1930: no one joined it earlier.
PARTY_FOUNDED = datetime.date(1930, 2, 3)
NAME_MAX = max_length(Person, "full_name")
TITLE_MAX = max_length(Position, "title")


def _validate_person(data: dict) -> dict:
    errors = {}
    name = clean(data.get("full_name"))
    if not name:
        errors["full_name"] = _("Họ và tên không được để trống.")
    elif len(name) > NAME_MAX:
        errors["full_name"] = _("Họ và tên dài tối đa %(NAME_MAX)s ký tự.") % {"NAME_MAX": NAME_MAX}
    this_year = timezone.localdate().year
    birth_year = data.get("birth_year")
    if birth_year is not None and not (1900 <= birth_year <= this_year - 16):
        errors["birth_year"] = _("Năm sinh phải từ 1900 đến %(this_year)s.") % {"this_year": this_year - 16}
    gender = data.get("gender") or ""
    if gender not in ("", *Gender.values):
        errors["gender"] = _("Giới tính phải là Nam hoặc Nữ.")
    joined = data.get("party_joined_on")
    if joined is not None:
        if joined < PARTY_FOUNDED or joined > timezone.localdate():
            errors["party_joined_on"] = _("Ngày vào Đảng phải từ 03/02/1930 đến hôm nay.")
        elif birth_year is not None and joined.year < birth_year + 16:
            errors["party_joined_on"] = _("Ngày vào Đảng phải sau năm sinh ít nhất 16 năm.")
    if errors:
        raise ValidationError(errors)
    return {**data, "full_name": name, "gender": gender}


@transaction.atomic
def do_create_person(
    *,
    full_name: str,
    home_unit: Organization,
    birth_year: int | None = None,
    gender: str = "",
    party_joined_on: datetime.date | None = None,
    acting_user: User,
) -> Person:
    if not can_edit(acting_user, home_unit):
        raise ValidationError({"home_unit": _("Bạn không có quyền thêm người vào đơn vị này.")})
    data = _validate_person(
        {"full_name": full_name, "birth_year": birth_year, "gender": gender, "party_joined_on": party_joined_on}
    )
    person = Person.objects.create(home_unit=home_unit, **data)
    aggregates.bump_people(home_unit, 1)
    record(acting_user, "create", person, organization=home_unit, after=snapshot(person, PERSON_FIELDS))
    return person


@transaction.atomic
def do_update_person(person: Person, *, acting_user: User, **changes) -> Person:
    person = Person.objects.select_for_update().select_related("home_unit").get(pk=person.pk)
    old_unit = person.home_unit
    if not can_edit(acting_user, old_unit):
        raise ValidationError(_("Bạn không có quyền sửa thông tin người này."))
    new_unit = changes.pop("home_unit", old_unit)
    if new_unit.pk != old_unit.pk and not can_edit(acting_user, new_unit):
        raise ValidationError({"home_unit": _("Bạn không có quyền chuyển người đến đơn vị này.")})
    current = {f: getattr(person, f) for f in ["full_name", "birth_year", "gender", "party_joined_on"]}
    data = _validate_person({**current, **changes})
    before = snapshot(person, PERSON_FIELDS)
    for field, value in data.items():
        setattr(person, field, value)
    person.home_unit = new_unit
    person.save()
    if new_unit.pk != old_unit.pk and person.is_active:
        aggregates.bump_people(old_unit, -1)
        aggregates.bump_people(new_unit, 1)
    after = snapshot(person, PERSON_FIELDS)
    if after != before:
        record(acting_user, "update", person, organization=new_unit, before=before, after=after)
    return person


@transaction.atomic
def do_set_person_active(person: Person, active: bool, *, acting_user: User) -> Person:
    person = Person.objects.select_for_update().select_related("home_unit").get(pk=person.pk)
    if not can_edit(acting_user, person.home_unit):
        raise ValidationError(_("Bạn không có quyền sửa thông tin người này."))
    if person.is_active == active:
        return person
    before = snapshot(person, PERSON_FIELDS)
    person.is_active = active
    person.save(update_fields=["is_active", "updated_at", "search_name"])
    aggregates.bump_people(person.home_unit, 1 if active else -1)
    record(
        acting_user,
        "reactivate" if active else "deactivate",
        person,
        organization=person.home_unit,
        before=before,
        after=snapshot(person, PERSON_FIELDS),
    )
    return person


def _validate_position(title: str, start_date, end_date) -> str:
    title = clean(title)
    if not title:
        raise ValidationError({"title": _("Chức vụ không được để trống.")})
    if len(title) > TITLE_MAX:
        raise ValidationError({"title": _("Chức vụ dài tối đa %(TITLE_MAX)s ký tự.") % {"TITLE_MAX": TITLE_MAX}})
    for field, value in (("start_date", start_date), ("end_date", end_date)):
        if value is not None and not (PARTY_FOUNDED <= value <= datetime.date(2100, 12, 31)):
            raise ValidationError({field: _("Ngày phải từ năm 1930 đến năm 2100.")})
    if start_date and end_date and end_date < start_date:
        raise ValidationError({"end_date": _("Ngày kết thúc phải sau ngày bắt đầu.")})
    return title


@transaction.atomic
def do_add_position(
    person: Person,
    *,
    title: str,
    unit: Organization,
    start_date: datetime.date | None = None,
    end_date: datetime.date | None = None,
    acting_user: User,
) -> Position:
    if not can_edit(acting_user, person.home_unit):
        raise ValidationError(_("Bạn không có quyền sửa thông tin người này."))
    if not can_view(acting_user, unit):
        raise ValidationError({"unit": _("Đơn vị không nằm trong phạm vi của bạn.")})
    title = _validate_position(title, start_date, end_date)
    position = Position.objects.create(person=person, title=title, unit=unit, start_date=start_date, end_date=end_date)
    record(acting_user, "create", position, organization=person.home_unit, after=snapshot(position, POSITION_FIELDS))
    return position


@transaction.atomic
def do_end_position(position: Position, *, end_date: datetime.date, acting_user: User) -> Position:
    position = Position.objects.select_for_update().select_related("person__home_unit").get(pk=position.pk)
    if not can_edit(acting_user, position.person.home_unit):
        raise ValidationError(_("Bạn không có quyền sửa thông tin người này."))
    _validate_position(position.title, position.start_date, end_date)
    before = snapshot(position, POSITION_FIELDS)
    position.end_date = end_date
    position.save(update_fields=["end_date"])
    record(
        acting_user,
        "update",
        position,
        organization=position.person.home_unit,
        before=before,
        after=snapshot(position, POSITION_FIELDS),
    )
    return position


@transaction.atomic
def do_link_person(user: User, person: Person | None, *, acting_user: User) -> User:
    """Tie an account to the person who uses it (or untie it with person=None): tasks that
    person leads in person become the account's "my tasks"."""
    current = Person.objects.select_related("home_unit").filter(user=user).first()
    for unit in [p.home_unit for p in (current, person) if p is not None]:
        if not can_admin(acting_user, unit):
            raise ValidationError({"person": _("Bạn không quản trị %(unit)s.") % {"unit": unit.name}})
    if person is not None and person.user_id not in (None, user.pk):
        raise ValidationError(
            {"person": _("%(full_name)s đã gắn với một tài khoản khác.") % {"full_name": person.full_name}}
        )
    if current is not None and person is not None and current.pk == person.pk:
        return user
    if current is not None:
        Person.objects.filter(pk=current.pk).update(user=None)
    if person is not None:
        Person.objects.filter(pk=person.pk).update(user=user)
    record(
        acting_user,
        "link",
        user,
        organization=linked.home_unit if (linked := person or current) else None,
        before={"person": current.pk if current else None},
        after={"person": person.pk if person else None},
    )
    return user
