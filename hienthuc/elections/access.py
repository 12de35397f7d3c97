from django.shortcuts import get_object_or_404

from hienthuc.elections.models import Election
from hienthuc.scope import AnyUser


def access_election(user: AnyUser, pk: int) -> Election:
    """The same 404 for an election that does not exist and one of another unit's congress."""
    return get_object_or_404(Election.objects.visible_to(user).select_related("meeting__unit"), pk=pk)
