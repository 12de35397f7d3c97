"""Page links under every paged list — first, previous, the pages around this one, next, last —
keeping the list's filters (every other query parameter). A template builtin (settings)."""

from django import template
from django.core.paginator import Page

register = template.Library()


@register.inclusion_tag("pagination.html", takes_context=True)
def pagination(context, page: Page, param: str = "page") -> dict:
    query = context["request"].GET.copy()
    query.pop(param, None)
    base = query.urlencode()

    def url(number: int) -> str:
        return f"?{base}&{param}={number}" if base else f"?{param}={number}"

    last = page.paginator.num_pages
    numbers = sorted({1, last, *range(max(1, page.number - 2), min(last, page.number + 2) + 1)})
    links: list[tuple[int | None, str]] = []
    for number in numbers:
        if links and links[-1][0] is not None and number - links[-1][0] > 1:
            links.append((None, ""))  # a gap: …
        links.append((number, url(number)))
    return {
        "page": page,
        "links": links,
        "previous_url": url(page.previous_page_number()) if page.has_previous() else "",
        "next_url": url(page.next_page_number()) if page.has_next() else "",
    }
