"""A unit's dashboard — the panels the apps registered (orgs/panels.py) — and its yearly report,
a report of the unit composed from every app's figures (yearly.py)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from hienthuc.dashboard import narrative, yearly
from hienthuc.dashboard.actions import do_draft_yearly_report
from hienthuc.lib.partydoc import DOCX_CONTENT_TYPE
from hienthuc.lib.sheets import XLSX_CONTENT_TYPE
from hienthuc.lib.text import file_name
from hienthuc.orgs import panels as registry
from hienthuc.orgs.access import access_organization, breadcrumbs, tree_day
from hienthuc.scope import can_issue, covers


def unit_dashboard(request: HttpRequest, pk: int) -> HttpResponse:
    org = access_organization(request.user, pk)
    today = timezone.localdate()
    # A past day (?on=): panels that keep history show it on the tree of that day.
    day = tree_day(request)
    query = f"?on={day.isoformat()}" if day else ""
    panels = [
        {
            "panel": panel,
            "url": reverse(panel.url_name, args=[org.pk]) + query,
            "html": panel.render(request, org) if panel.render else None,
        }
        for panel in registry.registered()
    ]
    context = {
        "org": org,
        "crumbs": breadcrumbs(request.user, org),
        "crumb_current": org.name,
        "panels": panels,
        "day": day,
        "report_years": list(range(today.year - (today.month < 12), today.year - 8, -1)),
        # Leaders of a unit above may ask this one to explain its results.
        "can_ask": any(covers(request.user, path) for path in org.ancestor_paths),
    }
    return render(request, "dashboard/unit.html", context)


def _report_year(request: HttpRequest) -> int:
    """?year=N (or the form's year), by default the last year whose report is due by now."""
    today = timezone.localdate()
    text = request.POST.get("year") or request.GET.get("year", "")
    year = int(text) if text.isdigit() else today.year - (today.month < 12)
    if not 1930 <= year <= today.year:
        raise Http404(_("Năm báo cáo không hợp lệ."))
    return year


def yearly_report(request: HttpRequest, pk: int) -> HttpResponse:
    """Download a unit's yearly report (.docx, or .xlsx with ?format=xlsx) for ?year=N."""
    unit = access_organization(request.user, pk)
    year = _report_year(request)
    report = yearly.build(unit, year, request.user)
    if request.GET.get("format") == "xlsx":
        response = HttpResponse(yearly.to_xlsx(report), content_type=XLSX_CONTENT_TYPE)
        response["Content-Disposition"] = (
            f'attachment; filename="{file_name("bao cao nam", year, unit.name, extension="xlsx")}"'
        )
        return response
    response = HttpResponse(yearly.to_docx(report), content_type=DOCX_CONTENT_TYPE)
    response["Content-Disposition"] = (
        f'attachment; filename="{file_name("bao cao nam", year, unit.name, extension="docx")}"'
    )
    return response


def yearly_narrative(request: HttpRequest, pk: int) -> HttpResponse:
    """What the unit and its units wrote for the year, field by field, and what they proposed,
    grouped — the page the standing committee reads first; a POST registers the yearly report
    as a draft document of the unit."""
    unit = access_organization(request.user, pk)
    year = _report_year(request)
    if request.method == "POST":
        try:
            draft = do_draft_yearly_report(unit, year, acting_user=request.user)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Đã vào sổ dự thảo báo cáo năm; tệp Word đính kèm văn bản."))
            return redirect(draft.document)
    today = timezone.localdate()
    context = {
        "org": unit,
        "crumbs": breadcrumbs(request.user, unit),
        "crumb_current": unit.name,
        "year": year,
        "years": list(range(today.year, today.year - 8, -1)),
        "narrative": narrative.compose(unit, year),
        "draft": yearly.registered_draft(unit, year),
        "can_draft": can_issue(request.user, unit),
    }
    return render(request, "dashboard/narrative.html", context)
