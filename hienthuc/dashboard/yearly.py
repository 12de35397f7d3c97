"""The yearly report: "Báo cáo kết quả lãnh đạo thực hiện nhiệm vụ chính trị năm N, phương
hướng, nhiệm vụ năm N+1" for any unit, as a Party document (.docx) and as a workbook (.xlsx).

Everything the system knows is filled in — the indicator table, the tasks by status, how the
cascades stand, the units that reported late or not at all — and a bracketed placeholder
marks only what a person must write.
"""

import datetime
from dataclasses import dataclass, field

from django.db.models import Q
from django.utils import timezone, translation

from hienthuc.dashboard import narrative
from hienthuc.dashboard.models import YearlyReportDraft
from hienthuc.dashboard.narrative import Narrative
from hienthuc.documents.refs import reference_text
from hienthuc.indicators import tallies
from hienthuc.indicators.figures import share_of
from hienthuc.indicators.models import FormUnit, ReportForm, Submission, Target
from hienthuc.lib import deadlines, periods
from hienthuc.lib.partydoc import PartyDocument, Table, body_date, render
from hienthuc.lib.sheets import DayCell, Number, write_tables
from hienthuc.orgs.models import Organization
from hienthuc.plans.coverage import coverage_documents, requirement_rows
from hienthuc.plans.models import PlanRequirement, PlanStatus, Task

LATE_LISTED = 60  # names listed per table; the rest are counted


@dataclass
class YearlyReport:
    unit: Organization
    year: int
    indicators: list[list] = field(default_factory=list)
    tasks: list[list] = field(default_factory=list)
    coverage: list[list] = field(default_factory=list)
    late_reports: list[list] = field(default_factory=list)
    late_plans: list[list] = field(default_factory=list)
    next_targets: list[list] = field(default_factory=list)
    recomputed: bool = False  # last year's figures recomputed on the boundaries after a reorganization
    estimated: int = 0  # indicators shown by their estimate, no official figure yet
    narrative: Narrative = field(default_factory=Narrative)  # the units' own words (narrative.py)
    number: str = ""  # once the draft registered as a document is issued: its number and day
    issued_on: datetime.date | None = None

    @property
    def title(self) -> str:
        return (
            f"kết quả lãnh đạo thực hiện nhiệm vụ chính trị năm {self.year}, phương hướng, nhiệm vụ năm {self.year + 1}"
        )


INDICATOR_HEADERS = ["STT", "Chỉ tiêu", "Đơn vị tính", "Chỉ tiêu năm", "Thực hiện", "% so với chỉ tiêu",
                     "Thực hiện năm trước", "So với năm trước"]  # fmt: skip
TASK_HEADERS = ["Tình trạng", "Số nhiệm vụ", "Tỷ lệ (%)"]
COVERAGE_HEADERS = ["Văn bản được thực hiện", "Đúng hạn", "Muộn", "Quá hạn, chưa ban hành", "Chưa đến hạn"]
LATE_REPORT_HEADERS = ["Mẫu báo cáo", "Kỳ", "Đơn vị", "Tình hình"]
LATE_PLAN_HEADERS = ["Văn bản", "Đơn vị", "Hạn ban hành", "Tình hình"]
TARGET_HEADERS = ["STT", "Chỉ tiêu", "Đơn vị tính", "Chỉ tiêu năm sau"]
PROPOSAL_HEADERS = ["STT", "Lĩnh vực", "Đề xuất, kiến nghị", "Đơn vị đề xuất"]
NARRATIVE_HEADERS = ["Lĩnh vực", "Nội dung", "Đơn vị", "Thuyết minh"]


@translation.override("vi")  # a Party document is Vietnamese whatever the reader's language
def build(unit: Organization, year: int, user) -> YearlyReport:
    """The report as `user` may read it: documents they may not open are named by their hidden label."""

    report = YearlyReport(unit, year)
    today = timezone.localdate()
    # Indicators with a target for the year, or with a figure (the unit's own or from below).
    targets = {
        t.indicator_id: t
        for t in Target.objects.assigned().filter(unit=unit, kind="year", year=year).select_related("indicator")
    }
    indicators = sorted({t.indicator for t in targets.values()}, key=lambda i: (i.order, i.code))
    # A successor of a reorganization compares with last year on its new boundaries (recomputed).
    figures, recomputed = tallies.comparable_figures(unit, indicators, tallies.year_keys([year - 1, year]))
    report.recomputed = bool(recomputed)
    # Until the official figure of the year exists, the year's estimate stands in, marked "(ước)".
    guesses = tallies.estimates([unit.pk], [i.pk for i in indicators], [str(year)]).get(unit.pk, {})
    this_year = periods.Period(year, periods.YEAR, 1)
    for number, indicator in enumerate(indicators, 1):
        shown = tallies.period_figure(indicator, figures, this_year, guesses)
        actual = shown.value
        if shown.how == tallies.ESTIMATE:
            report.estimated += 1
        last = tallies.year_value(indicator, figures, year - 1)
        target = targets[indicator.pk].value
        change = actual - last if actual is not None and last is not None else None
        places = indicator.decimals
        name = f"{indicator.name} (ước)" if shown.how == tallies.ESTIMATE else indicator.name
        target_cell = targets[indicator.pk].text or Number(target, places)
        report.indicators.append(
            [number, name, indicator.measure, target_cell, Number(actual, places),
             Number(share_of(actual, target), 1, percent=True), Number(last, places), Number(change, places)]
        )  # fmt: skip
    # Tasks of issued plans led in the subtree, due in the year (ongoing ones too), as of the report.
    as_of = min(today, datetime.date(year, 12, 31))
    tasks = Task.objects.filter(plan__status=PlanStatus.ISSUED).led_in_subtree(unit)
    tasks = tasks.filter(Q(deadline_last_day__year=year) | Q(deadline_last_day__isnull=True))
    counts = tasks.status_counts(as_of)
    total = sum(counts.values())
    for code, n in counts.items():
        report.tasks.append(
            [deadlines.STATUS_LABELS[code], n, Number(100 * n / total if total else 0, 1, percent=True)]
        )
    report.tasks.append(["Tổng số", total, Number(100 if total else 0, 1, percent=True)])
    # Cascades: every source document that reached the subtree.
    for row in coverage_documents(unit, today, user):
        document, summary = row["document"], row["summary"]
        name = reference_text(user, document)
        report.coverage.append([name, summary["on_time"], summary["late"], summary["overdue"], summary["pending"]])
    report.late_reports = _late_reports(unit, year)
    report.narrative = narrative.compose(unit, year)
    registered = registered_draft(unit, year)
    if registered is not None and registered.document.number_text:
        report.number, report.issued_on = registered.document.number_text, registered.document.issued_on
    report.late_plans = _late_plans(unit, year, today, user)
    for number, target in enumerate(
        Target.objects.assigned()
        .filter(unit=unit, kind="year", year=year + 1)
        .select_related("indicator")
        .order_by("indicator__order"),
        1,
    ):
        report.next_targets.append(
            [
                number,
                target.indicator.name,
                target.indicator.measure,
                target.text or Number(target.value, target.indicator.decimals),
            ]  # fmt: skip
        )
    return report


def proposal_rows(composed: Narrative) -> list[list]:
    return [[n, p.field or "Chung", p.text, "; ".join(p.proposers)] for n, p in enumerate(composed.proposals, 1)]


def narrative_rows(composed: Narrative, unit: Organization) -> list[list]:
    rows = []
    for found in composed.fields:
        for section in found.sections:
            rows += [[found.name or "Chung", section.title, unit.name, text] for text in section.own]
            rows += [[found.name or "Chung", section.title, name, text] for name, text in section.units]
    return rows


def _field_blocks(fields) -> list:
    """Under each field, each section: the unit's own text, then its units' texts, attributed —
    a draft for the office to edit, not to copy and paste together."""
    blocks: list = []
    for number, found in enumerate(fields, 1):
        if found.name:
            blocks.append(("heading", f"{number}. {found.name}"))
        for section in found.sections:
            if section.is_proposals:
                continue  # summarised, grouped, in part two
            blocks.append(("body", f"{section.title}:"))
            blocks += [("body", line) for text in section.own for line in text.splitlines() if line.strip()]
            for name, text in section.units:
                lines = [line for line in text.splitlines() if line.strip()]
                blocks.append(("body", f"- {name}: {lines[0]}"))
                blocks += [("body", line) for line in lines[1:]]
    return blocks


def registered_draft(unit: Organization, year: int) -> "YearlyReportDraft | None":
    return YearlyReportDraft.objects.filter(unit=unit, year=year).select_related("document").first()


def _late_reports(unit: Organization, year: int) -> list[list]:
    """Units below that sent a report of the year late, or not at all."""
    rows: list[list] = []
    required = FormUnit.objects.filter(unit__path__startswith=unit.path, unit__depth__gt=unit.depth)
    forms = ReportForm.objects.filter(pk__in=required.values("form_id")).prefetch_related("one_off_periods")
    forms = forms.order_by("name")
    for form in forms:
        duties = list(required.filter(form=form).select_related("unit"))
        units = {d.unit_id: d.unit.name for d in duties}
        owed = {d.unit_id: d for d in duties}  # a duty a reorganization dated covers some periods only
        # Only the periods the form asks for (none before its first year) whose report fell due.
        today = timezone.localdate()
        year_periods = [p for p in form.periods_of_year(year) if p.due(form.deadline_days) < today]
        sent = {
            (s.unit_id, s.period): s
            for s in Submission.objects.filter(form=form, unit_id__in=units, period__in=[p.key for p in year_periods])
        }
        for period in year_periods:
            due = period.due(form.deadline_days)
            for unit_id, name in sorted(units.items(), key=lambda item: item[1]):
                if not owed[unit_id].covers(period.end):
                    continue
                submission = sent.get((unit_id, period.key))
                state = tallies.submission_state(submission, form.deadline_days) if submission else tallies.MISSING
                if state == tallies.MISSING:
                    rows.append([form.name, period.label, name, "Chưa nộp"])
                elif state == tallies.LATE:
                    days = (timezone.localdate(submission.submitted_at) - due).days
                    rows.append([form.name, period.label, name, f"Nộp muộn {days} ngày"])
    return _capped(rows, 4)


def _late_plans(unit: Organization, year: int, today: datetime.date, user) -> list[list]:
    """Units below required to issue a plan by a day of the year that issued it late or not yet."""
    requirements = PlanRequirement.objects.filter(
        unit__path__startswith=unit.path, unit__depth__gt=unit.depth, due_on__year=year
    ).order_by("due_on", "unit__search_text")
    requirements = requirements.select_related(
        "plan__source_document__kind",
        "plan__source_document__issuing_unit",
        "plan__document__kind",
        "plan__document__issuing_unit",
    )
    rows = []
    for r in requirement_rows(requirements, today):
        if r["state"] in ("late", "overdue"):
            source = r["required_by"].source_document or r["required_by"].document
            state = "Ban hành muộn" if r["state"] == "late" else "Quá hạn, chưa ban hành"
            rows.append(
                [
                    reference_text(user, source, with_kind=False),
                    r["unit"].name,
                    DayCell(r["due_on"]),
                    state,
                ]
            )
    return _capped(rows, 4)


def _capped(rows: list[list], width: int) -> list[list]:
    if len(rows) <= LATE_LISTED:
        return rows
    return [*rows[:LATE_LISTED], [f"… và {len(rows) - LATE_LISTED} trường hợp khác"] + [""] * (width - 1)]


@translation.override("vi")  # a Party document is Vietnamese whatever the reader's language
def to_docx(report: YearlyReport) -> bytes:
    from hienthuc.plans.wordexport import party_name, place_of, recipients_above, secretary_name

    unit, year = report.unit, report.year
    parent = Organization.objects.get_parent(unit)
    person = "[Cơ quan soạn thảo viết phần này.]"
    blocks: list = [
        ("body", f"Thực hiện Quy chế làm việc, {unit.name} báo cáo kết quả lãnh đạo thực hiện nhiệm vụ chính trị "
                 f"năm {year}, phương hướng, nhiệm vụ năm {year + 1} như sau:"),
        ("heading", f"Phần thứ nhất. KẾT QUẢ LÃNH ĐẠO THỰC HIỆN NHIỆM VỤ CHÍNH TRỊ NĂM {year}"),
        ("heading", "I. CÁC CHỈ TIÊU CHỦ YẾU"),
    ]  # fmt: skip
    if report.indicators:
        blocks.append(Table("", INDICATOR_HEADERS, report.indicators, [8, 45, 16, 18, 18, 18, 20, 18]))
        if report.estimated:
            blocks.append(("body", f"Chỉ tiêu ghi “(ước)”: số ước thực hiện cả năm {year}, chưa có số chính thức."))
        if report.recomputed:
            blocks.append(
                ("body", f"Số liệu năm {year - 1} được tính lại theo địa giới, tổ chức mới từ số liệu của các "
                         f"đơn vị trước khi sắp xếp (từ ngày {body_date(unit.valid_from)}).")
            )  # fmt: skip
    else:
        blocks.append(("body", "Chưa có chỉ tiêu nào được giao cho năm này."))
    blocks += [
        ("heading", "II. THỰC HIỆN CÁC NHIỆM VỤ"),
        ("body", f"Các nhiệm vụ của các chương trình, kế hoạch đã ban hành, có thời hạn trong năm {year} hoặc "
                 "thực hiện thường xuyên, do đơn vị và các đơn vị trực thuộc chủ trì:"),
        Table("", TASK_HEADERS, report.tasks, [85, 40, 40]),
        ("heading", "III. BAN HÀNH KẾ HOẠCH THỰC HIỆN, HỌC TẬP, QUÁN TRIỆT"),
    ]  # fmt: skip
    if report.coverage:
        blocks.append(Table("", COVERAGE_HEADERS, report.coverage, [65, 25, 25, 25, 25]))
    else:
        blocks.append(("body", "Không có văn bản nào phải triển khai xuống các đơn vị trực thuộc."))
    blocks.append(("heading", "IV. CÁC ĐƠN VỊ CHẬM, CHƯA THỰC HIỆN"))
    if report.late_reports:
        blocks.append(
            Table("Báo cáo định kỳ nộp muộn, chưa nộp", LATE_REPORT_HEADERS, report.late_reports, [50, 30, 55, 30])
        )
    if report.late_plans:
        blocks.append(
            Table(
                "Kế hoạch thực hiện ban hành muộn, chưa ban hành",
                LATE_PLAN_HEADERS,
                report.late_plans,
                [40, 55, 30, 40],
            )
        )
    if not report.late_reports and not report.late_plans:
        blocks.append(("body", "Không có đơn vị nào chậm nộp báo cáo hay chậm ban hành kế hoạch thực hiện trong năm."))
    fields = [f for f in report.narrative.fields if any(not s.is_proposals for s in f.sections)]
    if fields:
        blocks.append(("heading", "V. KẾT QUẢ TRÊN CÁC LĨNH VỰC"))
        blocks += _field_blocks(fields)
    blocks += [
        ("heading", "VI. ĐÁNH GIÁ CHUNG" if fields else "V. ĐÁNH GIÁ CHUNG"),
        ("body", f"1. Ưu điểm: {person}"),
        ("body", f"2. Hạn chế, khuyết điểm và nguyên nhân: {person}"),
        ("heading", f"Phần thứ hai. PHƯƠNG HƯỚNG, NHIỆM VỤ NĂM {year + 1}"),
    ]
    if report.next_targets:
        blocks.append(Table("Các chỉ tiêu chủ yếu", TARGET_HEADERS, report.next_targets, [10, 95, 25, 35]))
    blocks.append(("body", f"Nhiệm vụ, giải pháp trọng tâm: {person}"))
    if report.narrative.proposals:
        blocks.append(("heading", "ĐỀ XUẤT, KIẾN NGHỊ"))
        blocks.append(("body", "Tổng hợp đề xuất, kiến nghị của các đơn vị (đề xuất của nhiều đơn vị xếp trước):"))
        blocks.append(Table("", PROPOSAL_HEADERS, proposal_rows(report.narrative), [10, 35, 80, 45]))
    else:
        blocks.append(("body", f"Đề xuất, kiến nghị: {person}"))
    superior = party_name(parent) if parent is not None and parent.depth >= 2 else ""
    doc = PartyDocument(
        issuer=unit.name,
        superior=superior,
        number=report.number,
        place=place_of(unit),
        date=report.issued_on,
        kind="BÁO CÁO",
        summary=report.title,
        blocks=blocks,
        signer_name=secretary_name(unit),
        recipients=[*recipients_above(unit), "Các đồng chí cấp ủy viên"],
        archive=f"Lưu Văn phòng {unit.name}",
    )
    return render(doc)


@translation.override("vi")  # a Party document is Vietnamese whatever the reader's language
def to_xlsx(report: YearlyReport) -> bytes:
    heading = f"{report.unit.name} — Báo cáo {report.title}"
    return write_tables(
        [
            ("Chỉ tiêu", heading, INDICATOR_HEADERS, report.indicators),
            ("Nhiệm vụ", f"Nhiệm vụ theo tình trạng, năm {report.year}", TASK_HEADERS, report.tasks),
            ("Kế hoạch thực hiện", "Ban hành kế hoạch thực hiện", COVERAGE_HEADERS, report.coverage),
            ("Báo cáo chậm", "Báo cáo định kỳ nộp muộn, chưa nộp", LATE_REPORT_HEADERS, report.late_reports),
            ("Kế hoạch chậm", "Kế hoạch thực hiện ban hành muộn, chưa ban hành", LATE_PLAN_HEADERS, report.late_plans),
            (f"Chỉ tiêu {report.year + 1}", f"Chỉ tiêu năm {report.year + 1}", TARGET_HEADERS, report.next_targets),
            (
                "Thuyết minh",
                "Thuyết minh của đơn vị và các đơn vị trực thuộc",
                NARRATIVE_HEADERS,
                narrative_rows(report.narrative, report.unit),
            ),
            (
                "Kiến nghị, đề xuất",
                "Tổng hợp đề xuất, kiến nghị của các đơn vị",
                PROPOSAL_HEADERS,
                proposal_rows(report.narrative),
            ),
        ]
    )
