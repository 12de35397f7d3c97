"""Apply a prepared reorganization from the server's shell: a country-wide decision takes minutes
(docs/architecture.md, "Reorganizations"), longer than a web request may run. The same action as
the page's button — one transaction, audited as the named admin."""

import time

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from hienthuc.reorgs.actions import do_apply_reorganization
from hienthuc.reorgs.models import Reorganization


class Command(BaseCommand):
    help = "Áp dụng một quyết định sắp xếp đơn vị đã chuẩn bị (xem trước trên trang của nó)."

    def add_arguments(self, parser):
        parser.add_argument("reorganization", type=int, help="số hiệu (id) của quyết định sắp xếp")
        parser.add_argument("--as", dest="username", required=True, help="tài khoản quản trị áp dụng quyết định")

    def handle(self, *args, reorganization, username, **options):
        user = get_user_model().objects.filter(username=username, is_active=True).first()
        if user is None:
            raise CommandError(f"Không có tài khoản “{username}” đang hoạt động.")
        reorg = Reorganization.objects.filter(pk=reorganization).first()
        if reorg is None:
            raise CommandError(f"Không có quyết định sắp xếp số {reorganization}.")
        started = time.perf_counter()
        try:
            reorg = do_apply_reorganization(reorg, acting_user=user)
        except ValidationError as exc:
            raise CommandError("Chưa áp dụng, không có dữ liệu nào được ghi: " + " ".join(exc.messages)) from None
        self.stdout.write(f"Đã áp dụng “{reorg.title}” trong {time.perf_counter() - started:.0f} giây.")
