"""Bulk import of indicator values from .xlsx, .csv or JSON: unit code, indicator code,
period, value.

`plan_value_import` checks every row (a dry run: what would be created, updated, left as it
is, and every conflict by row and column) and writes nothing; `do_import_values` checks again
and writes all-or-nothing. Rows are checked in Python against preloaded dictionaries; the
comparison with stored values, the tally deltas and the writes are set-based SQL over a
temporary table, so a million values take seconds, not hours (`make bench`).
"""

import csv
import io
import json
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils import timezone

from hienthuc.accounts.scoping import EDIT_KINDS, subtree_q
from hienthuc.audit.record import record
from hienthuc.indicators import tallies
from hienthuc.indicators.actions import VALUE_LIMIT
from hienthuc.indicators.models import Aggregation, Indicator, SubmissionStatus, Value, ValueTally
from hienthuc.lib import periods
from hienthuc.lib.numbers import NumberError, decimals_of, parse_number
from hienthuc.lib.sheets import CellError, FileProblem, check_size, read_table
from hienthuc.lib.text import fold
from hienthuc.orgs.models import AGGREGATE_MIN_DEPTH, Organization

HEADERS = ["Mã đơn vị", "Mã chỉ tiêu", "Kỳ", "Giá trị"]
JSON_KEYS = ["unit", "indicator", "period", "value"]
ERRORS_SHOWN = 200
STEP = Organization.steplen
TEMP = "tmp_value_import"


@dataclass
class ValueImportPlan:
    rows: list[tuple[int, int, str, Decimal]] = field(default_factory=list)  # indicator, unit, period, value
    errors: list[CellError] = field(default_factory=list)
    error_count: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    # (indicator, unit, period) → its row number, to name rows in conflicts found in SQL.
    seen: dict = field(default_factory=dict, repr=False)

    @property
    def ok(self) -> bool:
        return not self.error_count

    @property
    def summary(self) -> str:
        return (
            f"Đã nhập: {self.created} giá trị mới, {self.updated} giá trị cập nhật, {self.unchanged} giá trị không đổi."
        )

    def error(self, row: int, column: int, message: str) -> None:
        self.error_count += 1
        if len(self.errors) < ERRORS_SHOWN:
            self.errors.append(CellError(row, column, HEADERS[column - 1], message))


def read_rows(data: bytes) -> list[tuple[int, list]]:
    """(row number as the person sees it, [unit, indicator, period, value]) from any of the three formats."""
    check_size(len(data), settings.UPLOAD_MAX_BYTES)
    if not data.strip():
        raise FileProblem("Tệp rỗng.")
    if data[:2] == b"PK":
        return read_table(data, HEADERS, max_bytes=settings.UPLOAD_MAX_BYTES).rows
    text = data.decode("utf-8-sig", errors="strict") if _utf8(data) else None
    if text is None:
        raise FileProblem("Tệp không phải .xlsx, .csv (UTF-8) hay JSON.")
    if text.lstrip()[:1] in "[{":
        try:
            items = json.loads(text)
        except ValueError as exc:
            raise FileProblem(f"Tệp JSON không hợp lệ: {exc}.") from None
        items = items.get("values", items) if isinstance(items, dict) else items
        if not isinstance(items, list) or not all(isinstance(i, dict) for i in items):
            raise FileProblem('JSON phải là danh sách các đối tượng {"unit", "indicator", "period", "value"}.')
        return [(n, [item.get(k) for k in JSON_KEYS]) for n, item in enumerate(items, start=1)]
    dialect = ";" if text.split("\n", 1)[0].count(";") > text.split("\n", 1)[0].count(",") else ","
    reader = csv.reader(io.StringIO(text), delimiter=dialect)
    header = next(reader, [])
    if [fold(h) for h in header[:4]] != [fold(h) for h in HEADERS]:
        raise FileProblem(f"Dòng đầu của tệp CSV phải là tiêu đề: {' | '.join(HEADERS)}.")
    return [(n, (row + [None] * 4)[:4]) for n, row in enumerate(reader, start=2) if any(c.strip() for c in row)]


def _utf8(data: bytes) -> bool:
    try:
        data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return False
    return True


def _scope(user):
    """Units the user may write values for: {code: (id, path)}, codes folded to upper case."""
    units = (
        Organization.objects.all()
        if user.is_superuser
        else Organization.objects.filter(subtree_q(user, "path", EDIT_KINDS))
    )
    return {
        code.upper(): (pk, path)
        for code, pk, path in units.values_list("code", "pk", "path").iterator(chunk_size=20_000)
    }


def check_rows(rows, *, user, progress=None) -> ValueImportPlan:
    """Every row checked in Python: codes, period, number, range, decimals, duplicates."""
    result = ValueImportPlan()
    total = len(rows)
    units = _scope(user)
    indicators = {i.code: i for i in Indicator.objects.visible_to(user)}
    parsed_periods: dict[str, str] = {}
    seen = result.seen
    for index, (number, (unit_code, indicator_code, period_text, raw)) in enumerate(rows):
        if progress and index % 20_000 == 0:
            progress(index, total)
        unit = units.get(str(unit_code or "").strip().upper())
        if unit is None:
            result.error(number, 1, f"Không có đơn vị mã “{unit_code or ''}” trong phạm vi bạn được nhập số liệu.")
        indicator = indicators.get(str(indicator_code or "").strip().upper())
        if indicator is None:
            result.error(number, 2, f"Không có chỉ tiêu mã “{indicator_code or ''}”.")
        period_text = str(period_text or "").strip()
        key = parsed_periods.get(period_text)
        if key is None:
            try:
                key = parsed_periods[period_text] = periods.parse(period_text).key
            except periods.PeriodError as exc:
                result.error(number, 3, str(exc))
        try:
            value = parse_number(raw)
        except NumberError as exc:
            result.error(number, 4, str(exc))
            continue
        if unit is None or indicator is None or key is None:
            continue
        if abs(value) >= VALUE_LIMIT:
            result.error(number, 4, "Số quá lớn.")
            continue
        if decimals_of(value) > indicator.decimals:
            result.error(number, 4, f"“{indicator.name}” ghi tối đa {indicator.decimals} chữ số thập phân.")
            continue
        if (indicator.min_value is not None and value < indicator.min_value) or (
            indicator.max_value is not None and value > indicator.max_value
        ):
            result.error(number, 4, f"“{indicator.name}” nằm ngoài khoảng cho phép.")
            continue
        identity = (indicator.pk, unit[0], key)
        if identity in seen:
            result.error(number, 2, f"Trùng với dòng {seen[identity]} (cùng đơn vị, chỉ tiêu và kỳ).")
            continue
        seen[identity] = number
        result.rows.append((indicator.pk, unit[0], key, value))
    return result


def _load_temp(rows) -> None:
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {TEMP}")
        columns = "indicator_id bigint, unit_id bigint, period varchar(8), value numeric(20, 6)"
        cursor.execute(f"CREATE TEMPORARY TABLE {TEMP} ({columns})")
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {TEMP} (indicator_id, unit_id, period, value) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            cursor.executemany(f"INSERT INTO {TEMP} VALUES (%s, %s, %s, %s)", rows)
        cursor.execute(f"CREATE INDEX {TEMP}_key ON {TEMP} (indicator_id, unit_id, period)")
        # Without statistics the planner guesses a few rows and may join a million of them badly.
        cursor.execute(f"ANALYZE {TEMP}")


_MATCH = "v.indicator_id = t.indicator_id AND v.unit_id = t.unit_id AND v.period = t.period"


def _compare(result: ValueImportPlan) -> None:
    """Join the file's rows with the stored values once ({TEMP}_joined, read again by the
    tallies): count created / updated / unchanged and refuse values locked in an accepted report."""
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {TEMP}_joined")
        cursor.execute(
            f"CREATE TEMPORARY TABLE {TEMP}_joined AS "
            f"SELECT t.indicator_id, t.unit_id, t.period, t.value, v.id AS stored_id, v.value AS stored, "
            f"v.submission_id FROM {TEMP} t LEFT JOIN indicators_value v ON {_MATCH}"
        )
        cursor.execute(f"SELECT COUNT(stored_id), SUM(CASE WHEN stored = value THEN 1 ELSE 0 END) FROM {TEMP}_joined")
        existing, same = cursor.fetchone()
        cursor.execute(
            f"SELECT j.indicator_id, j.unit_id, j.period FROM {TEMP}_joined j "
            "JOIN indicators_submission s ON s.id = j.submission_id WHERE s.status = %s AND j.stored <> j.value",
            [SubmissionStatus.ACCEPTED],
        )
        for identity in cursor.fetchall():
            number = result.seen[tuple(identity)]
            result.error(
                number, 4, "Số liệu này thuộc báo cáo đã được duyệt; đề nghị cấp trên mở lại báo cáo trước khi sửa."
            )
    result.unchanged = same or 0
    result.updated = (existing or 0) - result.unchanged
    result.created = len(result.rows) - (existing or 0)


def plan_value_import(data: bytes, *, user) -> ValueImportPlan:
    """The dry run: everything checked, nothing written (the temporary table is rolled back)."""
    result = check_rows(read_rows(data), user=user)
    if result.rows:
        with transaction.atomic():
            _load_temp(result.rows)
            _compare(result)
            transaction.set_rollback(True)
    return result


@transaction.atomic
def do_import_values(data: bytes, *, acting_user, checked: ValueImportPlan | None = None) -> ValueImportPlan:
    """Write every value, or none: the values, their tally rows, one audit event. The rows are
    checked again unless `checked` (by check_rows, moments before, in a background run)."""
    result = checked or check_rows(read_rows(data), user=acting_user)
    if not result.ok:
        raise ValidationError([str(e) for e in result.errors])
    if not result.rows:
        return result
    _load_temp(result.rows)
    _compare(result)
    if not result.ok:
        raise ValidationError([str(e) for e in result.errors])
    _bump_tallies(result)
    now = timezone.now()
    user_id = acting_user.pk if acting_user.pk else None
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO indicators_value (indicator_id, unit_id, period, value, updated_at, updated_by_id) "
            f"SELECT indicator_id, unit_id, period, value, %s, %s FROM {TEMP}_joined WHERE stored_id IS NULL",
            [now, user_id],
        )
        # Only values that change are written: an unchanged one keeps its history and the report
        # it came from (and so the lock of an accepted report).
        cursor.execute(
            f"UPDATE indicators_value SET value = j.value, updated_at = %s, updated_by_id = %s, submission_id = NULL "
            f"FROM {TEMP}_joined j WHERE indicators_value.id = j.stored_id AND j.stored <> j.value",
            [now, user_id],
        )
        cursor.execute(f"DROP TABLE {TEMP}")
        cursor.execute(f"DROP TABLE {TEMP}_joined")
    top = Organization.objects.tops_for(acting_user)
    record(
        acting_user,
        "import",
        Indicator.objects.filter(pk=result.rows[0][0]).first(),
        organization=top[0] if top else None,
        after={"created": result.created, "updated": result.updated, "unchanged": result.unchanged},
    )
    return result


def _bump_tallies(result: ValueImportPlan) -> None:
    """Add the import's changes to the value tallies in SQL: the changes are joined with the
    stored values once, then added up level by level; rows touching a weighted average (or its
    weight) go through the row-by-row deltas, which know the weights."""
    weighted = set(Indicator.objects.filter(aggregation=Aggregation.WEIGHTED).values_list("pk", "weight_id").order_by())
    involved = {pk for pair in weighted for pk in pair}
    table = ValueTally._meta.db_table
    where_plain = f"t.indicator_id NOT IN ({', '.join(str(int(i)) for i in involved)})" if involved else "1 = 1"
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {TEMP}_delta")
        cursor.execute(
            f"CREATE TEMPORARY TABLE {TEMP}_delta AS "
            f"SELECT t.indicator_id, t.period, u.path, u.depth, "
            f"CASE WHEN t.stored_id IS NULL THEN 1 ELSE 0 END AS dn, t.value - COALESCE(t.stored, 0) AS dt "
            f"FROM {TEMP}_joined t JOIN orgs_organization u ON u.id = t.unit_id "
            f"WHERE {where_plain} AND (t.stored_id IS NULL OR t.stored <> t.value) AND u.depth > %s",
            [AGGREGATE_MIN_DEPTH],
        )
        cursor.execute(f"ANALYZE {TEMP}_delta")
        # A unit's own value is not in its tally: the deepest level has none to add to.
        for depth in Organization.objects.tally_depths()[:-1]:
            cursor.execute(
                f"INSERT INTO {table} (unit_id, indicator_id, period, depth, n, total, wsum, wtotal) "
                f"SELECT a.id, d.indicator_id, d.period, d.depth, SUM(d.dn), SUM(d.dt), 0, 0 "
                f"FROM {TEMP}_delta d JOIN orgs_organization a ON a.path = SUBSTR(d.path, 1, %s) "
                f"WHERE d.depth > %s GROUP BY a.id, d.indicator_id, d.period, d.depth "
                f"ON CONFLICT (unit_id, period, indicator_id, depth) DO UPDATE SET "
                f"n = {table}.n + excluded.n, total = {table}.total + excluded.total",
                [depth * STEP, depth],
            )
        cursor.execute(f"DROP TABLE {TEMP}_delta")
    if not involved:
        return
    indicators = {i.pk: i for i in Indicator.objects.filter(pk__in=involved).select_related("weight")}
    rows = [r for r in result.rows if r[0] in involved]
    units = {u.pk: u for u in Organization.objects.filter(pk__in={r[1] for r in rows})}
    held = {
        (v.indicator_id, v.unit_id, v.period): v.value
        for v in Value.objects.filter(indicator__in=list(indicators), unit__in=list(units))
    }
    changes = [
        (indicators[i], units[u], p, held.get((i, u, p)), value)
        for i, u, p, value in rows
        if held.get((i, u, p)) != value
    ]
    tallies.bump_values(tallies.value_deltas(changes))
