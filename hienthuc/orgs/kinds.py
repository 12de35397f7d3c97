"""The levels and kinds of units in use (REFERENCE §1); more can be added as data."""

LEVELS = [
    ("trung_uong", "Trung ương", 1),
    ("tinh", "Cấp tỉnh", 2),
    ("tren_co_so", "Cấp trên cơ sở", 3),
    ("co_so", "Cấp cơ sở", 4),
    ("chi_bo", "Chi bộ", 5),
    ("co_quan", "Cơ quan tham mưu, giúp việc, chính quyền", 9),
]

# (code, name, level, is a body, the issuer code its units' Party numbers usually carry —
# REFERENCE §2; each unit may have its own, Organization.issuer_code)
KINDS = [
    ("trung_uong", "Trung ương", "trung_uong", False, "TW"),
    ("tinh_uy", "Tỉnh ủy/Thành ủy", "tinh", False, "TU"),
    ("dang_uy_truc_thuoc", "Đảng ủy trực thuộc", "tren_co_so", False, "ĐU"),
    ("huyen_uy", "Huyện ủy/Thị ủy/Thành ủy (trước 7/2025)", "tren_co_so", False, "HU"),
    ("dang_uy_xa", "Đảng ủy xã/phường/đặc khu", "tren_co_so", False, "ĐU"),
    ("dang_uy_co_so", "Đảng ủy cơ sở", "co_so", False, "ĐU"),
    ("chi_bo_co_so", "Chi bộ cơ sở", "co_so", False, "CB"),
    ("chi_bo", "Chi bộ", "chi_bo", False, "CB"),
    ("van_phong", "Văn phòng cấp ủy", "co_quan", True, "VPTU"),
    ("ban_to_chuc", "Ban Tổ chức", "co_quan", True, "BTCTU"),
    ("ban_tuyen_giao", "Ban Tuyên giáo và Dân vận", "co_quan", True, "BTGDVTU"),
    ("ubkt", "Ủy ban Kiểm tra", "co_quan", True, "UBKTTU"),
    ("hdnd", "Hội đồng nhân dân", "co_quan", True, ""),
    ("ubnd", "Ủy ban nhân dân", "co_quan", True, ""),
    ("so_nganh", "Sở, ban, ngành", "co_quan", True, ""),
]


def seed_kinds(OrgLevel, OrgKind) -> None:
    """Create or refresh the standard levels and kinds (idempotent; models may be historical)."""
    levels = {}
    for code, name, rank in LEVELS:
        levels[code], _ = OrgLevel.objects.update_or_create(code=code, defaults={"name": name, "rank": rank})
    has_issuer = any(f.name == "issuer_code" for f in OrgKind._meta.get_fields())  # a migration before it
    for code, name, level, is_body, issuer in KINDS:
        defaults = {"name": name, "level": levels[level], "is_body": is_body}
        if has_issuer:
            defaults["issuer_code"] = issuer
        OrgKind.objects.update_or_create(code=code, defaults=defaults)


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
