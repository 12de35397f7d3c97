"""Fetching incoming documents for a request: the same 404 for a missing one and one the user
may not see (another unit's, or a secret one they hold no right to)."""

from django.shortcuts import get_object_or_404

from hienthuc.incoming.models import IncomingDocument
from hienthuc.scope import AnyUser


def access_incoming(user: AnyUser, pk: int) -> IncomingDocument:
    return get_object_or_404(
        IncomingDocument.objects.visible_to(user).select_related(
            "unit", "kind", "document__kind", "document__issuing_unit", "assigned_unit", "task", "created_by"
        ),
        pk=pk,
    )
