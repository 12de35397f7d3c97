"""Form pieces shared by the apps: picking a unit by code, mapping action errors onto forms."""

import re
from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.urls import reverse_lazy

from hienthuc.lib.text import fold
from hienthuc.orgs.models import Organization


def lookup_attrs(url_name: str, kind: str) -> dict:
    """htmx attributes filling the page's <datalist id="{kind}-suggestions"> as the user types."""
    return {
        "hx-get": reverse_lazy(url_name),
        "hx-trigger": "input changed delay:300ms",
        "hx-target": f"#{kind}-suggestions",
    }


class UnitCodeField(forms.CharField):
    """A unit typed by its code (with suggestions), resolved within what the user may see.

    A select box of every unit does not scale to a province; a code does.
    """

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_length", 32)
        super().__init__(*args, **kwargs)
        self.widget.attrs.update(
            {"list": "unit-suggestions", "autocomplete": "off", **lookup_attrs("unit_lookup", "unit")}
        )
        self.user = None

    def clean(self, value):
        code = super().clean(value)
        if not code:
            return None
        unit = Organization.objects.visible_to(self.user).filter(code__iexact=code.strip()).first()
        if unit is None:
            raise ValidationError(f"Không tìm thấy đơn vị có mã “{code}” trong phạm vi của bạn.")
        return unit


class ScopedForm(forms.Form):
    """A form whose unit fields are resolved within the given user's subtrees."""

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        for f in self.fields.values():
            if isinstance(f, UnitCodeField | PersonField):
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


class PersonField(forms.CharField):
    """A person typed by name; the suggestions carry the id as "Họ tên [123]" to disambiguate."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_length", 200)
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
        found = list(people.filter(search_name=fold(text))[:2])
        if len(found) == 1:
            return found[0]
        if not found:
            raise ValidationError(f"Không tìm thấy “{text}” trong phạm vi của bạn.")
        raise ValidationError(f"Có nhiều người tên “{text}”; hãy chọn đúng người trong danh sách gợi ý.")


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
        label="Các đơn vị",
        choices=[
            ("children", "Tất cả đơn vị trực thuộc trực tiếp"),
            ("kind", "Mọi đơn vị bên dưới thuộc loại"),
            ("codes", "Các đơn vị theo mã"),
        ],
    )
    kind = forms.ModelChoiceField(label="Loại đơn vị", queryset=None, required=False)
    codes = forms.CharField(label="Mã đơn vị (cách nhau bởi dấu phẩy)", max_length=4000, required=False)

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
                raise ValidationError({"kind": "Hãy chọn loại đơn vị."})
            return list(below.filter(kind=data["kind"]))
        codes = [c.strip() for c in (data["codes"] or "").replace(";", ",").split(",") if c.strip()]
        units = list(below.filter(code__in=codes))
        missing = sorted(set(codes) - {u.code for u in units})
        if not codes or missing:
            raise ValidationError({"codes": f"Không có đơn vị trực thuộc mã: {', '.join(missing) or '(trống)'}."})
        return units
