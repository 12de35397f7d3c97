"""Fetching evaluations for a request: the same 404 for a missing one and one the user may not see."""

from django.shortcuts import get_object_or_404

from hienthuc.evaluations.models import Evaluation
from hienthuc.scope import AnyUser


def access_evaluation(user: AnyUser, pk: int) -> Evaluation:
    return get_object_or_404(
        Evaluation.objects.visible_to(user).select_related(
            "unit", "subject_unit", "subject_person__home_unit", "rule", "decision", "term"
        ),
        pk=pk,
    )
