"""The demo data of `make run`, drawn from the seed reports in shared/seeds/.

Tỉnh ủy Thái Bình, term XX (2020–2025): a 51-member Executive Committee with its Standing
Committee and standing office (the real roles of seeds 000/002/003, fictional people), its
advisory bodies, and exactly 213 units below it — the bridge points of the online
conference of 3 November 2021 (seed 002). Tỉnh ủy Quảng Ninh with the 13 district-level
committees of seed 004. Everything is written through the actions, so it is audited.
"""

import datetime
import functools
import random

from django.contrib.auth import get_user_model
from django.db import connection, transaction

from hienthuc.accounts.actions import do_create_user
from hienthuc.accounts.models import DEMO_EMAIL_DOMAIN
from hienthuc.accounts.system import system_user
from hienthuc.committees.actions import do_add_assignment, do_add_seat, do_create_term
from hienthuc.committees.models import Body, SeatRole
from hienthuc.lib import names
from hienthuc.orgs.actions import do_create_organization, do_give_mandate
from hienthuc.orgs.models import Organization, OrgKind
from hienthuc.people.actions import do_add_position, do_create_person, do_link_person
from hienthuc.scope import MandateKind

DEMO_PASSWORD = "hienthuc-demo"
DEMO_LOGINS = [
    ("tinhuy", "quản trị Tỉnh ủy Thái Bình", "TB", "admin"),
    ("vanphong", "biên tập, Văn phòng Tỉnh ủy Thái Bình (làm thay Tỉnh ủy)", "TB-VP", "editor"),
    ("tuyengiao", "biên tập, Ban Tuyên giáo Tỉnh ủy (soạn thảo văn bản cho Tỉnh ủy)", "TB-BTG", "editor"),
    ("huyen", "biên tập, Huyện ủy Đông Hưng", "TB-DH", "editor"),
    ("xem", "chỉ xem, Tỉnh ủy Thái Bình", "TB", "viewer"),
    ("quangninh", "quản trị Tỉnh ủy Quảng Ninh", "QN", "admin"),
    ("trunguong", "quản trị Trung ương (sắp xếp đơn vị)", "TW", "admin"),
]
# Made after the 1 July 2025 reorganization: the new province's unit exists only then.
NEW_PROVINCE_LOGIN = ("hungyen", "quản trị Tỉnh ủy Hưng Yên (mới, từ 01/7/2025)", "HY", "admin")

# Tỉnh ủy Hưng Yên before 1 July 2025 (a sample of its districts), merged with Thái Bình that day.
HY_DISTRICTS = [
    ("HY-TP", "Thành ủy Hưng Yên", "phường", 6),
    ("HY-VL", "Huyện ủy Văn Lâm", "xã", 6),
    ("HY-KC", "Huyện ủy Khoái Châu", "xã", 6),
]
# Communes merged three into one on 1 July 2025 (the new province opened with 104).
COMMUNES_PER_NEW_COMMUNE = 3
REFORM_DAY = datetime.date(2025, 7, 1)

TB_BODIES = [
    ("TB-VP", "Văn phòng Tỉnh ủy", "van_phong"),
    ("TB-BTC", "Ban Tổ chức Tỉnh ủy", "ban_to_chuc"),
    # 2020–2025: propaganda and mass mobilization were two boards (merged only in 2025).
    ("TB-BTG", "Ban Tuyên giáo Tỉnh ủy", "ban_tuyen_giao"),
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
# Units whose numbers carry another issuer code than their kind's: a city committee under the
# province numbers like a provincial one, the committees directly under it by their own codes.
ISSUER_CODES = {"TB-TP": "TU", "TB-KCQ": "ĐUK", "TB-KDN": "ĐUK", "TB-QS": "ĐUQS", "TB-CA": "ĐUCA", "TB-BP": "ĐUBĐBP"}
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
# Fields the Standing Committee members are put in charge of (phụ trách lĩnh vực): the fields of
# the first twelve Standing Committee members, in the order of their seats and
# titles below: each holds the field of the office they really hold.
FIELDS = [
    "Phụ trách chung; quốc phòng - an ninh",  # the secretary
    "Công tác xây dựng Đảng, hệ thống chính trị; Hội đồng nhân dân",  # standing deputy, HĐND chair
    "Kinh tế - xã hội",  # deputy secretary, UBND chair
    "Tổ chức, cán bộ",  # head of the Organization Board
    "Kiểm tra, giám sát, kỷ luật đảng",  # chairman of the Inspection Commission
    "Tuyên giáo",  # head of the Propaganda Board
    "Công tác văn phòng cấp ủy",  # chief of the committee's office
    "Nông nghiệp, nông thôn mới",
    "Nội chính, phòng, chống tham nhũng",
    "Công nghiệp, đầu tư",
    "Văn hóa - xã hội",
    "Dân vận",
]


def demo_loaded() -> bool:
    return Organization.objects.filter(code="TB").exists()


@transaction.atomic
def load_demo(seed: int = 20201203) -> None:
    rng = random.Random(seed)
    actor = system_user()
    kinds = {k.code: k for k in OrgKind.objects.all()}

    def unit(parent, code, name, kind, short=""):
        # The 2020–2025 tree of the source reports: districts under provinces, as placed then.
        return do_create_organization(
            parent=parent,
            code=code,
            name=name,
            kind=kinds[kind],
            short_name=short,
            issuer_code=ISSUER_CODES.get(code, ""),
            placed_on=datetime.date(2020, 10, 1),
            acting_user=actor,
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
    term = do_create_term(
        tb, number="XX", start_year=2020, end_year=2025, began_on=datetime.date(2020, 10, 16), acting_user=actor
    )
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
        5: "Trưởng Ban Tuyên giáo Tỉnh ủy",
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
            do_create_term(
                d, number="XXIV", start_year=2020, end_year=2025, began_on=datetime.date(2020, 5, 20), acting_user=actor
            )
        if code == "QN-BL":
            do_create_term(d, number="XXVIII", start_year=2020, end_year=2025, acting_user=actor)

    hy = load_demo_hung_yen(unit, person, centre=centre, rng=rng, used=used)
    load_demo_documents(actor, centre=centre, tb=tb, qn=qn)
    load_demo_indicators(actor, tb=tb, rng=rng)

    logins = {}
    for username, _label, code, role in DEMO_LOGINS:
        logins[username] = do_create_user(
            username=username,
            password=DEMO_PASSWORD,
            full_name="",
            organization=Organization.objects.get(code=code),
            role=role,
            acting_user=actor,
        )
    for username, user in logins.items():
        get_user_model().objects.filter(pk=user.pk).update(email=f"{username}@{DEMO_EMAIL_DOMAIN}")
    # The office registers, numbers and issues the committee's documents and drafts its plans
    # (its working rules); the propaganda board registers the drafts it prepares.
    for code, kind in (("TB-VP", MandateKind.OFFICE), ("TB-BTG", MandateKind.DRAFTING)):
        do_give_mandate(
            tb, agent=bodies[code], kind=kind, started_on=datetime.date(2020, 10, 16),
            decision="Quy chế làm việc của Ban Chấp hành Đảng bộ tỉnh khóa XX", acting_user=actor,
        )  # fmt: skip
    # The province and district logins belong to their secretaries: "Tôi phụ trách" lists their tasks.
    do_link_person(logins["tinhuy"], standing[0], acting_user=actor)
    dong_hung = next(d for d in districts if d.code == "TB-DH")
    do_link_person(logins["huyen"], district_secretaries[districts.index(dong_hung)], acting_user=actor)
    load_demo_inspections(actor, tb=tb, hy=hy)
    load_demo_election(actor, tb=tb)
    load_demo_reorganization(actor, centre=centre, provinces=[tb, hy])
    username, _label, code, role = NEW_PROVINCE_LOGIN
    new_login = do_create_user(
        username=username,
        password=DEMO_PASSWORD,
        full_name="",
        organization=Organization.objects.current().get(code=code),
        role=role,
        acting_user=actor,
    )
    get_user_model().objects.filter(pk=new_login.pk).update(email=f"{username}@{DEMO_EMAIL_DOMAIN}")
    load_demo_incoming_today(actor)
    if connection.vendor == "postgresql":
        # A freshly loaded database has no statistics yet: the planner takes every table for a
        # handful of rows and nests loops over thousands (an access check ran for minutes).
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


def load_demo_incoming(actor, *, tb, documents) -> None:
    """21-KL/TW reaching the province (seed 002): received, directed on the processing slip to
    the office with the propaganda board, answered by the action program 10-CTr/TU — two weeks
    after the deadline the secretary set."""
    from hienthuc.documents.models import Document, DocumentKind
    from hienthuc.incoming.actions import do_answer_incoming, do_direct_incoming, do_receive_document

    office, board = (Organization.objects.get(code=code) for code in ("TB-VP", "TB-BTG"))
    kl21 = do_receive_document(
        tb, receipt_number=1287, received_on=datetime.date(2021, 10, 27), sender="Ban Chấp hành Trung ương Đảng",
        number_text="21-KL/TW", original_date=datetime.date(2021, 10, 25), kind=DocumentKind.objects.get(code="ket_luan"),
        summary=documents["kl21"].summary, urgency="khan", acting_user=actor,
    )  # fmt: skip
    do_direct_incoming(
        kl21, directed_by="Bí thư Tỉnh ủy", directed_on=datetime.date(2021, 10, 28), assigned_unit=office,
        direction="Giao Văn phòng Tỉnh ủy chủ trì, phối hợp Ban Tuyên giáo Tỉnh ủy tham mưu Chương trình hành động "
        "thực hiện Kết luận, trình Ban Thường vụ; tổ chức hội nghị trực tuyến quán triệt toàn tỉnh.",
        deadline_text="30/11/2021", acting_user=actor,
    )  # fmt: skip
    do_answer_incoming(kl21, Document.objects.get(issuing_unit=tb, number_normalized="10-CTr/TU"), acting_user=actor)
    guide = do_receive_document(
        tb, receipt_number=1290, received_on=datetime.date(2021, 10, 29), sender="Ban Bí thư Trung ương Đảng",
        number_text="01-HD/TW", original_date=datetime.date(2021, 9, 28), kind=DocumentKind.objects.get(code="huong_dan"),
        summary=documents["hd01"].summary, acting_user=actor,
    )  # fmt: skip
    do_direct_incoming(
        guide, directed_by="Phó Bí thư Thường trực Tỉnh ủy", directed_on=datetime.date(2021, 11, 1), assigned_unit=board,
        direction="Giao Ban Tuyên giáo Tỉnh ủy đưa vào nội dung hội nghị quán triệt ngày 03/11/2021.",
        deadline_text="03/11/2021", acting_user=actor,
    )  # fmt: skip


def load_demo_meetings(actor, *, tb, documents) -> None:
    """The term's second Executive Committee session and the online study conference of
    3-11-2021 (seed 002): a main point at the committee's hall linked to the People's Committee
    and 213 bridge points, over 8,000 key cadres, seven documents and their rapporteurs; and the
    congress resolution studied by every member in December 2020."""
    from django.utils import timezone

    from hienthuc.meetings.actions import (
        do_add_agenda_item,
        do_add_bridge_point,
        do_check_in,
        do_create_meeting,
        do_invite,
        do_record_headcount,
        do_record_item,
        do_record_meeting,
    )
    from hienthuc.people.models import Person

    def at(*args):
        return timezone.make_aware(datetime.datetime(*args))

    units = {u.code: u for u in Organization.objects.filter(path__startswith=tb.path)}
    session = do_create_meeting(
        tb, kind="executive", title="Hội nghị Ban Chấp hành Đảng bộ tỉnh lần thứ 2, khóa XX", starts_at=at(2021, 1, 12, 8),
        place="Hội trường Tỉnh ủy", number=2, acting_user=actor,
    )  # fmt: skip
    for matter, prepared_by, presenter, outcome in (
        ("Thông qua Chương trình làm việc toàn khóa của Ban Chấp hành Đảng bộ tỉnh khóa XX", "TB-VP",
         "Chánh Văn phòng Tỉnh ủy", "Thông qua"),
        ("Thông qua Quy chế làm việc của Ban Chấp hành, Ban Thường vụ, Thường trực Tỉnh ủy khóa XX", "TB-VP",
         "Chánh Văn phòng Tỉnh ủy", "Thông qua"),
        ("Cho ý kiến Chương trình kiểm tra, giám sát toàn khóa", "TB-UBKT", "Chủ nhiệm Ủy ban Kiểm tra", "Thông qua"),
    ):  # fmt: skip
        item = do_add_agenda_item(
            session, matter=matter, preparing_unit=units[prepared_by], presenter=presenter,
            draft_due=datetime.date(2021, 1, 5), acting_user=actor,
        )  # fmt: skip
        do_record_item(item, taken=True, outcome=outcome, votes_for=49, votes_against=0, votes_abstain=0, summoned=51,
                       draft_received_on=datetime.date(2021, 1, 6), acting_user=actor)  # fmt: skip
    do_record_meeting(session, status="held", minutes="Hội nghị thông qua 3/3 nội dung.", acting_user=actor)

    def conference(title, starts_at, document_keys, hosts, *, by_number=False):
        meeting = do_create_meeting(
            tb, kind="study", title=title, starts_at=starts_at, format="online", place="Hội trường Tỉnh ủy",
            documents=[documents[k] for k in document_keys], acting_user=actor,
        )  # fmt: skip
        main = do_add_bridge_point(meeting, unit=tb, name="Hội trường Tỉnh ủy (điểm cầu chính)", is_main=True,
                                   capacity=400, acting_user=actor)  # fmt: skip
        # A grassroots point summons its commune's key cadres by number, not by name.
        points = [main] + [
            do_add_bridge_point(
                meeting,
                unit=u,
                capacity=80,
                planned=46 if by_number and u.depth == tb.depth + 2 else None,
                acting_user=actor,
            )  # fmt: skip
            for u in hosts
        ]
        for point in points:
            people = list(Person.objects.filter(home_unit=point.unit, is_active=True).select_related("home_unit"))
            do_invite(meeting, point=point, people=people, acting_user=actor)
        return meeting, points

    districts = [
        u for u in units.values() if u.depth == tb.depth + 1 and u.kind.code in ("huyen_uy", "dang_uy_truc_thuoc")
    ]
    districts.sort(key=lambda u: u.path)
    grassroots = sorted((u for u in units.values() if u.depth == tb.depth + 2), key=lambda u: u.path)
    # December 2020: the congress resolution, studied by every member of the province.
    congress, points = conference(
        "Hội nghị học tập, quán triệt Nghị quyết Đại hội đại biểu Đảng bộ tỉnh lần thứ XX", at(2020, 12, 15, 8),
        ["nqdh"], districts + grassroots,
    )  # fmt: skip
    for point in points:
        for invitation in point.invitations.select_related("person"):
            do_check_in(point_id=point.pk, person_id=invitation.person_id, acting_user=actor)
    do_record_meeting(congress, status="held", minutes="Toàn bộ đảng viên đã học tập, quán triệt.", acting_user=actor)
    # 3-11-2021: the People's Committee, the 13 committees under the province and 199 grassroots points.
    study, points = conference(
        "Hội nghị trực tuyến toàn tỉnh nghiên cứu, quán triệt Kết luận 21-KL/TW, Kết luận 14-KL/TW, Quy định "
        "37-QĐ/TW, Quy định 24-QĐ/TW, Hướng dẫn 01-HD/TW, Quy định 22-QĐ/TW và Nghị quyết 01-NQ/TU",
        at(2021, 11, 3, 8), ["kl21", "kl14", "qd37", "qd24", "hd01", "qd22", "nq01tu"],
        [units["TB-UBND"], *districts, *grassroots[:199]], by_number=True,
    )  # fmt: skip
    for content, lead, title in TB_STUDY[:4]:
        do_add_agenda_item(study, matter=content, preparing_unit=units[lead], presenter=title, acting_user=actor)
    rng = random.Random(20211103)
    for point in points:
        for n, invitation in enumerate(point.invitations.select_related("person").order_by("person_id")):
            if n % 25 != 24:  # one in twenty-five excused
                do_check_in(point_id=point.pk, person_id=invitation.person_id, acting_user=actor)
        if point.unit.depth == tb.depth + 2:
            # Grassroots points counted their rooms: key cadres of the commune and its cells.
            do_record_headcount(point, count=rng.randint(38, 46), acting_user=actor)
    do_record_meeting(
        study, status="held", acting_user=actor,
        minutes="Trên 8.000 cán bộ chủ chốt các cấp dự tại 214 điểm cầu; các báo cáo viên truyền đạt 7 văn bản.",
    )  # fmt: skip
    # Reflections on 21-KL/TW in the first district's grassroots units, some marked by their cells.
    from hienthuc.meetings.actions import do_mark_reflection, do_submit_reflection
    from hienthuc.meetings.models import Study

    studied = Study.objects.filter(document=documents["kl21"], path__startswith=districts[0].path).select_related(
        "person__home_unit"
    )
    for n, record in enumerate(studied.order_by("person_id")[:12]):
        reflection = do_submit_reflection(
            documents["kl21"], person=record.person, acting_user=actor,
            text="Qua học tập Kết luận 21-KL/TW, bản thân nhận thức rõ hơn yêu cầu tự soi, tự sửa, nêu gương; "
            "đăng ký khắc phục hạn chế trong kiểm điểm cuối năm.",
        )  # fmt: skip
        if n % 3 != 2:
            do_mark_reflection(reflection, mark="good" if n % 2 else "excellent", acting_user=actor)


def load_demo_incoming_today(actor) -> None:
    """What the new province's office has on its desk today: one document waiting past its
    processing day, one direction whose deadline has passed."""
    from django.utils import timezone

    from hienthuc.incoming.actions import do_direct_incoming, do_receive_document
    from hienthuc.incoming.models import next_working_day

    province = Organization.objects.current().get(code="HY")
    office = Organization.objects.current().get(code="HY-VP")
    today = timezone.localdate()
    # Eight days back is at least four working days: both are late whatever weekday today is.
    earlier = today - datetime.timedelta(days=8)
    do_receive_document(
        province, received_on=earlier, sender="Ban Tổ chức Trung ương",
        number_text="05-HD/BTCTW", original_date=earlier - datetime.timedelta(days=3),
        summary="Hướng dẫn kiểm điểm, đánh giá, xếp loại chất lượng tổ chức đảng, đảng viên năm " + str(today.year),
        urgency="khan", acting_user=actor,
    )  # fmt: skip
    report = do_receive_document(
        province, received_on=earlier, sender="Văn phòng Trung ương Đảng", number_text="1520-CV/VPTW",
        summary="V/v báo cáo kết quả thực hiện các kết luận của Bộ Chính trị, Ban Bí thư năm " + str(today.year),
        acting_user=actor,
    )  # fmt: skip
    do_direct_incoming(
        report, directed_by="Chánh Văn phòng Tỉnh ủy", directed_on=next_working_day(earlier),
        direction="Giao Văn phòng Tỉnh ủy tổng hợp, dự thảo báo cáo, trình Thường trực Tỉnh ủy.",
        assigned_unit=office, deadline_text=(today - datetime.timedelta(days=2)).strftime("%d/%m/%Y"),
        acting_user=actor,
    )  # fmt: skip


def load_demo_hung_yen(unit, person, *, centre, rng, used) -> "Organization":
    """The old Tỉnh ủy Hưng Yên: its office, three district-level committees and their communes."""
    hy = unit(centre, "HY", "Tỉnh ủy Hưng Yên", "tinh_uy", "TU Hưng Yên")
    unit(hy, "HY-VP", "Văn phòng Tỉnh ủy Hưng Yên", "van_phong")
    for code, name, commune_kind, count in HY_DISTRICTS:
        district = unit(hy, code, name, "huyen_uy")
        person(district, born=(1962, 1975))
        for i in range(1, count + 1):
            commune = unit(
                district, f"{code}-{i:02d}", f"Đảng ủy {commune_kind} {names.place(rng, used)}", "dang_uy_co_so"
            )
            person(commune)
    return hy


def load_demo_reorganization(actor, *, centre, provinces) -> None:
    """The 1 July 2025 reorganization: Thái Bình and Hưng Yên merged into the new Tỉnh ủy Hưng
    Yên, every district committee dissolved into it, communes merged three into one, applied.
    Open tasks, unmet plans, report duties and members went to the successors; the old logins
    keep their roles on the old units, whose pages show the tree as it stood on 30 June 2025."""
    from hienthuc.reorgs.actions import (
        do_add_operation,
        do_apply_reorganization,
        do_create_reorganization,
        do_set_carry_choices,
    )

    kinds = {k.code: k for k in OrgKind.objects.all()}
    reorg = do_create_reorganization(
        unit=centre,
        title="Hợp nhất Đảng bộ tỉnh Thái Bình và Đảng bộ tỉnh Hưng Yên thành Đảng bộ tỉnh Hưng Yên",
        effective_on=REFORM_DAY,
        acting_user=actor,
    )
    tb, hy = provinces
    do_add_operation(
        reorg, kind="merge", units=provinces, new_code="HY", new_name="Tỉnh ủy Hưng Yên", new_short_name="TU Hưng Yên",
        new_kind=kinds["tinh_uy"], new_parent=centre, acting_user=actor,
    )  # fmt: skip
    offices = list(Organization.objects.filter(code__in=["TB-VP", "HY-VP"]))
    do_add_operation(
        reorg, kind="merge", units=offices, new_code="HY-VP", new_name="Văn phòng Tỉnh ủy Hưng Yên",
        new_kind=kinds["van_phong"], new_parent=hy, acting_user=actor,
    )  # fmt: skip
    number = 0
    for province in provinces:
        for district in Organization.objects.children_of(province).filter(kind__code="huyen_uy"):
            do_add_operation(reorg, kind="dissolve", units=[district], target=province, acting_user=actor)
            communes = list(Organization.objects.children_of(district).order_by("path"))
            groups = [
                communes[i : i + COMMUNES_PER_NEW_COMMUNE] for i in range(0, len(communes), COMMUNES_PER_NEW_COMMUNE)
            ]
            if len(groups) > 1 and len(groups[-1]) == 1:
                last = groups.pop()
                groups[-1] += last  # a merger takes at least two
            for group in groups:
                number += 1
                # The merged commune or ward takes the first one's name, as many did.
                do_add_operation(
                    reorg, kind="merge", units=group, new_code=f"HY-X{number:03d}",
                    new_name=group[0].name, new_kind=kinds["dang_uy_xa"], new_parent=province,
                    acting_user=actor,
                )  # fmt: skip
    # The district committees' reports of the quarters after the date were sent before the
    # decision was registered: the date is confirmed knowingly, as an office would.
    reorg = do_set_carry_choices(
        reorg,
        carry={},
        move_roles=False,
        reports_confirmed="Quyết định của Bộ Chính trị có hiệu lực từ 01/7/2025; báo cáo đã nộp giữ nguyên.",
        acting_user=actor,
    )
    do_apply_reorganization(reorg, acting_user=actor)


TB_GOAL = (
    "Phấn đấu xây dựng Thái Bình đến năm 2025 trở thành tỉnh phát triển khá, đến năm 2030 theo kịp nhóm dẫn đầu "
    "và đến năm 2045 là tỉnh phát triển trong khu vực đồng bằng sông Hồng."
)
# (key, unit code, kind code, number as typed, body, date, summary, signer)
DEMO_DOCUMENTS = [
    (
        "kl21",
        "TW",
        "ket_luan",
        "21-KL/TW",
        "bch",
        (2021, 10, 25),
        "về đẩy mạnh xây dựng, chỉnh đốn Đảng và hệ thống chính trị; kiên quyết ngăn chặn, đẩy lùi, xử lý nghiêm cán bộ, "
        "đảng viên suy thoái về tư tưởng chính trị, đạo đức, lối sống, biểu hiện “tự diễn biến”, “tự chuyển hóa”",
        "",
    ),
    (
        "kl14",
        "TW",
        "ket_luan",
        "14-KL/TW",
        "btv",
        (2021, 9, 22),
        "về chủ trương khuyến khích và bảo vệ cán bộ năng động, sáng tạo vì lợi ích chung",
        "",
    ),
    ("qd37", "TW", "quy_dinh", "37-QĐ/TW", "bch", (2021, 10, 25), "về những điều đảng viên không được làm", ""),
    ("qd24", "TW", "quy_dinh", "24-QĐ/TW", "bch", (2021, 7, 30), "về thi hành Điều lệ Đảng", ""),
    ("hd01", "TW", "huong_dan", "01-HĐ/TW", "tt", (2021, 9, 28), "về một số vấn đề cụ thể thi hành Điều lệ Đảng", ""),
    (
        "qd22",
        "TW",
        "quy_dinh",
        "22-QĐ/TW",
        "bch",
        (2021, 7, 28),
        "về công tác kiểm tra, giám sát và kỷ luật của Đảng",
        "",
    ),
    (
        "nqdh",
        "TB",
        "nghi_quyet",
        "01-NQ/ĐH",
        "dh",
        (2020, 10, 16),
        "Nghị quyết Đại hội đại biểu Đảng bộ tỉnh Thái Bình lần thứ XX, nhiệm kỳ 2020 - 2025. Mục tiêu tổng quát: "
        + TB_GOAL,
        "",
    ),
    (
        "qc01",
        "TB",
        "quy_che",
        "01-QC/TU",
        "bch",
        (2020, 12, 10),
        "Quy chế làm việc của Ban Chấp hành Đảng bộ tỉnh khóa XX, nhiệm kỳ 2020 - 2025",
        "",
    ),
    (
        "ctr02",
        "TB",
        "chuong_trinh",
        "02-CTr/TU",
        "bch",
        (2020, 12, 10),
        "Chương trình làm việc toàn khóa của Ban Chấp hành Đảng bộ tỉnh khóa XX, nhiệm kỳ 2020 - 2025",
        "",
    ),
    (
        "ctr03",
        "TB",
        "chuong_trinh",
        "03-CTr/TU",
        "bch",
        (2020, 12, 10),
        "Chương trình kiểm tra, giám sát toàn khóa của Ban Chấp hành Đảng bộ tỉnh khóa XX, nhiệm kỳ 2020 - 2025",
        "",
    ),
    (
        "bc15",
        "TB",
        "bao_cao",
        "15-BC/TU",
        "bch",
        (2020, 12, 3),
        "Báo cáo kết quả lãnh đạo thực hiện nhiệm vụ chính trị năm 2020, phương hướng, nhiệm vụ chủ yếu năm 2021 "
        "(GRDP năm 2020 ước tăng 3,23% so với năm 2019)",
        "",
    ),
    (
        "nq01tu",
        "TB",
        "nghi_quyet",
        "01-NQ/TU",
        "bch",
        (2021, 10, 4),
        "về tiếp tục đẩy mạnh xây dựng nông thôn mới, coi trọng xây dựng nông thôn mới nâng cao, nông thôn mới kiểu mẫu "
        "giai đoạn 2021 - 2025, định hướng đến năm 2030",
        "",
    ),
    (
        "nqmc",
        "QN-MC",
        "nghi_quyet",
        "01-NQ/ĐH",
        "dh",
        (2020, 5, 20),
        "Nghị quyết Đại hội đại biểu Đảng bộ thành phố Móng Cái lần thứ XXIV, nhiệm kỳ 2020 - 2025: xây dựng Móng Cái "
        "trở thành trung tâm dịch vụ thương mại, du lịch, cảng biển trọng điểm của tỉnh",
        "",
    ),
    (
        "ctrmc",
        "QN-MC",
        "chuong_trinh",
        "01-CTr/TU",
        "bch",
        (2020, 6, 15),
        "Chương trình hành động thực hiện Nghị quyết Đại hội đại biểu Đảng bộ thành phố Móng Cái lần thứ XXIV",
        "",
    ),
    (
        "ctrmc2",
        "QN-MC",
        "chuong_trinh",
        "02-CTr/TU",
        "bch",
        (2020, 6, 15),
        "Chương trình làm việc toàn khóa của Ban Chấp hành Đảng bộ thành phố Móng Cái khóa XXIV, nhiệm kỳ 2020 - 2025",
        "",
    ),
    (
        "ctrmc3",
        "QN-MC",
        "chuong_trinh",
        "03-CTr/TU",
        "bch",
        (2020, 6, 15),
        "Chương trình kiểm tra, giám sát toàn khóa của Ban Chấp hành Đảng bộ thành phố Móng Cái khóa XXIV, nhiệm kỳ 2020 - 2025",
        "",
    ),
    (
        "ctrbl",
        "QN-BL",
        "chuong_trinh",
        "01-CTr/HU",
        "bch",
        (2020, 6, 20),
        "Chương trình hành động thực hiện Nghị quyết Đại hội đại biểu Đảng bộ huyện Bình Liêu lần thứ XXVIII, "
        "nhiệm kỳ 2020 - 2025",
        "",
    ),
]
DEMO_LINKS = [
    ("qc01", "nqdh", "implements"), ("ctr02", "nqdh", "implements"), ("ctr03", "nqdh", "implements"),
    ("nq01tu", "nqdh", "implements"), ("hd01", "qd24", "guides"), ("ctrmc", "nqmc", "implements"),
    ("ctrmc2", "nqmc", "implements"), ("ctrmc3", "nqmc", "implements"),
]  # fmt: skip


def load_demo_documents(actor, *, centre, tb, qn) -> None:
    from hienthuc.documents.actions import do_create_document, do_link_documents
    from hienthuc.documents.models import DocumentKind

    do_create_term(
        centre, number="XIII", start_year=2021, end_year=2026, began_on=datetime.date(2021, 2, 1), acting_user=actor
    )
    kinds = {k.code: k for k in DocumentKind.objects.all()}
    units = {u.code: u for u in Organization.objects.filter(code__in={d[1] for d in DEMO_DOCUMENTS})}
    places = {"TW": "Hà Nội", "TB": "Thái Bình", "TB-DH": "Đông Hưng", "QN-MC": "Móng Cái", "QN-BL": "Bình Liêu"}
    made = {}
    for key, unit, kind, number, body, (y, m, d), summary, signer in DEMO_DOCUMENTS:
        made[key] = do_create_document(
            issuing_unit=units[unit],
            kind=kinds[kind],
            number_text=number,
            issuing_body=body,
            issued_on=datetime.date(y, m, d),
            place=places[unit],
            summary=summary,
            signer=signer,
            acting_user=actor,
        )
    for source, target, kind in DEMO_LINKS:
        do_link_documents(made[source], made[target], kind=kind, acting_user=actor)
    from hienthuc.plans.actions import do_add_goal

    do_add_goal(made["nqdh"], kind="general", text=TB_GOAL, acting_user=actor)
    for year, text in ((2025, "Trở thành tỉnh phát triển khá"), (2030, "Theo kịp nhóm dẫn đầu"),
                       (2045, "Là tỉnh phát triển trong khu vực đồng bằng sông Hồng")):  # fmt: skip
        do_add_goal(made["nqdh"], kind="staged", year=year, text=text, acting_user=actor)
    for text in (
        "Khai thác hiệu quả tiềm năng, lợi thế khu kinh tế cửa khẩu",
        "Phát triển hệ thống kết cấu hạ tầng đồng bộ, hiện đại",
        "Phát triển lĩnh vực văn hóa - xã hội, nâng cao đời sống vật chất và tinh thần của nhân dân",
        "Bảo đảm vững chắc quốc phòng - an ninh, nâng cao hiệu quả quan hệ đối ngoại và hội nhập quốc tế",
    ):
        do_add_goal(made["nqmc"], kind="key_task", text=text, acting_user=actor)
    load_demo_plans(actor, tb=tb, documents=made)
    load_demo_incoming(actor, tb=tb, documents=made)
    load_demo_meetings(actor, tb=tb, documents=made)


# The province's action program for the XX congress resolution: (section, content, lead,
# cooperating, output, deadline, leader's title, what happened). What happened is a completion
# date, a progress percentage, or "?" for an overdue task the Standing Committee asks about.
S1, S2, S3, S4, S5 = (
    "I. XÂY DỰNG ĐẢNG VÀ HỆ THỐNG CHÍNH TRỊ", "II. PHÁT TRIỂN KINH TẾ", "III. VĂN HÓA - XÃ HỘI",
    "IV. QUỐC PHÒNG, AN NINH", "V. TỔ CHỨC THỰC HIỆN",
)  # fmt: skip
TB_PROGRAM = [
    (S1, "Tổ chức học tập, quán triệt Nghị quyết Đại hội XX đến 100% tổ chức đảng", "TB-BTG", ["TB-VP"], "Báo cáo kết quả quán triệt", "Quý I/2021", "Trưởng Ban Tuyên giáo", (2021, 3, 20)),
    (S1, "Ban hành Quy chế làm việc của Ban Chấp hành Đảng bộ tỉnh khóa XX", "TB-VP", ["TB-BTC"], "Quy chế làm việc", "Tháng 12/2020", "Chánh Văn phòng", (2020, 12, 10)),
    (S1, "Xây dựng Chương trình kiểm tra, giám sát toàn khóa", "TB-UBKT", ["TB-VP"], "Chương trình kiểm tra, giám sát", "Tháng 12/2020", "Chủ nhiệm Ủy ban Kiểm tra", (2021, 1, 15)),
    (S1, "Xây dựng Chương trình làm việc toàn khóa của Ban Chấp hành Đảng bộ tỉnh", "TB-VP", [], "Chương trình làm việc", "Tháng 1/2021", "Chánh Văn phòng", (2021, 1, 20)),
    (S1, "Rà soát, bổ sung quy hoạch cán bộ nhiệm kỳ 2025 - 2030", "TB-BTC", [], "Đề án quy hoạch cán bộ", "Quý IV/2022", "Trưởng Ban Tổ chức", (2022, 12, 20)),
    (S1, "Kiểm tra việc thực hiện Quy định 37-QĐ/TW về những điều đảng viên không được làm", "TB-UBKT", ["TB-BTC"], "Thông báo kết luận kiểm tra", "Thường xuyên", "Chủ nhiệm Ủy ban Kiểm tra", None),
    (S1, "Đề án nâng cao chất lượng sinh hoạt chi bộ giai đoạn 2021 - 2025", "TB-BTC", ["TB-BTG"], "Đề án", "Quý II/2021", "Trưởng Ban Tổ chức", (2021, 7, 30)),
    (S1, "Sắp xếp, kiện toàn tổ chức bộ máy các cơ quan tham mưu của Tỉnh ủy", "TB-BTC", ["TB-VP"], "Đề án sắp xếp tổ chức bộ máy", "Năm 2022", "Trưởng Ban Tổ chức", "?"),
    (S1, "Đẩy mạnh học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh", "TB-BTG", ["TB-KCQ", "TB-KDN"], "Báo cáo sơ kết hằng năm", "Thường xuyên", "Trưởng Ban Tuyên giáo", None),
    (S1, "Thực hiện Quy chế dân chủ ở cơ sở; tăng cường công tác dân vận của chính quyền", "TB-BTG", ["TB-UBND"], "Báo cáo", "Năm 2023", "Trưởng Ban Tuyên giáo", (2023, 12, 15)),
    (S1, "Chuyển đổi số trong hoạt động của các cơ quan đảng", "TB-VP", [], "Hệ thống thông tin điều hành", "Năm 2025", "Chánh Văn phòng", (2026, 2, 10)),
    (S2, "Xây dựng đề án phát triển nông thôn mới nâng cao, kiểu mẫu giai đoạn 2021 - 2025", "TB-UBND", ["TB-HH", "TB-KX"], "Đề án", "6 tháng đầu năm 2021", "Phó Bí thư Tỉnh ủy, Chủ tịch UBND", 70),
    (S2, "Đề án phát triển Khu kinh tế Thái Bình", "TB-UBND", ["TB-TT", "TB-TH"], "Đề án trình Thủ tướng Chính phủ", "Năm 2022", "Phó Bí thư Tỉnh ủy, Chủ tịch UBND", (2022, 11, 30)),
    (S2, "Chương trình chuyển đổi số tỉnh đến năm 2025, định hướng đến năm 2030", "TB-UBND", ["TB-VP"], "Chương trình", "Quý III/2021", "Phó Bí thư Tỉnh ủy, Chủ tịch UBND", (2021, 8, 25)),
    (S2, "Thu hút đầu tư vào các khu, cụm công nghiệp", "TB-UBND", ["TB-KDN"], "Báo cáo hằng năm", "Thường xuyên", "Phó Bí thư Tỉnh ủy, Chủ tịch UBND", None),
    (S2, "Hoàn thành các chỉ tiêu kinh tế - xã hội giai đoạn 2021 - 2025", "TB-UBND", ["TB-HDND"], "Báo cáo tổng kết", "2021–2025", "Phó Bí thư Tỉnh ủy, Chủ tịch UBND", (2026, 1, 20)),
    (S2, "Quy hoạch tỉnh Thái Bình thời kỳ 2021 - 2030, tầm nhìn đến năm 2050", "TB-UBND", ["TB-HDND"], "Quy hoạch được phê duyệt", "Năm 2023", "Phó Bí thư Tỉnh ủy, Chủ tịch UBND", (2023, 12, 28)),
    (S2, "Đầu tư xây dựng tuyến đường bộ ven biển qua địa bàn tỉnh", "TB-UBND", ["TB-TT", "TB-TH"], "Công trình hoàn thành", "Năm 2025", "Phó Bí thư Tỉnh ủy, Chủ tịch UBND", "?"),
    (S2, "Phát triển điện khí, điện gió ngoài khơi và năng lượng tái tạo", "TB-UBND", ["TB-TH"], "Đề án", "Năm 2024", "Phó Bí thư Tỉnh ủy, Chủ tịch UBND", (2025, 3, 10)),
    (S2, "Tích tụ, tập trung ruộng đất, phát triển nông nghiệp hàng hóa", "TB-UBND", ["TB-QP", "TB-VT"], "Nghị quyết chuyên đề", "Quý II/2022", "Phó Bí thư Tỉnh ủy, Chủ tịch UBND", (2022, 6, 20)),
    (S2, "Nâng cao chỉ số năng lực cạnh tranh cấp tỉnh (PCI)", "TB-UBND", ["TB-KDN"], "Báo cáo hằng năm", "Thường xuyên", "Phó Bí thư Tỉnh ủy, Chủ tịch UBND", None),
    (S2, "Cải cách hành chính, xây dựng chính quyền số", "TB-UBND", ["TB-VP"], "Kế hoạch cải cách hành chính", "Năm 2026", "Phó Bí thư Tỉnh ủy, Chủ tịch UBND", 60),
    (S2, "Phát triển thành phố Thái Bình đạt đô thị loại I", "TB-TP", ["TB-UBND"], "Đề án", "Năm 2027", "Bí thư Thành ủy", 45),
    (S2, "Phát triển kinh tế biển gắn với bảo vệ môi trường vùng ven biển", "TB-TH", ["TB-TT", "TB-UBND"], "Báo cáo", "Quý IV/2026", "", 80),
    (S3, "Nâng cao chất lượng giáo dục và đào tạo; xây dựng trường đạt chuẩn quốc gia", "TB-UBND", [], "Báo cáo", "Năm 2025", "Phó Bí thư Tỉnh ủy, Chủ tịch UBND", (2025, 12, 20)),
    (S3, "Củng cố mạng lưới y tế cơ sở, nâng cao chất lượng khám, chữa bệnh", "TB-UBND", [], "Đề án", "Năm 2022", "Phó Bí thư Tỉnh ủy, Chủ tịch UBND", (2023, 2, 15)),
    (S3, "Bảo tồn, phát huy giá trị di sản văn hóa; xây dựng con người Thái Bình", "TB-BTG", ["TB-UBND"], "Nghị quyết chuyên đề", "Năm 2022", "Trưởng Ban Tuyên giáo", (2022, 9, 15)),
    (S3, "Thực hiện chính sách an sinh xã hội, giảm nghèo bền vững", "TB-UBND", ["TB-HDND"], "Báo cáo hằng năm", "Thường xuyên", "Phó Bí thư Tỉnh ủy, Chủ tịch UBND", None),
    (S3, "Phòng, chống dịch COVID-19 và thích ứng an toàn, linh hoạt", "TB-UBND", ["TB-CA", "TB-QS"], "Kế hoạch", "Tháng 12/2021", "Phó Bí thư Thường trực", (2021, 11, 20)),
    (S3, "Xây dựng đời sống văn hóa ở khu dân cư; phong trào Toàn dân đoàn kết", "TB-BTG", [], "Báo cáo", "Năm 2026", "Trưởng Ban Tuyên giáo", 50),
    (S3, "Tạo việc làm, đào tạo nghề cho lao động nông thôn", "TB-UBND", ["TB-KDN"], "Báo cáo", "Quý III/2026", "Phó Bí thư Tỉnh ủy, Chủ tịch UBND", "?"),
    (S4, "Xây dựng khu vực phòng thủ tỉnh vững chắc", "TB-QS", ["TB-CA", "TB-BP"], "Báo cáo", "Năm 2025", "", (2025, 11, 30)),
    (S4, "Bảo đảm an ninh chính trị, trật tự an toàn xã hội dịp Tết", "TB-CA", ["TB-QS"], "Báo cáo", "Tháng 2/2022", "", (2022, 2, 25)),
    (S4, "Tổ chức diễn tập khu vực phòng thủ cấp huyện", "TB-QS", ["TB-DH", "TB-HH"], "Báo cáo kết quả diễn tập", "Năm 2023", "", (2023, 10, 12)),
    (S4, "Quản lý, bảo vệ chủ quyền vùng biển, giữ vững an ninh biên giới biển", "TB-BP", ["TB-QS"], "Báo cáo", "Thường xuyên", "", None),
    (S4, "Giải quyết dứt điểm khiếu nại, tố cáo kéo dài", "TB-UBND", ["TB-CA", "TB-UBKT"], "Báo cáo", "Năm 2024", "Phó Bí thư Tỉnh ủy, Chủ tịch UBND", (2025, 4, 18)),
    (S5, "Sơ kết giữa nhiệm kỳ việc thực hiện Nghị quyết Đại hội XX", "TB-VP", ["TB-BTG"], "Báo cáo sơ kết", "Quý II/2023", "Phó Bí thư Thường trực", (2023, 6, 28)),
    (S5, "Tổng kết thực hiện Nghị quyết Đại hội XX, chuẩn bị văn kiện Đại hội XXI", "TB-VP", ["TB-BTG", "TB-BTC"], "Báo cáo chính trị", "Quý II/2025", "Bí thư Tỉnh ủy", (2025, 6, 30)),
    (S5, "Đôn đốc các cấp ủy báo cáo kết quả thực hiện Chương trình hành động hằng năm", "TB-VP", [], "Báo cáo hằng năm", "Thường xuyên", "Chánh Văn phòng", None),
    (S5, "Đánh giá kết quả thực hiện Chương trình hành động năm 2026", "TB-VP", [], "Báo cáo", "Tháng 12/2026", "Chánh Văn phòng", 30),
]  # fmt: skip

# The province online conference of seed 002 (3-11-2021) and what it studied.
TB_STUDY = [
    ("Thông báo nhanh kết quả Hội nghị Trung ương 4 khóa XIII; quán triệt Kết luận 21-KL/TW, Kết luận 14-KL/TW và Quy định 37-QĐ/TW", "TB", "Bí thư Tỉnh ủy"),
    ("Quán triệt Quy định 24-QĐ/TW và Hướng dẫn 01-HD/TW về thi hành Điều lệ Đảng", "TB-BTC", "Trưởng Ban Tổ chức"),
    ("Quán triệt Quy định 22-QĐ/TW về công tác kiểm tra, giám sát và kỷ luật của Đảng", "TB-UBKT", "Chủ nhiệm Ủy ban Kiểm tra"),
    ("Quán triệt Nghị quyết 01-NQ/TU về xây dựng nông thôn mới nâng cao, kiểu mẫu", "TB-BTG", "Trưởng Ban Tuyên giáo"),
    ("Chuẩn bị hội trường, kết nối điểm cầu chính với 213 điểm cầu các huyện ủy, thành ủy, đảng ủy trực thuộc và cơ sở", "TB-VP", "Chánh Văn phòng"),
]  # fmt: skip

# The province's action program for 21-KL/TW (10-CTr/TU).
TB_KL21 = [
    ("Kiểm điểm tự phê bình và phê bình theo Kết luận 21-KL/TW gắn với kiểm điểm cuối năm", "TB-BTC", "Quý I/2022", (2022, 2, 28)),
    ("Rà soát, nhận diện biểu hiện suy thoái, “tự diễn biến”, “tự chuyển hóa” trong nội bộ", "TB-UBKT", "Năm 2022", (2023, 1, 20)),
    ("Bảo vệ nền tảng tư tưởng của Đảng, đấu tranh phản bác các quan điểm sai trái, thù địch", "TB-BTG", "Thường xuyên", None),
    ("Sơ kết 5 năm thực hiện Kết luận 21-KL/TW", "TB-VP", "Quý IV/2026", None),
]  # fmt: skip


def load_demo_plans(actor, *, tb, documents) -> None:
    """Plans with tasks in every status, cascaded to the district-level committees: some
    issued their own plans on time, some late, some not yet; overdue tasks with explanation
    requests, one of them answered."""
    from hienthuc.documents.actions import do_link_documents, suggest_issuer
    from hienthuc.people.models import Person
    from hienthuc.plans.actions import (
        do_add_task,
        do_answer_explanation,
        do_create_plan,
        do_issue_plan,
        do_record_progress,
        do_request_explanation,
        do_require_plans,
    )

    units = {u.code: u for u in Organization.objects.filter(path__startswith=tb.path, depth__lte=tb.depth + 1)}
    districts = [u for code, u in units.items() if u.kind.code in ("huyen_uy", "dang_uy_truc_thuoc")]
    people = Person.objects.filter(positions__unit__path__startswith=tb.path, positions__unit__depth__lte=tb.depth + 1)

    @functools.cache
    def leader(title: str):
        return people.filter(positions__title__startswith=title).first() if title else None

    @functools.cache
    def secretary(unit):
        """The district's secretary leads what the district committee leads ("Tôi phụ trách" of `huyen`)."""
        return Person.objects.filter(positions__unit=unit, positions__title__startswith="Bí thư").first()

    def complete(task, day: datetime.date, text: str = "Đã hoàn thành") -> None:
        task.refresh_from_db()
        do_record_progress(task, percent=100, version=task.version, complete=True, completed_on=day, text=text,
                           evidence_link="http://intranet.thaibinh.dcs.vn/van-ban", acting_user=actor)  # fmt: skip

    # 04-CTr/TU: the action program for the congress resolution.
    program = do_create_plan(
        unit=tb, kind="action_program", title="Chương trình hành động thực hiện Nghị quyết Đại hội đại biểu Đảng bộ tỉnh lần thứ XX",
        source_document=documents["nqdh"], acting_user=actor,
    )  # fmt: skip
    tasks = []
    for section, content, lead, coop, output, deadline, title, _fate in TB_PROGRAM:
        tasks.append(do_add_task(program, section=section, content=content, lead_unit=units[lead], output=output,
                                 cooperating=[units[c] for c in coop], deadline_text=deadline, leader=leader(title),
                                 acting_user=actor))  # fmt: skip
    do_issue_plan(program, number_text="04-CTr/TU", issued_on=datetime.date(2020, 12, 20), acting_user=actor)
    asked = []
    for task, (*_, fate) in zip(tasks, TB_PROGRAM, strict=True):
        if isinstance(fate, tuple):
            complete(task, datetime.date(*fate))
        elif isinstance(fate, int):
            task.refresh_from_db()
            do_record_progress(task, percent=fate, version=task.version, text="Đang triển khai", acting_user=actor)
        elif fate == "?":
            asked.append(task)
    for i, task in enumerate(asked):
        request = do_request_explanation(
            unit=task.lead_unit, task=task, acting_user=actor,
            question="Đề nghị báo cáo rõ nguyên nhân chậm tiến độ, trách nhiệm của tập thể, cá nhân và thời hạn hoàn thành.",
        )  # fmt: skip
        if i == 0:
            do_answer_explanation(
                request, acting_user=actor,
                answer="Chậm do chờ hướng dẫn của Trung ương về sắp xếp tổ chức bộ máy; dự kiến trình Ban Thường vụ trong Quý I/2027.",
            )  # fmt: skip
    do_require_plans(program, units=districts, due_on=datetime.date(2021, 2, 28), acting_user=actor)
    for code, day in (
        ("TB-DH", datetime.date(2021, 2, 10)),
        ("TB-HH", datetime.date(2021, 2, 25)),
        ("TB-KX", datetime.date(2021, 2, 26)),
        ("TB-QP", datetime.date(2021, 2, 27)),
        ("TB-TP", datetime.date(2021, 4, 2)),
        ("TB-VT", datetime.date(2021, 3, 15)),
    ):
        district = units[code]
        plan = do_create_plan(unit=district, kind="implementation_plan", title=f"Kế hoạch thực hiện Chương trình hành động 04-CTr/TU của {district.name}",
                              parent_plan=program, acting_user=actor)  # fmt: skip
        grassroots = list(Organization.objects.filter(path__startswith=district.path, depth=district.depth + 1)[:2])
        first = do_add_task(plan, content="Quán triệt Chương trình hành động đến các tổ chức cơ sở đảng", lead_unit=district,
                            output="Báo cáo", deadline_text="Quý II/2021", from_task=tasks[0], leader=secretary(district),
                            acting_user=actor)  # fmt: skip
        for g in grassroots:
            do_add_task(plan, content=f"Xây dựng mô hình điểm về nông thôn mới kiểu mẫu tại {g.name}", lead_unit=g,
                        output="Báo cáo", deadline_text="Năm 2024", from_task=tasks[11], acting_user=actor)  # fmt: skip
        do_issue_plan(plan, number_text=f"01-KH/{suggest_issuer(district)}", issued_on=day, acting_user=actor)
        complete(first, datetime.date(2021, 6, 15) if code != "TB-TP" else datetime.date(2021, 8, 2))

    # 25-KH/TU: the study plan for the online conference of 3-11-2021 (seed 002).
    study = do_create_plan(
        unit=tb, kind="study_plan",
        title="Kế hoạch tổ chức hội nghị trực tuyến toàn tỉnh nghiên cứu, quán triệt Kết luận 21-KL/TW, Kết luận 14-KL/TW, "
        "Quy định 37-QĐ/TW, Quy định 24-QĐ/TW, Hướng dẫn 01-HD/TW, Quy định 22-QĐ/TW và Nghị quyết 01-NQ/TU",
        acting_user=actor,
    )  # fmt: skip
    studied = [
        do_add_task(
            study,
            content=content,
            lead_unit=units[lead],
            leader=leader(title),
            output="Bài quán triệt",
            deadline_text="03/11/2021",
            acting_user=actor,
        )  # fmt: skip
        for content, lead, title in TB_STUDY
    ]
    do_issue_plan(study, number_text="25-KH/TU", issued_on=datetime.date(2021, 10, 28), acting_user=actor)
    for key in ("kl21", "kl14", "qd37", "qd24", "hd01", "qd22", "nq01tu"):
        do_link_documents(study.document, documents[key], kind="implements", acting_user=actor)
    for task in studied:
        complete(
            task,
            datetime.date(2021, 11, 3),
            "Đã quán triệt tại hội nghị trực tuyến, 213 điểm cầu, trên 8.000 cán bộ chủ chốt",
        )
    # Each district-level committee passes the study on to its grassroots units by its own plan.
    do_require_plans(study, units=districts, due_on=datetime.date(2021, 11, 20), acting_user=actor)
    for i, district in enumerate(districts[:10]):
        day = datetime.date(2021, 11, 8 + i) if i < 8 else datetime.date(2021, 12, 1 + i)
        plan = do_create_plan(unit=district, kind="study_plan", title=f"Kế hoạch học tập, quán triệt của {district.name}",
                              parent_plan=study, acting_user=actor)  # fmt: skip
        do_add_task(plan, content="Tổ chức học tập, quán triệt đến 100% chi bộ, đảng viên", lead_unit=district,
                    output="Báo cáo kết quả học tập", deadline_text="Tháng 12/2021", leader=secretary(district),
                    acting_user=actor)  # fmt: skip
        number = f"{30 + i:02d}-KH/{suggest_issuer(district)}"
        do_issue_plan(plan, number_text=number, issued_on=day, acting_user=actor)

    # 10-CTr/TU: the action program for 21-KL/TW; Đông Hưng's 05-KH/HU implements it.
    kl21 = do_create_plan(
        unit=tb, kind="action_program",
        title="Chương trình hành động thực hiện Kết luận số 21-KL/TW, ngày 25-10-2021 của Ban Chấp hành Trung ương Đảng khóa XIII",
        source_document=documents["kl21"], acting_user=actor,
    )  # fmt: skip
    kl21_tasks = [
        do_add_task(
            kl21, content=content, lead_unit=units[lead], output="Báo cáo", deadline_text=deadline, acting_user=actor
        )  # fmt: skip
        for content, lead, deadline, _done in TB_KL21
    ]
    do_issue_plan(kl21, number_text="10-CTr/TU", issued_on=datetime.date(2021, 12, 15), acting_user=actor)
    for task, (*_, done) in zip(kl21_tasks, TB_KL21, strict=True):
        if done:
            complete(task, datetime.date(*done))
    do_require_plans(kl21, units=districts, due_on=datetime.date(2022, 1, 15), acting_user=actor)
    dong_hung = do_create_plan(
        unit=units["TB-DH"], kind="implementation_plan", acting_user=actor, parent_plan=kl21,
        title="Kế hoạch thực hiện Chương trình hành động số 10-CTr/TU của Ban Thường vụ Tỉnh ủy về thực hiện Kết luận số 21-KL/TW",
    )  # fmt: skip
    do_add_task(dong_hung, content="Kiểm điểm tự phê bình và phê bình theo Kết luận 21-KL/TW ở các chi bộ",
                lead_unit=units["TB-DH"], output="Báo cáo", deadline_text="Quý I/2022", from_task=kl21_tasks[0],
                leader=secretary(units["TB-DH"]), acting_user=actor)  # fmt: skip
    do_issue_plan(dong_hung, number_text="05-KH/HU", issued_on=datetime.date(2022, 1, 10), acting_user=actor)


# The XX resolution's targets (code, name, measure, decimals, aggregation, over the year,
# higher is better, 2020 actual, term-end target, yearly targets 2021–2026). Figures are
# realistic but simulated, except GRDP 2020 (+3,23 %, seed 003).
TB_INDICATORS = [
    ("TB_GRDP", "Tốc độ tăng tổng sản phẩm trên địa bàn (GRDP)", "%", 2, "none", "last", True, "3.23", "10", ["8.5", "9", "9.5", "10", "10", "10"]),
    ("TB_GRDP_BQ", "GRDP bình quân đầu người", "triệu đồng", 1, "none", "last", True, "52.4", "85", ["58", "63", "68", "74", "85", "90"]),
    ("TB_THU_NS", "Thu ngân sách nhà nước trên địa bàn", "tỷ đồng", 0, "sum", "sum", True, "6810", "10000", ["7200", "7800", "8500", "9200", "10000", "11000"]),
    ("TB_VON_DT", "Tổng vốn đầu tư toàn xã hội", "tỷ đồng", 0, "sum", "sum", True, "36500", "60000", ["40000", "44000", "50000", "55000", "60000", "64000"]),
    ("TB_XUAT_KHAU", "Kim ngạch xuất khẩu", "triệu USD", 0, "sum", "sum", True, "1720", "3000", ["1900", "2100", "2400", "2700", "3000", "3300"]),
    ("TB_XA_NTM_NC", "Số xã đạt chuẩn nông thôn mới nâng cao", "xã", 0, "sum", "last", True, "12", "130", ["30", "55", "80", "105", "130", "150"]),
    ("TB_XA_NTM_KM", "Số xã đạt chuẩn nông thôn mới kiểu mẫu", "xã", 0, "sum", "last", True, "0", "26", ["3", "8", "13", "20", "26", "32"]),
    ("TB_DO_THI", "Tỷ lệ đô thị hóa", "%", 1, "none", "last", True, "12.0", "25", ["13", "15", "18", "21", "25", "27"]),
    ("TB_LD_DT", "Tỷ lệ lao động qua đào tạo", "%", 1, "none", "last", True, "65.0", "70", ["66", "67", "68", "69", "70", "71"]),
    ("TB_HO_NGHEO", "Tỷ lệ hộ nghèo (chuẩn đa chiều)", "%", 2, "none", "last", False, "2.10", "1", ["1.8", "1.6", "1.4", "1.2", "1", "0.9"]),
    ("TB_BHYT", "Tỷ lệ dân số tham gia bảo hiểm y tế", "%", 1, "none", "last", True, "90.5", "95", ["91.5", "92.5", "93.5", "94", "95", "95.5"]),
    ("TB_BAC_SI", "Số bác sĩ trên một vạn dân", "bác sĩ", 1, "none", "last", True, "10.2", "12", ["10.5", "10.9", "11.2", "11.6", "12", "12.3"]),
    ("TB_TRUONG_CQG", "Tỷ lệ trường đạt chuẩn quốc gia", "%", 1, "none", "last", True, "88.0", "95", ["89", "90.5", "92", "93.5", "95", "96"]),
    ("TB_RAC", "Tỷ lệ chất thải rắn sinh hoạt được thu gom, xử lý", "%", 1, "none", "last", True, "95.0", "99", ["96", "97", "98", "98.5", "99", "99"]),
    ("TB_NUOC_SACH", "Tỷ lệ dân số nông thôn dùng nước sạch", "%", 1, "none", "last", True, "95.0", "100", ["96", "97", "98", "99", "100", "100"]),
    ("TB_DV", "Tổng số đảng viên", "người", 0, "sum", "last", True, "", "", []),
    ("TB_DV_MOI", "Số đảng viên mới kết nạp", "người", 0, "sum", "sum", True, "", "10000", ["2000", "2000", "2000", "2000", "2000", "2000"]),
    ("TB_TCCS", "Số tổ chức cơ sở đảng", "tổ chức", 0, "sum", "last", True, "", "", []),
    ("TB_TCCS_TOT", "Tỷ lệ tổ chức cơ sở đảng hoàn thành tốt nhiệm vụ trở lên", "%", 1, "weighted:TB_TCCS", "last", True, "", "90", ["88", "88", "89", "89", "90", "90"]),
    ("TB_DV_TOT", "Tỷ lệ đảng viên hoàn thành tốt nhiệm vụ trở lên", "%", 1, "weighted:TB_DV", "last", True, "", "90", ["88", "88", "89", "90", "90", "90"]),
]  # fmt: skip
# What the district-level committees report each quarter (the rest is the province's own).
TB_DISTRICT_REPORTED = ["TB_THU_NS", "TB_VON_DT", "TB_XA_NTM_NC", "TB_XA_NTM_KM", "TB_DV", "TB_DV_MOI", "TB_TCCS", "TB_TCCS_TOT", "TB_DV_TOT"]  # fmt: skip


def load_demo_indicators(actor, *, tb, rng: random.Random) -> None:
    """The resolution's 20 indicators with term and yearly targets; the province's own yearly
    figures 2020–2025; the district-level committees' quarterly reports for 2021 and 2026 —
    most on time and accepted, some late, some returned with a comment, some missing."""
    from decimal import Decimal

    from django.utils import timezone

    from hienthuc.documents.models import Document
    from hienthuc.indicators.actions import (
        do_add_rule,
        do_create_form,
        do_create_indicator,
        do_require_reports,
        do_review_submission,
        do_save_submission,
        do_set_target,
    )
    from hienthuc.indicators.models import Source
    from hienthuc.lib.periods import Period

    resolution = Document.objects.get(issuing_unit=tb, number_normalized="01-NQ/ĐH")
    made = {}
    for code, name, measure, decimals, aggregation, over_year, higher, *_ in TB_INDICATORS:
        weight = made[aggregation.split(":")[1]] if aggregation.startswith("weighted") else None
        made[code] = do_create_indicator(
            owner=tb, code=code, name=name, measure=measure, decimals=decimals, time_aggregation=over_year,
            aggregation="weighted" if weight else aggregation, weight=weight, higher_is_better=higher,
            min_value=Decimal(0), max_value=Decimal(100) if measure == "%" else None, document=resolution,
            # Counted from the tree, never typed (a district once reported 42 where it has 21).
            source=Source.PARTY_ORGS if code == "TB_TCCS" else "", acting_user=actor,
        )  # fmt: skip
    for code, *_, _actual_2020, term, yearly in TB_INDICATORS:
        if term:
            do_set_target(made[code], unit=tb, year=2025, value=term, kind="term", acting_user=actor)
        for year, value in zip(range(2021, 2027), yearly, strict=False):
            do_set_target(made[code], unit=tb, year=year, value=value, acting_user=actor)
    # Targets as the resolution writes them: a range, a ceiling, the province's own higher aim.
    do_set_target(made["TB_GRDP"], unit=tb, year=2026, value="9–9,5", acting_user=actor)
    do_set_target(made["TB_GRDP"], unit=tb, year=2026, value="≥ 10", origin="own", acting_user=actor)
    do_set_target(made["TB_HO_NGHEO"], unit=tb, year=2025, kind="term", value="dưới 1 %", acting_user=actor)
    do_set_target(made["TB_GRDP"], unit=tb, year=2025, kind="term", value="bình quân 8,5 %/năm trở lên",
                  acting_user=actor)  # fmt: skip

    # The province's own yearly figures (2020 from seed 003; the rest simulated on course).
    own = [i for i in made.values() if i.code not in TB_DISTRICT_REPORTED]
    yearly = do_create_form(
        owner=tb, name="Báo cáo kết quả thực hiện các chỉ tiêu Nghị quyết Đại hội XX (năm)", period_kind="year",
        first_year=2020, deadline_days=30, indicators=own, acting_user=actor,
    )  # fmt: skip
    do_require_reports(yearly, units=[tb], acting_user=actor)
    rows = {row[0]: row for row in TB_INDICATORS}
    for year in range(2020, 2026):
        values = {}
        for indicator in own:
            *_, actual_2020, _term, targets = rows[indicator.code]
            target = Decimal(actual_2020) if year == 2020 else Decimal(targets[year - 2021])
            drift = Decimal(str(rng.uniform(0.93, 1.05))) if year > 2020 else Decimal(1)
            value = round(target * drift, indicator.decimals)
            values[indicator.pk] = str(min(value, indicator.max_value) if indicator.max_value is not None else value)
        sent = do_save_submission(
            yearly, unit=tb, period=str(year), values=values, submit=True, acting_user=actor,
            submitted_at=_aware(datetime.date(year + 1, 1, 20)),
        )  # fmt: skip
        do_review_submission(sent, accept=True, acting_user=actor)
    # The year not over yet: the province's December estimates of the whole year (ước cả năm).
    estimates = {}
    for indicator in own:
        target = Decimal(rows[indicator.code][-1][-1])
        value = round(target * Decimal(str(rng.uniform(0.96, 1.03))), indicator.decimals)
        estimates[indicator.pk] = str(min(value, indicator.max_value) if indicator.max_value is not None else value)
    do_save_submission(yearly, unit=tb, period="2026", values=estimates, submit=True, acting_user=actor)

    # The district-level committees' quarterly report.
    districts = list(
        Organization.objects.filter(path__startswith=tb.path, depth=tb.depth + 1, kind__is_body=False).order_by("code")
    )
    reported = [made[code] for code in TB_DISTRICT_REPORTED]
    quarterly = do_create_form(
        owner=tb, name="Báo cáo quý kết quả thực hiện Nghị quyết Đại hội XX", period_kind="quarter", first_year=2021,
        deadline_days=15, indicators=reported, sections="Kết quả nổi bật\nKhó khăn, vướng mắc\nKiến nghị",
        acting_user=actor,
    )  # fmt: skip
    do_add_rule(quarterly, left=made["TB_DV_MOI"], comparison="<=", right=made["TB_DV"], acting_user=actor)
    do_require_reports(quarterly, units=districts, acting_user=actor)
    quarters = [Period(2021, "quarter", q) for q in range(1, 5)] + [Period(2026, "quarter", q) for q in range(1, 4)]
    for i, district in enumerate(districts):
        members = rng.randint(6000, 14000)
        cells = rng.randint(40, 90)
        for quarter in quarters:
            if (i + quarter.number + quarter.year) % 11 == 0:
                continue  # not sent at all
            members += rng.randint(10, 60)
            values = {
                made["TB_THU_NS"].pk: str(rng.randint(80, 160)),
                made["TB_VON_DT"].pk: str(rng.randint(500, 1200)),
                made["TB_XA_NTM_NC"].pk: str(min(12, quarter.number + (quarter.year - 2021) * 2)),
                made["TB_XA_NTM_KM"].pk: str((quarter.year - 2021) // 2 + (quarter.number > 2)),
                made["TB_DV"].pk: str(members),
                made["TB_DV_MOI"].pk: str(rng.randint(20, 90)),
                made["TB_TCCS"].pk: str(cells),
                made["TB_TCCS_TOT"].pk: f"{rng.uniform(82, 96):.1f}".replace(".", ","),
                made["TB_DV_TOT"].pk: f"{rng.uniform(84, 95):.1f}".replace(".", ","),
            }
            late = (i * 3 + quarter.number) % 7 == 0
            day = quarter.due(quarterly.deadline_days) + datetime.timedelta(
                days=rng.randint(5, 20) if late else -rng.randint(1, 10)
            )
            label = quarter.label[0].lower() + quarter.label[1:]  # "quý III/2026", the numeral kept
            narrative = {"Kết quả nổi bật": f"Hoàn thành các nhiệm vụ trọng tâm {label}."}
            sent = do_save_submission(
                quarterly, unit=district, period=quarter.key, values=values, narrative=narrative, submit=True,
                submitted_at=_aware(min(day, timezone.localdate())), acting_user=actor,
            )  # fmt: skip
            if (i + quarter.number) % 9 == 4:
                do_review_submission(
                    sent, accept=False, comment="Đề nghị rà soát lại số đảng viên mới kết nạp.", acting_user=actor
                )
            elif quarter.year == 2021 or quarter.number < 3:
                do_review_submission(sent, accept=True, acting_user=actor)
    _load_demo_narratives(actor, tb=tb, districts=districts, made=made, rng=rng)


# The districts' 2025 yearly reports in their own words, by field (what the province's yearly
# report composes): (field, section, texts to pick from).
TB_FIELDS = ["Xây dựng Đảng và hệ thống chính trị", "Phát triển kinh tế - xã hội", "Quốc phòng, an ninh"]
TB_SECTIONS = ["Kết quả", "Hạn chế, nguyên nhân", "Kiến nghị, đề xuất"]
TB_WORDS = {
    ("Xây dựng Đảng và hệ thống chính trị", "Kết quả"): [
        "Kết nạp {n} đảng viên mới; 100% tổ chức cơ sở đảng tổ chức học tập, quán triệt Nghị quyết.",
        "Hoàn thành sắp xếp tổ chức bộ máy; {n} đảng viên được tặng Huy hiệu Đảng.",
    ],
    ("Xây dựng Đảng và hệ thống chính trị", "Hạn chế, nguyên nhân"): [
        "Chất lượng sinh hoạt chi bộ ở một số nơi chưa cao, do cấp ủy chưa đổi mới nội dung sinh hoạt.",
    ],
    ("Phát triển kinh tế - xã hội", "Kết quả"): [
        "Thu ngân sách trên địa bàn đạt {n}% dự toán; thêm 2 xã đạt chuẩn nông thôn mới nâng cao.",
        "Giá trị sản xuất nông nghiệp tăng {n}%; hoàn thành giải phóng mặt bằng các dự án trọng điểm.",
    ],
    ("Phát triển kinh tế - xã hội", "Kiến nghị, đề xuất"): [
        "- Tỉnh hỗ trợ vốn đầu tư đường giao thông nông thôn\n- Sớm phê duyệt quy hoạch sử dụng đất",
        "1. Tỉnh hỗ trợ vốn đầu tư đường giao thông nông thôn\n2. Bổ sung biên chế cán bộ địa chính cấp xã",
        "- Sớm phê duyệt quy hoạch sử dụng đất",
    ],
    ("Quốc phòng, an ninh", "Kết quả"): [
        "Hoàn thành 100% chỉ tiêu tuyển quân; giữ vững an ninh chính trị, trật tự an toàn xã hội.",
    ],
}  # fmt: skip


def _load_demo_narratives(actor, *, tb, districts, made, rng) -> None:
    """The districts' yearly report with narratives by field (2025 sent by most, 2026 due on
    15 December); a one-off report of the XIV Congress study drive; the province's urging."""
    from decimal import Decimal

    from hienthuc.indicators.actions import (
        do_add_one_off_period,
        do_create_form,
        do_create_indicator,
        do_require_reports,
        do_review_submission,
        do_save_submission,
    )
    from hienthuc.urging.actions import do_set_urging

    form = do_create_form(
        owner=tb, name="Báo cáo năm kết quả lãnh đạo thực hiện nhiệm vụ chính trị", period_kind="year",
        first_year=2025, deadline_days=-16, indicators=[made["TB_DV_MOI"]], sections="\n".join(TB_SECTIONS),
        fields="\n".join(TB_FIELDS), acting_user=actor,
    )  # fmt: skip
    do_require_reports(form, units=districts, acting_user=actor)
    for i, district in enumerate(districts):
        if i % 4 == 3:
            continue  # one in four has not sent it
        narrative = {}
        for (field, section), texts in TB_WORDS.items():
            narrative[f"{field} — {section}"] = texts[(i + len(field)) % len(texts)].format(n=rng.randint(60, 140))
        sent = do_save_submission(
            form, unit=district, period="2025", values={made["TB_DV_MOI"].pk: str(rng.randint(150, 400))},
            narrative=narrative, submit=True, submitted_at=_aware(datetime.date(2025, 12, 10 + i)), acting_user=actor,
        )  # fmt: skip
        do_review_submission(sent, accept=True, acting_user=actor)
    studied = do_create_indicator(
        owner=tb, code="TB_HOC_NQ", name="Tỷ lệ đảng viên tham gia học tập Nghị quyết", measure="%", decimals=1,
        aggregation="weighted", weight=made["TB_DV"], time_aggregation="last", min_value=Decimal(0),
        max_value=Decimal(100), acting_user=actor,
    )  # fmt: skip
    drive = do_create_form(
        owner=tb, name="Báo cáo kết quả học tập, quán triệt Nghị quyết Đại hội XIV của Đảng", period_kind="one_off",
        first_year=2026, deadline_days=10, indicators=[studied], acting_user=actor,
    )  # fmt: skip
    do_require_reports(drive, units=districts, acting_user=actor)
    period = do_add_one_off_period(
        drive, name="Đợt học tập Nghị quyết Đại hội XIV", first_day=datetime.date(2026, 3, 1),
        last_day=datetime.date(2026, 4, 30), acting_user=actor,
    )  # fmt: skip
    for i, district in enumerate(districts[:5]):
        do_save_submission(
            drive, unit=district, period=period.period.key, values={studied.pk: f"{rng.uniform(93, 99.5):.1f}"},
            submit=True,
            submitted_at=_aware(datetime.date(2026, 5, 4 + i * 2)), acting_user=actor,
        )  # fmt: skip
    do_set_urging(tb, days_before=3, repeat_every=5, escalate_after=15, stop_after=120, acting_user=actor)


def _aware(day: datetime.date):
    from django.utils import timezone

    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(9, 0)))


# The XX term's inspection and supervision program of the Thái Bình Executive Committee (seeds
# 000, 003): (district code, body, form, content, period, what happened). What happened: "done"
# (concluded, with a recommendation), "discipline" (concluded with a reprimand), "ongoing", or ""
# (not yet started).
TB_INSPECTIONS = [
    ("TB-DH", "ubkt", "inspection", "Việc lãnh đạo, chỉ đạo thực hiện Nghị quyết Đại hội Đảng bộ huyện lần thứ XXVI",
     "Quý II/2021", "done"),
    ("TB-HH", "btv", "thematic", "Việc ban hành và thực hiện chương trình hành động thực hiện Nghị quyết Đại hội "
     "Đảng bộ tỉnh lần thứ XX", "Quý III/2021", "done"),
    ("TB-KX", "ubkt", "signs", "Việc chấp hành nguyên tắc tập trung dân chủ trong quản lý đất đai", "Quý IV/2021",
     "discipline"),
    ("TB-TP", "bch", "regular", "Công tác cán bộ và thực hiện quy chế làm việc", "Quý II/2022", "ongoing"),
    ("TB-DH", "btv", "thematic", "Việc học tập, quán triệt và triển khai Kết luận 21-KL/TW", "Quý IV/2022", ""),
    ("TB-HH", "ubkt", "inspection", "Việc thực hiện nhiệm vụ kiểm tra, giám sát của cấp ủy và ủy ban kiểm tra",
     "Quý II/2027", ""),
]  # fmt: skip


def load_demo_election(actor, *, tb) -> None:
    """A commune's congress (2025–2030) electing its Executive Committee: 15 of 17 by 118 of
    120 delegates, every ballot entered by two operators (one misread, resolved by the
    committee), the count closed — the minutes ready; and the province's XX congress list of
    56 for 51 seats (seed 000), prepared."""
    from django.contrib.auth import get_user_model

    from hienthuc.elections.actions import (
        do_add_counter,
        do_close_counting,
        do_create_election,
        do_enter_ballot,
        do_open_counting,
        do_resolve_ballot,
    )
    from hienthuc.meetings.actions import do_create_meeting
    from hienthuc.people.models import Person

    rng = random.Random(18)
    commune = Organization.objects.filter(path__startswith=tb.path, depth=tb.depth + 2, kind__is_body=False)
    commune = commune.order_by("path").first()
    congress = do_create_meeting(
        commune, kind="congress", title=f"Đại hội đại biểu Đảng bộ {commune.name.split('Đảng ủy ')[-1]} nhiệm kỳ "
        "2025 - 2030", starts_at=_aware(datetime.date(2025, 5, 20)), place=commune.name, acting_user=actor,
    )  # fmt: skip
    names = [f"{family} {middle} {given}" for family, middle, given in zip(
        ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô", "Dương", "Lý", "Phan",
         "Vương", "Trịnh", "Đinh"],
        ["Văn", "Thị", "Văn", "Thị", "Văn", "Thị", "Văn", "Minh", "Thị", "Văn", "Thị", "Văn", "Thị", "Đức", "Văn",
         "Thị", "Quang"],
        ["An", "Bình", "Cường", "Dung", "Em", "Giang", "Hải", "Hùng", "Khánh", "Lâm", "Mai", "Nam", "Oanh", "Phúc",
         "Quý", "Sen", "Tâm"], strict=True)]  # fmt: skip
    election, _warnings = do_create_election(
        congress, title="Bầu Ban Chấp hành Đảng bộ xã khóa mới", seats=15, congress_kind="delegates",
        summoned=120, excluded=2, candidates=names, acting_user=actor,
    )  # fmt: skip
    User = get_user_model()
    operators = [User.objects.get_or_create(username=f"nhapphieu{n}")[0] for n in (1, 2)]
    for operator in operators:
        do_add_counter(election, user=operator, role="operator", acting_user=actor)
    chief = User.objects.get_or_create(username="truongbankiemphieu")[0]
    do_add_counter(election, user=chief, role="committee", acting_user=actor)
    do_open_counting(election, present=118, ballots_issued=118, acting_user=chief)
    for number in range(1, 119):
        if number == 60:
            paper = {"invalid": "Phiếu không có dấu của Ban kiểm phiếu"}
        else:
            kept = [n for n in range(1, 18) if rng.random() < (0.9 if n <= 14 else 0.5)]
            paper = {"kept": kept[:15]}
        do_enter_ballot(election, number=number, content=paper, acting_user=operators[0])
        misread = {"kept": [1]} if number == 33 else paper
        do_enter_ballot(election, number=number, content=misread, acting_user=operators[1])
        if number == 33:
            do_resolve_ballot(election, number=number, content=paper, acting_user=chief)
    do_close_counting(election, acting_user=chief)
    # The province's XX congress (seed 000): its list prepared for 51 seats.
    tb_congress = do_create_meeting(
        tb, kind="congress", title="Đại hội đại biểu Đảng bộ tỉnh Thái Bình lần thứ XX, nhiệm kỳ 2020 - 2025",
        starts_at=_aware(datetime.date(2020, 10, 14)), place="Thái Bình", acting_user=actor,
    )  # fmt: skip
    people = list(Person.objects.filter(home_unit__path__startswith=tb.path).order_by("pk").values_list(
        "full_name", flat=True).distinct()[:56])  # fmt: skip
    if len(people) == 56:
        do_create_election(
            tb_congress, title="Bầu Ban Chấp hành Đảng bộ tỉnh khóa XX", seats=51, congress_kind="delegates",
            summoned=350, candidates=people, acting_user=actor,
        )  # fmt: skip


def load_demo_inspections(actor, *, tb, hy) -> None:
    """The XX term's inspection program with its inspections, conclusions, recommendations and a
    discipline; the 2021 evaluations of Thái Bình's district-level units and of a commune's
    members; and seed 001: Hưng Yên's review of its 17th congress with the Standing Committee's
    certificates of merit to 22 collectives and 35 individuals."""
    from hienthuc.documents.actions import do_create_document
    from hienthuc.documents.models import DocumentKind
    from hienthuc.evaluations.actions import (
        do_commend,
        do_decide_evaluation,
        do_open_evaluations,
        do_propose_evaluation,
    )
    from hienthuc.evaluations.models import Band, Evaluation
    from hienthuc.inspections.actions import (
        do_add_program_item,
        do_add_recommendation,
        do_add_team_member,
        do_conclude_inspection,
        do_record_discipline,
        do_record_findings,
        do_start_inspection,
    )
    from hienthuc.meetings.actions import do_create_meeting, do_record_meeting
    from hienthuc.people.models import Person
    from hienthuc.plans.actions import do_create_plan, do_issue_plan
    from hienthuc.plans.models import PlanKind
    from hienthuc.reviews.actions import do_create_review

    kinds = {k.code: k for k in DocumentKind.objects.filter(code__in=["quyet_dinh", "thong_bao", "bao_cao"])}
    numbers = iter(range(300, 400))

    def document(unit, kind, abbreviation, day, summary):
        return do_create_document(
            issuing_unit=unit, kind=kinds[kind], number_text=f"{next(numbers)}-{abbreviation}/TU", issuing_body="btv",
            issued_on=day, place="Thái Bình" if unit == tb else "Hưng Yên", summary=summary, acting_user=actor,
        )  # fmt: skip

    units = {u.code: u for u in Organization.objects.filter(path__startswith=tb.path, depth=tb.depth + 1)}
    program = do_create_plan(
        unit=tb, kind=PlanKind.INSPECTION_PROGRAM,
        title="Chương trình kiểm tra, giám sát của Ban Chấp hành Đảng bộ tỉnh nhiệm kỳ 2020 - 2025", acting_user=actor,
    )  # fmt: skip
    items = [
        do_add_program_item(
            program,
            body=body,
            form=form,
            content=content,
            period_text=period,
            subject_unit=units[code],
            acting_user=actor,
        )  # fmt: skip
        for code, body, form, content, period, _outcome in TB_INSPECTIONS
    ]
    do_issue_plan(program, number_text="06-CTr/TU", issued_on=datetime.date(2021, 1, 20), acting_user=actor)
    inspectors = list(Person.objects.filter(home_unit__code="TB-UBKT").order_by("pk")[:3])
    for (code, *_what, outcome), item in zip(TB_INSPECTIONS, items, strict=True):
        if not outcome:
            continue
        last = item.task.deadline_last_day
        start = last - datetime.timedelta(days=75)
        decision = document(tb, "quyet_dinh", "QĐ", start, f"về việc kiểm tra, giám sát {units[code].name}")
        do_start_inspection(item, decision=decision, started_on=start, acting_user=actor)
        for person, role in zip(inspectors, ("head", "deputy", "member"), strict=False):
            do_add_team_member(item, person=person, role=role, acting_user=actor)
        if outcome == "ongoing":
            continue
        do_record_findings(
            item, confidential=True, acting_user=actor,
            findings="Cấp ủy đã ban hành kế hoạch thực hiện kịp thời; một số xã chậm cụ thể hóa, việc kiểm tra, "
            "đôn đốc chưa thường xuyên." if outcome == "done" else "Ban Thường vụ Huyện ủy buông lỏng lãnh đạo, để "
            "xảy ra vi phạm trong quản lý, sử dụng đất đai tại hai xã.",
        )  # fmt: skip
        notice = document(
            tb, "thong_bao", "TB", last - datetime.timedelta(days=5), f"kết luận kiểm tra, giám sát {units[code].name}"
        )
        do_conclude_inspection(item, conclusion=notice, acting_user=actor)
        do_add_recommendation(
            item, content="Rà soát, bổ sung kế hoạch; kiểm điểm trách nhiệm tập thể, cá nhân có liên quan",
            deadline_text=f"Quý I/{last.year + 1}", acting_user=actor,
        )  # fmt: skip
        if outcome == "discipline":
            penalty = document(tb, "quyet_dinh", "QĐ", last, f"thi hành kỷ luật Ban Thường vụ {units[code].name}")
            do_record_discipline(
                tb, penalty="reprimand", decision=penalty, subject_unit=units[code], inspection=item,
                reason="Buông lỏng lãnh đạo, chỉ đạo để xảy ra vi phạm trong quản lý đất đai", acting_user=actor,
            )  # fmt: skip

    # 2021: the district-level units, proposed as the system scores them and decided so; the
    # members of the first commune of Đông Hưng.
    do_open_evaluations(tb, year=2021, acting_user=actor)
    decision = document(tb, "quyet_dinh", "QĐ", datetime.date(2022, 1, 25), "về đánh giá, xếp loại chất lượng "
                        "tổ chức đảng năm 2021")  # fmt: skip
    for n, evaluation in enumerate(Evaluation.objects.filter(year=2021, unit=tb).order_by("subject_path")):
        band = evaluation.computed_band or (Band.EXCELLENT if n % 4 == 0 else Band.GOOD)
        do_propose_evaluation(evaluation, score=None, band=band, acting_user=actor)
        # The Standing Committee weighs what the figures cannot: tasks late through the epidemic.
        if band == Band.FAILED and (evaluation.computed_score or 0) >= 50:
            do_decide_evaluation(evaluation, band=Band.COMPLETE, decision=decision, acting_user=actor,
                                 reason="Nhiệm vụ chậm do ảnh hưởng của dịch COVID-19, đã khắc phục trong quý I/2022")  # fmt: skip
        else:
            do_decide_evaluation(evaluation, band=band, decision=decision, acting_user=actor)
    commune = Organization.objects.filter(path__startswith=units["TB-DH"].path, depth=tb.depth + 2).order_by("path")[0]
    do_open_evaluations(commune, year=2021, people=True, acting_user=actor)
    for n, evaluation in enumerate(Evaluation.objects.filter(year=2021, unit=commune).order_by("pk")):
        band = evaluation.computed_band or (Band.EXCELLENT if n == 0 else Band.GOOD)
        do_propose_evaluation(evaluation, score=None, band=band, acting_user=actor)
        do_decide_evaluation(evaluation, band=band, acting_user=actor)

    # Seed 001: Hưng Yên's 17th congress, its review of 13-11-2020, and 22 + 35 certificates of merit.
    congress = do_create_meeting(
        hy, kind="congress", title="Đại hội đại biểu Đảng bộ tỉnh Hưng Yên lần thứ XVII, nhiệm kỳ 2020 - 2025",
        starts_at=_aware(datetime.date(2020, 10, 14)), place="Hưng Yên", acting_user=actor,
    )  # fmt: skip
    do_record_meeting(
        congress, status="held", minutes="Đại hội thành công tốt đẹp.", conclusion=None, acting_user=actor
    )
    do_create_review(
        hy, kind="meeting", meeting=congress, period_text="Tháng 10/2020",
        title="Tổng kết công tác chỉ đạo và tổ chức Đại hội Đảng bộ tỉnh lần thứ XVII, nhiệm kỳ 2020 - 2025",
        results="Công tác chuẩn bị đại hội thực hiện kịp thời, chu đáo, đúng quy trình, quy định, đồng bộ, toàn diện "
        "trên tất cả các mặt: văn kiện, nhân sự, tuyên truyền, hậu cần, an ninh.\nĐại hội diễn ra nghiêm túc, trang "
        "trọng, tiết kiệm; việc bầu cử thực hiện đúng quy chế bầu cử trong Đảng.",
        shortcomings="Một số khâu chuẩn bị văn kiện ở cơ sở còn chậm so với kế hoạch.",
        causes="Thành công nhờ sự đoàn kết, tập trung trí tuệ, sáng tạo, trách nhiệm của cả Đảng bộ.",
        lessons="Chuẩn bị sớm, kỹ lưỡng văn kiện và nhân sự; phân công rõ người, rõ việc, rõ thời hạn.\nPhát huy "
        "trách nhiệm người đứng đầu trong chỉ đạo tổ chức đại hội và các sự kiện quy mô lớn.",
        acting_user=actor,
    )  # fmt: skip
    collectives = list(Organization.objects.filter(path__startswith=hy.path).exclude(pk=hy.pk).order_by("path")[:22])
    people = list(Person.objects.filter(home_unit__path__startswith=hy.path).order_by("pk")[:35])
    office = next(u for u in collectives if u.code == "HY-VP")
    while len(people) < 35:
        people.append(
            do_create_person(
                full_name=f"Chuyên viên Văn phòng Tỉnh ủy số {len(people) + 1}", home_unit=office, acting_user=actor
            )  # fmt: skip
        )
    award = document(hy, "quyet_dinh", "QĐ", datetime.date(2020, 11, 13), "về việc tặng Bằng khen cho các tập thể, "
                     "cá nhân có thành tích trong công tác chuẩn bị và tổ chức Đại hội Đảng bộ tỉnh lần thứ XVII")  # fmt: skip
    reason = "Có đóng góp quan trọng vào thành công Đại hội Đảng bộ tỉnh lần thứ XVII, nhiệm kỳ 2020 - 2025"
    do_commend(
        hy, decision=award, kind="bang_khen", year=2020, acting_user=actor,
        entries=[{"subject_unit": u, "reason": reason} for u in collectives]
        + [{"subject_person": p, "reason": reason} for p in people],
    )  # fmt: skip
