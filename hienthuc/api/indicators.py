"""API for indicators, targets, report forms, submissions, values and completeness.

Same rules as the pages: objects come through visible_to(user) (404 otherwise), writes go
through indicators.actions with the same validation and Vietnamese messages (400)."""

from decimal import Decimal

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from hienthuc.api.common import ErrorOut, Id, Pages, Text
from hienthuc.indicators import actions, tallies
from hienthuc.indicators.access import access_form, access_indicator, access_submission
from hienthuc.indicators.models import Estimate, Indicator, ReportForm, Submission, Target, Value
from hienthuc.orgs.access import access_organization

router = Router(tags=["indicators"])


class IndicatorOut(Schema):
    id: int
    code: str
    name: str
    measure: str
    aggregation: str
    weight_id: int | None
    time_aggregation: str
    higher_is_better: bool
    decimals: int
    min_value: Decimal | None
    max_value: Decimal | None
    owner_id: int
    document_id: int | None
    source: str = Field(description="rỗng: đơn vị nhập; khác: tính từ dữ liệu hệ thống")


class TargetOut(Schema):
    id: int
    indicator_id: int
    unit_id: int
    kind: str
    year: int
    origin: str = Field(description="assigned: cấp trên giao; own: đơn vị tự đặt")
    basis: str = Field(description="level; average: bình quân mỗi năm của nhiệm kỳ; total: cộng dồn cả nhiệm kỳ")
    value: Decimal = Field(description="cận dùng để đánh giá")
    low: Decimal | None
    high: Decimal | None
    text: str = Field(description="như văn bản ghi, ví dụ 8,5–9")
    version: int


class TargetIn(Schema):
    unit_id: Id
    year: int = Field(..., ge=1930, le=2200)
    value: Text = Field(..., max_length=120, description="Như văn bản ghi: 10; 8,5–9; ≥ 90; dưới 1; bình quân 7 %/năm")
    kind: str = Field("year", pattern="^(year|term)$")
    origin: str = Field("assigned", pattern="^(assigned|own)$")
    version: int | None = Field(
        None, ge=0, description="Phiên bản đã đọc (0: chưa có); nếu chỉ tiêu đã được đặt lại sau đó, yêu cầu bị từ chối"
    )


class FigureIn(Schema):
    unit_id: Id
    period: Text = Field(..., max_length=40, description="2021-Q1, Quý I/2021, 2021 …")
    value: Text | float | int
    estimate: bool = Field(False, description="số ước của kỳ chưa kết thúc")
    correction: bool = Field(False, description="đính chính số ước của kỳ đã kết thúc")


class FigureOut(Schema):
    indicator_id: int
    unit_id: int
    period: str
    value: Decimal
    estimate: bool


class FormOut(Schema):
    id: int
    name: str
    owner_id: int
    period_kind: str
    first_year: int
    deadline_days: int
    indicator_ids: list[int]
    sections: list[str]
    fields: list[str] = Field(description="lĩnh vực; mỗi lĩnh vực có đủ các phần thuyết minh")
    is_active: bool  # a stopped form takes no new reports

    @staticmethod
    def resolve_indicator_ids(obj) -> list[int]:
        return [item.indicator_id for item in obj.items.all()]

    @staticmethod
    def resolve_sections(obj) -> list[str]:
        return obj.section_titles

    @staticmethod
    def resolve_fields(obj) -> list[str]:
        return obj.field_names


class SubmissionOut(Schema):
    id: int
    form_id: int
    unit_id: int
    period: str
    status: str
    version: int
    comment: str
    first_submitted_at: str | None
    values: dict[str, Decimal]
    estimates: dict[str, Decimal] = Field(description="số ước (kỳ chưa kết thúc khi báo cáo)")
    narrative: dict

    @staticmethod
    def resolve_estimates(obj) -> dict[str, Decimal]:
        return _held_by_code(Estimate, obj)

    @staticmethod
    def resolve_first_submitted_at(obj) -> str | None:
        return obj.first_submitted_at.isoformat() if obj.first_submitted_at else None

    @staticmethod
    def resolve_values(obj) -> dict[str, Decimal]:
        return _held_by_code(Value, obj)


def _held_by_code(model, submission) -> dict[str, Decimal]:
    """The figures (Value) or estimates (Estimate) a submission's unit holds for its period, by
    indicator code."""
    codes = submission.form.items.values_list("indicator_id", "indicator__code")
    held = dict(
        model.objects.filter(
            unit_id=submission.unit_id, period=submission.period, indicator__in=[i for i, _ in codes]
        ).values_list("indicator_id", "value")
    )
    return {code: held[i] for i, code in codes if i in held}


class SubmissionIn(Schema):
    unit_id: Id
    period: Text = Field(..., max_length=40, description="2021-Q1, Quý I/2021, 2021-T03, 2021 …")
    values: dict[Text, Text | float | int] = Field(
        default_factory=dict,
        description="mã chỉ tiêu → số liệu",
    )
    narrative: dict[Text, Text] = Field(default_factory=dict)
    submit: bool = False
    version: int | None = Field(None, ge=1, le=2**31)


class ReviewIn(Schema):
    accept: bool
    comment: Text = Field("", max_length=5000)


class CompletenessOut(Schema):
    form_id: int
    unit_id: int
    period: str
    totals: dict[str, int]
    children: list[dict]


def _indicators(request):
    return Indicator.objects.visible_to(request.user)


@router.get("/indicators", response=list[IndicatorOut])
@paginate(Pages, page_size=100)
def list_indicators(request):
    return _indicators(request).order_by("order", "code")


@router.get("/indicators/{indicator_id}", response=IndicatorOut)
def get_indicator(request, indicator_id: Id):
    return access_indicator(request.user, indicator_id)


@router.get("/indicators/{indicator_id}/targets", response=list[TargetOut])
def list_targets(request, indicator_id: Id):
    indicator = access_indicator(request.user, indicator_id)
    return Target.objects.visible_to(request.user).filter(indicator=indicator)


@router.post("/indicators/{indicator_id}/targets", response={200: TargetOut, 400: ErrorOut})
def set_target(request, indicator_id: Id, payload: TargetIn):
    indicator = access_indicator(request.user, indicator_id)
    unit = access_organization(request.user, payload.unit_id)
    return actions.do_set_target(
        indicator, unit=unit, year=payload.year, value=payload.value, kind=payload.kind, origin=payload.origin,
        version=payload.version, acting_user=request.user,
    )  # fmt: skip


@router.post("/indicators/{indicator_id}/figures", response={200: FigureOut, 400: ErrorOut})
def set_figure(request, indicator_id: Id, payload: FigureIn):
    """An official figure of a period that is over, or an estimate of one that is not (or, as a
    correction, of one that is) — the page's rules and messages."""
    indicator = access_indicator(request.user, indicator_id)
    unit = access_organization(request.user, payload.unit_id)
    saved: Estimate | Value
    if payload.estimate or payload.correction:
        saved = actions.do_set_estimate(
            indicator, unit=unit, period=payload.period, value=str(payload.value), correction=payload.correction,
            acting_user=request.user,
        )  # fmt: skip
    else:
        saved = actions.do_set_value(
            indicator, unit=unit, period=payload.period, value=str(payload.value), acting_user=request.user
        )
    return {
        "indicator_id": indicator.pk,
        "unit_id": unit.pk,
        "period": saved.period,
        "value": saved.value,
        "estimate": payload.estimate or payload.correction,
    }


def _forms(request):
    return ReportForm.objects.visible_to(request.user).prefetch_related("items")


@router.get("/report-forms", response=list[FormOut])
@paginate(Pages, page_size=50)
def list_forms(request):
    return _forms(request).order_by("name", "id")


@router.get("/report-forms/{form_id}", response=FormOut)
def get_form(request, form_id: Id):
    return access_form(request.user, form_id)


@router.post("/report-forms/{form_id}/submissions", response={200: SubmissionOut, 400: ErrorOut})
def save_submission(request, form_id: Id, payload: SubmissionIn):
    """Save (or submit) a unit's report for a period, values by indicator code — the same checks
    as the page: one bad value and nothing is written."""
    from django.core.exceptions import ValidationError

    form = access_form(request.user, form_id)
    unit = access_organization(request.user, payload.unit_id)
    by_code = {item.indicator.code: item.indicator_id for item in form.items.select_related("indicator")}
    unknown = sorted(code for code in payload.values if code.upper() not in by_code)
    if unknown:
        raise ValidationError(
            {"values": _("Mẫu báo cáo không có chỉ tiêu mã: %(list)s.") % {"list": ", ".join(unknown)}}
        )
    submission = actions.do_save_submission(
        form,
        unit=unit,
        period=payload.period,
        values={by_code[code.upper()]: str(value) for code, value in payload.values.items()},
        narrative=payload.narrative,
        version=payload.version,
        submit=payload.submit,
        acting_user=request.user,
    )
    return Status(200, _submission(request, submission.pk))


def _submission(request, pk: int) -> Submission:
    return access_submission(request.user, pk)


class SubmissionFilter(Schema):
    form: Id | None = None
    unit: Id | None = None
    period: Text | None = Field(None, max_length=17)


@router.get("/submissions", response=list[SubmissionOut])
@paginate(Pages, page_size=50)
def list_submissions(request, filters: Query[SubmissionFilter]):
    rows = Submission.objects.visible_to(request.user).select_related("form")
    if filters.form is not None:
        rows = rows.filter(form_id=filters.form)
    if filters.unit is not None:
        rows = rows.filter(unit_id=filters.unit)
    if filters.period:
        rows = rows.filter(period=filters.period)
    return rows.order_by("-period", "unit_id", "id")


@router.get("/submissions/{submission_id}", response=SubmissionOut)
def get_submission(request, submission_id: Id):
    return _submission(request, submission_id)


@router.post("/submissions/{submission_id}/review", response={200: SubmissionOut, 400: ErrorOut})
def review_submission(request, submission_id: Id, payload: ReviewIn):
    """Accept, or return with a comment (a unit above the reporting one)."""
    submission = _submission(request, submission_id)
    reviewed = actions.do_review_submission(
        submission, accept=payload.accept, comment=payload.comment, acting_user=request.user
    )
    return Status(200, reviewed)


class CompletenessQuery(Schema):
    unit: Id
    period: Text = Field(..., max_length=40)


@router.get("/report-forms/{form_id}/completeness", response=CompletenessOut)
def form_completeness(request, form_id: Id, query: Query[CompletenessQuery]):
    """How many units below `unit` had to report, sent it on time, late, or not at all — per child."""
    form = access_form(request.user, form_id)
    org = access_organization(request.user, query.unit)
    key = actions.check_period(form, query.period).key
    totals, per_child = tallies.completeness(org, form, key)
    return {
        "form_id": form.pk,
        "unit_id": org.pk,
        "period": key,
        "totals": totals,
        "children": [{"unit_id": pk, "counts": counts} for pk, counts in sorted(per_child.items())],
    }


class PanelRow(Schema):
    indicator_id: int
    target: Decimal | None
    target_text: str = Field(description="chỉ tiêu được giao, như văn bản ghi")
    own_target: str = Field(description="chỉ tiêu đơn vị tự đặt, nếu có")
    actual: Decimal | None
    how: str = Field(description="rỗng: số báo cáo; composed: tổng hợp từ các kỳ; estimate: số ước; partial: lũy kế")
    share: float | None
    last_year: Decimal | None
    light: str


class YearQuery(Schema):
    year: int | None = Field(None, ge=1930, le=2200)


@router.get("/units/{unit_id}/indicators", response=list[PanelRow])
def unit_indicators(request, unit_id: Id, query: Query[YearQuery]):
    """The unit's indicators with a target for the year: actual so far, % of target, forecast light."""
    from hienthuc.indicators.figures import indicator_panel

    org = access_organization(request.user, unit_id)
    rows = indicator_panel(org, query.year or timezone.localdate().year)
    return [
        {
            "indicator_id": r["indicator"].pk,
            "target": r["target"],
            "target_text": r["target_text"],
            "own_target": r["own_target"],
            "actual": r["actual"],
            "how": r["how"],
            "share": float(r["share"]) if r["share"] is not None else None,
            "last_year": r["last_year"],
            "light": r["light"],
        }
        for r in rows
    ]


class ImportRow(Schema):
    unit: Text = Field(..., max_length=32, description="mã đơn vị")
    indicator: Text = Field(..., max_length=40, description="mã chỉ tiêu")
    period: Text = Field(..., max_length=40, description="2021-Q1, Quý I/2021 …")
    value: Text | float | int


class ImportIn(Schema):
    values: list[ImportRow] = Field(
        ...,
        max_length=settings.API_VALUE_IMPORT_MAX_ROWS,
        description=f"tối đa {settings.API_VALUE_IMPORT_MAX_ROWS:,} dòng mỗi lần gọi".replace(",", "."),
    )
    dry_run: bool = Field(False, description="chỉ kiểm tra, không ghi")


class ImportOut(Schema):
    created: int
    updated: int
    unchanged: int
    written: bool
    errors: list[str]


@router.post("/values/import", response={200: ImportOut, 400: ImportOut})
def import_values(request, payload: ImportIn):
    """Import values (the file import's rules: every row checked, all or nothing). With
    `dry_run`, report what would be created, updated or left unchanged, and every problem."""
    import json

    from django.core.exceptions import ValidationError

    from hienthuc.imports.importers import ImportRejected
    from hienthuc.indicators import importing
    from hienthuc.lib.sheets import FileProblem

    data = json.dumps([row.dict() for row in payload.values]).encode()
    # One reading of the rows either way: a rejected write carries its check (ImportRejected).
    try:
        if payload.dry_run:
            plan = importing.plan_value_import(data, user=request.user)
        else:
            plan = importing.do_import_values(data, acting_user=request.user)
    except ImportRejected as exc:
        plan = exc.checked
    except (ValidationError, FileProblem) as exc:
        messages = exc.messages if isinstance(exc, ValidationError) else [str(exc)]
        return Status(400, {"created": 0, "updated": 0, "unchanged": 0, "written": False, "errors": messages})
    body = {
        "created": plan.created,
        "updated": plan.updated,
        "unchanged": plan.unchanged,
        "written": plan.ok and not payload.dry_run,
        "errors": [str(e).replace(_("Dòng"), _("Mục"), 1) for e in plan.errors],
    }
    return Status(200 if plan.ok else 400, body)
