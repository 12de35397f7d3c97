"""A congress's elections: preparing the list and the counting team, entering ballots (each by
two operators), the committee's mismatches and running total, the result, the minutes and a
projection view."""

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from hienthuc.committees.models import Body, Term
from hienthuc.elections import actions, minutes
from hienthuc.elections.access import access_election
from hienthuc.elections.forms import BallotForm, CounterForm, ElectionForm, HandVoteForm, OpenForm
from hienthuc.elections.models import CounterRole, ElectionStatus
from hienthuc.forms import add_action_errors
from hienthuc.lib import office
from hienthuc.lib.partydoc import DOCX_CONTENT_TYPE
from hienthuc.lib.text import file_name
from hienthuc.meetings.access import access_meeting
from hienthuc.scope import can_edit


def election_create(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = access_meeting(request.user, pk)
    if not can_edit(request.user, meeting.unit):
        raise PermissionDenied(_("Bạn chỉ có quyền xem đại hội này."))
    form = ElectionForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            election, warnings = actions.do_create_election(meeting, acting_user=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_action_errors(form, exc)
        else:
            for warning in warnings:
                messages.warning(request, warning)
            messages.success(request, _("Đã lập danh sách bầu cử."))
            return redirect(election)
    return render(request, "elections/election_form.html", {"meeting": meeting, "form": form},
                  status=400 if form.errors else 200)  # fmt: skip


def election_detail(request: HttpRequest, pk: int) -> HttpResponse:
    election = access_election(request.user, pk)
    user = request.user
    is_operator = actions.is_counter(user, election, CounterRole.OPERATOR)
    is_committee = actions.is_counter(user, election, CounterRole.COMMITTEE)
    organizer = can_edit(user, election.meeting.unit)
    forms_ = {"counter": CounterForm(prefix="counter"), "open": OpenForm(prefix="open"),
              "ballot": BallotForm(prefix="ballot"), "resolve": BallotForm(prefix="resolve")}  # fmt: skip
    action = request.POST.get("action", "")
    if request.method == "POST":
        done = _post(request, election, action, forms_)
        if done:
            return redirect(f"{election.get_absolute_url()}#{action}")
    election.refresh_from_db()
    closed = election.status == ElectionStatus.CLOSED
    result = actions.count(election) if closed or is_committee else None
    context = {
        "election": election,
        "candidates": list(election.candidates.all()),
        "counters": election.counters.select_related("user"),
        "forms": forms_,
        "is_operator": is_operator and election.status == ElectionStatus.COUNTING,
        "is_committee": is_committee,
        "organizer": organizer,
        "mismatches": actions.mismatches(election) if is_committee else [],
        "result_rows": actions.candidate_rows(election, result) if result else [],
        "result": result,
        "closed": closed,
        "counted": election.ballots.count(),
        "terms": Term.objects.filter(unit=election.meeting.unit).order_by("-start_year")
        if organizer and closed
        else [],
        "bodies": Body.choices,
    }
    return render(request, "elections/election_detail.html", context, status=400 if request.method == "POST" else 200)


def _post(request, election, action: str, forms_: dict) -> bool:
    """Run the posted action; True when done (its form errors stay on the forms otherwise)."""
    try:
        if action == "counter":
            form = forms_["counter"] = CounterForm(request.POST, prefix="counter")
            if not form.is_valid():
                return False
            user = get_user_model().objects.filter(username=form.cleaned_data["username"], is_active=True).first()
            if user is None:
                form.add_error(
                    "username", _("Không có tài khoản “%(name)s”.") % {"name": form.cleaned_data["username"]}
                )
                return False
            actions.do_add_counter(election, user=user, role=form.cleaned_data["role"], acting_user=request.user)
        elif action == "open":
            form = forms_["open"] = OpenForm(request.POST, prefix="open")
            if not form.is_valid():
                return False
            actions.do_open_counting(election, acting_user=request.user, **form.cleaned_data)
        elif action in ("ballot", "resolve"):
            form = forms_[action] = BallotForm(request.POST, prefix=action)
            if not form.is_valid():
                return False
            do = actions.do_enter_ballot if action == "ballot" else actions.do_resolve_ballot
            content = form.content()
            if "kept" in content and not election.with_surplus:
                # A list without surplus: the numbers typed are the names marked "agree".
                content = {"marks": {str(n): "agree" for n in content["kept"]}}
            counted = do(election, number=form.cleaned_data["number"], content=content, acting_user=request.user)
            if action == "ballot":
                messages.success(
                    request,
                    _("Đã nhập phiếu số %(n)s; đã khớp với lần nhập kia.") % {"n": form.cleaned_data["number"]}
                    if counted
                    else _("Đã nhập phiếu số %(n)s; chờ lần nhập thứ hai.") % {"n": form.cleaned_data["number"]},
                )
        elif action == "close":
            actions.do_close_counting(election, acting_user=request.user)
            messages.success(request, _("Đã kết thúc kiểm phiếu."))
        elif action == "seat":
            term = Term.objects.filter(unit=election.meeting.unit, pk=request.POST.get("term") or 0).first()
            body = request.POST.get("body", "")
            if term is None:
                messages.error(request, _("Hãy chọn nhiệm kỳ của cấp ủy được bầu."))
                return False
            seated = actions.do_seat_elected(election, term=term, body=body, acting_user=request.user)
            messages.success(request, _("Đã ghi nhận %(n)s người trúng cử vào cấp ủy.") % {"n": seated})
        elif action == "next":
            following = actions.do_prepare_next_round(election, acting_user=request.user)
            messages.success(request, _("Đã chuẩn bị lần bầu thứ %(n)s.") % {"n": following.round})
        else:
            return False
    except ValidationError as exc:
        form = forms_.get(action)
        if form is not None and form.is_bound:
            add_action_errors(form, exc)
        else:
            messages.error(request, " ".join(exc.messages))
        return False
    return True


def election_minutes(request: HttpRequest, pk: int) -> HttpResponse:
    """The minutes of the count (.docx, or ?format=pdf), once the count is closed."""
    election = access_election(request.user, pk)
    if election.status != ElectionStatus.CLOSED:
        raise Http404(_("Biên bản có sau khi kết thúc kiểm phiếu."))
    data = minutes.to_docx(election)
    name = file_name("bien ban kiem phieu", election.title, extension="docx")
    if request.GET.get("format") == "pdf":
        pdf = office.to_pdf(data, name)
        if pdf is None:
            messages.error(request, _("Máy chủ chưa cài LibreOffice nên chưa xuất được PDF; hãy tải bản Word."))
            return redirect(election)
        response = HttpResponse(pdf, content_type="application/pdf")
        response["Content-Disposition"] = f'attachment; filename="{name[:-5]}.pdf"'
        return response
    response = HttpResponse(data, content_type=DOCX_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def election_projection(request: HttpRequest, pk: int) -> HttpResponse:
    """The result for the congress hall's screen: by votes, the elected marked."""
    election = access_election(request.user, pk)
    if election.status != ElectionStatus.CLOSED:
        raise Http404(_("Kết quả công bố sau khi kết thúc kiểm phiếu."))
    result = actions.count(election)
    rows = sorted(actions.candidate_rows(election, result), key=lambda r: (-r["votes"], r["number"]))
    return render(request, "elections/projection.html", {"election": election, "rows": rows, "result": result})


@require_POST
def hand_vote_create(request: HttpRequest, pk: int) -> HttpResponse:
    """A show of hands recorded from the congress page."""
    meeting = access_meeting(request.user, pk)
    form = HandVoteForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
        return redirect(f"{meeting.get_absolute_url()}#hand-votes")
    try:
        _vote, passed = actions.do_record_hand_vote(meeting, acting_user=request.user, **form.cleaned_data)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request, _("Đã ghi biểu quyết: thông qua.") if passed else _("Đã ghi biểu quyết: không thông qua.")
        )
    return redirect(f"{meeting.get_absolute_url()}#hand-votes")
