"""How a document is named where it is only mentioned: a plan's source, a cascade row, an
audit event, an export, an API field. A mention obeys the document's own visibility
(models.is_visible): to a user who may not open it, a secret document is "Văn bản mật" and any
other one "Văn bản ngoài phạm vi" — never its number or summary."""

from django.utils.translation import gettext as _

from hienthuc.documents.models import Confidentiality, Document, is_visible


def hidden_label(document: Document) -> str:
    if document.confidentiality != Confidentiality.NORMAL:
        return _("Văn bản mật")
    return _("Văn bản ngoài phạm vi")


def reference_text(user, document: Document | None, *, with_kind: bool = True) -> str:
    """The kind and number (or the summary's start for a draft), or the hidden label."""
    if document is None:
        return ""
    if not is_visible(user, document):
        return hidden_label(document)
    if not document.number_normalized:
        return f"{document.kind.name} {_('(chưa có số)')}" if with_kind else document.summary[:60]
    return f"{document.kind.name} {document.number_normalized}" if with_kind else document.number_normalized


def visible_id(user, document: Document | None) -> int | None:
    """The document's id for an API field, or None where the document is not the user's to see."""
    return document.pk if document is not None and is_visible(user, document) else None
