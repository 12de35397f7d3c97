"""Fetching reviews for a request: the same 404 for a missing one and one the user may not see."""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from hienthuc.reviews.models import Review
from hienthuc.scope import AnyUser, can_issue


def access_review(user: AnyUser, pk: int, *, write: bool = False) -> Review:
    review = get_object_or_404(
        Review.objects.visible_to(user).select_related("unit", "meeting", "plan__document", "term", "report"), pk=pk
    )
    if write and not can_issue(user, review.unit):
        raise PermissionDenied(_("Bạn chỉ có quyền xem báo cáo này."))
    return review
