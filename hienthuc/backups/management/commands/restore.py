from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from hienthuc.backups.archive import BackupError, read_manifest, restore_backup


class Command(BaseCommand):
    help = "Restore an archive written by `backup` into the configured database and MEDIA_DIR, then "
    help += "compare every table's row count and checksum with the archive's manifest."

    def add_arguments(self, parser):
        parser.add_argument("archive")
        parser.add_argument(
            "--replace", action="store_true", help="overwrite a database that already holds data (default: refuse)"
        )

    def handle(self, *args, archive, replace, **options):
        path = Path(archive)
        try:
            manifest = read_manifest(path)
            found = restore_backup(path, replace=replace)
        except BackupError as error:
            raise CommandError(str(error)) from error
        rows = sum(f.rows for f in found.values())
        self.stdout.write(
            _("Đã khôi phục bản sao lưu lúc %(taken)s: %(tables)s bảng, %(rows)s dòng, khớp từng bảng.")
            % {"taken": manifest["taken_at"], "tables": len(found), "rows": rows}
        )
