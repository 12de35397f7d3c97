"""Review pages: the list, a new review, one review with its texts, its .docx report."""

from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from hienthuc.committees.models import Term
from hienthuc.forms import submit
from hienthuc.lib.partydoc import DOCX_CONTENT_TYPE
from hienthuc.lib.roman import from_roman
from hienthuc.lib.text import file_name
from hienthuc.meetings.access import access_meeting
from hienthuc.plans.access import access_plan
from hienthuc.reviews import actions
from hienthuc.reviews.access import access_review
from hienthuc.reviews.forms import ReviewForm, TextsForm
from hienthuc.reviews.models import Review
from hienthuc.reviews.wordexport import review_docx
from hienthuc.scope import require_edits_somewhere


def review_list(request: HttpRequest) -> HttpResponse:
    reviews = Review.objects.visible_to(request.user).select_related("unit")
    return render(request, "reviews/list.html", {"page": Paginator(reviews, 50).get_page(request.GET.get("page"))})


def review_create(request: HttpRequest) -> HttpResponse:
    require_edits_somewhere(request.user, _("Chỉ người có quyền biên tập mới viết sơ kết, tổng kết."))
    form = ReviewForm(request.POST or None, user=request.user)

    def create(data):
        unit = data.pop("unit")
        meeting = access_meeting(request.user, data.pop("meeting")) if data.get("meeting") else None
        data.pop("meeting", None)
        plan = access_plan(request.user, data.pop("plan")) if data.get("plan") else None
        data.pop("plan", None)
        term_text = (data.pop("term") or "").strip()
        term = None
        if term_text:
            try:
                term = Term.objects.filter(unit=unit, number=from_roman(term_text)).first()
            except ValueError:
                term = None
            if term is None:
                raise ValidationError(
                    {"term": _("%(unit)s không có nhiệm kỳ khóa %(term)s.") % {"unit": unit.name, "term": term_text}}
                )
        return actions.do_create_review(unit, meeting=meeting, plan=plan, term=term, acting_user=request.user, **data)

    review = submit(request, form, create, _("Đã tạo báo cáo sơ kết, tổng kết."))
    if review:
        return redirect("review_detail", pk=review.pk)
    return render(request, "reviews/form.html", {"form": form})


def review_detail(request: HttpRequest, pk: int) -> HttpResponse:
    review = access_review(request.user, pk, write=request.method == "POST")
    initial = {k: getattr(review, k) for k in actions.TEXTS}
    form = TextsForm(request.POST or None, initial=initial)
    if submit(request, form, lambda d: actions.do_update_review(review, acting_user=request.user, **d), _("Đã lưu.")):
        return redirect("review_detail", pk=pk)
    from hienthuc.scope import can_issue

    context = {"review": review, "form": form, "can_write": can_issue(request.user, review.unit)}
    return render(request, "reviews/detail.html", context, status=400 if form.errors else 200)


def review_report(request: HttpRequest, pk: int) -> HttpResponse:
    review = access_review(request.user, pk)
    response = HttpResponse(review_docx(review), content_type=DOCX_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{file_name("tong-ket", review.title, extension="docx")}"'
    return response
