"""Bulk import of indicator values from .xlsx, .csv or JSON: unit code, indicator code,
period, value.

`plan_value_import` checks every row (a dry run: what would be created, updated, left as it
is, and every conflict by row and column) and writes nothing; `do_import_values` checks again
and writes all-or-nothing. A million values take seconds (`make bench`):

- rows are read and checked in Python against preloaded dictionaries, in a second thread
  that stays a chunk ahead of the database's work (which runs outside Python: on two cores
  the two overlap);
- each chunk is copied into a temporary table; the comparison with stored values, the tally
  changes and the writes are set-based SQL over it;
- the tallies tell which (unit, indicator, period) groups hold no value yet — a new period's
  figures, as a rule —, so those rows are known new without searching the values' index.
"""

import csv
import gc
import io
import itertools
import json
import queue
import threading
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from hienthuc.audit.record import record
from hienthuc.imports.importers import Importer, ImportRejected, Preview
from hienthuc.indicators import tallies
from hienthuc.indicators.actions import VALUE_LIMIT
from hienthuc.indicators.models import Aggregation, Indicator, Submission, SubmissionStatus, Value, ValueTally
from hienthuc.lib import periods
from hienthuc.lib.numbers import NumberError, parse_number
from hienthuc.lib.sheets import CellError, FileProblem, check_size, read_table, too_many_rows
from hienthuc.lib.text import fold
from hienthuc.orgs.models import AGGREGATE_MIN_DEPTH, Organization
from hienthuc.scope import EDIT_KINDS, edits_anywhere, subtree_q

# Raw SQL names its tables through the models (a renamed table cannot leave a query behind).
_VALUE, _VALUE_TALLY, _SUBMISSION = Value._meta.db_table, ValueTally._meta.db_table, Submission._meta.db_table
_UNIT = Organization._meta.db_table

# The column headers are the file's format, read back by the import: Vietnamese in any language.
HEADERS = ["Mã đơn vị", "Mã chỉ tiêu", "Kỳ", "Giá trị"]  # not UI text
JSON_KEYS = ["unit", "indicator", "period", "value"]
ERRORS_SHOWN = 200
STEP = Organization.steplen
TEMP = "tmp_value_import"
# Rows per round trip of checking and writing: large enough that each statement's fixed cost
# is small, small enough that checking the next chunk overlaps the database's work on this one.
CHUNK_ROWS = 50_000
# The checking thread yields Python's interpreter lock this often: each statement the other
# thread sends would otherwise wait for the lock up to the 5 ms switch interval.
HANDOVER_ROWS = 200
# _new_groups asks the tallies about this many groups at a time (one parameter list).
GROUPS_ASKED = 2_000

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
    def row_count(self) -> int:
        """Rows of the file the import will take: created, updated or left as they are — the
        preview's button and the choice of the background worker (imports/views.py) use it."""
        return self.created + self.updated + self.unchanged

    @property
    def summary(self) -> str:
        return _("Đã nhập: %(created)s giá trị mới, %(updated)s giá trị cập nhật, %(unchanged)s giá trị không đổi.") % {
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
        }

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
    before the first row; one with more than VALUE_IMPORT_MAX_ROWS rows while it is read."""
    rows = _file_rows(data)
    limit = settings.VALUE_IMPORT_MAX_ROWS
    if isinstance(rows, list):
        if len(rows) > limit:
            raise too_many_rows(limit)
        return rows
    return _limited(rows, limit)


def _limited(rows: Iterable[tuple[int, list]], limit: int) -> Iterator[tuple[int, list]]:
    for count, row in enumerate(rows, start=1):
        if count > limit:
            raise too_many_rows(limit)
        yield row


def _file_rows(data: bytes) -> Iterable[tuple[int, list]]:
    """Uploaded files were held to UPLOAD_MAX_BYTES before they got here; this bound serves the
    API, whose limit is its row count (settings)."""
    check_size(len(data), settings.VALUE_IMPORT_MAX_BYTES)
    if not data.strip():
        raise FileProblem(_("Tệp rỗng."))
    if data[:2] == b"PK":
        return read_table(
            data, HEADERS, max_bytes=settings.VALUE_IMPORT_MAX_BYTES, max_rows=settings.VALUE_IMPORT_MAX_ROWS
        ).rows
    text = data.decode("utf-8-sig", errors="strict") if _utf8(data) else None
    if text is None:
        raise FileProblem(_("Tệp không phải .xlsx, .csv (UTF-8) hay JSON."))
    if text.lstrip()[:1] in "[{":
        try:
            items = json.loads(text)
        except ValueError as exc:
            raise FileProblem(_("Tệp JSON không hợp lệ: %(exc)s.") % {"exc": exc}) from None
        items = items.get("values", items) if isinstance(items, dict) else items
        if not isinstance(items, list) or not all(isinstance(i, dict) for i in items):
            raise FileProblem(_('JSON phải là danh sách các đối tượng {"unit", "indicator", "period", "value"}.'))
        return [(n, [item.get(k) for k in JSON_KEYS]) for n, item in enumerate(items, start=1)]
    first_line = text.split("\n", 1)[0]
    dialect = ";" if first_line.count(";") > first_line.count(",") else ","
    reader = csv.reader(io.StringIO(text), delimiter=dialect)
    header = next(reader, [])
    if [fold(h) for h in header[:4]] != [fold(h) for h in HEADERS]:
        raise FileProblem(_("Dòng đầu của tệp CSV phải là tiêu đề: %(list)s.") % {"list": " | ".join(HEADERS)})
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
        # Codes folded to upper case: {code: (id, path)} of the units that exist now. A code also
        # borne by a unit that ceased in a reorganization (its continuation keeps the code) is
        # resolved by the period: the unit that existed when the period ended.
        self.units: dict[str, tuple[int, str]] = {}
        self.history: dict[str, list[tuple]] = {}
        rows = units.values_list("code", "pk", "path", "valid_from", "valid_to")
        for code, pk, path, valid_from, valid_to in rows.iterator(chunk_size=20_000):
            if valid_to is None:
                self.units[code.upper()] = (pk, path)
            self.history.setdefault(code.upper(), []).append((valid_from, valid_to, pk, path))
        self.history = {code: spans for code, spans in self.history.items() if len(spans) > 1}
        for code, spans in self.history.items():
            self.units.setdefault(code, spans[-1][2:])  # only ceased units bear it: one of them
        self.indicators = {i.code: i for i in Indicator.objects.visible_to(user)}
        self.periods: dict[str, str] = {}
        self.seen: dict[tuple[int, int, str], int] = {}
        # The import writes official figures: only of periods already over (estimates otherwise).
        self.today = timezone.localdate()
        self.over: dict[str, bool] = {}

    def _as_of_period(self, code: str, key: str, unit: tuple[int, str]) -> tuple[int, str]:
        spans = self.history.get(code)
        if not spans:
            return unit
        end = periods.parse(key).end
        for valid_from, valid_to, pk, path in spans:
            if (valid_from is None or valid_from <= end) and (valid_to is None or end <= valid_to):
                return (pk, path)
        return unit

    def check(self, rows: Iterable[tuple[int, list]], result: ValueImportPlan) -> list[CheckedRow]:
        """The rows that pass; every problem goes to `result`, by row and column."""
        checked = []
        units, indicators, parsed_periods, seen = self.units, self.indicators, self.periods, self.seen
        for number, (unit_code, indicator_code, period_text, raw) in rows:
            # Cells as most files write them are found at once; others are tidied first (a JSON
            # value may be a list: not a key).
            plain = type(unit_code) is str and type(indicator_code) is str and type(period_text) is str
            unit = plain and units.get(unit_code) or units.get(str(unit_code or "").strip().upper())
            if unit is None:
                result.error(
                    number,
                    1,
                    _("Không có đơn vị mã “%(value)s” trong phạm vi bạn được nhập số liệu.")
                    % {"value": unit_code or ""},
                )
            indicator = (
                plain and indicators.get(indicator_code) or indicators.get(str(indicator_code or "").strip().upper())
            )
            if indicator is None:
                result.error(number, 2, _("Không có chỉ tiêu mã “%(value)s”.") % {"value": indicator_code or ""})
            period_text = period_text if plain else str(period_text or "")
            key = parsed_periods.get(period_text)
            if key is None:
                try:
                    key = parsed_periods[period_text] = periods.parse(period_text.strip()).key
                except periods.PeriodError as exc:
                    result.error(number, 3, str(exc))
            try:
                value = parse_number(raw)
            except NumberError as exc:
                result.error(number, 4, str(exc))
                continue
            if unit is None or indicator is None or key is None:
                continue
            if indicator.source:
                result.error(
                    number, 2, _("“%(indicator)s” được tính từ hệ thống, không nhập.") % {"indicator": indicator.name}
                )
                continue
            if key not in self.over:
                self.over[key] = periods.parse(key).end < self.today
            if not self.over[key]:
                result.error(
                    number,
                    3,
                    _("Kỳ %(period)s chưa kết thúc: số liệu lúc này là số ước, nhập trong báo cáo hoặc trang chỉ tiêu.")
                    % {"period": periods.parse(key).label},
                )
                continue
            if self.history:
                unit = self._as_of_period(str(unit_code or "").strip().upper(), key, unit)
            if abs(value) >= VALUE_LIMIT:
                result.error(number, 4, _("Số quá lớn."))
                continue
            if value != round(value, indicator.decimals):
                result.error(
                    number,
                    4,
                    _("“%(indicator)s” ghi tối đa %(decimals)s chữ số thập phân.")
                    % {"indicator": indicator.name, "decimals": indicator.decimals},
                )
                continue
            if (indicator.min_value is not None and value < indicator.min_value) or (
                indicator.max_value is not None and value > indicator.max_value
            ):
                result.error(number, 4, _("“%(indicator)s” nằm ngoài khoảng cho phép.") % {"indicator": indicator.name})
                continue
            identity = (indicator.id, unit[0], key)
            first = seen.setdefault(identity, number)
            if first != number:
                result.error(number, 2, _("Trùng với dòng %(first)s (cùng đơn vị, chỉ tiêu và kỳ).") % {"first": first})
                continue
            checked.append((indicator.id, unit[0], key, value, number, unit[1]))
        return checked


@contextmanager
def _collector_paused():
    """A check keeps millions of small objects alive until the import ends (each row seen, for
    the duplicates); Python's cycle collector would scan them over and over, a third of the
    checking time at a million rows. None of them form cycles: it pauses until the end."""
    collecting = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if collecting:
            gc.enable()


@_collector_paused()
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


@dataclass
class Chunk:
    rows: list[CheckedRow]
    copy_text: str | None = None  # the rows as PostgreSQL's COPY reads them
    # (unit at the top tally level, indicator, period) of the rows below that level, and
    # whether some rows are at or above it: what the tallies can tell new (see _new_groups).
    groups: set = field(default_factory=set)
    shallow: bool = True
    # The chunk's tally changes should every row be new, as _add_deltas' SQL adds them up:
    # (parent path, depth, indicator, period, count, sum).
    new_sums: list[tuple] = field(default_factory=list)
    indicators: set[int] = field(default_factory=set)  # for the audit


def _checked_chunks(data: bytes, user, result: ValueImportPlan, involved: set[int]) -> Iterator[Chunk]:
    """The file's good rows chunk by chunk, read and checked in a second thread ahead of the
    caller, which writes them; the thread's problems join `result` as each chunk arrives."""
    rows = iter_rows(data)  # a file that cannot be read fails here, in the caller
    checker = RowChecker(user)  # reads the database, so in this thread
    copy = connection.vendor == "postgresql"
    handoff: queue.Queue = queue.Queue()
    stop = threading.Event()

    def work() -> None:
        try:
            for chunk in _chunks(rows):
                if stop.is_set():
                    break
                problems = ValueImportPlan()
                checked = Chunk([])
                for part in _chunks(chunk, HANDOVER_ROWS):
                    checked.rows.extend(checker.check(part, problems))
                    time.sleep(0)  # hands the interpreter to the thread driving the database
                # Done here too, not in the thread that waits on the database.
                _add_up(checked, involved)
                if copy:
                    checked.copy_text = "".join(
                        f"{i}\t{u}\t{p}\t{v}\t{n}\t{path}\n" for i, u, p, v, n, path in checked.rows
                    )
                handoff.put((checked, problems))
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


def _add_up(chunk: Chunk, involved: set[int]) -> Chunk:
    """Fill the chunk's indicators, groups and sums as if every row were new (weighted
    averages and their weights excepted: their deltas need the weights)."""
    top = AGGREGATE_MIN_DEPTH * STEP
    sums: dict[tuple, list] = {}
    chunk.shallow = False
    for indicator, _unit, period, value, _number, path in chunk.rows:
        chunk.indicators.add(indicator)
        if len(path) <= top:
            chunk.shallow = True
            continue
        chunk.groups.add((path[:top], indicator, period))
        if indicator not in involved:
            key = (path[:-STEP], len(path) // STEP, indicator, period)
            if (sum_ := sums.get(key)) is None:
                sums[key] = [1, value]
            else:
                sum_[0] += 1
                sum_[1] += value
    chunk.new_sums = [(*key, n, total) for key, (n, total) in sums.items()]
    return chunk


_MATCH = "v.indicator_id = t.indicator_id AND v.unit_id = t.unit_id AND v.period = t.period"


def _create_temp() -> None:
    """{TEMP}: a chunk's rows, then the values they replace, if any; {TEMP}_fresh: where the
    chunk's rows are all new; {TEMP}_delta: the changes per parent unit, for the tallies."""
    with connection.cursor() as cursor:
        for table, columns in (
            (
                TEMP,
                "indicator_id bigint, unit_id bigint, period varchar(17), value numeric(20, 6), row_number integer, "
                "path varchar(255), stored_id bigint, stored numeric(20, 6), submission_id bigint",
            ),
            (f"{TEMP}_fresh", "top varchar(255), indicator_id bigint, period varchar(17)"),
            (
                f"{TEMP}_delta",
                "parent_path varchar(255), depth integer, indicator_id bigint, period varchar(17), dn integer, "
                "dt numeric(38, 6)",
            ),
        ):
            cursor.execute(f"DROP TABLE IF EXISTS {table}")
            cursor.execute(f"CREATE TEMPORARY TABLE {table} ({columns})")
        # Looked up once per row of the chunk (SQLite would otherwise scan it for each).
        cursor.execute(f"CREATE INDEX {TEMP}_fresh_key ON {TEMP}_fresh (top, indicator_id, period)")


def _empty(cursor, table: str) -> None:
    # SQLite has no TRUNCATE; PostgreSQL's DELETE would leave the dead rows to the next chunk.
    cursor.execute(f"TRUNCATE {table}" if connection.vendor == "postgresql" else f"DELETE FROM {table}")


def _insert(cursor, table: str, rows: list[tuple], *, columns: str = "", text: str | None = None) -> None:
    """Rows into a temporary table: COPY on PostgreSQL (`text`, if given, already in its format)."""
    listed = f" ({columns})" if columns else ""
    if connection.vendor == "postgresql":
        with cursor.cursor.copy(f"COPY {table}{listed} FROM STDIN") as copy:
            if text is not None:
                copy.write(text)
            else:
                for row in rows:
                    copy.write_row(row)
    elif rows:
        cursor.executemany(f"INSERT INTO {table}{listed} VALUES ({', '.join(['%s'] * len(rows[0]))})", rows)


def _load_chunk(chunk: Chunk) -> None:
    with connection.cursor() as cursor:
        _empty(cursor, TEMP)
        columns = "indicator_id, unit_id, period, value, row_number, path"
        _insert(cursor, TEMP, chunk.rows, columns=columns, text=chunk.copy_text)


@dataclass
class _Known:
    """What _new_groups has learnt so far in an import."""

    groups: dict[tuple, bool] = field(default_factory=dict)  # group → holds no value yet
    tops: dict[str, int] = field(default_factory=dict)  # path → id of the units at the top level


def _new_groups(chunk: Chunk, known: _Known) -> set:
    """The chunk's groups with no value stored yet: their rows are new, found without searching
    the values' index row by row — every new period's figures, as a rule. The tallies tell,
    asked once per group: `known` keeps the answers for the rest of the import (its own rows
    are all new keys, so a group found empty stays empty of anything else)."""
    ask = list(chunk.groups - known.groups.keys())
    paths = {path for path, _indicator, _period in ask} - known.tops.keys()
    known.tops.update(Organization.objects.filter(path__in=paths).values_list("path", "pk"))
    ask = [(known.tops[path], indicator, period) for path, indicator, period in ask]
    paths_of = {pk: path for path, pk in known.tops.items()}
    with connection.cursor() as cursor:
        for start in range(0, len(ask), GROUPS_ASKED):
            groups = ask[start : start + GROUPS_ASKED]
            cursor.execute(
                f"WITH g (unit_id, indicator_id, period) AS (VALUES {', '.join(['(%s, %s, %s)'] * len(groups))}) "
                f"SELECT DISTINCT g.unit_id, g.indicator_id, g.period FROM g JOIN {_VALUE_TALLY} s "
                f"ON s.unit_id = g.unit_id AND s.period = g.period AND s.indicator_id = g.indicator_id WHERE s.n > 0",
                [value for group in groups for value in group],
            )
            stored = {tuple(row) for row in cursor.fetchall()}
            known.groups.update(
                ((paths_of[unit], indicator, period), (unit, indicator, period) not in stored)
                for unit, indicator, period in groups
            )
    return {group for group in chunk.groups if known.groups[group]}


def _compare(result: ValueImportPlan, chunk: Chunk, new_groups: set) -> bool:
    """Find the values the chunk's rows replace (read again by the tallies and the writes):
    count created / updated / unchanged and refuse values locked in an accepted report.
    True if every row is new (of `new_groups`, the chunk's groups known to hold no value)."""
    if not chunk.shallow and new_groups == chunk.groups:
        result.created += len(chunk.rows)
        return True
    top = AGGREGATE_MIN_DEPTH * STEP
    with connection.cursor() as cursor:
        _empty(cursor, f"{TEMP}_fresh")
        _insert(cursor, f"{TEMP}_fresh", list(new_groups))
        # One search of the values' index per remaining row, written so: as a join, the planner
        # may read the whole values table instead.
        cursor.execute(
            f"UPDATE {TEMP} AS t SET (stored_id, stored, submission_id) = "
            f"(SELECT v.id, v.value, v.submission_id FROM {_VALUE} v WHERE {_MATCH}) "
            f"WHERE NOT EXISTS (SELECT 1 FROM {TEMP}_fresh f WHERE LENGTH(t.path) > {top} "
            f"AND f.top = SUBSTR(t.path, 1, {top}) AND f.indicator_id = t.indicator_id AND f.period = t.period)"
        )
        cursor.execute(
            f"SELECT COUNT(*), COUNT(stored_id), SUM(CASE WHEN stored = value THEN 1 ELSE 0 END) FROM {TEMP}"
        )
        rows, existing, same = cursor.fetchone()
        cursor.execute(
            f"SELECT t.row_number FROM {TEMP} t JOIN {_SUBMISSION} s ON s.id = t.submission_id "
            "WHERE s.status = %s AND t.stored <> t.value ORDER BY t.row_number",
            [SubmissionStatus.ACCEPTED],
        )
        for (number,) in cursor.fetchall():
            result.error(
                number, 4, _("Số liệu này thuộc báo cáo đã được duyệt; đề nghị cấp trên mở lại báo cáo trước khi sửa.")
            )
    result.unchanged += same or 0
    result.updated += (existing or 0) - (same or 0)
    result.created += rows - (existing or 0)
    return existing == 0


def _write(stamp: tuple, *, all_new: bool) -> None:
    """The chunk's new values inserted and changed ones updated."""
    now, user_id = stamp
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {_VALUE} (indicator_id, unit_id, period, value, updated_at, updated_by_id) "
            f"SELECT indicator_id, unit_id, period, value, %s, %s FROM {TEMP} WHERE stored_id IS NULL",
            [now, user_id],
        )
        if all_new:
            return
        # Only values that change are written: an unchanged one keeps its history and the report
        # it came from (and so the lock of an accepted report).
        cursor.execute(
            f"UPDATE {_VALUE} SET value = j.value, updated_at = %s, updated_by_id = %s, submission_id = NULL "
            f"FROM {TEMP} j WHERE {_VALUE}.id = j.stored_id AND j.stored <> j.value",
            [now, user_id],
        )


@_collector_paused()
def _run(data: bytes, user, *, write: bool, checked: ValueImportPlan | None = None) -> ValueImportPlan:
    """Check, compare and (if `write`) write the file chunk by chunk in the caller's
    transaction. After the first problem nothing more is written (the caller rolls back),
    but every row is still checked so the person sees every problem at once."""
    result = checked or ValueImportPlan()
    involved = _weighted_and_weights()
    if checked:
        chunks = (_add_up(Chunk(rows), involved) for rows in _chunks(checked.rows))
    else:
        chunks = _checked_chunks(data, user, result, involved)
    stamp = (timezone.now(), user.pk if user.pk else None)
    depths = Organization.objects.tally_depths()[:-1]  # the deepest level has no tally: none below
    if connection.vendor == "postgresql":
        # The chunk's sorts and hashes fit in memory instead of spilling to disk (this
        # transaction only; the server's default of 4 MB suits its many small queries).
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL work_mem = '64MB'")
    known = _Known()
    _create_temp()
    try:
        for chunk in chunks:
            if not chunk.rows:
                continue
            _load_chunk(chunk)
            all_new = _compare(result, chunk, _new_groups(chunk, known))
            result.indicator_ids |= chunk.indicators
            if write and result.ok:
                _add_deltas(involved, new_sums=chunk.new_sums if all_new and chunk.new_sums else None)
                _write(stamp, all_new=all_new)
                _bump_tallies(depths)
    finally:
        chunks.close()  # on an error, stops the checking thread now, not when the traceback goes
    with connection.cursor() as cursor:
        for table in (TEMP, f"{TEMP}_fresh", f"{TEMP}_delta"):
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
        raise ImportRejected(checked)
    try:
        result = _run(data, acting_user, write=True, checked=checked)
    except IntegrityError:
        # A value written meanwhile by someone else (or by hand, behind the tallies' back) under
        # a key the import took for new: the transaction is lost, nothing is written.
        raise ValidationError(
            _(
                "Trong lúc nhập, có số liệu vừa được ghi vào cùng đơn vị, chỉ tiêu và kỳ; chưa giá trị nào được nhập. "
                "Hãy nhập lại tệp."
            )
        ) from None
    if not result.ok:
        raise ImportRejected(result)
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


def _weighted_and_weights() -> set[int]:
    """Weighted averages and the indicators that weight them: their tallies need the weights,
    so their rows go through the row-by-row deltas."""
    pairs = Indicator.objects.filter(aggregation=Aggregation.WEIGHTED).values_list("pk", "weight_id").order_by()
    return {pk for pair in pairs for pk in pair if pk}


def _add_deltas(involved: set[int], *, new_sums: list[tuple] | None = None) -> None:
    """Note the chunk's changes for the value tallies: added up per parent unit into
    {TEMP}_delta (a commune's dozens of branches are one row per indicator and period there),
    which _bump_tallies adds level by level once all chunks are written. Rows touching a
    weighted average (or its weight) go through the row-by-row deltas now, which know the
    weights (`involved`: the weighted averages and their weights). `new_sums`: the sums the
    checking thread made, if every row is new."""
    listed = ", ".join(str(int(i)) for i in involved)
    changed = "(stored_id IS NULL OR stored <> value)"
    with connection.cursor() as cursor:
        if new_sums is not None:
            _insert(cursor, f"{TEMP}_delta", new_sums)
        else:
            # A unit's own value is not in its own tally, and units above the province keep none.
            cursor.execute(
                f"INSERT INTO {TEMP}_delta "
                f"SELECT SUBSTR(path, 1, LENGTH(path) - {STEP}), LENGTH(path) / {STEP}, indicator_id, period, "
                f"SUM(CASE WHEN stored_id IS NULL THEN 1 ELSE 0 END), SUM(value - COALESCE(stored, 0)) "
                f"FROM {TEMP} WHERE {f'indicator_id NOT IN ({listed})' if involved else '1 = 1'} AND {changed} "
                f"AND LENGTH(path) > %s GROUP BY 1, 2, 3, 4",
                [AGGREGATE_MIN_DEPTH * STEP],
            )
        if not involved:
            return
        cursor.execute(
            f"SELECT indicator_id, unit_id, period, stored, value FROM {TEMP} "
            f"WHERE indicator_id IN ({listed}) AND {changed}"
        )
        rows = cursor.fetchall()
    if not rows:
        return
    indicators = {i.pk: i for i in Indicator.objects.filter(pk__in=involved).select_related("weight")}
    units = {u.pk: u for u in Organization.objects.filter(pk__in={r[1] for r in rows})}
    changes = [(indicators[i], units[u], period, _decimal(old), _decimal(new)) for i, u, period, old, new in rows]
    tallies.bump_values(tallies.value_deltas(changes))


def _decimal(number) -> Decimal | None:
    """A number read by raw SQL: SQLite gives floats, rounded back to the column's six places."""
    if number is None or isinstance(number, Decimal):
        return number
    return Decimal(repr(number)).quantize(Decimal("0.000001"))


def _bump_tallies(depths: range) -> None:
    """Add {TEMP}_delta to the value tallies of every unit above the changed ones, one
    statement per level of `depths`, and empty it for the next chunk."""
    table = ValueTally._meta.db_table
    with connection.cursor() as cursor:
        for depth in depths:
            # Added up before the units are looked up by path: one look-up per unit, not per row.
            cursor.execute(
                f"INSERT INTO {table} (unit_id, indicator_id, period, depth, n, total, wsum, wtotal) "
                f"SELECT a.id, d.indicator_id, d.period, d.depth, d.n, d.total, 0, 0 FROM (SELECT "
                f"SUBSTR(parent_path, 1, %s) AS path, indicator_id, period, depth, SUM(dn) AS n, SUM(dt) AS total "
                f"FROM {TEMP}_delta WHERE depth > %s GROUP BY 1, 2, 3, 4) d, {_UNIT} a WHERE a.path = d.path "
                f"ON CONFLICT (unit_id, period, indicator_id, depth) DO UPDATE SET "
                f"n = {table}.n + excluded.n, total = {table}.total + excluded.total",
                [depth * STEP, depth],
            )
        _empty(cursor, f"{TEMP}_delta")


# Files with more rows than this are applied by the worker (imports/background.py), not in the
# web request: a value row costs microseconds, so the threshold is far above other imports'.
BACKGROUND_ROWS = 20_000


def apply_values(data: bytes, *, acting_user, target=None, progress=None) -> ValueImportPlan:
    """The importer's apply. In the worker (`progress` given) every row is checked first,
    outside the write transaction, so the page sees the check advance (SQLite cannot report
    from inside it), then written all or nothing; in a request the rows are checked as they are
    written. Both check with RowChecker."""
    if progress is None:
        return do_import_values(data, acting_user=acting_user)
    rows = read_rows(data)
    checked = check_rows(rows, user=acting_user, progress=progress)
    progress(len(rows), len(rows))
    return do_import_values(data, acting_user=acting_user, checked=checked)


def describe(result: ValueImportPlan) -> Preview:
    writes = result.created + result.updated
    return Preview(
        counts=[
            _("Sẽ tạo mới %(created)s giá trị, cập nhật %(updated)s giá trị, giữ nguyên %(unchanged)s giá trị.")
            % {"created": result.created, "updated": result.updated, "unchanged": result.unchanged}
        ],
        button=_("Ghi %(writes)s giá trị (%(created)s mới, %(updated)s cập nhật)")
        % {"writes": writes, "created": result.created, "updated": result.updated}
        if writes
        else "",
    )


IMPORTER = Importer(
    kind="values",
    url_name="value_import",
    title=gettext_lazy("Nhập số liệu chỉ tiêu từ tệp"),
    help_template="indicators/import_help.html",
    check=lambda data, *, user, target: plan_value_import(data, user=user),
    apply=apply_values,
    describe=describe,
    summary=lambda result: result.summary,
    done_url=lambda target: reverse("indicator_list"),
    allowed=edits_anywhere,
    denied=gettext_lazy("Chỉ người có quyền biên tập mới nhập số liệu."),
    accept=".xlsx,.csv,.json",
    file_label=gettext_lazy("Tệp (.xlsx, .csv hoặc .json)"),
    context=lambda user, target: {
        "headers": HEADERS,
        "max_rows": settings.VALUE_IMPORT_MAX_ROWS,
        "background_rows": BACKGROUND_ROWS,
    },
    background_rows=BACKGROUND_ROWS,
)
