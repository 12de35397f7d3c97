"""{% document_ref doc %}: how every page mentions a document (see documents/refs.py)."""

from django import template
from django.urls import reverse
from django.utils.html import format_html

from hienthuc.documents.models import is_visible
from hienthuc.documents.refs import hidden_label, reference_text
from hienthuc.lib.links import is_web_link

register = template.Library()


@register.simple_tag(takes_context=True)
def document_ref(context, document, summary: bool = False, link: bool = True, kind: bool = False, url: str = ""):
    """A link to the document with its number (and summary), or its hidden label."""
    if document is None:
        return ""
    user = context["request"].user
    if not is_visible(user, document):
        return format_html('<span class="text-muted fst-italic">{}</span>', hidden_label(document))
    text = reference_text(user, document, with_kind=kind)
    if link:
        html = format_html('<a href="{}">{}</a>', url or reverse("document_detail", args=[document.pk]), text)
    else:
        html = format_html("{}", text)
    if summary:
        html = format_html('{} <span class="small text-muted">{}</span>', html, document.summary[:80])
    return html


@register.filter
def web_link(value: str) -> str:
    """The link for an href when it is a web address, else "" (a stored javascript: link from
    before links were checked stays inert)."""
    return value if is_web_link(value) else ""
