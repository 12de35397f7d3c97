"""Start the test provider: `python -m tests.oidc_provider.serve PORT REDIRECT_URI LOGOUT_URI`.

Creates its database (a temp file named by OIDC_TEST_DB), the RSA signing key, one client
(id "hienthuc", secret "bi-mat-thu-nghiem") and three people: nguyenvana and tranthib, whom
the provider gives roles, and lethic, whom it gives none. All with password "mat-khau-cong"."""

import os
import sys

import django

os.environ["DJANGO_SETTINGS_MODULE"] = "tests.oidc_provider.settings"
CLIENT_ID, CLIENT_SECRET, PASSWORD = "hienthuc", "bi-mat-thu-nghiem", "mat-khau-cong"
PEOPLE = [
    ("nguyenvana", "Văn A", "Nguyễn", "nguyenvana@tinhuy.example"),
    ("tranthib", "Thị B", "Trần", "tranthib@tinhuy.example"),
    ("lethic", "Thị C", "Lê", "lethic@tinhuy.example"),
]


def main(port: str, redirect_uri: str, logout_uri: str) -> None:
    django.setup()
    from django.contrib.auth.models import User
    from django.core.management import call_command
    from oidc_provider.models import Client, ResponseType

    call_command("migrate", verbosity=0)
    call_command("creatersakey", verbosity=0)
    for username, first, last, email in PEOPLE:
        User.objects.create_user(username, email, PASSWORD, first_name=first, last_name=last)
    client = Client.objects.create(
        name="Hiện Thực", client_id=CLIENT_ID, client_secret=CLIENT_SECRET, client_type="confidential",
        jwt_alg="RS256", require_consent=False, reuse_consent=True,
    )  # fmt: skip
    client.redirect_uris = [redirect_uri]
    client.post_logout_redirect_uris = [logout_uri]
    client.scope = ["openid", "email", "profile", "hienthuc"]
    client.save()
    client.response_types.add(ResponseType.objects.get(value="code"))
    call_command("runserver", f"127.0.0.1:{port}", use_reloader=False, use_threading=True, skip_checks=True)


if __name__ == "__main__":
    main(*sys.argv[1:4])
