"""Backups: the database and the attachments in one archive, restored all or nothing.

An archive is a .tar.gz holding
- `manifest.json`: the engine, when it was taken, and for every table its row count and a
  checksum of its rows (in primary-key order) — the tallies' tables among them, so a restore
  that lost or changed a single stored count is caught;
- `database.sqlite3` (SQLite's online backup API: a consistent copy while the app runs) or
  `database.pgdump` (pg_dump's custom format, taken in the same snapshot as the manifest);
- `media/`: every attachment under MEDIA_ROOT.

`restore` loads the database in one transaction (SQLite: the backup API into the configured
file; PostgreSQL: pg_restore --single-transaction), unpacks the attachments, then recounts
every table and compares with the manifest. docs/deploy.md says how to schedule it.
"""

import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

FORMAT = 1
MANIFEST = "manifest.json"
SQLITE_FILE = "database.sqlite3"
PG_FILE = "database.pgdump"
MEDIA = "media"


class BackupError(Exception):
    """A backup or restore that cannot go on; the message says why, in Vietnamese."""


@dataclass(frozen=True)
class TableFigure:
    rows: int
    checksum: str


def engine() -> str:
    vendor = connection.vendor
    if vendor not in ("sqlite", "postgresql"):
        raise BackupError(_("Không sao lưu được cơ sở dữ liệu loại %(vendor)s.") % {"vendor": vendor})
    return vendor


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _table_figures(cursor, tables: list[str], *, pk_columns: dict[str, list[str]]) -> dict[str, TableFigure]:
    figures = {}
    for table in sorted(tables):
        order = ", ".join(_quote(c) for c in pk_columns.get(table) or []) or "1"
        cursor.execute(f"SELECT * FROM {_quote(table)} ORDER BY {order}")
        digest = hashlib.sha256()
        count = 0
        while rows := cursor.fetchmany(2000):
            for row in rows:
                digest.update(repr(tuple(_plain(v) for v in row)).encode())
                count += 1
        figures[table] = TableFigure(count, digest.hexdigest())
    return figures


def _plain(value):
    # The same stored value reads back as the same Python value on one engine; memoryview
    # (PostgreSQL's bytea) is the one type whose repr is an address.
    if isinstance(value, memoryview):
        return bytes(value)
    return value


def _sqlite_figures(path: Path) -> dict[str, TableFigure]:
    db = sqlite3.connect(path)
    try:
        cursor = db.cursor()
        tables = [
            name
            for (name,) in cursor.execute(
                "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%'"
            ).fetchall()
        ]
        pks = {
            table: [
                row[1]
                for row in sorted(cursor.execute(f"PRAGMA table_info({_quote(table)})"), key=lambda r: r[5])
                if row[5]
            ]
            for table in tables
        }
        return _table_figures(cursor, tables, pk_columns=pks)
    finally:
        db.close()


def _pg_pk_columns(cursor) -> dict[str, list[str]]:
    cursor.execute(
        """
        SELECT c.relname, a.attname
        FROM pg_index i
        JOIN pg_class c ON c.oid = i.indrelid
        JOIN pg_namespace n ON n.oid = c.relnamespace
        JOIN LATERAL unnest(i.indkey) WITH ORDINALITY AS k(attnum, ord) ON true
        JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum = k.attnum
        WHERE i.indisprimary AND n.nspname = current_schema()
        ORDER BY c.relname, k.ord
        """
    )
    pks: dict[str, list[str]] = {}
    for table, column in cursor.fetchall():
        pks.setdefault(table, []).append(column)
    return pks


def current_figures() -> dict[str, TableFigure]:
    """Every table of the configured database, counted and checksummed now."""
    if connection.vendor == "sqlite":
        # Read through a plain copy, as the backup's figures were: Django's own SQLite
        # connection converts dates on reading, a plain one does not.
        with tempfile.TemporaryDirectory() as work:
            return _dump_sqlite(Path(work) / SQLITE_FILE)
    with connection.cursor() as cursor:
        tables = connection.introspection.table_names(cursor)
        return _table_figures(cursor, tables, pk_columns=_pg_pk_columns(cursor))


# The connection settings pg_dump and pg_restore understand (libpq's), out of what Django
# hands psycopg: a host given as ?host= in DATABASE_URL lands among the OPTIONS.
LIBPQ_KEYS = {"dbname", "user", "password", "host", "port", "sslmode", "sslrootcert", "sslcert", "sslkey", "service"}


def _pg_conninfo() -> str:
    from psycopg.conninfo import make_conninfo

    params = connection.get_connection_params()
    return make_conninfo(**{k: v for k, v in params.items() if k in LIBPQ_KEYS and v not in (None, "")})


def _run(command: list[str], env: dict[str, str]) -> None:
    try:
        done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    except FileNotFoundError as error:
        raise BackupError(
            _("Không tìm thấy chương trình %(program)s: cài gói máy khách PostgreSQL (postgresql-client).")
            % {"program": command[0]}
        ) from error
    if done.returncode != 0:
        raise BackupError(
            _("%(program)s báo lỗi: %(error)s") % {"program": Path(command[0]).name, "error": done.stderr.strip()}
        )


def pg_program(name: str) -> str:
    """pg_dump/pg_restore: PG_BIN_DIR's when set (the server's own version), else the PATH's."""
    folder = os.environ.get("PG_BIN_DIR", "")
    return str(Path(folder) / name) if folder else name


def _dump_postgresql(target: Path) -> dict[str, TableFigure]:
    """pg_dump and the manifest's figures in one snapshot: a backup taken while people work
    still matches its own manifest."""
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            cursor.execute("SELECT pg_export_snapshot()")
            (snapshot,) = cursor.fetchone()
        _run(
            [pg_program("pg_dump"), "--format=custom", "--no-owner", "--no-privileges", f"--snapshot={snapshot}"]
            + ["--file", str(target), "--dbname", _pg_conninfo()],
            dict(os.environ),
        )
        return current_figures()


def _dump_sqlite(target: Path) -> dict[str, TableFigure]:
    connection.ensure_connection()
    copy = sqlite3.connect(target)
    try:
        connection.connection.backup(copy)
    finally:
        copy.close()
    return _sqlite_figures(target)


def create_backup(output_dir: Path) -> Path:
    """Write an archive into output_dir and return its path."""
    kind = engine()
    output_dir.mkdir(parents=True, exist_ok=True)
    taken = timezone.now()
    name = f"hienthuc-{timezone.localtime(taken):%Y%m%d-%H%M%S}.tar.gz"
    archive = output_dir / name
    with tempfile.TemporaryDirectory(dir=output_dir) as work:
        work_dir = Path(work)
        if kind == "sqlite":
            db_file = work_dir / SQLITE_FILE
            figures = _dump_sqlite(db_file)
        else:
            db_file = work_dir / PG_FILE
            figures = _dump_postgresql(db_file)
        manifest = {
            "format": FORMAT,
            "engine": kind,
            "taken_at": taken.isoformat(),
            "tables": {t: {"rows": f.rows, "checksum": f.checksum} for t, f in figures.items()},
        }
        (work_dir / MANIFEST).write_text(json.dumps(manifest, indent=1, sort_keys=True))
        partial = archive.with_suffix(".partial")
        with tarfile.open(partial, "w:gz") as tar:
            tar.add(work_dir / MANIFEST, MANIFEST)
            tar.add(db_file, db_file.name)
            media = Path(settings.MEDIA_ROOT)
            if media.is_dir():
                tar.add(media, MEDIA)
        # An interrupted backup never leaves a file that looks complete.
        partial.rename(archive)
    return archive


def read_manifest(archive: Path) -> dict:
    try:
        with tarfile.open(archive, "r:gz") as tar:
            member = tar.extractfile(MANIFEST)
            if member is None:
                raise KeyError(MANIFEST)
            manifest = json.load(member)
    except (OSError, tarfile.TarError, KeyError, ValueError) as error:
        raise BackupError(
            _("%(file)s không phải bản sao lưu của Hiện Thực (%(error)s).") % {"file": archive, "error": error}
        ) from error
    if manifest.get("format") != FORMAT:
        raise BackupError(_("Bản sao lưu có định dạng %(format)s, phiên bản này không đọc được.") % manifest)
    return manifest


def _database_is_empty() -> bool:
    with connection.cursor() as cursor:
        tables = connection.introspection.table_names(cursor)
        for table in tables:
            cursor.execute(f"SELECT 1 FROM {_quote(table)} LIMIT 1")
            if cursor.fetchone() and table != "django_migrations":
                return False
    return True


def differences(expected: dict, found: dict[str, TableFigure]) -> list[str]:
    lines = []
    for table in sorted(set(expected) | set(found)):
        want, got = expected.get(table), found.get(table)
        if want is None or got is None:
            lines.append(_("%(table)s: có ở một bên") % {"table": table})
        elif want["rows"] != got.rows:
            lines.append(
                _("%(table)s: sao lưu %(want)s dòng, khôi phục %(got)s dòng")
                % {"table": table, "want": want["rows"], "got": got.rows}
            )
        elif want["checksum"] != got.checksum:
            lines.append(_("%(table)s: cùng số dòng nhưng nội dung khác") % {"table": table})
    return lines


def restore_backup(archive: Path, *, replace: bool = False) -> dict[str, TableFigure]:
    """Load an archive into the configured database and MEDIA_ROOT; raise BackupError on any
    difference from its manifest."""
    manifest = read_manifest(archive)
    kind = engine()
    if manifest["engine"] != kind:
        raise BackupError(
            _("Bản sao lưu là của %(theirs)s, cơ sở dữ liệu đang cấu hình là %(ours)s.")
            % {"theirs": manifest["engine"], "ours": kind}
        )
    if not replace and not _database_is_empty():
        raise BackupError(
            _("Cơ sở dữ liệu đích đã có dữ liệu: khôi phục vào một cơ sở dữ liệu mới, hoặc thêm --replace để ghi đè.")
        )
    with tempfile.TemporaryDirectory() as work:
        work_dir = Path(work)
        with tarfile.open(archive, "r:gz") as tar:
            tar.extractall(work_dir, filter="data")
        if kind == "sqlite":
            source = sqlite3.connect(work_dir / SQLITE_FILE)
            try:
                connection.close()
                connection.ensure_connection()
                # The backup API copies page by page into the open database, replacing all of it.
                source.backup(connection.connection)
            finally:
                source.close()
        else:
            conninfo = _pg_conninfo()
            connection.close()
            extra = ["--clean", "--if-exists"] if replace else []
            _run(
                [pg_program("pg_restore"), "--no-owner", "--no-privileges", "--single-transaction", "--exit-on-error"]
                + extra
                + ["--dbname", conninfo, str(work_dir / PG_FILE)],
                dict(os.environ),
            )
        media_source = work_dir / MEDIA
        if media_source.is_dir():
            target = Path(settings.MEDIA_ROOT)
            target.mkdir(parents=True, exist_ok=True)
            shutil.copytree(media_source, target, dirs_exist_ok=True)
    connection.close()
    found = current_figures()
    lines = differences(manifest["tables"], found)
    if lines:
        raise BackupError(_("Dữ liệu khôi phục khác bản sao lưu:") + "\n" + "\n".join(lines))
    return found
