"""A unit's dashboard: the panels the apps registered (orgs/panels.py), for the unit's subtree."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone

from hienthuc.accounts.scoping import covers
from hienthuc.orgs import panels as registry
from hienthuc.orgs.access import access_organization, breadcrumbs


def unit_dashboard(request: HttpRequest, pk: int) -> HttpResponse:
    org = access_organization(request.user, pk)
    today = timezone.localdate()
    panels = [
        {
            "panel": panel,
            "url": reverse(panel.url_name, args=[org.pk]),
            "html": panel.render(request, org) if panel.render else None,
        }
        for panel in registry.registered()
    ]
    context = {
        "org": org,
        "crumbs": breadcrumbs(request.user, org),
        "crumb_current": org.name,
        "panels": panels,
        "report_years": list(range(today.year - (today.month < 12), today.year - 8, -1)),
        # Leaders of a unit above may ask this one to explain its results.
        "can_ask": any(covers(request.user, path) for path in org.ancestor_paths),
    }
    return render(request, "dashboard/unit.html", context)
