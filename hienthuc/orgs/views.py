from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from hienthuc.accounts.models import RoleKind
from hienthuc.audit.describe import describe
from hienthuc.audit.models import AuditEvent
from hienthuc.audit.redact import redact
from hienthuc.committees.access import seat_order
from hienthuc.committees.models import Assignment, Body, CommitteeSeat, Term
from hienthuc.forms import split_last, submit, unit_label
from hienthuc.lib.sheets import XLSX_CONTENT_TYPE
from hienthuc.lib.text import file_name
from hienthuc.orgs import actions, aggregates, importing
from hienthuc.orgs.access import access_organization, breadcrumbs, children_of, tree_day
from hienthuc.orgs.forms import MandateForm, MoveForm, NewOrganizationForm, OrganizationForm
from hienthuc.orgs.models import Mandate, Organization
from hienthuc.people.access import readable_people
from hienthuc.people.models import Person
from hienthuc.scope import can_admin, can_edit, root_paths, top_paths

PEOPLE_PER_PAGE = 50


def tree(request: HttpRequest) -> HttpResponse:
    """The user's units, opened one level; deeper levels open on demand (htmx)."""
    can_import = request.user.is_superuser or bool(root_paths(request.user, (RoleKind.ADMIN,)))
    on = tree_day(request)
    overview = aggregates.overview(top_paths(request.user), on)
    return render(request, "orgs/tree.html", {"overview": overview, "can_import": can_import, "on": on})


def tree_children(request: HttpRequest, pk: int) -> HttpResponse:
    org = access_organization(request.user, pk)
    on = tree_day(request) or org.valid_to
    return render(request, "orgs/tree.html#children", {"org": org, "children": children_of(org, on=on), "on": on})


def unit_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    org = access_organization(user, pk)
    include_inactive = request.GET.get("inactive") == "1"
    # A unit that ceased in a reorganization shows its children as they stood on its last day.
    on = tree_day(request) or org.valid_to
    term = Term.objects.current_for(org)
    former_names = list(org.former_names.select_related("kind"))
    seats_by_body = []
    seats: list = []
    if term is not None:
        seats = sorted(
            CommitteeSeat.objects.filter(term=term, end_date__isnull=True).select_related("person"), key=seat_order
        )
        for body in Body:
            members = [s for s in seats if s.body == body.value]
            if members:
                seats_by_body.append((body.label, members))
    people = Person.objects.filter(home_unit=org).order_by("-is_active", "search_name")
    query = request.GET.get("q", "").strip()
    if query:
        people = people.search(query)
    page = Paginator(people, PEOPLE_PER_PAGE).get_page(request.GET.get("page"))
    context = {
        "org": org,
        "crumbs": breadcrumbs(user, org),
        "crumb_current": org.name,
        "totals": aggregates.subtree_totals(org),
        "children": children_of(org, include_inactive=include_inactive, on=on),
        "include_inactive": include_inactive,
        "on": on,
        "term": term,
        "terms": Term.objects.filter(unit=org),
        "seats_by_body": seats_by_body,
        "assigned": Assignment.objects.filter(unit=org, end_date__isnull=True)
        .select_related("person", "term__unit")
        .order_by("-term__start_year", "person__search_name"),
        "people_page": page,
        "query": query,
        "can_edit": can_edit(user, org),
        "can_admin": can_admin(user, org),
        "readable": readable_people(user, [s.person_id for s in seats]),
        # Reorganizations (the reorgs app) link units to those they succeeded and that succeed them.
        "predecessors": [s.predecessor for s in org.successions_in.select_related("predecessor")[:50]],
        "successors": [s.successor for s in org.successions_out.select_related("successor")[:50]],
        "former_names": former_names,
        # On a past day before a rename, the page says what the unit was called then.
        "former_on": next((f for f in former_names if on is not None and f.until >= on), None),
    }
    if request.htmx and request.htmx.target == "people":
        return render(request, "orgs/unit_detail.html#people", context)
    return render(request, "orgs/unit_detail.html", context)


def unit_create(request: HttpRequest, pk: int) -> HttpResponse:
    parent = access_organization(request.user, pk, write=True)
    form = NewOrganizationForm(request.POST or None)
    org = submit(
        request,
        form,
        lambda data: actions.do_create_organization(parent=parent, acting_user=request.user, **data),
        lambda org: _("Đã thêm đơn vị “%(org)s”.") % {"org": org.name},
    )
    if org:
        return redirect("unit_detail", pk=org.pk)
    return render(
        request,
        "orgs/unit_form.html",
        {"form": form, "parent": parent, "crumbs": [*breadcrumbs(request.user, parent), parent]},
    )


def unit_edit(request: HttpRequest, pk: int) -> HttpResponse:
    org = access_organization(request.user, pk, write=True)
    initial = {
        "code": org.code, "name": org.name, "short_name": org.short_name, "kind": org.kind,
        "issuer_code": org.issuer_code,
    }  # fmt: skip
    form = OrganizationForm(request.POST or None, initial=initial)
    saved = submit(
        request,
        form,
        lambda data: actions.do_update_organization(org, acting_user=request.user, **data),
        _("Đã lưu thông tin đơn vị."),
    )
    if saved:
        return redirect("unit_detail", pk=org.pk)
    return render(request, "orgs/unit_form.html", {"form": form, "org": org, "crumbs": breadcrumbs(request.user, org)})


def unit_move(request: HttpRequest, pk: int) -> HttpResponse:
    org = access_organization(request.user, pk, admin=True)
    form = MoveForm(request.POST or None, user=request.user)
    moved = submit(
        request,
        form,
        lambda data: actions.do_move_organization(org, data["new_parent"], acting_user=request.user),
        lambda moved: _("Đã chuyển “%(moved)s” cùng toàn bộ đơn vị trực thuộc.") % {"moved": moved.name},
    )
    if moved:
        return redirect("unit_detail", pk=moved.pk)
    return render(request, "orgs/unit_move.html", {"form": form, "org": org, "crumbs": breadcrumbs(request.user, org)})


@require_POST
def unit_set_active(request: HttpRequest, pk: int, active: bool) -> HttpResponse:
    org = access_organization(request.user, pk, admin=True)
    action = actions.do_reactivate_organization if active else actions.do_deactivate_organization
    try:
        action(org, acting_user=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Đã khôi phục đơn vị.") if active else _("Đã chuyển đơn vị sang ngừng hoạt động."))
    return redirect("unit_detail", pk=org.pk)


def unit_mandates(request: HttpRequest, pk: int) -> HttpResponse:
    """The bodies working on behalf of the unit (its office, its boards): listed to whoever sees
    the unit, given and ended by its admins."""
    org = access_organization(request.user, pk)
    admin = can_admin(request.user, org)
    form = MandateForm(request.POST or None, user=request.user) if admin else None
    if request.method == "POST":
        if form is None:
            return HttpResponse(status=403)
        if submit(
            request,
            form,
            lambda data: actions.do_give_mandate(org, acting_user=request.user, **data),
            _("Đã ủy nhiệm."),
        ):
            return redirect("unit_mandates", pk=org.pk)
    mandates = Mandate.objects.filter(principal=org).select_related("agent", "created_by")
    return render(
        request,
        "orgs/mandates.html",
        {
            "org": org,
            "form": form,
            "mandates": mandates,
            "today": timezone.localdate(),
            "crumbs": [*breadcrumbs(request.user, org), org],
        },
    )


@require_POST
def mandate_end(request: HttpRequest, pk: int) -> HttpResponse:
    mandate = get_object_or_404(Mandate.objects.visible_to(request.user).select_related("principal"), pk=pk)
    if not can_admin(request.user, mandate.principal):
        return HttpResponse(status=403)
    try:
        actions.do_end_mandate(mandate, acting_user=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Đã thôi ủy nhiệm."))
    return redirect("unit_mandates", pk=mandate.principal_id)


def unit_history(request: HttpRequest, pk: int) -> HttpResponse:
    org = access_organization(request.user, pk)
    events = AuditEvent.objects.visible_to(request.user).filter(organization=org).select_related("actor")
    page = Paginator(events, 50).get_page(request.GET.get("page"))
    lines = describe(redact(request.user, list(page.object_list)))
    return render(
        request,
        "audit/history.html",
        {
            "subject": org,
            "page": page,
            "lines": lines,
            "crumbs": [*breadcrumbs(request.user, org), org],
            "back": org.get_absolute_url(),
        },
    )


def unit_lookup(request: HttpRequest) -> HttpResponse:
    """Suggestions for a unit box: <option>s for a <datalist>, 20 at most, by name or code,
    without diacritics. In a box of several units (";"), the one being typed is looked up
    and each option keeps the ones before it."""
    text = request.GET.get("q", "") or next((v for k, v in request.GET.items() if k != "q"), "")
    before, query = split_last(text)
    units = Organization.objects.visible_to(request.user).active().search(query).select_related("kind")
    units = units.order_by("depth", "name")[:20]
    options = [(f"{before}{unit_label(u)}", u) for u in units] if query else []
    return render(request, "orgs/unit_lookup.html", {"options": options})


def unit_export(request: HttpRequest, pk: int) -> HttpResponse:
    org = access_organization(request.user, pk)
    data = importing.export_tree(org, include_inactive=request.GET.get("inactive") == "1")
    response = HttpResponse(data, content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = (
        f'attachment; filename="{file_name("danh sach don vi", org.name, extension="xlsx")}"'
    )
    return response


def import_template(request: HttpRequest) -> HttpResponse:
    from hienthuc.lib.sheets import write_table

    data = write_table(_("Danh sách đơn vị (mẫu nhập)"), importing.HEADERS, [])
    response = HttpResponse(data, content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = 'attachment; filename="mau-nhap-don-vi.xlsx"'
    return response
