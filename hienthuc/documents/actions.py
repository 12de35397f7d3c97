"""Registering documents, their attachments, links and grants: atomic and audited."""

import datetime
import uuid

from django.conf import settings
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from hienthuc.audit.record import record, snapshot
from hienthuc.committees.models import Term
from hienthuc.documents import changes
from hienthuc.documents.models import (
    CONGRESS_BODIES,
    CONGRESS_ISSUER,
    ENDING,
    Attachment,
    Confidentiality,
    Document,
    DocumentGrant,
    DocumentKind,
    DocumentLink,
    IssuingBody,
    LinkKind,
    Status,
    Urgency,
    opening_grants,
)
from hienthuc.lib import docnumbers
from hienthuc.lib.files import detect_type, extract_text
from hienthuc.lib.sheets import FileProblem, check_size
from hienthuc.lib.text import clean
from hienthuc.orgs.models import Organization
from hienthuc.scope import AnyUser, MandateKind, acting_for, actings, can_issue

AUDIT_FIELDS = [
    "kind", "number_text", "number_normalized", "issuing_unit", "issuing_body", "signer", "issued_on", "place",
    "summary", "term", "confidentiality", "urgency", "status",
]  # fmt: skip
PARTY_FOUNDED = datetime.date(1930, 2, 3)
SUMMARY_MAX = 2000
TEXT_MAX = 1_000_000


def term_for(unit: Organization, on: datetime.date | None) -> Term | None:
    """The unit's term a document dated `on` belongs to. In a congress year two terms overlap:
    the new one counts from its first day where known, else from the start of the year."""
    if on is None:
        return Term.objects.current_for(unit)
    terms = Term.objects.filter(unit=unit, start_year__lte=on.year, end_year__gte=on.year).order_by("-start_year")
    for term in terms:
        if term.began_on is None or term.began_on <= on:
            return term
    return None


def suggest_issuer(unit: Organization) -> str:
    """The unit's own issuer code, else its kind's (set on the unit's page)."""
    return unit.issuer_code or unit.kind.issuer_code


def series(unit: Organization, *, term: Term | None, body: str, kind: str, issuer: str):
    """The Party numbers a new one continues (36-HD/VPTW): per kind abbreviation and issuer for
    the whole term; a congress's and its presidium's documents share one series of all kinds."""
    numbered = Document.objects.filter(issuing_unit=unit, number_system="party", term=term, number__isnull=False)
    if body in CONGRESS_BODIES:
        return numbered.filter(issuing_body__in=CONGRESS_BODIES)
    return numbered.filter(number_kind=kind, number_issuer=issuer).exclude(issuing_body__in=CONGRESS_BODIES)


def next_number(
    unit: Organization, kind: DocumentKind, *, term: Term | None, issuer: str | None = None, body: str = ""
) -> str:
    """The next free Party number of this kind for the unit's term, e.g. "05-KH/TU"; empty for
    a kind numbered as written."""
    if not kind.abbreviation:
        return ""
    if body in CONGRESS_BODIES:
        issuer = CONGRESS_ISSUER
    issuer = issuer or suggest_issuer(unit)
    used = series(unit, term=term, body=body, kind=kind.abbreviation, issuer=issuer).aggregate(Max("number"))
    return f"{(used['number__max'] or 0) + 1:02d}-{kind.abbreviation}/{issuer}"


def numbering_notices(document: Document) -> list[str]:
    """What a registrar should know about a document's number without being refused (36-HD/VPTW:
    numbers run per kind for the whole term): an issued Party number outside any term of its
    unit, and a number that jumps past the last one of its series."""
    if document.number is None or document.number_system != "party" or document.status == Status.DRAFT:
        return []
    notices = []
    if document.term is None:
        notices.append(
            _(
                "Chưa có nhiệm kỳ nào của %(unit)s bao trùm ngày ban hành: số văn bản này đang nằm ngoài các "
                "khóa. Hãy thêm nhiệm kỳ của đơn vị để số chạy theo khóa."
            )
            % {"unit": document.issuing_unit.name}
        )
    congress = document.issuing_body in CONGRESS_BODIES
    if congress != (document.number_issuer == CONGRESS_ISSUER):
        notices.append(
            _(
                "Văn bản của Đại hội và Đoàn Chủ tịch Đại hội mang ký hiệu ĐH (ví dụ 01-NQ/ĐH) và dùng chung một "
                "dãy số; số %(number)s và cơ quan ban hành “%(body)s” không khớp nhau."
            )
            % {"number": document.number_normalized, "body": document.get_issuing_body_display()}
        )
    numbers = _series_of(document)
    # Only the newest number of its series: registering older documents late fills gaps.
    if not numbers.filter(number__gt=document.number).exists():
        last = numbers.aggregate(Max("number"))["number__max"]
        if last is not None and document.number > last + 1:
            notices.append(
                _(
                    "Số %(number)s nhảy số: số lớn nhất đã vào sổ của loại này trong khóa là %(last)s, các số "
                    "%(first_missing)s–%(last_missing)s chưa có văn bản. Hãy kiểm tra lại nếu không cố ý."
                )
                % {
                    "number": document.number,
                    "last": last,
                    "first_missing": last + 1,
                    "last_missing": document.number - 1,
                }  # fmt: skip
            )
    return notices


def _check_date(issued_on: datetime.date | None, status: str) -> None:
    if issued_on is None:
        if status != Status.DRAFT:
            raise ValidationError({"issued_on": _("Văn bản đã ban hành phải có ngày ban hành.")})
        return
    latest = timezone.localdate() + datetime.timedelta(days=365)
    if not (PARTY_FOUNDED <= issued_on <= latest):
        raise ValidationError(
            {
                "issued_on": _("Ngày ban hành phải từ 03/02/1930 đến %(latest)s; hãy kiểm tra lại năm.")
                % {"latest": format(latest, "%d/%m/%Y")}
            }
        )


def _apply_number(document: Document, number_text: str) -> None:
    number_text = clean(number_text)
    if not number_text:
        if document.status != Status.DRAFT:
            raise ValidationError({"number_text": _("Văn bản đã ban hành phải có số hiệu, ví dụ 21-KL/TW.")})
        document.number_text = document.number_normalized = document.number_system = ""
        document.number = document.number_year = None
        document.number_kind = document.number_issuer = ""
        return
    try:
        parsed = docnumbers.parse(number_text)
    except docnumbers.NumberError as exc:
        raise ValidationError({"number_text": str(exc)}) from None
    if parsed.system != document.kind.system:
        expected = (
            _("của Đảng (ví dụ 21-KL/TW)") if document.kind.system == "party" else _("nhà nước (ví dụ 30/2020/NĐ-CP)")
        )
        raise ValidationError(
            {
                "number_text": _("Loại “%(document_kind)s” dùng số hiệu %(expected)s.")
                % {"document_kind": document.kind.name, "expected": expected}
            }
        )
    if parsed.known_kind and document.kind.abbreviations and parsed.kind not in document.kind.abbreviations:
        raise ValidationError(
            {
                "number_text": _(
                    "Số hiệu mang ký hiệu %(kind)s (%(kind_name)s) nhưng loại văn bản là %(document_kind)s "
                    "(%(abbreviation)s)."
                )
                % {
                    "kind": parsed.kind,
                    "kind_name": parsed.kind_name,
                    "document_kind": document.kind.name,
                    "abbreviation": document.kind.abbreviation,
                }
            }
        )
    document.number_text = number_text
    document.number_normalized = parsed.normalized
    document.number_system = parsed.system
    document.number = parsed.number
    document.number_kind = parsed.kind
    document.number_issuer = parsed.issuer
    document.number_year = parsed.year


def _series_of(document: Document):
    return series(
        document.issuing_unit, term=document.term, body=document.issuing_body, kind=document.number_kind,
        issuer=document.number_issuer,
    ).exclude(pk=document.pk)  # fmt: skip


def _check_unique(document: Document) -> None:
    if document.number is None or document.number_system != "party":
        return
    if not _series_of(document).filter(number=document.number).exists():
        return
    if document.issuing_body in CONGRESS_BODIES:
        where = _("dãy số chung của Đại hội và Đoàn Chủ tịch Đại hội")
    elif document.term:
        where = _("nhiệm kỳ khóa %(roman)s") % {"roman": document.term.roman}
    else:
        where = _("đơn vị này")
    raise ValidationError(
        {
            "number_text": _("Số %(number_normalized)s đã được dùng trong %(where)s; số văn bản chạy suốt nhiệm kỳ.")
            % {"number_normalized": document.number_normalized, "where": where}
        }
    )


def current_data(document: Document) -> dict:
    """The document's editable values as `do_update_document` takes them, to change a few."""
    return {
        "kind": document.kind,
        "number_text": document.number_text,
        "issuing_body": document.issuing_body,
        "issued_on": document.issued_on,
        "place": document.place,
        "signer": document.signer,
        "summary": document.summary,
        "confidentiality": document.confidentiality,
        "urgency": document.urgency,
        "status": document.status,
        "full_text": document.full_text,
    }


def fill_document(document: Document, data: dict) -> None:
    """Check `data` and set it on `document` (unsaved, or locked by the caller); writes nothing."""
    summary = (data.get("summary") or "").strip()
    if not summary:
        raise ValidationError({"summary": _("Trích yếu không được để trống.")})
    if len(summary) > SUMMARY_MAX:
        raise ValidationError(
            {"summary": _("Trích yếu dài tối đa %(SUMMARY_MAX)s ký tự.") % {"SUMMARY_MAX": SUMMARY_MAX}}
        )
    full_text = (data.get("full_text") or "").replace("\x00", "")
    if len(full_text) > TEXT_MAX:
        raise ValidationError({"full_text": _("Toàn văn quá dài; hãy đính kèm tệp thay vì dán.")})
    for name, choices, label in (
        ("issuing_body", IssuingBody, _("Cơ quan ban hành")),
        ("confidentiality", Confidentiality, _("Độ mật")),
        ("urgency", Urgency, _("Độ khẩn")),
        ("status", Status, _("Trạng thái")),
    ):
        if data.get(name) and data[name] not in choices.values:
            raise ValidationError(
                {name: _("%(label)s “%(data)s” không hợp lệ.") % {"label": label, "data": data[name]}}
            )
    document.kind = data["kind"]
    document.issuing_body = data["issuing_body"]
    document.signer = clean(data.get("signer"))[:150]
    document.place = clean(data.get("place"))[:100]
    document.summary = summary
    document.full_text = full_text
    document.confidentiality = data.get("confidentiality") or Confidentiality.NORMAL
    document.urgency = data.get("urgency") or Urgency.NORMAL
    document.status = data.get("status") or Status.ISSUED
    document.issued_on = data.get("issued_on")
    _check_date(document.issued_on, document.status)
    document.term = data.get("term") or term_for(document.issuing_unit, document.issued_on)
    if document.term is not None and document.term.unit_id != document.issuing_unit.pk:
        raise ValidationError({"term": _("Nhiệm kỳ phải là nhiệm kỳ của đơn vị ban hành.")})
    _apply_number(document, data.get("number_text") or "")
    _check_unique(document)


def may_write(user: AnyUser, unit: Organization, *, draft: bool = False) -> bool:
    """May the user register or change a document in `unit`'s name: can_issue (a role, or the
    office's mandate), or — while it is a draft — an advisory board's drafting mandate."""
    return can_issue(user, unit) or (draft and acting_for(user, unit.path, (MandateKind.DRAFTING,)) is not None)


def _refuse_write(user: User, unit: Organization, *, draft: bool, field: str | None = None) -> None:
    if may_write(user, unit, draft=draft):
        return
    if acting_for(user, unit.path, (MandateKind.DRAFTING,)) is not None:
        message = _(
            "Cơ quan của bạn soạn thảo văn bản cho %(unit)s: chỉ được vào sổ và sửa dự thảo; cho số và ban hành "
            "do văn phòng cấp ủy thực hiện."
        ) % {"unit": unit.name}
    elif actings(user):
        message = _(
            "Cơ quan của bạn chỉ làm thay cho %(principals)s; %(unit)s chưa ủy nhiệm nên bạn không thể vào sổ, "
            "sửa văn bản của đơn vị này."
        ) % {"principals": ", ".join(a.principal_name for a in actings(user)), "unit": unit.name}
    else:
        message = _("Bạn không có quyền vào sổ, sửa văn bản của %(unit)s.") % {"unit": unit.name}
    raise ValidationError({field: message} if field else message)


@transaction.atomic
def do_create_document(*, issuing_unit: Organization, acting_user: User, **data) -> Document:
    _refuse_write(acting_user, issuing_unit, draft=data.get("status") == Status.DRAFT, field="issuing_unit")
    document = Document(issuing_unit=issuing_unit, created_by=acting_user if acting_user.pk else None)
    fill_document(document, data)
    document.refresh_search_text()
    document.save()
    _hold(document, acting_user)
    record(acting_user, "create", document, organization=issuing_unit, after=snapshot(document, AUDIT_FIELDS))
    return document


@transaction.atomic
def do_draft_generated(
    *,
    issuing_unit: Organization,
    kind_code: str,
    summary: str,
    data: bytes,
    filename: str,
    acting_user: User,
    document: Document | None = None,
) -> Document:
    """A document the system wrote (a yearly report, an urging letter) registered as a draft of
    its unit, the file attached — or, given the draft already registered, a newer file attached
    to it. The register numbers and dates it when it is issued."""
    if document is None:
        document = do_create_document(
            issuing_unit=issuing_unit,
            kind=DocumentKind.objects.get(code=kind_code),
            number_text="",
            issuing_body="btv",
            issued_on=None,
            summary=summary,
            status=Status.DRAFT,
            acting_user=acting_user,
        )
    do_add_attachment(document, data=data, filename=filename, acting_user=acting_user)
    return document


STALE_EDIT = gettext_lazy(
    "Văn bản vừa được người khác sửa trong lúc bạn đang sửa. Nội dung bạn nhập chưa được lưu; hãy tải lại trang "
    "để xem bản mới rồi sửa lại."
)


@transaction.atomic
def do_update_document(document: Document, *, acting_user: User, version: int | None = None, **data) -> Document:
    """`version`, when given, is the one the editor started from: if someone saved in between,
    nothing is written and they are told (two clerks on one register entry lose nothing)."""
    document = Document.objects.select_for_update().select_related("issuing_unit", "kind").get(pk=document.pk)
    drafts = document.status == Status.DRAFT and data.get("status") == Status.DRAFT
    _refuse_write(acting_user, document.issuing_unit, draft=drafts)
    if version is not None and version != document.version:
        raise ValidationError(STALE_EDIT, code="stale")
    before = snapshot(document, AUDIT_FIELDS)
    # A plan answering a cascade is a document too: its tallies follow the change (changes.py).
    with changes.watched(document):
        fill_document(document, data)
        document.refresh_search_text()
        document.version += 1
        document.save()
    _hold(document, acting_user)
    after = snapshot(document, AUDIT_FIELDS)
    if after != before:
        record(acting_user, "update", document, organization=document.issuing_unit, before=before, after=after)
    if before.get("status") == Status.DRAFT:
        _end_targets(document, acting_user)  # issued now: what it replaces or annuls ends
    return document


def _hold(document: Document, acting_user: User) -> None:
    """Whoever registers or marks a secret document holds it at its level (the register
    entry is theirs); other readers are granted one by one (do_grant_document)."""
    if document.confidentiality == Confidentiality.NORMAL or not acting_user.pk:
        return
    DocumentGrant.objects.update_or_create(
        document=document, user=acting_user, defaults={"level": document.confidentiality, "granted_by": acting_user}
    )


@transaction.atomic
def do_add_attachment(document: Document, *, data: bytes, filename: str, acting_user: User) -> Attachment:
    if not can_issue(acting_user, document.issuing_unit):
        raise ValidationError(_("Bạn không có quyền đính kèm tệp vào văn bản này."))
    limit = settings.ATTACHMENT_MAX_BYTES
    try:
        check_size(len(data), limit)
    except FileProblem as exc:
        raise ValidationError({"file": str(exc)}) from None
    file_type = detect_type(data)
    if file_type is None:
        raise ValidationError(
            {
                "file": _(
                    "Chỉ nhận tệp PDF, Word (.docx) hoặc Excel (.xlsx); "
                    "loại tệp được kiểm tra theo nội dung, không theo tên."
                )
            }
        )
    name = clean(filename)[:255] or f"tep.{file_type}"
    text = extract_text(data, file_type)
    attachment = Attachment(
        document=document,
        original_name=name,
        file_type=file_type,
        size=len(data),
        extracted_text=text,
        uploaded_by=acting_user if acting_user.pk else None,
    )
    attachment.file.save(f"{uuid.uuid4().hex}.{file_type}", ContentFile(data), save=False)
    attachment.save()
    if text and not document.full_text:
        document.full_text = text[:TEXT_MAX]
    document.refresh_search_text()
    Document.objects.filter(pk=document.pk).update(full_text=document.full_text, search_text=document.search_text)
    record(
        acting_user,
        "create",
        attachment,
        organization=document.issuing_unit,
        after={"document": document.pk, "name": name, "type": file_type, "size": len(data)},
    )
    return attachment


@transaction.atomic
def do_link_documents(source: Document, target: Document, *, kind: str, acting_user: User) -> DocumentLink:
    if not can_issue(acting_user, source.issuing_unit):
        raise ValidationError(_("Bạn không có quyền sửa liên kết của văn bản này."))
    if kind not in LinkKind.values:
        raise ValidationError({"kind": _("Quan hệ không hợp lệ.")})
    if source.pk == target.pk:
        raise ValidationError({"target": _("Không thể liên kết một văn bản với chính nó.")})
    if DocumentLink.objects.filter(source=source, target=target, kind=kind).exists():
        raise ValidationError({"target": _("Hai văn bản đã có liên kết này.")})
    if kind in ENDING and _ends(target, source):
        raise ValidationError(
            {
                "target": _(
                    "“%(target)s” đã thay thế hoặc bãi bỏ “%(source)s” (trực tiếp hoặc qua văn bản khác); "
                    "hai văn bản không thể thay thế, bãi bỏ lẫn nhau."
                )
                % {"target": target, "source": source}
            }
        )
    link = DocumentLink.objects.create(
        source=source, target=target, kind=kind, created_by=acting_user if acting_user.pk else None
    )
    record(
        acting_user,
        "create",
        link,
        organization=source.issuing_unit,
        after={"source": source.pk, "target": target.pk, "kind": kind},
    )
    _end_targets(source, acting_user)
    return link


def _ends(document: Document, other: Document) -> bool:
    """Whether `document` replaces or annuls `other`, directly or through others: a new link the
    other way would make a cycle."""
    seen, frontier = {document.pk}, {document.pk}
    while frontier:
        targets = set(
            DocumentLink.objects.filter(source_id__in=frontier, kind__in=list(ENDING)).values_list(
                "target_id", flat=True
            )
        )
        if other.pk in targets:
            return True
        frontier = targets - seen
        seen |= frontier
    return False


def _end_targets(source: Document, acting_user: User) -> None:
    """An issued document's "replaces"/"annuls" links end their targets: each in force takes
    "Đã bị thay thế"/"Hết hiệu lực" (the document's page links it to the newer one)."""
    if source.status == Status.DRAFT:
        return  # a draft replaces nothing yet; its issue does (do_update_document)
    for link in DocumentLink.objects.filter(source=source, kind__in=list(ENDING)).select_related("target"):
        target = link.target
        if target.status != Status.ISSUED:
            continue
        target.status = ENDING[LinkKind(link.kind)]
        target.save(update_fields=["status"])
        record(
            acting_user, "update", target, organization=target.issuing_unit,
            before={"status": Status.ISSUED}, after={"status": target.status, "by": source.pk},
        )  # fmt: skip


def _revive(target: Document, acting_user: User) -> None:
    """A document no issued one replaces or annuls any more is in force again."""
    if target.status not in ENDING.values():
        return
    ending = DocumentLink.objects.filter(target=target, kind__in=list(ENDING)).exclude(source__status=Status.DRAFT)
    if ending.exists():
        return
    before = target.status
    target.status = Status.ISSUED
    target.save(update_fields=["status"])
    record(
        acting_user, "update", target, organization=target.issuing_unit,
        before={"status": before}, after={"status": target.status},
    )  # fmt: skip


@transaction.atomic
def do_unlink_documents(link: DocumentLink, *, acting_user: User) -> None:
    if not can_issue(acting_user, link.source.issuing_unit):
        raise ValidationError(_("Bạn không có quyền sửa liên kết của văn bản này."))
    record(
        acting_user,
        "delete",
        link,
        organization=link.source.issuing_unit,
        before={"source": link.source_id, "target": link.target_id, "kind": link.kind},
    )
    link.delete()
    if link.kind in ENDING:
        _revive(Document.objects.select_for_update().get(pk=link.target_id), acting_user)


@transaction.atomic
def do_grant_document(document: Document, user, *, acting_user: User) -> DocumentGrant:
    """Let one more user read a secret document at its level. Only an editor of its unit whose
    own grant opens it at that level may: a Mật grant cannot hand out Tối mật."""
    # The level as it stands now, not as the caller last read it.
    document = Document.objects.select_for_update().select_related("issuing_unit").get(pk=document.pk)
    if document.confidentiality == Confidentiality.NORMAL:
        raise ValidationError(_("Văn bản thường không cần cấp quyền xem."))
    level_name = document.get_confidentiality_display()
    if not can_issue(acting_user, document.issuing_unit):
        raise ValidationError(_("Chỉ người có quyền biên tập ở đơn vị ban hành mới được cấp quyền xem văn bản mật."))
    if not opening_grants(acting_user).filter(document=document).exists():
        raise ValidationError(
            _(
                "Bạn chưa được cấp quyền đọc văn bản này ở độ %(level)s nên không thể cấp cho người khác; "
                "quyền ở độ thấp hơn không mở được độ cao hơn."
            )
            % {"level": level_name}
        )
    grant = DocumentGrant.objects.filter(document=document, user=user).first()
    if grant is not None and grant.level == document.confidentiality:
        return grant
    before = {"user": user.username, "level": grant.level} if grant else None
    grant, _created = DocumentGrant.objects.update_or_create(
        document=document, user=user, defaults={"level": document.confidentiality, "granted_by": acting_user}
    )
    record(
        acting_user, "grant", document, organization=document.issuing_unit,
        before=before, after={"user": user.username, "level": grant.level},
    )  # fmt: skip
    return grant
