from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from hienthuc.demo.data import DEMO_LOGINS, DEMO_PASSWORD, NEW_PROVINCE_LOGIN, demo_loaded, load_demo


class Command(BaseCommand):
    help = "Load the demo data (Thái Bình, Quảng Ninh, demo accounts) into the embedded database, once."

    def add_arguments(self, parser):
        parser.add_argument("--print-logins", action="store_true", help="Only print the demo logins")

    def handle(self, *args, print_logins=False, **options):
        if not print_logins:
            # Demo accounts with a published password must never reach a real deployment.
            if not settings.DEMO or settings.DATABASE_URL:
                raise CommandError("Dữ liệu mẫu chỉ được nạp vào CSDL nhúng ở chế độ trình diễn (DEMO=1, make run).")
            if demo_loaded():
                self.stdout.write("Dữ liệu mẫu đã có; bỏ qua.")
            else:
                self.stdout.write("Đang nạp dữ liệu mẫu (Thái Bình, Hưng Yên, Quảng Ninh)…")
                load_demo()
        self.stdout.write("")
        self.stdout.write(f"Tài khoản mẫu (mật khẩu: {DEMO_PASSWORD}):")
        for username, label, _code, _role in [*DEMO_LOGINS, NEW_PROVINCE_LOGIN]:
            self.stdout.write(f"  {username:<10} {label}")
