"""The cast every test uses, built once per test class through the real actions.

Tỉnh A (alice: admin, charlie: viewer, ivan: inspector)
  ├── Văn phòng A
  ├── Huyện A1 (bob: editor)
  │     ├── Xã A1a
  │     └── Xã A1b
  └── Huyện A2
Tỉnh B (oscar: admin) — the outsider
  └── Huyện B1
"""

import datetime

from django.contrib.auth import get_user_model
from django.test import TestCase

from hienthuc.accounts.actions import do_grant_role
from hienthuc.accounts.system import system_user
from hienthuc.orgs.actions import do_create_organization
from hienthuc.orgs.models import OrgKind
from hienthuc.people.actions import do_create_person

PASSWORD = "mat-khau-thu-nghiem-2026"


def kind(code: str) -> OrgKind:
    return OrgKind.objects.get(code=code)


def make_user(username: str, org=None, role: str | None = None):
    user = get_user_model().objects.create_user(username=username, password=PASSWORD)
    if org is not None:
        do_grant_role(user, organization=org, kind=role, acting_user=system_user())
    return user


# The cast's tree is the 2020–2025 one (districts under provinces), placed before the 2025 reform.
BEFORE_2025 = datetime.date(2021, 1, 1)


def build_cast(cls) -> None:
    """Create the tree, users and people above as attributes of `cls`."""
    system = system_user()
    cls.system = system

    def unit(parent, code, name, kind_code):
        return do_create_organization(
            parent=parent, code=code, name=name, kind=kind(kind_code), placed_on=BEFORE_2025, acting_user=system
        )

    cls.centre = unit(None, "TW", "Trung ương", "trung_uong")
    cls.tinh_a = unit(cls.centre, "A", "Tỉnh ủy A", "tinh_uy")
    cls.office_a = unit(cls.tinh_a, "A-VP", "Văn phòng Tỉnh ủy A", "van_phong")
    cls.huyen_a1 = unit(cls.tinh_a, "A1", "Huyện ủy A1", "huyen_uy")
    cls.xa_a1a = unit(cls.huyen_a1, "A1a", "Đảng ủy xã Đông Phong", "dang_uy_co_so")
    cls.xa_a1b = unit(cls.huyen_a1, "A1b", "Đảng ủy xã Tây Sơn", "dang_uy_co_so")
    cls.huyen_a2 = unit(cls.tinh_a, "A2", "Huyện ủy A2", "huyen_uy")
    cls.tinh_b = unit(cls.centre, "B", "Tỉnh ủy B", "tinh_uy")
    cls.huyen_b1 = unit(cls.tinh_b, "B1", "Huyện ủy B1", "huyen_uy")

    cls.alice = make_user("alice", cls.tinh_a, "admin")
    cls.bob = make_user("bob", cls.huyen_a1, "editor")
    cls.charlie = make_user("charlie", cls.tinh_a, "viewer")
    cls.ivan = make_user("ivan", cls.tinh_a, "inspector")
    cls.oscar = make_user("oscar", cls.tinh_b, "admin")

    cls.person_a1 = do_create_person(
        full_name="Nguyễn Văn Đông", home_unit=cls.xa_a1a, birth_year=1975, gender="nam", acting_user=system
    )
    cls.person_b1 = do_create_person(
        full_name="Trần Thị Bắc", home_unit=cls.huyen_b1, birth_year=1980, gender="nu", acting_user=system
    )


class BaseTestCase(TestCase):
    @classmethod
    def setUpTestData(cls):
        build_cast(cls)

    def refresh(self, obj):
        obj.refresh_from_db()
        return obj
