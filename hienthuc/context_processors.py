"""What every page may ask about the user: whether to offer what only editors or admins can do
(buttons are shown only to those whose action would succeed somewhere)."""

from django.http import HttpRequest

from hienthuc.scope import admins_anywhere, edits_anywhere


def permissions(request: HttpRequest) -> dict:
    user = request.user
    # Callables: the roles are read only by a page that asks (and once per request).
    return {
        "edits_anywhere": lambda: edits_anywhere(user),
        "admins_anywhere": lambda: admins_anywhere(user),
    }
