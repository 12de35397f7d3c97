"""Synthetic document registers for the search benchmark (deterministic for a seed)."""

import datetime
import random

from django.db import connection, transaction
from django.utils import timezone

from hienthuc.documents.models import Document, DocumentKind
from hienthuc.lib.text import fold
from hienthuc.orgs.models import Organization

SUBJECTS = [
    "xây dựng, chỉnh đốn Đảng và hệ thống chính trị", "xây dựng nông thôn mới nâng cao, kiểu mẫu",
    "công tác kiểm tra, giám sát và kỷ luật của Đảng", "phát triển kinh tế - xã hội", "chuyển đổi số",
    "công tác cán bộ và bảo vệ chính trị nội bộ", "cải cách hành chính, nâng cao chỉ số năng lực cạnh tranh",
    "phòng, chống tham nhũng, tiêu cực", "bảo đảm quốc phòng, an ninh", "phát triển văn hóa, con người",
    "bảo vệ môi trường, ứng phó biến đổi khí hậu", "công tác dân vận", "giáo dục và đào tạo", "y tế cơ sở",
    "thu hút đầu tư, phát triển doanh nghiệp", "học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh",
]  # fmt: skip
ACTIONS = [
    "quán triệt, triển khai thực hiện", "tiếp tục đẩy mạnh", "tăng cường sự lãnh đạo của Đảng đối với",
    "tổ chức thực hiện", "sơ kết, đánh giá kết quả", "nâng cao hiệu quả",
]  # fmt: skip
ISSUERS = {1: "TU", 2: "TU", 3: "ĐU", 4: "ĐU", 5: "CB"}


def bench_province() -> Organization | None:
    """The province whose subtree holds the generated register: the one with most units below."""
    return Organization.objects.filter(kind__code="tinh_uy").order_by("-numchild", "path").first()


def generate_documents(count: int, *, seed: int = 1) -> int:
    rng = random.Random(seed)
    top = bench_province()
    if top is None:
        raise ValueError("no province to fill")
    units = list(
        Organization.objects.filter(path__startswith=top.path, depth__lte=top.depth + 2).values_list(
            "pk", "depth", "name"
        )
    )
    kinds = list(DocumentKind.objects.filter(system="party"))
    now = timezone.now()
    counters: dict[tuple, int] = {}
    rows = []
    for _ in range(count):
        unit_pk, depth, unit_name = rng.choice(units)
        kind = rng.choice(kinds)
        issuer = ISSUERS.get(depth - top.depth + 1, "ĐU")
        key = (unit_pk, kind.abbreviation, issuer)
        counters[key] = counters.get(key, 0) + 1
        number = counters[key]
        normalized = f"{number:02d}-{kind.abbreviation}/{issuer}"
        summary = f"về {rng.choice(ACTIONS)} {rng.choice(SUBJECTS)}"
        issued_on = datetime.date(2015, 1, 1) + datetime.timedelta(days=rng.randrange(3650))
        rows.append(
            Document(
                kind=kind, number_text=normalized, number_normalized=normalized, number_system="party",
                number=number, number_kind=kind.abbreviation, number_issuer=issuer, issuing_unit_id=unit_pk,
                issuing_body="btv", issued_on=issued_on, summary=summary, status="issued",
                search_text=fold(f"{kind.name} {normalized} {summary} {unit_name}"), created_at=now, updated_at=now,
            )
        )  # fmt: skip
    with transaction.atomic():
        Document.objects.bulk_create(rows, batch_size=5000)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE documents_document")
    return count
