"""Fetching indicators, report forms and submissions for a request: 404 for what the user may
not see, 403 for a change their role does not allow. Pages and the API both call these."""

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from hienthuc.indicators.models import Indicator, ReportForm, Submission
from hienthuc.scope import AnyUser, require_edit


def access_indicator(user: AnyUser, pk: int, *, write: bool = False) -> Indicator:
    indicator = get_object_or_404(Indicator.objects.visible_to(user).select_related("owner", "weight"), pk=pk)
    if write:
        require_edit(user, indicator.owner, _("Bạn chỉ có quyền xem chỉ tiêu này."))
    return indicator


def access_form(user: AnyUser, pk: int, *, write: bool = False) -> ReportForm:
    form = get_object_or_404(ReportForm.objects.visible_to(user).select_related("owner"), pk=pk)
    if write:
        require_edit(user, form.owner, _("Bạn chỉ có quyền xem mẫu báo cáo này."))
    return form


def access_submission(user: AnyUser, pk: int) -> Submission:
    return get_object_or_404(Submission.objects.visible_to(user).select_related("form__owner", "unit"), pk=pk)
