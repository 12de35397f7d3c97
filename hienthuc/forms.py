"""Form pieces shared by the apps: choosing units and people by name, mapping action errors
onto forms, running an action from a form."""

import re
from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import F
from django.urls import reverse_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from hienthuc.lib.text import fold
from hienthuc.orgs.models import Organization

# A date field's message, for forms that do not give their own example.
DATE_ERRORS = {"invalid": gettext_lazy("Ngày không hợp lệ; hãy nhập ngày/tháng/năm, ví dụ 15/03/2026.")}


def lookup_attrs(url_name: str, kind: str) -> dict:
    """htmx attributes filling the page's <datalist id="{kind}-suggestions"> as the user types."""
    return {
        "hx-get": reverse_lazy(url_name),
        "hx-trigger": "input changed delay:300ms",
        "hx-target": f"#{kind}-suggestions",
    }


def suggested_input(url_name: str, kind: str) -> forms.TextInput:
    """A text box with the suggestions of lookup_attrs."""
    return forms.TextInput(attrs={"list": f"{kind}-suggestions", "autocomplete": "off", **lookup_attrs(url_name, kind)})


# Units, people and indicators are chosen by name: the suggestion lists (datalists filled as
# the user types, within what they may see) offer "Name (CODE)" — readable, and unambiguous
# where two communes share a name. A code alone, or a name alone when only one unit bears it,
# is accepted too. Several at once are separated by ";" (or ","), and the suggestions keep
# what was typed before the last one (unit_lookup, indicator_lookup).
NAMED = re.compile(r"^(?P<name>.*\S)\s*\((?P<code>[^()]+)\)$")
SEPARATORS = re.compile(r"[;,\n]")


def unit_label(unit: Organization) -> str:
    return f"{unit.name} ({unit.code})"


def split_entries(text: str) -> list[str]:
    return [part.strip() for part in SEPARATORS.split(text or "") if part.strip()]


def split_last(text: str) -> tuple[str, str]:
    """("what was typed before the entry being typed", "the entry being typed")."""
    match = list(SEPARATORS.finditer(text))
    if not match:
        return "", text.strip()
    end = match[-1].end()
    return text[:end].rstrip() + " ", text[end:].strip()


def resolve_unit(text: str, units) -> Organization:
    """The unit of `units` (a visible queryset) that `text` names: "Name (CODE)", a code, or a
    name (or short name) that only one of them bears."""
    text = " ".join(text.split())
    named = NAMED.match(text)
    for code in ([named["code"]] if named else []) + [text]:
        # A code is unique among current units; one that ceased may share it (its continuation).
        found = units.filter(code__iexact=code.strip()).order_by(F("valid_to").desc(nulls_first=True)).first()
        if found is not None:
            return found
    wanted = fold(named["name"] if named else text)
    candidates = [
        u
        for u in units.search(text if not named else named["name"])[:200]
        if wanted in {fold(u.name), fold(u.short_name)}
    ]
    if len(candidates) == 1:
        return candidates[0]
    if not candidates:
        raise ValidationError(
            _("Không tìm thấy đơn vị “%(text)s” trong phạm vi của bạn; hãy chọn trong danh sách gợi ý.")
            % {"text": text}
        )
    listed = "; ".join(unit_label(u) for u in candidates[:5])
    raise ValidationError(
        _("Có %(candidates)s đơn vị tên “%(text)s” (%(listed)s); hãy chọn đúng đơn vị trong danh sách gợi ý.")
        % {"candidates": len(candidates), "text": text, "listed": listed}
    )


class UnitField(forms.CharField):
    """A unit chosen by name (with suggestions) or typed by its code, resolved within what the
    user may see. A select box of every unit does not scale to a province."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_length", 300)
        super().__init__(*args, **kwargs)
        self.widget.attrs.update(
            {"list": "unit-suggestions", "autocomplete": "off", **lookup_attrs("unit_lookup", "unit")}
        )
        self.user = None

    def clean(self, value):
        text = super().clean(value)
        if not text:
            return None
        return resolve_unit(text, Organization.objects.visible_to(self.user))


class UnitsField(UnitField):
    """Several units, separated by ";" — each as UnitField takes it. Returns a list."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_length", 4000)
        super().__init__(*args, **kwargs)

    def clean(self, value):
        text = forms.CharField.clean(self, value)
        units, problems = [], []
        visible = Organization.objects.visible_to(self.user)
        for entry in split_entries(text):
            try:
                unit = resolve_unit(entry, visible)
            except ValidationError as exc:
                problems += exc.messages
            else:
                if unit not in units:
                    units.append(unit)
        if problems:
            raise ValidationError(problems)
        return units


class ScopedForm(forms.Form):
    """A form whose unit fields are resolved within the given user's subtrees."""

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        for f in self.fields.values():
            if isinstance(f, UnitField | PersonField):
                f.user = user


def add_action_errors(form: forms.Form, exc: ValidationError) -> None:
    """Show an action's ValidationError on the form: on its field where the form has one."""
    if hasattr(exc, "error_dict"):
        for name, errors in exc.error_dict.items():
            target = name if name in form.fields else None
            for error in errors:
                form.add_error(target, error.messages[0] if hasattr(error, "messages") else error)
    else:
        for message in exc.messages:
            form.add_error(None, message)


def person_label(person) -> str:
    return f"{person.full_name} — {person.home_unit.name}"


class PersonField(forms.CharField):
    """A person chosen by name; the suggestions read "Họ tên — Đơn vị sinh hoạt", which tells
    two people of the same name apart. An older "Họ tên [id]" is still understood."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_length", 400)
        super().__init__(*args, **kwargs)
        self.widget.attrs.update(
            {"list": "person-suggestions", "autocomplete": "off", **lookup_attrs("person_lookup", "person")}
        )
        self.user = None

    def clean(self, value):
        from hienthuc.people.models import Person

        text = super().clean(value)
        if not text:
            return None
        people = Person.objects.visible_to(self.user).select_related("home_unit")
        match = re.search(r"\[(\d+)\]\s*$", text)
        if match:
            person = people.filter(pk=int(match.group(1))).first()
            if person is not None:
                return person
        name, _dash, unit = (part.strip() for part in text.partition(" — "))
        found = list(people.filter(search_name=fold(name))[:20])
        if unit:
            found = [p for p in found if fold(p.home_unit.name) == fold(unit)]
        if len(found) == 1:
            return found[0]
        if not found:
            raise ValidationError(_("Không tìm thấy “%(text)s” trong phạm vi của bạn.") % {"text": text})
        raise ValidationError(
            _("Có nhiều người tên “%(text)s”; hãy chọn đúng người trong danh sách gợi ý.") % {"text": text}
        )


def submit(request, form: forms.Form, action: Callable[[dict], Any], success: str | Callable[[Any], str]):
    """Run `action(form.cleaned_data)` for a valid posted form and flash `success`.

    Returns the action's result, or None when the form was not posted or not valid, or the
    action refused: its Vietnamese errors are then shown on the form, and nothing is written.
    """
    if request.method != "POST" or not form.is_bound or not form.is_valid():
        return None
    try:
        result = action(form.cleaned_data)
    except ValidationError as exc:
        add_action_errors(form, exc)
        return None
    messages.success(request, success(result) if callable(success) else success)
    return result


class UnitsBelowForm(forms.Form):
    """Units below a unit, named the three ways a cascade names them: its direct children,
    every unit of a kind below it, or a list of codes."""

    mode = forms.ChoiceField(
        label=gettext_lazy("Các đơn vị"),
        choices=[
            ("children", gettext_lazy("Tất cả đơn vị trực thuộc trực tiếp")),
            ("kind", gettext_lazy("Mọi đơn vị bên dưới thuộc loại")),
            ("codes", gettext_lazy("Các đơn vị ghi dưới đây")),
        ],
    )
    kind = forms.ModelChoiceField(label=gettext_lazy("Loại đơn vị"), queryset=None, required=False)
    codes = forms.CharField(
        label=gettext_lazy("Các đơn vị (chọn tên trong gợi ý, cách nhau bởi dấu chấm phẩy)"),
        max_length=4000,
        required=False,
        widget=suggested_input("unit_lookup", "unit"),
    )

    def __init__(self, *args, **kwargs):
        from hienthuc.orgs.models import OrgKind

        super().__init__(*args, **kwargs)
        self.fields["kind"].queryset = OrgKind.objects.filter(is_body=False)

    def units_below(self, org: Organization) -> list[Organization]:
        """The active units the valid form names below `org`; a ValidationError for the form's fields."""
        data = self.cleaned_data
        below = Organization.objects.subtree_of(org).filter(depth__gt=org.depth, is_active=True)
        if data["mode"] == "children":
            return list(below.filter(depth=org.depth + 1, kind__is_body=False))
        if data["mode"] == "kind":
            if data["kind"] is None:
                raise ValidationError({"kind": _("Hãy chọn loại đơn vị.")})
            return list(below.filter(kind=data["kind"]))
        entries = split_entries(data["codes"])
        if not entries:
            raise ValidationError({"codes": _("Hãy ghi các đơn vị trực thuộc.")})
        units, problems = [], []
        for entry in entries:
            try:
                unit = resolve_unit(entry, below)
            except ValidationError as exc:
                problems.append(
                    _("%(list)s (chỉ các đơn vị đang hoạt động bên dưới %(org)s)")
                    % {"list": " ".join(exc.messages), "org": org.name}
                )
            else:
                units.append(unit)
        if problems:
            raise ValidationError({"codes": problems})
        return list(dict.fromkeys(units))
