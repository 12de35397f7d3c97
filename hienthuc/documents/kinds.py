"""The kinds of documents (Quy định 399-QĐ/TW for the Party; the usual state kinds), as data:
seeded into DocumentKind by a migration and editable there.

An abbreviation is what numbers of the kind carry (NQ, KL …); kinds sharing one share its
number series (quyết định and quy định both number "QĐ" at the Centre). A kind without one
(tuyên bố, lời kêu gọi, chiến lược) is issued by the Centre or a congress without a kind
abbreviation of its own: its number is taken as written. `other` lists forms also seen on real
documents (08-QĐi/TW for a quy định)."""

# (code, name, system, abbreviation, order, other abbreviations)
KINDS = [
    ("cuong_linh", "Cương lĩnh", "party", "CL", 1, ""),
    ("dieu_le", "Điều lệ", "party", "ĐL", 2, ""),
    ("chien_luoc", "Chiến lược", "party", "", 3, ""),
    ("nghi_quyet", "Nghị quyết", "party", "NQ", 4, ""),
    ("quyet_dinh", "Quyết định", "party", "QĐ", 5, ""),
    ("chi_thi", "Chỉ thị", "party", "CT", 6, ""),
    ("ket_luan", "Kết luận", "party", "KL", 7, ""),
    ("quy_che", "Quy chế", "party", "QC", 8, ""),
    ("quy_dinh", "Quy định", "party", "QĐ", 9, "QĐi"),
    ("thong_tri", "Thông tri", "party", "TT", 10, ""),
    ("huong_dan", "Hướng dẫn", "party", "HD", 11, ""),
    ("thong_bao", "Thông báo", "party", "TB", 12, ""),
    ("thong_cao", "Thông cáo", "party", "TC", 13, ""),
    ("tuyen_bo", "Tuyên bố", "party", "", 14, ""),
    ("loi_keu_goi", "Lời kêu gọi", "party", "", 15, ""),
    ("bao_cao", "Báo cáo", "party", "BC", 16, ""),
    ("ke_hoach", "Kế hoạch", "party", "KH", 17, ""),
    ("quy_hoach", "Quy hoạch", "party", "QH", 18, ""),
    ("chuong_trinh", "Chương trình", "party", "CTr", 19, ""),
    ("de_an", "Đề án", "party", "ĐA", 20, ""),
    ("phuong_an", "Phương án", "party", "PA", 21, ""),
    ("du_an", "Dự án", "party", "DA", 22, ""),
    ("to_trinh", "Tờ trình", "party", "TTr", 23, ""),
    ("cong_van", "Công văn", "party", "CV", 24, ""),
    ("bien_ban", "Biên bản", "party", "BB", 25, ""),
    # Not a kind of 399-QĐ/TW: the office's own running register (the directions on incoming
    # documents, plans.PlanKind.DIRECTIONS), never numbered or sent.
    ("so_theo_doi", "Sổ theo dõi", "party", "", 40, ""),
    ("luat", "Luật", "state", "L", 50, ""),
    ("nghi_dinh", "Nghị định", "state", "NĐ", 51, ""),
    ("thong_tu", "Thông tư", "state", "TT", 52, ""),
    ("nn_quyet_dinh", "Quyết định (nhà nước)", "state", "QĐ", 53, ""),
    ("nn_chi_thi", "Chỉ thị (nhà nước)", "state", "CT", 54, ""),
    ("nn_cong_van", "Công văn (nhà nước)", "state", "CV", 55, ""),
    ("nn_ke_hoach", "Kế hoạch (nhà nước)", "state", "KH", 56, ""),
]


def seed_document_kinds(DocumentKind) -> None:
    has_other = any(f.name == "other_abbreviations" for f in DocumentKind._meta.get_fields())  # older migrations
    for code, name, system, abbreviation, order, other in KINDS:
        defaults = {"name": name, "system": system, "abbreviation": abbreviation, "order": order}
        if has_other:
            defaults["other_abbreviations"] = other
        DocumentKind.objects.update_or_create(code=code, defaults=defaults)
