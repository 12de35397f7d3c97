from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from hienthuc.documents import actions, importing
from hienthuc.documents.access import access_document, access_link, resolve_target
from hienthuc.documents.forms import AttachmentForm, DocumentForm, GrantForm, LinkForm, RegisterFilter
from hienthuc.documents.models import Attachment, Document, DocumentKind, DocumentLink, LinkKind
from hienthuc.forms import resolve_unit, submit
from hienthuc.incoming.models import IncomingDocument
from hienthuc.lib import docnumbers
from hienthuc.lib.files import CONTENT_TYPES
from hienthuc.lib.roman import from_roman
from hienthuc.lib.sheets import XLSX_CONTENT_TYPE, FileProblem, check_size
from hienthuc.orgs.models import Organization
from hienthuc.plans.coverage import document_coverage
from hienthuc.plans.tallies import COVERAGE_LABELS
from hienthuc.scope import above_q, require_edits_somewhere, subtree_q

PER_PAGE = 50
# Links along which work flows down: a plan implements a resolution, a guide guides it.
CASCADE_KINDS = (LinkKind.IMPLEMENTS, LinkKind.GUIDES)


def filtered_register(request: HttpRequest):
    form = RegisterFilter(request.GET or None)
    documents = Document.objects.visible_to(request.user).select_related("kind", "issuing_unit")
    problem = None
    if form.is_valid():
        data = form.cleaned_data
        if data["q"]:
            documents = documents.search(data["q"])
        if data["kind"]:
            documents = documents.filter(kind=data["kind"])
        if data["unit"]:
            # The units a user's documents come from: their subtrees and the units above them.
            units = Organization.objects.filter(subtree_q(request.user) | above_q(request.user, "path"))
            try:
                unit = resolve_unit(data["unit"], units if not request.user.is_superuser else Organization.objects)
            except ValidationError as exc:
                problem, unit = " ".join(exc.messages), None
                documents = documents.none()
            if unit is None:
                pass
            elif data["subtree"]:
                documents = documents.filter(issuing_unit__path__startswith=unit.path)
            else:
                documents = documents.filter(issuing_unit=unit)
        if data["year"]:
            documents = documents.filter(issued_on__year=data["year"])
        if data["term"]:
            try:
                documents = documents.filter(term__number=from_roman(data["term"]))
            except ValueError:
                problem = _("Khóa phải là số La Mã, ví dụ XX.")
        if data["status"]:
            documents = documents.filter(status=data["status"])
    return form, documents.order_by("-issued_on", "-id"), problem


def register(request: HttpRequest) -> HttpResponse:
    form, documents, problem = filtered_register(request)
    page = Paginator(documents, PER_PAGE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {"form": form, "page": page, "problem": problem, "query": query.urlencode()}
    if request.htmx:
        return render(request, "documents/register.html#results", context)
    return render(request, "documents/register.html", context)


def register_export(request: HttpRequest) -> HttpResponse:
    _form, documents, _problem = filtered_register(request)
    if request.GET.get("template"):
        documents = documents.none()  # the empty layout, to fill in and import
    response = HttpResponse(importing.export_register(documents[:20_000]), content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = 'attachment; filename="so-van-ban.xlsx"'
    return response


def document_create(request: HttpRequest) -> HttpResponse:
    require_edits_somewhere(request.user, _("Chỉ người có quyền biên tập mới vào sổ văn bản."))
    initial = {"issuing_unit": request.GET.get("unit", ""), "kind": request.GET.get("kind")}
    form = DocumentForm(request.POST or None, initial=initial, user=request.user)
    document = submit(
        request,
        form,
        lambda data: actions.do_create_document(
            acting_user=request.user, **{k: v for k, v in data.items() if k != "version"}
        ),
        lambda document: _("Đã vào sổ %(document)s.") % {"document": document},
    )
    if document:
        for notice in actions.numbering_notices(document):
            messages.warning(request, notice)
        return redirect("document_detail", pk=document.pk)
    return render(request, "documents/document_form.html", {"form": form})


def document_edit(request: HttpRequest, pk: int) -> HttpResponse:
    document = access_document(request.user, pk, write=True)
    initial = {
        **actions.current_data(document),
        "issuing_unit": document.issuing_unit.code,
        "version": document.version,
    }
    form = DocumentForm(request.POST or None, initial=initial, user=request.user)
    # The issuing unit is fixed once registered: numbers run per unit.
    form.fields["issuing_unit"].disabled = True
    saved = submit(
        request,
        form,
        lambda data: actions.do_update_document(
            document, acting_user=request.user, **{k: v for k, v in data.items() if k != "issuing_unit"}
        ),
        _("Đã lưu văn bản."),
    )
    if saved:
        for notice in actions.numbering_notices(saved):
            messages.warning(request, notice)
        return redirect("document_detail", pk=document.pk)
    return render(request, "documents/document_form.html", {"form": form, "document": document})


def next_number(request: HttpRequest) -> HttpResponse:
    """An htmx fragment: the next free number for the chosen unit and kind."""
    code = request.GET.get("issuing_unit", "").strip()
    unit = (
        Organization.objects.visible_to(request.user).current().filter(code__iexact=code).select_related("kind").first()
    )
    kind = (
        DocumentKind.objects.filter(pk=request.GET.get("kind") or 0).first()
        if request.GET.get("kind", "").isdigit()
        else None
    )
    suggestion = None
    if unit and kind and kind.system == "party":
        # The term of the date typed so far (a document of 2022 registered today is numbered
        # in the 2020–2025 term), else today's.
        try:
            issued_on = forms.DateField(required=False).clean(request.GET.get("issued_on", ""))
        except ValidationError:
            issued_on = None
        term = actions.term_for(unit, issued_on or timezone.localdate())
        body = request.GET.get("issuing_body", "")
        suggestion = actions.next_number(unit, kind, term=term, body=body) or None
    return render(request, "documents/next_number.html", {"suggestion": suggestion})


def cascade(start: Document, visible, *, direction: str, limit: int = 6) -> list[tuple[int, Document]]:
    """Documents linked by implements/guides, down (what implements it) or up, with depth.

    Down, the result reads as a tree: each document right under the one it implements. A plan
    implementing both the resolution and the program made for it (a cascade links both) goes
    under the program, the deepest of the documents it implements."""
    seen = {start.pk: 0}
    frontier = [start.pk]
    parents: dict[int, list[int]] = {}
    documents: dict[int, Document] = {}
    result: list[tuple[int, Document]] = []
    for depth in range(1, limit + 1):
        if direction == "down":
            links = DocumentLink.objects.filter(target_id__in=frontier, kind__in=CASCADE_KINDS, source__in=visible)
            found = links.select_related("source__issuing_unit", "source__kind").order_by("source__issued_on")
            pairs = [(link.target_id, link.source) for link in found]
        else:
            links = DocumentLink.objects.filter(source_id__in=frontier, kind__in=CASCADE_KINDS, target__in=visible)
            found = links.select_related("target__issuing_unit", "target__kind")
            pairs = [(link.source_id, link.target) for link in found]
        frontier = []
        for parent, document in pairs:
            parents.setdefault(document.pk, []).append(parent)
            if document.pk not in seen:
                seen[document.pk] = depth
                documents[document.pk] = document
                frontier.append(document.pk)
                result.append((depth, document))
        if not frontier:
            break
    if direction != "down":
        return result
    children: dict[int, list[Document]] = {}
    for _depth, document in result:  # in issue order within each level
        deepest = max(parents[document.pk], key=lambda pk: seen.get(pk, -1))
        children.setdefault(deepest, []).append(document)
    ordered: list[tuple[int, Document]] = []

    def walk(pk: int, depth: int) -> None:
        for child in children.get(pk, []):
            if len(ordered) < len(result):  # a loop of links cannot make the list endless
                ordered.append((depth, child))
                walk(child.pk, depth + 1)

    walk(start.pk, 1)
    return ordered


def suggested_links(document: Document, visible) -> list[dict]:
    """Numbers mentioned in the summary or text that match a visible document, not yet linked."""
    mentions = docnumbers.mentions(f"{document.summary}\n{document.full_text}")[:20]
    linked = set(document.links_out.values_list("target_id", flat=True))
    found: dict[str, list[Document]] = {}
    matches = (
        visible.filter(number_normalized__in=[m.number.normalized for m in mentions])
        .exclude(pk=document.pk)
        .exclude(pk__in=linked)
        .select_related("kind", "issuing_unit")
    )
    for candidate in matches:
        found.setdefault(candidate.number_normalized, []).append(candidate)
    suggestions = []
    for mention in mentions:
        candidates = found.get(mention.number.normalized, [])
        if mention.date:
            # The date written beside the number picks among documents sharing it.
            dated = [c for c in candidates if c.issued_on and c.issued_on.timetuple()[:3] == mention.date]
            candidates = dated or candidates
        suggestions += [{"mention": mention, "document": c} for c in candidates[:5]]
    return suggestions


def document_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    document = access_document(user, pk)
    visible = Document.objects.visible_to(user)
    below = cascade(document, visible, direction="down")
    context = {
        "document": document,
        "crumb_current": str(document),
        "can_edit": actions.may_write(user, document.issuing_unit, draft=document.status == "draft"),
        # An issued Party number outside any term: the page offers to add the unit's term.
        "needs_term": document.term_id is None and document.number_system == "party" and document.number is not None,
        "links_out": DocumentLink.objects.filter(source=document, target__in=visible).select_related("target__kind"),
        "links_in": DocumentLink.objects.filter(target=document, source__in=visible).select_related(
            "source__kind", "source__issuing_unit"
        ),
        "above": cascade(document, visible, direction="up"),
        "below": below,
        # The coverage page's own figures: only units that were asked count (plans/coverage.py).
        "coverage": document_coverage(document, user, timezone.localdate()),
        "coverage_labels": COVERAGE_LABELS,
        "attachments": document.attachments.all(),
        # Where it arrived (the incoming registers of the user's units) and how each handled it.
        "receipts": IncomingDocument.objects.visible_to(user)
        .filter(document=document)
        .select_related("unit", "assigned_unit", "task"),
        "goals": document.goals.all(),
        "suggestions": suggested_links(document, visible),
        "link_form": LinkForm(),
        "attachment_form": AttachmentForm(),
        "grant_form": GrantForm(),
        "grants": document.grants.select_related("user", "document") if document.confidentiality != "thuong" else [],
    }
    return render(request, "documents/document_detail.html", context)


@require_POST
def attachment_add(request: HttpRequest, pk: int) -> HttpResponse:
    document = access_document(request.user, pk, write=True)
    form = AttachmentForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, _("Hãy chọn một tệp để đính kèm."))
        return redirect("document_detail", pk=document.pk)
    upload = form.cleaned_data["file"]
    try:
        # Refuse an oversized file before reading it into memory (the action checks again).
        check_size(upload.size, settings.ATTACHMENT_MAX_BYTES)
        actions.do_add_attachment(document, data=upload.read(), filename=upload.name, acting_user=request.user)
    except FileProblem as exc:
        messages.error(request, str(exc))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Đã đính kèm “%(upload)s”.") % {"upload": upload.name})
    return redirect("document_detail", pk=document.pk)


def attachment_download(request: HttpRequest, pk: int) -> FileResponse:
    attachment = get_object_or_404(
        Attachment.objects.filter(document__in=Document.objects.visible_to(request.user)), pk=pk
    )
    # Served as a download, with the type checked at upload (never guessed from the name), under
    # a name whose extension matches it: "x.html" holding a PDF downloads as "x.pdf".
    stem = attachment.original_name.rsplit(".", 1)[0] or "tep"
    return FileResponse(
        attachment.file.open("rb"),
        as_attachment=True,
        filename=f"{stem}.{attachment.file_type}",
        content_type=CONTENT_TYPES[attachment.file_type],
    )


@require_POST
def link_add(request: HttpRequest, pk: int) -> HttpResponse:
    document = access_document(request.user, pk, write=True)
    form = LinkForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Hãy chọn văn bản liên quan và quan hệ."))
        return redirect("document_detail", pk=document.pk)
    try:
        target = resolve_target(request.user, form.cleaned_data["target"])
        actions.do_link_documents(document, target, kind=form.cleaned_data["kind"], acting_user=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Đã liên kết với %(target)s.") % {"target": target})
    return redirect("document_detail", pk=document.pk)


@require_POST
def link_remove(request: HttpRequest, pk: int) -> HttpResponse:
    link = access_link(request.user, pk, write=True)
    actions.do_unlink_documents(link, acting_user=request.user)
    messages.success(request, _("Đã bỏ liên kết."))
    return redirect("document_detail", pk=link.source_id)


@require_POST
def grant_add(request: HttpRequest, pk: int) -> HttpResponse:
    document = access_document(request.user, pk, write=True)
    form = GrantForm(request.POST)
    user = None
    if form.is_valid():
        user = get_user_model().objects.filter(username=form.cleaned_data["username"].strip().lower()).first()
    if user is None:
        messages.error(request, _("Không tìm thấy tài khoản này."))
    else:
        try:
            actions.do_grant_document(document, user, acting_user=request.user)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Đã cho phép %(username)s xem văn bản mật này.") % {"username": user.username})
    return redirect("document_detail", pk=document.pk)


def document_lookup(request: HttpRequest) -> HttpResponse:
    """Suggestions for a document box: "21-KL/TW · 25/10/2021 · Kết luận … [id]"."""
    query = next((v for v in request.GET.values() if v.strip()), "")
    documents = (
        Document.objects.visible_to(request.user)
        .search(query)
        .select_related("kind")
        .exclude(number_normalized="")[:20]
        if query.strip()
        else []
    )
    return render(request, "documents/document_lookup.html", {"documents": documents})


def search(request: HttpRequest) -> HttpResponse:
    """One box across documents, units and people, diacritics-insensitive, within scope."""
    from hienthuc.people.models import Person

    query = request.GET.get("q", "").strip()[:200]
    context = {"query": query, "documents": [], "units": [], "people": []}
    if query:
        context["documents"] = (
            Document.objects.visible_to(request.user).search(query).select_related("kind", "issuing_unit")[:30]
        )
        context["units"] = Organization.objects.visible_to(request.user).search(query).select_related("kind")[:20]
        context["people"] = Person.objects.visible_to(request.user).search(query).select_related("home_unit")[:20]
    return render(request, "documents/search.html", context)


@require_POST
def goal_add(request: HttpRequest, pk: int) -> HttpResponse:
    from hienthuc.plans.actions import do_add_goal

    document = access_document(request.user, pk, write=True)
    year = request.POST.get("year", "").strip()
    try:
        if year and not year.isdigit():
            raise ValidationError({"year": _("Năm phải là một số, ví dụ 2030.")})
        do_add_goal(
            document,
            kind=request.POST.get("kind", ""),
            text=request.POST.get("text", ""),
            year=int(year) if year else None,
            acting_user=request.user,
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Đã thêm."))
    return redirect("document_detail", pk=document.pk)
