"""Types every part of the API shares: bounded ids, NUL-free text, pages, errors."""

from collections.abc import Iterable
from typing import Annotated, Literal

from django.utils.translation import gettext as _
from ninja import Field, Schema
from ninja.pagination import PageNumberPagination
from pydantic import AfterValidator


def _no_nul(value: str) -> str:
    if "\x00" in value:
        raise ValueError(_("Chuỗi chứa ký tự không hợp lệ (NUL)."))
    return value


# Every free-text input of the API: PostgreSQL cannot store or compare NUL characters.
Text = Annotated[str, AfterValidator(_no_nul)]
# Ids in paths and filters: bounded so no database is asked for a number it cannot store.
ID_MAX = 2**53
Id = Annotated[int, Field(ge=1, le=ID_MAX)]


class Pages(PageNumberPagination):
    """Page numbers bounded so an absurd page is a 422, not a database overflow."""

    class Input(Schema):
        page: int = Field(1, ge=1, le=1_000_000)
        page_size: int | None = Field(None, ge=1, le=500)


class ErrorOut(Schema):
    detail: str


def choice(values: Iterable[str]):
    """An input that must be one of `values` (a model's choices): validated, and an enum in
    the OpenAPI schema."""
    return Literal[tuple(values)]


def documented(values: Iterable[str]) -> dict:
    """json_schema_extra for an output field that is always one of `values`: documented as an
    enum without re-validating what the database holds."""
    return {"enum": list(values)}


def visible_person(user, pk: int, field: str = "person_id"):
    """The person with id `pk` within the user's reach, or a 400 naming the field: an id never
    draws a name from beyond the user's reach."""
    from django.core.exceptions import ValidationError

    from hienthuc.people.models import Person

    person = Person.objects.visible_to(user).select_related("home_unit").filter(pk=pk).first()
    if person is None:
        raise ValidationError({field: _("Không tìm thấy người có mã %(ids)s trong phạm vi của bạn.") % {"ids": pk}})
    return person
