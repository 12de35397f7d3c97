"""API for urging: the user's notices, and the late units of a subtree with what each owes.

Notices are the user's own; a unit's late list comes through access_organization (404 for
another unit's)."""

import datetime

from django.utils import timezone
from ninja import Field, Router, Schema

from hienthuc.api.common import Id
from hienthuc.orgs.access import access_organization
from hienthuc.urging import dues
from hienthuc.urging.actions import do_mark_notices_read
from hienthuc.urging.models import Notice

router = Router(tags=["urging"])


class NoticeOut(Schema):
    id: int
    kind: str
    unit_id: int
    subject: str
    body: str
    link: str
    sent_on: datetime.date
    channels: str = Field(description="các kênh đã gửi ngoài ứng dụng, cách nhau bởi dấu phẩy")
    read: bool

    @staticmethod
    def resolve_read(obj) -> bool:
        return obj.read_at is not None


class ReadIn(Schema):
    ids: list[Id] | None = Field(None, max_length=1000, description="bỏ trống: tất cả")


class OwedOut(Schema):
    unit_id: int
    unit: str
    what: str = Field(description="report: báo cáo chưa nộp; plan: kế hoạch chưa ban hành")
    label: str
    due: datetime.date
    days_late: int


@router.get("/notices", response=list[NoticeOut])
def list_notices(request, unread: bool = False):
    """The user's notices, latest first (the last 200)."""
    notices = Notice.objects.filter(user=request.user)
    if unread:
        notices = notices.unread()
    return notices[:200]


@router.post("/notices/read", response=dict[str, int])
def read_notices(request, payload: ReadIn):
    return {"read": do_mark_notices_read(request.user, payload.ids)}


@router.get("/units/{unit_id}/late", response=list[OwedOut])
def late_units(request, unit_id: Id):
    """What the units below owe and have not delivered, due in the last year."""
    unit = access_organization(request.user, unit_id)
    today = timezone.localdate()
    items = dues.late(unit, today, request.user)
    return [
        {"unit_id": o.unit.pk, "unit": o.unit.name, "what": o.what, "label": o.label, "due": o.due,
         "days_late": o.days_late(today)}
        for o in items
    ]  # fmt: skip
