"""The demo data of `make run`, drawn from the seed reports in shared/seeds/.

Tỉnh ủy Thái Bình, term XX (2020–2025): a 51-member Executive Committee with its Standing
Committee and standing office (the real roles of seeds 000/002/003, fictional people), its
advisory bodies, and exactly 213 units below it — the bridge points of the online
conference of 3 November 2021 (seed 002). Tỉnh ủy Quảng Ninh with the 13 district-level
committees of seed 004. Everything is written through the actions, so it is audited.
"""

import datetime
import random

from django.db import transaction

from hienthuc.accounts.actions import do_create_user
from hienthuc.accounts.system import system_user
from hienthuc.committees.actions import do_add_assignment, do_add_seat, do_create_term
from hienthuc.committees.models import Body, SeatRole
from hienthuc.lib import names
from hienthuc.orgs.actions import do_create_organization
from hienthuc.orgs.models import Organization, OrgKind
from hienthuc.people.actions import do_add_position, do_create_person

DEMO_PASSWORD = "hienthuc-demo"
DEMO_LOGINS = [
    ("tinhuy", "quản trị Tỉnh ủy Thái Bình", "TB", "admin"),
    ("vanphong", "biên tập, Văn phòng Tỉnh ủy Thái Bình", "TB-VP", "editor"),
    ("huyen", "biên tập, Huyện ủy Đông Hưng", "TB-DH", "editor"),
    ("xem", "chỉ xem, Tỉnh ủy Thái Bình", "TB", "viewer"),
    ("quangninh", "quản trị Tỉnh ủy Quảng Ninh", "QN", "admin"),
]

TB_BODIES = [
    ("TB-VP", "Văn phòng Tỉnh ủy", "van_phong"),
    ("TB-BTC", "Ban Tổ chức Tỉnh ủy", "ban_to_chuc"),
    ("TB-BTG", "Ban Tuyên giáo và Dân vận Tỉnh ủy", "ban_tuyen_giao"),
    ("TB-UBKT", "Ủy ban Kiểm tra Tỉnh ủy", "ubkt"),
    ("TB-HDND", "Hội đồng nhân dân tỉnh Thái Bình", "hdnd"),
    ("TB-UBND", "Ủy ban nhân dân tỉnh Thái Bình", "ubnd"),
]
# The district-level committees (8) and those directly under the province (5): 13 units.
TB_DISTRICTS = [
    ("TB-TP", "Thành ủy Thái Bình", "TP", "phường", 21),
    ("TB-DH", "Huyện ủy Đông Hưng", "ĐH", "xã", 21),
    ("TB-HH", "Huyện ủy Hưng Hà", "HH", "xã", 21),
    ("TB-KX", "Huyện ủy Kiến Xương", "KX", "xã", 21),
    ("TB-QP", "Huyện ủy Quỳnh Phụ", "QP", "xã", 21),
    ("TB-TT", "Huyện ủy Thái Thụy", "TT", "xã", 21),
    ("TB-TH", "Huyện ủy Tiền Hải", "TH", "xã", 21),
    ("TB-VT", "Huyện ủy Vũ Thư", "VT", "xã", 21),
]
TB_DIRECT = [
    ("TB-KCQ", "Đảng ủy Khối các cơ quan tỉnh", 7),
    ("TB-KDN", "Đảng ủy Khối Doanh nghiệp tỉnh", 7),
    ("TB-QS", "Đảng ủy Quân sự tỉnh", 6),
    ("TB-CA", "Đảng ủy Công an tỉnh", 6),
    ("TB-BP", "Đảng ủy Bộ đội Biên phòng tỉnh", 6),
]
DIRECT_UNITS = {
    "TB-KCQ": [
        "Sở Tài chính",
        "Sở Kế hoạch và Đầu tư",
        "Sở Nội vụ",
        "Sở Tư pháp",
        "Sở Y tế",
        "Sở Giáo dục và Đào tạo",
        "Sở Công Thương",
    ],
    "TB-KDN": [
        "Công ty Điện lực Thái Bình",
        "Công ty Cấp nước Thái Bình",
        "Ngân hàng Nông nghiệp chi nhánh Thái Bình",
        "Công ty Thủy nông Bắc Thái Bình",
        "Công ty Môi trường đô thị",
        "Công ty Xổ số kiến thiết",
        "Bưu điện tỉnh",
    ],
    "TB-QS": [
        "Ban Chỉ huy Quân sự thành phố",
        "Ban Chỉ huy Quân sự huyện Đông Hưng",
        "Ban Chỉ huy Quân sự huyện Hưng Hà",
        "Trung đoàn bộ binh",
        "Phòng Tham mưu",
        "Phòng Chính trị",
    ],
    "TB-CA": [
        "Phòng Cảnh sát giao thông",
        "Phòng Cảnh sát hình sự",
        "Phòng An ninh chính trị nội bộ",
        "Công an thành phố",
        "Công an huyện Tiền Hải",
        "Phòng Tham mưu",
    ],
    "TB-BP": [
        "Đồn Biên phòng Cửa Lân",
        "Đồn Biên phòng Ba Lạt",
        "Đồn Biên phòng Diêm Điền",
        "Hải đội Biên phòng",
        "Phòng Tham mưu",
        "Phòng Chính trị",
    ],
}
QN_DISTRICTS = [
    ("QN-MC", "Thành ủy Móng Cái"),
    ("QN-HL", "Thành ủy Hạ Long"),
    ("QN-CP", "Thành ủy Cẩm Phả"),
    ("QN-UB", "Thành ủy Uông Bí"),
    ("QN-DT", "Thành ủy Đông Triều"),
    ("QN-QY", "Thị ủy Quảng Yên"),
    ("QN-BL", "Huyện ủy Bình Liêu"),
    ("QN-VD", "Huyện ủy Vân Đồn"),
    ("QN-TY", "Huyện ủy Tiên Yên"),
    ("QN-DH", "Huyện ủy Đầm Hà"),
    ("QN-HH", "Huyện ủy Hải Hà"),
    ("QN-BC", "Huyện ủy Ba Chẽ"),
    ("QN-CT", "Huyện ủy Cô Tô"),
]
# Fields the Standing Committee members are put in charge of (phụ trách lĩnh vực).
FIELDS = [
    "Công tác xây dựng Đảng",
    "Kinh tế - xã hội",
    "Nội chính, phòng chống tham nhũng",
    "Quốc phòng - an ninh",
    "Tổ chức, cán bộ",
    "Tuyên giáo, dân vận",
    "Kiểm tra, giám sát",
    "Văn hóa - xã hội",
    "Nông nghiệp, nông thôn mới",
    "Công nghiệp, đầu tư",
    "Tài chính, ngân sách",
    "Giáo dục, y tế",
]


def demo_loaded() -> bool:
    return Organization.objects.filter(code="TB").exists()


@transaction.atomic
def load_demo(seed: int = 20201203) -> None:
    rng = random.Random(seed)
    actor = system_user()
    kinds = {k.code: k for k in OrgKind.objects.all()}

    def unit(parent, code, name, kind, short=""):
        return do_create_organization(
            parent=parent, code=code, name=name, kind=kinds[kind], short_name=short, acting_user=actor
        )

    def person(home, *, born=(1960, 1990)):
        full_name, gender = names.person(rng)
        birth_year = rng.randint(*born)
        joined = datetime.date(birth_year + rng.randint(20, 30), rng.randint(1, 12), rng.randint(1, 28))
        joined = min(joined, datetime.date(2020, 6, 30))
        return do_create_person(
            full_name=full_name,
            home_unit=home,
            birth_year=birth_year,
            gender=gender,
            party_joined_on=joined,
            acting_user=actor,
        )

    centre = unit(None, "TW", "Ban Chấp hành Trung ương Đảng", "trung_uong", "Trung ương")
    tb = unit(centre, "TB", "Tỉnh ủy Thái Bình", "tinh_uy", "TU Thái Bình")
    bodies = {code: unit(tb, code, name, kind) for code, name, kind in TB_BODIES}

    used: set[str] = set()
    districts = []
    for code, name, _short, commune_kind, count in TB_DISTRICTS:
        district = unit(tb, code, name, "huyen_uy")
        districts.append(district)
        for i in range(1, count + 1):
            place = names.place(rng, used)
            unit(district, f"{code}-{i:02d}", f"Đảng ủy {commune_kind} {place}", "dang_uy_co_so")
    for code, name, count in TB_DIRECT:
        direct = unit(tb, code, name, "dang_uy_truc_thuoc")
        districts.append(direct)
        for i, agency in enumerate(DIRECT_UNITS[code][:count], start=1):
            kind = "dang_uy_co_so" if i % 2 else "chi_bo_co_so"
            prefix = "Đảng ủy" if kind == "dang_uy_co_so" else "Chi bộ"
            unit(direct, f"{code}-{i:02d}", f"{prefix} {agency}", kind)

    # People: two leaders in each grassroots unit, five in each district-level committee.
    grassroots = Organization.objects.filter(path__startswith=tb.path, depth=tb.depth + 2).order_by("path")
    for g in grassroots:
        for title in ("Bí thư", "Phó Bí thư"):
            p = person(g)
            do_add_position(
                p, title=f"{title} {g.name}", unit=g, start_date=datetime.date(2020, 7, 1), acting_user=actor
            )
    district_secretaries = []
    for d in districts:
        secretary = person(d, born=(1962, 1975))
        district_secretaries.append(secretary)
        do_add_position(
            secretary, title=f"Bí thư {d.name}", unit=d, start_date=datetime.date(2020, 8, 1), acting_user=actor
        )
        for _ in range(4):
            person(d)

    # The 51-member Executive Committee of term XX and its bodies.
    do_create_term(tb, number="XIX", start_year=2015, end_year=2020, acting_user=actor)
    term = do_create_term(tb, number="XX", start_year=2020, end_year=2025, acting_user=actor)
    standing_roles = [SeatRole.SECRETARY, SeatRole.STANDING_DEPUTY, SeatRole.DEPUTY] + [SeatRole.STANDING_MEMBER] * 12
    standing_homes = [
        tb,
        bodies["TB-HDND"],
        bodies["TB-UBND"],
        bodies["TB-BTC"],
        bodies["TB-UBKT"],
        bodies["TB-BTG"],
        bodies["TB-VP"],
        bodies["TB-UBND"],
        *districts[:2],
        districts[8],
        districts[9],
        districts[11],
        bodies["TB-UBND"],
        bodies["TB-HDND"],
    ]
    standing = []
    for role, home in zip(standing_roles, standing_homes, strict=True):
        member = district_secretaries[districts.index(home)] if home in districts else person(home, born=(1962, 1972))
        standing.append(member)
        do_add_seat(term, person=member, body=Body.EXECUTIVE, role=role, acting_user=actor)
        do_add_seat(term, person=member, body=Body.STANDING, role=role, acting_user=actor)
        if role in (SeatRole.SECRETARY, SeatRole.STANDING_DEPUTY, SeatRole.DEPUTY):
            do_add_seat(term, person=member, body=Body.STANDING_OFFICE, role=role, acting_user=actor)
    titles = {
        0: "Bí thư Tỉnh ủy",
        1: "Phó Bí thư Thường trực Tỉnh ủy, Chủ tịch HĐND tỉnh",
        2: "Phó Bí thư Tỉnh ủy, Chủ tịch UBND tỉnh",
        3: "Trưởng Ban Tổ chức Tỉnh ủy",
        4: "Chủ nhiệm Ủy ban Kiểm tra Tỉnh ủy",
        5: "Trưởng Ban Tuyên giáo và Dân vận Tỉnh ủy",
        6: "Chánh Văn phòng Tỉnh ủy",
    }
    for index, title in titles.items():
        do_add_position(
            standing[index],
            title=title,
            unit=standing_homes[index],
            start_date=datetime.date(2020, 10, 16),
            acting_user=actor,
        )
    members = [s for s in district_secretaries if s not in standing]
    while len(standing) + len(members) < 51:
        members.append(person(rng.choice(list(bodies.values()) + districts), born=(1965, 1980)))
    for member in members:
        do_add_seat(term, person=member, body=Body.EXECUTIVE, role=SeatRole.MEMBER, acting_user=actor)
    # Inspection commission: chaired by a Standing Committee member, with four more members.
    do_add_seat(term, person=standing[4], body=Body.INSPECTION, role=SeatRole.CHAIR, acting_user=actor)
    for i in range(4):
        inspector = person(bodies["TB-UBKT"], born=(1968, 1985))
        role = SeatRole.VICE_CHAIR if i < 2 else SeatRole.MEMBER
        do_add_seat(term, person=inspector, body=Body.INSPECTION, role=role, acting_user=actor)

    # Assignments: each Standing Committee member takes a field and a district-level unit.
    for i, member in enumerate(standing[:12]):
        do_add_assignment(term, person=member, field=FIELDS[i], acting_user=actor)
    for i, district in enumerate(districts):
        do_add_assignment(term, person=standing[3 + i % 12], unit=district, acting_user=actor)

    # Quảng Ninh and its 13 district-level committees (seed 004).
    qn = unit(centre, "QN", "Tỉnh ủy Quảng Ninh", "tinh_uy", "TU Quảng Ninh")
    unit(qn, "QN-VP", "Văn phòng Tỉnh ủy Quảng Ninh", "van_phong")
    qn_term = do_create_term(qn, number="XV", start_year=2020, end_year=2025, acting_user=actor)
    for code, name in QN_DISTRICTS:
        d = unit(qn, code, name, "huyen_uy")
        leaders = [person(d, born=(1965, 1978)) for _ in range(3)]
        do_add_position(
            leaders[0], title=f"Bí thư {name}", unit=d, start_date=datetime.date(2020, 5, 20), acting_user=actor
        )
        do_add_seat(qn_term, person=leaders[0], body=Body.EXECUTIVE, role=SeatRole.MEMBER, acting_user=actor)
        if code == "QN-MC":
            do_create_term(d, number="XXIV", start_year=2020, end_year=2025, acting_user=actor)
        if code == "QN-BL":
            do_create_term(d, number="XXVIII", start_year=2020, end_year=2025, acting_user=actor)

    for username, _label, code, role in DEMO_LOGINS:
        do_create_user(
            username=username,
            password=DEMO_PASSWORD,
            full_name="",
            organization=Organization.objects.get(code=code),
            role=role,
            acting_user=actor,
        )
