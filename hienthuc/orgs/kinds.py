"""The levels and kinds of units in use (REFERENCE §1); more can be added as data."""

LEVELS = [
    ("trung_uong", "Trung ương", 1),
    ("tinh", "Cấp tỉnh", 2),
    ("tren_co_so", "Cấp trên cơ sở", 3),
    ("co_so", "Cấp cơ sở", 4),
    ("chi_bo", "Chi bộ", 5),
    ("co_quan", "Cơ quan tham mưu, giúp việc, chính quyền", 9),
]

KINDS = [
    ("trung_uong", "Trung ương", "trung_uong", False),
    ("tinh_uy", "Tỉnh ủy/Thành ủy", "tinh", False),
    ("dang_uy_truc_thuoc", "Đảng ủy trực thuộc", "tren_co_so", False),
    ("huyen_uy", "Huyện ủy/Thị ủy/Thành ủy (trước 7/2025)", "tren_co_so", False),
    ("dang_uy_xa", "Đảng ủy xã/phường/đặc khu", "tren_co_so", False),
    ("dang_uy_co_so", "Đảng ủy cơ sở", "co_so", False),
    ("chi_bo_co_so", "Chi bộ cơ sở", "co_so", False),
    ("chi_bo", "Chi bộ", "chi_bo", False),
    ("van_phong", "Văn phòng cấp ủy", "co_quan", True),
    ("ban_to_chuc", "Ban Tổ chức", "co_quan", True),
    ("ban_tuyen_giao", "Ban Tuyên giáo và Dân vận", "co_quan", True),
    ("ubkt", "Ủy ban Kiểm tra", "co_quan", True),
    ("hdnd", "Hội đồng nhân dân", "co_quan", True),
    ("ubnd", "Ủy ban nhân dân", "co_quan", True),
    ("so_nganh", "Sở, ban, ngành", "co_quan", True),
]


def seed_kinds(OrgLevel, OrgKind) -> None:
    """Create or refresh the standard levels and kinds (idempotent; models may be historical)."""
    levels = {}
    for code, name, rank in LEVELS:
        levels[code], _ = OrgLevel.objects.update_or_create(code=code, defaults={"name": name, "rank": rank})
    for code, name, level, is_body in KINDS:
        OrgKind.objects.update_or_create(code=code, defaults={"name": name, "level": levels[level], "is_body": is_body})


# What may sit under what (REFERENCE §1): (kind, parent kind or None for a root, valid from,
# valid until, source). The district level (huyện ủy) was abolished on 1 July 2025: before it,
# communes and grassroots organizations sat under districts; from it, under the province.
# Kinds without a rule may sit anywhere (a kind added as data before its rules).
BEFORE_2025 = (None, "2025-06-30")
FROM_2025 = ("2025-07-01", None)
ALWAYS = (None, None)
DISTRICTS = "Quy định 24-QĐ/TW (2021), hướng dẫn thi hành Điều lệ Đảng"
REFORM_2025 = "Kết luận 137-KL/TW (2025), Quyết định 2025 về tổ chức đảng hai cấp địa phương"
PARTY_BODIES = ("van_phong", "ban_to_chuc", "ban_tuyen_giao", "ubkt")
KIND_RULES = [
    ("trung_uong", None, ALWAYS, DISTRICTS),
    ("tinh_uy", "trung_uong", ALWAYS, DISTRICTS),
    ("dang_uy_truc_thuoc", "trung_uong", ALWAYS, DISTRICTS),
    ("dang_uy_truc_thuoc", "tinh_uy", ALWAYS, DISTRICTS),
    ("huyen_uy", "tinh_uy", BEFORE_2025, DISTRICTS),
    ("dang_uy_xa", "tinh_uy", FROM_2025, REFORM_2025),
    ("dang_uy_co_so", "huyen_uy", BEFORE_2025, DISTRICTS),
    ("dang_uy_co_so", "dang_uy_truc_thuoc", ALWAYS, DISTRICTS),
    ("dang_uy_co_so", "dang_uy_xa", FROM_2025, REFORM_2025),
    ("chi_bo_co_so", "huyen_uy", BEFORE_2025, DISTRICTS),
    ("chi_bo_co_so", "dang_uy_truc_thuoc", ALWAYS, DISTRICTS),
    ("chi_bo_co_so", "dang_uy_xa", FROM_2025, REFORM_2025),
    ("chi_bo", "dang_uy_co_so", ALWAYS, DISTRICTS),
    ("chi_bo", "dang_uy_xa", FROM_2025, REFORM_2025),
    *[(body, "trung_uong", ALWAYS, DISTRICTS) for body in PARTY_BODIES],
    *[(body, "tinh_uy", ALWAYS, DISTRICTS) for body in PARTY_BODIES],
    *[(body, "dang_uy_truc_thuoc", ALWAYS, DISTRICTS) for body in PARTY_BODIES],
    *[(body, "huyen_uy", BEFORE_2025, DISTRICTS) for body in PARTY_BODIES],
    *[(body, "dang_uy_xa", FROM_2025, REFORM_2025) for body in PARTY_BODIES],
    ("hdnd", "tinh_uy", ALWAYS, DISTRICTS),
    ("ubnd", "tinh_uy", ALWAYS, DISTRICTS),
    ("so_nganh", "tinh_uy", ALWAYS, DISTRICTS),
    ("so_nganh", "ubnd", ALWAYS, DISTRICTS),
    ("hdnd", "huyen_uy", BEFORE_2025, DISTRICTS),
    ("ubnd", "huyen_uy", BEFORE_2025, DISTRICTS),
    ("hdnd", "dang_uy_xa", FROM_2025, REFORM_2025),
    ("ubnd", "dang_uy_xa", FROM_2025, REFORM_2025),
]


def seed_kind_rules(OrgKind, KindRule) -> None:
    """Create the standard rules once (idempotent; an admin's later edits are kept)."""
    kinds = {k.code: k for k in OrgKind.objects.all()}
    for kind, parent, (valid_from, valid_to), source in KIND_RULES:
        KindRule.objects.get_or_create(
            kind=kinds[kind],
            parent_kind=kinds[parent] if parent else None,
            valid_from=valid_from,
            defaults={"valid_to": valid_to, "source": source},
        )
