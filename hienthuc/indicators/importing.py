"""Bulk import of indicator values from .xlsx, .csv or JSON: unit code, indicator code,
period, value.

`plan_value_import` checks every row (a dry run: what would be created, updated, left as it
is, and every conflict by row and column) and writes nothing; `do_import_values` checks again
and writes all-or-nothing. Rows are checked in Python against preloaded dictionaries; the
comparison with stored values, the tally deltas and the writes are set-based SQL over a
temporary table, chunk by chunk, so a million values take seconds, not hours (`make bench`).
While the database works on one chunk, a second thread reads and checks the next: the
database works outside Python, so on two cores the two overlap.
"""

import csv
import io
import itertools
import json
import queue
import threading
from collections.abc import Iterable, Iterator
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
from hienthuc.lib.numbers import NumberError, parse_number
from hienthuc.lib.sheets import CellError, FileProblem, check_size, read_table
from hienthuc.lib.text import fold
from hienthuc.orgs.models import AGGREGATE_MIN_DEPTH, Organization

HEADERS = ["Mã đơn vị", "Mã chỉ tiêu", "Kỳ", "Giá trị"]
JSON_KEYS = ["unit", "indicator", "period", "value"]
ERRORS_SHOWN = 200
STEP = Organization.steplen
TEMP = "tmp_value_import"
# Rows per round trip of checking and writing: large enough that each statement's fixed cost
# is small, small enough that checking the next chunk overlaps the database's work on this one.
CHUNK_ROWS = 50_000

# A checked row: indicator id, unit id, period key, value, the row number the person sees,
# and the unit's path (the tallies add the value to every unit above it).
CheckedRow = tuple[int, int, str, Decimal, int, str]


@dataclass
class ValueImportPlan:
    rows: list[CheckedRow] = field(default_factory=list)  # filled by check_rows only
    errors: list[CellError] = field(default_factory=list)
    error_count: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    indicator_ids: set[int] = field(default_factory=set)  # those the file names, for the audit

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

    def add_errors(self, other: "ValueImportPlan") -> None:
        self.error_count += other.error_count
        self.errors.extend(other.errors[: ERRORS_SHOWN - len(self.errors)])


def read_rows(data: bytes) -> list[tuple[int, list]]:
    """(row number as the person sees it, [unit, indicator, period, value]) from any of the three formats."""
    return list(iter_rows(data))


def iter_rows(data: bytes) -> Iterable[tuple[int, list]]:
    """As read_rows, lazily for CSV; a file that cannot be read at all raises FileProblem here,
    before the first row."""
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
    first_line = text.split("\n", 1)[0]
    dialect = ";" if first_line.count(";") > first_line.count(",") else ","
    reader = csv.reader(io.StringIO(text), delimiter=dialect)
    header = next(reader, [])
    if [fold(h) for h in header[:4]] != [fold(h) for h in HEADERS]:
        raise FileProblem(f"Dòng đầu của tệp CSV phải là tiêu đề: {' | '.join(HEADERS)}.")
    return _csv_rows(reader)


def _csv_rows(reader) -> Iterator[tuple[int, list]]:
    for number, row in enumerate(reader, start=2):
        if "".join(row).strip():  # blank lines are skipped, as in a sheet
            yield number, row if len(row) == 4 else (row + [None] * 4)[:4]


def _utf8(data: bytes) -> bool:
    try:
        data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return False
    return True


class RowChecker:
    """Checks rows in Python against the units the user may write for and the indicators
    they see: codes, period, number, range, decimals, duplicates. Fed chunk by chunk; it
    remembers every row it has passed, so a duplicate names the first row wherever it was."""

    def __init__(self, user):
        units = (
            Organization.objects.all()
            if user.is_superuser
            else Organization.objects.filter(subtree_q(user, "path", EDIT_KINDS))
        )
        # Codes folded to upper case: {code: (id, path)}.
        self.units = {
            code.upper(): (pk, path)
            for code, pk, path in units.values_list("code", "pk", "path").iterator(chunk_size=20_000)
        }
        self.indicators = {i.code: i for i in Indicator.objects.visible_to(user)}
        self.periods: dict[str, str] = {}
        self.seen: dict[tuple[int, int, str], int] = {}

    def check(self, rows: Iterable[tuple[int, list]], result: ValueImportPlan) -> list[CheckedRow]:
        """The rows that pass; every problem goes to `result`, by row and column."""
        checked = []
        units, indicators, parsed_periods, seen = self.units, self.indicators, self.periods, self.seen
        for number, (unit_code, indicator_code, period_text, raw) in rows:
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
            if value != round(value, indicator.decimals):
                result.error(number, 4, f"“{indicator.name}” ghi tối đa {indicator.decimals} chữ số thập phân.")
                continue
            if (indicator.min_value is not None and value < indicator.min_value) or (
                indicator.max_value is not None and value > indicator.max_value
            ):
                result.error(number, 4, f"“{indicator.name}” nằm ngoài khoảng cho phép.")
                continue
            identity = (indicator.id, unit[0], key)
            first = seen.setdefault(identity, number)
            if first != number:
                result.error(number, 2, f"Trùng với dòng {first} (cùng đơn vị, chỉ tiêu và kỳ).")
                continue
            checked.append((indicator.id, unit[0], key, value, number, unit[1]))
        return checked


def check_rows(rows, *, user, progress=None) -> ValueImportPlan:
    """Every row checked, the good ones kept in `rows` (for a background run that reports its
    progress while checking, then writes with do_import_values(checked=…))."""
    result = ValueImportPlan()
    checker = RowChecker(user)
    for done in range(0, len(rows), CHUNK_ROWS // 2):
        if progress:
            progress(done, len(rows))
        result.rows.extend(checker.check(rows[done : done + CHUNK_ROWS // 2], result))
    return result


def _chunks(rows: Iterable, size: int = CHUNK_ROWS) -> Iterator[list]:
    rows = iter(rows)
    while chunk := list(itertools.islice(rows, size)):
        yield chunk


def _checked_chunks(data: bytes, user, result: ValueImportPlan) -> Iterator[list[CheckedRow]]:
    """The file's good rows chunk by chunk, read and checked in a second thread ahead of the
    caller, which writes them; the thread's problems join `result` as each chunk arrives."""
    rows = iter_rows(data)  # a file that cannot be read fails here, in the caller
    checker = RowChecker(user)  # reads the database, so in this thread
    handoff: queue.Queue = queue.Queue()
    stop = threading.Event()

    def work() -> None:
        try:
            for chunk in _chunks(rows):
                if stop.is_set():
                    break
                problems = ValueImportPlan()
                handoff.put((checker.check(chunk, problems), problems))
            handoff.put(None)
        except BaseException as exc:  # handed to the caller, raised there
            handoff.put(exc)

    worker = threading.Thread(target=work, name="value-import-check", daemon=True)
    worker.start()
    try:
        while (item := handoff.get()) is not None:
            if isinstance(item, BaseException):
                raise item
            checked, problems = item
            result.add_errors(problems)
            yield checked
    finally:
        stop.set()
        worker.join()


_MATCH = "v.indicator_id = t.indicator_id AND v.unit_id = t.unit_id AND v.period = t.period"


def _create_temp() -> None:
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {TEMP}")
        cursor.execute(
            f"CREATE TEMPORARY TABLE {TEMP} (indicator_id bigint, unit_id bigint, period varchar(8), "
            f"value numeric(20, 6), row_number integer, path varchar(255))"
        )
        cursor.execute(f"DROP TABLE IF EXISTS {TEMP}_delta")
        cursor.execute(
            f"CREATE TEMPORARY TABLE {TEMP}_delta (parent_path varchar(255), depth integer, indicator_id bigint, "
            f"period varchar(8), dn integer, dt numeric(38, 6))"
        )


def _load_chunk(rows: list[CheckedRow]) -> None:
    with connection.cursor() as cursor:
        # SQLite has no TRUNCATE; PostgreSQL's DELETE would leave the dead rows to the next chunk.
        cursor.execute(f"TRUNCATE {TEMP}" if connection.vendor == "postgresql" else f"DELETE FROM {TEMP}")
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {TEMP} FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            cursor.executemany(f"INSERT INTO {TEMP} VALUES (%s, %s, %s, %s, %s, %s)", rows)


def _compare(result: ValueImportPlan) -> None:
    """Join the chunk's rows with the stored values once ({TEMP}_joined, read again by the
    tallies and the writes): count created / updated / unchanged and refuse values locked in
    an accepted report."""
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {TEMP}_joined")
        cursor.execute(
            f"CREATE TEMPORARY TABLE {TEMP}_joined AS "
            f"SELECT t.*, v.id AS stored_id, v.value AS stored, v.submission_id "
            f"FROM {TEMP} t LEFT JOIN indicators_value v ON {_MATCH}"
        )
        cursor.execute(
            f"SELECT COUNT(*), COUNT(stored_id), SUM(CASE WHEN stored = value THEN 1 ELSE 0 END) FROM {TEMP}_joined"
        )
        rows, existing, same = cursor.fetchone()
        cursor.execute(
            f"SELECT j.row_number FROM {TEMP}_joined j JOIN indicators_submission s ON s.id = j.submission_id "
            "WHERE s.status = %s AND j.stored <> j.value ORDER BY j.row_number",
            [SubmissionStatus.ACCEPTED],
        )
        for (number,) in cursor.fetchall():
            result.error(
                number, 4, "Số liệu này thuộc báo cáo đã được duyệt; đề nghị cấp trên mở lại báo cáo trước khi sửa."
            )
    result.unchanged += same or 0
    result.updated += (existing or 0) - (same or 0)
    result.created += rows - (existing or 0)


def _write(acting_user, now) -> None:
    """The chunk's new values inserted and changed ones updated, from {TEMP}_joined."""
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


def _run(data: bytes, user, *, write: bool, checked: ValueImportPlan | None = None) -> ValueImportPlan:
    """Check, compare and (if `write`) write the file chunk by chunk in the caller's
    transaction. After the first problem nothing more is written (the caller rolls back),
    but every row is still checked so the person sees every problem at once."""
    result = checked or ValueImportPlan()
    chunks = _chunks(checked.rows) if checked else _checked_chunks(data, user, result)
    now = timezone.now()
    weighted = _weighted_indicators()
    _create_temp()
    for rows in chunks:
        if not rows:
            continue
        _load_chunk(rows)
        _compare(result)
        result.indicator_ids.update({row[0] for row in rows})
        if write and result.ok:
            _add_deltas(rows, weighted)
            _write(user, now)
    if write and result.ok:
        _bump_tallies()
    with connection.cursor() as cursor:
        for table in (TEMP, f"{TEMP}_joined", f"{TEMP}_delta"):
            cursor.execute(f"DROP TABLE IF EXISTS {table}")
    return result


def plan_value_import(data: bytes, *, user) -> ValueImportPlan:
    """The dry run: everything checked, nothing written (the temporary tables are rolled back)."""
    with transaction.atomic():
        result = _run(data, user, write=False)
        transaction.set_rollback(True)
    return result


@transaction.atomic
def do_import_values(data: bytes, *, acting_user, checked: ValueImportPlan | None = None) -> ValueImportPlan:
    """Write every value, or none: the values, their tally rows, one audit event. The rows are
    checked again unless `checked` (by check_rows, moments before, in a background run)."""
    if checked is not None and not checked.ok:
        raise ValidationError([str(e) for e in checked.errors])
    result = _run(data, acting_user, write=True, checked=checked)
    if not result.ok:
        raise ValidationError([str(e) for e in result.errors])
    if not (result.created or result.updated or result.unchanged):
        return result
    top = Organization.objects.tops_for(acting_user)
    indicators = Indicator.objects.filter(pk__in=result.indicator_ids).order_by("code")
    record(
        acting_user,
        "import",
        indicators[0],
        organization=top[0] if top else None,
        after={
            "created": result.created,
            "updated": result.updated,
            "unchanged": result.unchanged,
            "indicators": [i.code for i in indicators],
        },
    )
    return result


def _weighted_indicators() -> dict[int, int]:
    """{indicator: its weight} for weighted averages: their tallies (and those of their weights)
    need the weights, so their rows go through the row-by-row deltas."""
    return dict(Indicator.objects.filter(aggregation=Aggregation.WEIGHTED).values_list("pk", "weight_id").order_by())


def _add_deltas(rows: list[CheckedRow], weighted: dict[int, int]) -> None:
    """Note the chunk's changes for the value tallies: added up per parent unit into
    {TEMP}_delta (a commune's dozens of branches are one row per indicator and period there),
    which _bump_tallies adds level by level once all chunks are written. Rows touching a
    weighted average (or its weight) go through the row-by-row deltas now, which know the
    weights and read the stored values before they change."""
    involved = {pk for pair in weighted.items() for pk in pair if pk}
    where_plain = f"indicator_id NOT IN ({', '.join(str(int(i)) for i in involved)})" if involved else "1 = 1"
    with connection.cursor() as cursor:
        # A unit's own value is not in its own tally, and units above the province keep none.
        cursor.execute(
            f"INSERT INTO {TEMP}_delta "
            f"SELECT SUBSTR(path, 1, LENGTH(path) - {STEP}), LENGTH(path) / {STEP}, indicator_id, period, "
            f"SUM(CASE WHEN stored_id IS NULL THEN 1 ELSE 0 END), SUM(value - COALESCE(stored, 0)) "
            f"FROM {TEMP}_joined WHERE {where_plain} AND (stored_id IS NULL OR stored <> value) "
            f"AND LENGTH(path) > %s GROUP BY 1, 2, 3, 4",
            [AGGREGATE_MIN_DEPTH * STEP],
        )
    rows = [r for r in rows if r[0] in involved]
    if not rows:
        return
    indicators = {i.pk: i for i in Indicator.objects.filter(pk__in=involved).select_related("weight")}
    units = {u.pk: u for u in Organization.objects.filter(pk__in={r[1] for r in rows})}
    held = {
        (v.indicator_id, v.unit_id, v.period): v.value
        for v in Value.objects.filter(indicator__in=list(indicators), unit__in=list(units))
    }
    changes = [
        (indicators[i], units[u], p, held.get((i, u, p)), value)
        for i, u, p, value, _number, _path in rows
        if held.get((i, u, p)) != value
    ]
    tallies.bump_values(tallies.value_deltas(changes))


def _bump_tallies() -> None:
    """Add {TEMP}_delta to the value tallies of every unit above the changed ones, one
    statement per level (the deepest level has no tally: nothing reports below it)."""
    table = ValueTally._meta.db_table
    with connection.cursor() as cursor:
        for depth in Organization.objects.tally_depths()[:-1]:
            cursor.execute(
                f"INSERT INTO {table} (unit_id, indicator_id, period, depth, n, total, wsum, wtotal) "
                f"SELECT a.id, d.indicator_id, d.period, d.depth, SUM(d.dn), SUM(d.dt), 0, 0 "
                f"FROM {TEMP}_delta d JOIN orgs_organization a ON a.path = SUBSTR(d.parent_path, 1, %s) "
                f"WHERE d.depth > %s GROUP BY a.id, d.indicator_id, d.period, d.depth "
                f"ON CONFLICT (unit_id, period, indicator_id, depth) DO UPDATE SET "
                f"n = {table}.n + excluded.n, total = {table}.total + excluded.total",
                [depth * STEP, depth],
            )
