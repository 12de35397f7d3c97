from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from hienthuc.accounts import actions
from hienthuc.accounts.access import access_account, administered_users
from hienthuc.accounts.forms import GrantRoleForm, PersonLinkForm, TokenForm, UserCreateForm
from hienthuc.accounts.models import ApiToken, Role, RoleKind
from hienthuc.forms import submit
from hienthuc.people.actions import do_link_person
from hienthuc.scope import can_admin, root_paths

User = get_user_model()


def require_some_admin(user) -> None:
    if not user.is_superuser and not root_paths(user, (RoleKind.ADMIN,)):
        raise PermissionDenied("Chỉ quản trị đơn vị mới quản lý được tài khoản.")


def user_list(request: HttpRequest) -> HttpResponse:
    if not request.user.is_superuser and not root_paths(request.user, (RoleKind.ADMIN,)):
        # Non-admins see their own account and roles only.
        return redirect("user_detail", pk=request.user.pk)
    users = (
        administered_users(request.user)
        .order_by("username")
        .prefetch_related(Prefetch("roles", queryset=Role.objects.select_related("organization")))
    )
    page = Paginator(users, 50).get_page(request.GET.get("page"))
    return render(request, "accounts/user_list.html", {"page": page})


def user_create(request: HttpRequest) -> HttpResponse:
    require_some_admin(request.user)
    form = UserCreateForm(request.POST or None, user=request.user)
    account = submit(
        request,
        form,
        lambda data: actions.do_create_user(acting_user=request.user, **data),
        lambda account: f"Đã tạo tài khoản “{account.username}”.",
    )
    if account:
        return redirect("user_detail", pk=account.pk)
    return render(request, "accounts/user_form.html", {"form": form})


def user_detail(request: HttpRequest, pk: int) -> HttpResponse:
    if pk == request.user.pk:
        account = request.user
    else:
        account = access_account(request.user, pk)
    linking = request.POST.get("action") == "link-person"
    form = GrantRoleForm(None if linking else (request.POST or None), user=request.user)
    person = getattr(account, "person", None)
    link_form = PersonLinkForm(
        request.POST if linking else None,
        user=request.user,
        prefix="link",
        initial={"person": f"{person.full_name} [{person.pk}]" if person else ""},
    )
    if request.method == "POST":
        require_some_admin(request.user)
        if linking:
            if submit(
                request,
                link_form,
                lambda data: do_link_person(account, data["person"], acting_user=request.user),
                "Đã cập nhật hồ sơ cán bộ của tài khoản.",
            ):
                return redirect("user_detail", pk=account.pk)
        elif submit(
            request,
            form,
            lambda data: actions.do_grant_role(account, acting_user=request.user, **data),
            "Đã cấp vai trò.",
        ):
            return redirect("user_detail", pk=account.pk)
    roles = Role.objects.filter(user=account).select_related("organization")
    rows = [(role, can_admin(request.user, role.organization)) for role in roles]
    return render(
        request,
        "accounts/user_detail.html",
        {
            "account": account,
            "rows": rows,
            "form": form,
            "person": person,
            "link_form": link_form,
            "is_admin": bool(root_paths(request.user, (RoleKind.ADMIN,))) or request.user.is_superuser,
        },
    )


@require_POST
def role_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    role = get_object_or_404(Role.objects.visible_to(request.user).select_related("organization", "user"), pk=pk)
    try:
        actions.do_revoke_role(role, acting_user=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, "Đã thu hồi vai trò.")
    return redirect("user_detail", pk=role.user_id)


def token_list(request: HttpRequest) -> HttpResponse:
    form = TokenForm(request.POST or None)
    raw = None
    if request.method == "POST" and form.is_valid():
        _token, raw = actions.do_create_api_token(
            request.user, name=form.cleaned_data["name"], acting_user=request.user
        )
        form = TokenForm()
    tokens = ApiToken.objects.filter(user=request.user).order_by("-created_at")
    return render(request, "accounts/tokens.html", {"form": form, "tokens": tokens, "raw": raw})


@require_POST
def token_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    token = get_object_or_404(ApiToken.objects.visible_to(request.user), pk=pk)
    actions.do_revoke_api_token(token, acting_user=request.user)
    messages.success(request, "Đã thu hồi mã truy cập API.")
    return redirect("token_list")
