"""Fetching an uploaded file for a request: its uploader's alone; any other is a 404."""

from django.shortcuts import get_object_or_404

from hienthuc.imports.models import PendingImport
from hienthuc.scope import AnyUser


def access_import(user: AnyUser, pk: int) -> PendingImport:
    """A user's own background import; any other is a 404."""
    return get_object_or_404(PendingImport.objects.visible_to(user), pk=pk)
