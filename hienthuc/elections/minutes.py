"""The minutes of a count (biên bản kiểm phiếu) in Party format: summoned, present, ballots
issued and collected, valid and invalid with their reasons, each candidate's votes in ballot
order with the share of the base, and the elected."""

from django.utils import timezone, translation

from hienthuc.elections.actions import candidate_rows, count
from hienthuc.elections.models import CounterRole, Election
from hienthuc.lib.election import ALL_STRUCK, TOO_MANY, percent
from hienthuc.lib.partydoc import PartyDocument, Table, body_date, render

REASONS = {TOO_MANY: "Gạch không đúng: giữ lại nhiều hơn số cần bầu", ALL_STRUCK: "Gạch tên tất cả ứng cử viên"}
HEADERS = ["STT", "Họ và tên", "Số phiếu bầu", "Tỷ lệ % so với tổng số đại biểu", "Kết quả"]
WIDTHS = [12, 60, 25, 35, 30]


def rows(election: Election, result) -> list[list]:
    def outcome(row: dict) -> str:
        return "Trúng cử" if row["elected"] else "Bầu lại (bằng phiếu)" if row["tied"] else ""

    return [
        [r["number"], r["full_name"], r["votes"], f"{r['share']}%", outcome(r)]
        for r in candidate_rows(election, result)
    ]


@translation.override("vi")  # a Party document is Vietnamese whatever the reader's language
def to_docx(election: Election) -> bytes:
    from hienthuc.plans.wordexport import party_name, place_of

    result = count(election)
    meeting, unit = election.meeting, election.meeting.unit
    committee = [
        c.user.get_full_name() or c.user.username for c in election.counters.filter(role=CounterRole.COMMITTEE)
    ]
    base_word = "đại biểu" if election.congress_kind == "delegates" else "đảng viên"
    blocks: list = [
        ("body", f"Hôm nay, ngày {body_date(timezone.localdate(meeting.starts_at))}, tại {meeting.title}, "
                 f"Ban kiểm phiếu gồm: {', '.join(committee) or '[ghi tên các thành viên]'} đã kiểm phiếu "
                 f"{election.title[0].lower() + election.title[1:]} (lần bầu thứ {election.round})."),
        ("body", f"Căn cứ: {election.rule_source}."),
        ("heading", "I. TÌNH HÌNH PHIẾU BẦU"),
        ("body", f"- Tổng số {base_word} chính thức được triệu tập: {election.summoned}; không tính vào tổng số: "
                 f"{election.excluded}; tổng số làm căn cứ tính kết quả: {election.base}."),
        ("body", f"- Số {base_word} có mặt: {election.present or 0}."),
        ("body", f"- Số phiếu phát ra: {election.ballots_issued or 0}; số phiếu thu vào: {result.ballots}."),
        ("body", f"- Số phiếu hợp lệ: {result.valid}; số phiếu không hợp lệ: {sum(result.invalid.values())}."),
    ]  # fmt: skip
    for reason, n in sorted(result.invalid.items()):
        blocks.append(("body", f"  + {REASONS.get(reason, reason)}: {n} phiếu."))
    blocks += [
        ("heading", "II. KẾT QUẢ BẦU CỬ"),
        Table("Số phiếu bầu của từng người theo thứ tự trên phiếu", HEADERS, rows(election, result), WIDTHS),
        ("heading", "III. NGƯỜI TRÚNG CỬ"),
        ("body", f"Số cần bầu: {election.seats}. Trúng cử khi được quá một nửa ({result.base // 2 + 1} phiếu trở "
                 f"lên) so với tổng số {base_word} chính thức được triệu tập (trừ số không tính vào tổng số)."),
    ]  # fmt: skip
    names = dict(election.candidates.values_list("number", "full_name"))
    for n, number in enumerate(result.elected, 1):
        blocks.append(("body", f"{n}. {names[number]}: {result.votes[number]} phiếu, "
                               f"đạt {percent(result.share(number))}%."))  # fmt: skip
    if result.tied:
        blocks.append(("body", "Các đồng chí có số phiếu bằng nhau ở vị trí cuối, phải bầu lại: "
                               + ", ".join(names[n] for n in result.tied) + "."))  # fmt: skip
    elif result.seats_left:
        blocks.append(("body", f"Còn {result.seats_left} chỗ chưa đủ số phiếu trúng cử; đại hội thảo luận, "
                               "quyết định có bầu tiếp hay không."))  # fmt: skip
    blocks.append(("body", "Biên bản lập xong, đọc lại cho Ban kiểm phiếu cùng nghe và nhất trí ký tên."))
    doc = PartyDocument(
        issuer=f"ĐẠI HỘI {party_name(unit)}".upper() if not unit.name.upper().startswith("ĐẢNG") else unit.name,
        superior="",
        number="",
        place=place_of(unit),
        date=timezone.localdate(meeting.starts_at),
        kind="BIÊN BẢN",
        summary=f"kiểm phiếu {election.title[0].lower() + election.title[1:]}",
        blocks=blocks,
        signing_authority="T/M BAN KIỂM PHIẾU",
        signer_position="TRƯỞNG BAN",
        recipients=["Đoàn Chủ tịch Đại hội"],
        archive="Lưu hồ sơ Đại hội",
    )
    return render(doc)
