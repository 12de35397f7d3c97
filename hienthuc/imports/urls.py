"""The two routes of an import kind, under the URL of the app that owns it."""

from django.urls import path

from hienthuc.imports import importers, views


def import_routes(prefix: str, kind: str) -> list:
    """`prefix` is the upload page ("orgs/import/", "plans/<int:pk>/import/"); the apply route
    sits under it, so a preview that is gone sends the person back to where they uploaded."""
    name = importers.get(kind).url_name
    return [
        path(prefix, views.import_upload, {"kind": kind}, name=name),
        path(f"{prefix}<int:pending>/apply/", views.import_apply, {"kind": kind}, name=f"{name}_apply"),
    ]
