"""Fetching documents for a request: 404 for a document the user may not see (a "mật" one
without a grant included), 403 for a change not allowed."""

import re

from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from hienthuc.documents.models import Document, DocumentLink, Status
from hienthuc.scope import AnyUser, require_issue


def access_document(user: AnyUser, pk: int, *, write: bool = False) -> Document:
    document = get_object_or_404(
        Document.objects.visible_to(user).select_related("kind", "issuing_unit__kind", "term", "created_by"), pk=pk
    )
    if write:
        from hienthuc.documents.actions import may_write

        if not may_write(user, document.issuing_unit, draft=document.status == Status.DRAFT):
            raise PermissionDenied(_("Bạn chỉ có quyền xem văn bản này."))
    return document


def access_link(user: AnyUser, pk: int, *, write: bool = False) -> DocumentLink:
    """A link between two documents the user may see; changed by an editor of its source."""
    link = get_object_or_404(DocumentLink.objects.visible_to(user).select_related("source__issuing_unit"), pk=pk)
    if write:
        require_issue(user, link.source.issuing_unit, _("Bạn chỉ có quyền xem văn bản này."))
    return link


def resolve_target(user: AnyUser, text: str) -> Document:
    """The visible document a person named by "number [id]" or by its number alone."""
    from hienthuc.lib import docnumbers

    visible = Document.objects.visible_to(user)
    match = re.search(r"\[(\d+)\]\s*$", text or "")
    if match:
        found = visible.filter(pk=int(match.group(1))).first()
        if found:
            return found
    try:
        number = docnumbers.parse(re.sub(r"\s*\[\d+\]\s*$", "", text).split(" · ")[0])
    except docnumbers.NumberError as exc:
        raise ValidationError({"target": str(exc)}) from None
    candidates = list(visible.filter(number_normalized=number.normalized)[:2])
    if not candidates:
        raise ValidationError(
            {
                "target": _("Không tìm thấy văn bản số %(normalized)s trong phạm vi của bạn.")
                % {"normalized": number.normalized}
            }
        )
    if len(candidates) > 1:
        raise ValidationError(
            {
                "target": _("Có nhiều văn bản số %(normalized)s; hãy chọn đúng văn bản trong gợi ý.")
                % {"normalized": number.normalized}
            }
        )
    return candidates[0]
