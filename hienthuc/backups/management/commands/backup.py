from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from hienthuc.backups.archive import BackupError, create_backup


class Command(BaseCommand):
    help = "Back up the database and the attachments into one .tar.gz archive (docs/deploy.md)."

    def add_arguments(self, parser):
        parser.add_argument("--output", default=str(Path(settings.VAR_DIR) / "backups"), help="folder of the archives")
        parser.add_argument("--keep", type=int, default=0, help="keep only the newest N archives in the folder")

    def handle(self, *args, output, keep, **options):
        folder = Path(output)
        try:
            archive = create_backup(folder)
        except BackupError as error:
            raise CommandError(str(error)) from error
        if keep > 0:
            for old in sorted(folder.glob("hienthuc-*.tar.gz"))[:-keep]:
                old.unlink()
        self.stdout.write(archive.as_posix())
        self.stderr.write(_("Đã sao lưu vào %(file)s.") % {"file": archive})
