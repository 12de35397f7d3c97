"""The unit dashboard's panels, registered with the tree by the apps that own them.

The dashboard app (the top layer) renders /orgs/<id>/dashboard/ from this registry, so adding a
panel touches only the app that owns it: from its AppConfig.ready(), register a key, a title,
an order, the URL name of a view that serves the panel (its fragment for htmx, a page of its
own otherwise), and — for a panel that must be in the page as it loads — `render(request, org)`
returning the fragment's HTML. Other panels load after the page (htmx), so a slow one never
holds the figures above it. Each panel's query count is pinned in its app's tests.
"""

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Panel:
    key: str
    title: str
    order: int
    url_name: str  # takes the unit's pk
    render: Callable | None = None  # (request, org) -> HTML, for a panel drawn with the page


_PANELS: dict[str, Panel] = {}


def register(key: str, *, title: str, order: int, url_name: str, render: Callable | None = None) -> None:
    _PANELS[key] = Panel(key, title, order, url_name, render)


def registered() -> list[Panel]:
    return sorted(_PANELS.values(), key=lambda p: (p.order, p.key))
