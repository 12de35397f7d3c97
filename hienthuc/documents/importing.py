"""Import and export of a document register (.xlsx), all-or-nothing with errors by row and column."""

import datetime
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from hienthuc.documents import actions
from hienthuc.documents.models import Confidentiality, Document, DocumentKind, IssuingBody, Status, Urgency
from hienthuc.imports.importers import PREVIEW_ROWS, Importer, ImportRejected, Preview
from hienthuc.lib.sheets import CellError, cell_date, read_table, write_table
from hienthuc.lib.text import choice_of, clean, fold
from hienthuc.orgs.models import Organization
from hienthuc.scope import can_issue, edits_anywhere

# A register import is a year or a term of documents; larger files are split (stated in the form).
MAX_ROWS = 5_000
# The column headers are the file's format, read back by the import: Vietnamese in any language.
HEADERS = [
    "Số hiệu", "Loại văn bản", "Mã đơn vị ban hành", "Cơ quan ban hành", "Ngày ban hành", "Trích yếu",  # not UI text
    "Người ký", "Nơi ban hành", "Độ mật", "Trạng thái", "Độ khẩn",  # not UI text
]  # fmt: skip
OPTIONAL = ("Người ký", "Nơi ban hành", "Độ mật", "Trạng thái", "Độ khẩn")  # not UI text
# Where an action's complaint about a field lands in the sheet.
COLUMN_OF = {
    "number_text": 1, "kind": 2, "issuing_unit": 3, "issuing_body": 4, "issued_on": 5, "summary": 6,
    "signer": 7, "place": 8, "confidentiality": 9, "status": 10, "term": 5,
    "urgency": 11,
}  # fmt: skip


@dataclass
class RegisterPlan:
    creates: list[tuple[int, dict]] = field(default_factory=list)
    skipped: int = 0  # already in the register
    errors: list[CellError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def row_count(self) -> int:
        return len(self.creates)


def plan_register_import(data: bytes, *, user) -> RegisterPlan:
    sheet = read_table(data, HEADERS, max_bytes=settings.UPLOAD_MAX_BYTES, optional=OPTIONAL, max_rows=MAX_ROWS)
    plan = RegisterPlan()

    def error(row: int, column: int, message: str) -> None:
        plan.errors.append(CellError(row, column, HEADERS[column - 1], message))

    kinds = {}
    for kind in DocumentKind.objects.all():
        kinds.setdefault(fold(kind.name), kind)
        kinds.setdefault(fold(kind.code), kind)
    codes = {clean(values[2]) for _n, values in sheet.rows if clean(values[2])}
    # The units that exist now: a register is kept going forward (a ceased unit's code may be
    # borne by its continuation).
    units = {fold(u.code): u for u in Organization.objects.current().filter(code__in=codes).select_related("kind")}
    seen: dict[tuple, int] = {}
    for number, values in sheet.rows:
        (
            number_text, kind_text, unit_code, body_text, date_value, summary, signer, place, secrecy, status_text,
            urgency_text,
        ) = values  # fmt: skip
        row_errors = len(plan.errors)
        kind = kinds.get(fold(clean(kind_text)))
        if kind is None:
            error(
                number,
                2,
                _("Loại văn bản “%(value)s” không có trong danh mục.") % {"value": clean(kind_text)}
                if clean(kind_text)
                else _("Chưa ghi loại văn bản."),
            )
        unit = units.get(fold(clean(unit_code)))
        if unit is None or not can_issue(user, unit):
            error(
                number,
                3,
                _("Không tìm thấy đơn vị “%(value)s” trong phạm vi bạn được vào sổ.") % {"value": clean(unit_code)}
                if clean(unit_code)
                else _("Chưa ghi mã đơn vị ban hành."),
            )
        body = choice_of(body_text, IssuingBody.choices, IssuingBody.EXECUTIVE)
        if body is None:
            error(
                number,
                4,
                _("Cơ quan ban hành “%(value)s” không hợp lệ (ví dụ: Ban Chấp hành, Ban Thường vụ).")
                % {"value": clean(body_text)},
            )
        issued_on = None
        if clean(date_value) or isinstance(date_value, datetime.date):
            try:
                issued_on = cell_date(date_value)
            except ValueError:
                error(
                    number,
                    5,
                    _("Ngày “%(value)s” không hợp lệ; hãy ghi ngày/tháng/năm, ví dụ 25/10/2021.")
                    % {"value": clean(date_value)},
                )
        confidentiality = choice_of(secrecy, Confidentiality.choices, Confidentiality.NORMAL)
        if confidentiality is None:
            error(number, 9, _("Độ mật phải là Thường, Mật, Tối mật hoặc Tuyệt mật."))
        urgency = choice_of(urgency_text, Urgency.choices, Urgency.NORMAL)
        if urgency is None:
            error(number, 11, _("Độ khẩn phải để trống (thường) hoặc là Khẩn, Thượng khẩn, Hỏa tốc."))
        status = choice_of(status_text, Status.choices, Status.ISSUED)
        if status is None:
            error(number, 10, _("Trạng thái phải là Dự thảo, Đã ban hành, Hết hiệu lực hoặc Đã bị thay thế."))
        if len(plan.errors) > row_errors:
            continue
        data = {
            "kind": kind, "number_text": clean(number_text), "issuing_body": body, "issued_on": issued_on,
            "summary": clean(summary), "signer": clean(signer), "place": clean(place),
            "confidentiality": confidentiality, "status": status, "urgency": urgency,
        }  # fmt: skip
        # Check the row exactly as the action will, without writing anything.
        probe = Document(issuing_unit=unit)
        try:
            actions.fill_document(probe, data)
        except ValidationError as exc:
            existing = Document.objects.filter(
                issuing_unit=unit, number_normalized=probe.number_normalized, issued_on=issued_on
            ).exists()
            if existing and probe.number_normalized:
                plan.skipped += 1
                continue
            for name, messages in exc.message_dict.items():
                for message in messages:
                    error(number, COLUMN_OF.get(name, 1), message)
            continue
        if (
            not probe.number_normalized
            and Document.objects.filter(
                issuing_unit=unit, kind=kind, summary=data["summary"], number_normalized=""
            ).exists()
        ):
            plan.skipped += 1  # a draft already in the register (the register's own export read back)
            continue
        key = (unit.pk, probe.number_system, probe.number_kind, probe.number_issuer, probe.term_id, probe.number)
        if probe.number is not None and key in seen:
            error(
                number,
                1,
                _("Số %(number_normalized)s trùng với dòng %(seen)s.")
                % {"number_normalized": probe.number_normalized, "seen": seen[key]},
            )
            continue
        seen[key] = number
        plan.creates.append((number, {**data, "issuing_unit": unit}))
    plan.errors.sort(key=lambda e: (e.row, e.column))
    return plan


@transaction.atomic
def do_import_register(data: bytes, *, acting_user, progress=None) -> RegisterPlan:
    plan = plan_register_import(data, user=acting_user)
    if not plan.ok:
        raise ImportRejected(plan)
    for done, (_row, values) in enumerate(plan.creates, start=1):
        actions.do_create_document(acting_user=acting_user, **values)
        if progress:
            progress(done, plan.row_count)
    return plan


def describe(plan: RegisterPlan) -> Preview:
    rows = [
        [row, d["number_text"], d["kind"].name, d["issuing_unit"].name, d["summary"]]
        for row, d in plan.creates[:PREVIEW_ROWS]
    ]
    return Preview(
        counts=[
            _("%(creates)s văn bản mới") % {"creates": len(plan.creates)},
            _("%(skipped)s văn bản đã có trong sổ (bỏ qua)") % {"skipped": plan.skipped},
        ],
        button=_("Vào sổ %(creates)s văn bản") % {"creates": len(plan.creates)} if plan.creates else "",
        columns=[_("Dòng"), _("Số hiệu"), _("Loại"), _("Đơn vị"), _("Trích yếu")],
        rows=rows,
        total_rows=len(plan.creates),
    )


IMPORTER = Importer(
    kind="register",
    url_name="document_import",
    title=gettext_lazy("Nhập sổ văn bản từ Excel"),
    help_template="documents/import_help.html",
    check=lambda data, *, user, target: plan_register_import(data, user=user),
    apply=lambda data, *, acting_user, target, progress: do_import_register(
        data, acting_user=acting_user, progress=progress
    ),
    describe=describe,
    summary=lambda plan: (
        _("Đã vào sổ %(creates)s văn bản; bỏ qua %(skipped)s văn bản đã có.")
        % {"creates": len(plan.creates), "skipped": plan.skipped}
    ),
    done_url=lambda target: reverse("document_register"),
    allowed=edits_anywhere,
    denied=gettext_lazy("Chỉ người có quyền biên tập mới nhập sổ văn bản."),
    context=lambda user, target: {"headers": HEADERS, "max_rows": MAX_ROWS},
)


def export_register(documents) -> bytes:
    rows = [
        [
            d.number_text or d.number_normalized,
            d.kind.name,
            d.issuing_unit.code,
            d.get_issuing_body_display(),
            d.issued_on.strftime("%d/%m/%Y") if d.issued_on else "",
            d.summary,
            d.signer,
            d.place,
            d.get_confidentiality_display(),
            d.get_status_display(),
            d.get_urgency_display() if d.urgency else "",
        ]
        for d in documents
    ]
    return write_table("SỔ VĂN BẢN", HEADERS, rows, sheet_name=_("Sổ văn bản"))
