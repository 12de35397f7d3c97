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
