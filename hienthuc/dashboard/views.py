"""A unit's dashboard — the panels the apps registered (orgs/panels.py) — and its yearly report,
a report of the unit composed from every app's figures (yearly.py)."""

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from hienthuc.dashboard import yearly
from hienthuc.lib.partydoc import DOCX_CONTENT_TYPE
from hienthuc.lib.sheets import XLSX_CONTENT_TYPE
from hienthuc.lib.text import file_name
from hienthuc.orgs import panels as registry
from hienthuc.orgs.access import access_organization, breadcrumbs, tree_day
from hienthuc.scope import covers


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


def yearly_report(request: HttpRequest, pk: int) -> HttpResponse:
    """Download a unit's yearly report (.docx, or .xlsx with ?format=xlsx) for ?year=N."""
    unit = access_organization(request.user, pk)
    today = timezone.localdate()
    year = int(request.GET["year"]) if request.GET.get("year", "").isdigit() else today.year - (today.month < 12)
    if not 1930 <= year <= today.year:
        raise Http404(_("Năm báo cáo không hợp lệ."))
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
