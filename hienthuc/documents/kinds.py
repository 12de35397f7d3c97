"""The kinds of documents (Quy định 399-QĐ/TW for the Party; the usual state kinds)."""

# (code, name, system, abbreviation used in numbers, order)
KINDS = [
    ("cuong_linh", "Cương lĩnh", "party", "CL", 1),
    ("dieu_le", "Điều lệ", "party", "ĐL", 2),
    ("chien_luoc", "Chiến lược", "party", "CL", 3),
    ("nghi_quyet", "Nghị quyết", "party", "NQ", 4),
    ("quyet_dinh", "Quyết định", "party", "QĐ", 5),
    ("chi_thi", "Chỉ thị", "party", "CT", 6),
    ("ket_luan", "Kết luận", "party", "KL", 7),
    ("quy_che", "Quy chế", "party", "QC", 8),
    ("quy_dinh", "Quy định", "party", "QĐ", 9),
    ("thong_tri", "Thông tri", "party", "TT", 10),
    ("huong_dan", "Hướng dẫn", "party", "HD", 11),
    ("thong_bao", "Thông báo", "party", "TB", 12),
    ("thong_cao", "Thông cáo", "party", "TC", 13),
    ("bao_cao", "Báo cáo", "party", "BC", 14),
    ("ke_hoach", "Kế hoạch", "party", "KH", 15),
    ("chuong_trinh", "Chương trình", "party", "CTr", 16),
    ("de_an", "Đề án", "party", "ĐA", 17),
    ("to_trinh", "Tờ trình", "party", "TTr", 18),
    ("cong_van", "Công văn", "party", "CV", 19),
    ("bien_ban", "Biên bản", "party", "BB", 20),
    ("luat", "Luật", "state", "L", 50),
    ("nghi_dinh", "Nghị định", "state", "NĐ", 51),
    ("thong_tu", "Thông tư", "state", "TT", 52),
    ("nn_quyet_dinh", "Quyết định (nhà nước)", "state", "QĐ", 53),
    ("nn_chi_thi", "Chỉ thị (nhà nước)", "state", "CT", 54),
    ("nn_cong_van", "Công văn (nhà nước)", "state", "CV", 55),
    ("nn_ke_hoach", "Kế hoạch (nhà nước)", "state", "KH", 56),
]


def seed_document_kinds(DocumentKind) -> None:
    for code, name, system, abbreviation, order in KINDS:
        DocumentKind.objects.update_or_create(
            code=code, defaults={"name": name, "system": system, "abbreviation": abbreviation, "order": order}
        )
