"""Outgoing channels for notices. Each is a class with a `name` and `send(user, subject, body)
-> bool` (True when delivered); settings.URGING_CHANNELS lists the dotted paths in use, so an
SMS or chat gateway is added by configuration: a class in any installed module. The in-app
notice needs no channel: it is the Notice row itself."""

from django.conf import settings
from django.core.mail import send_mail
from django.utils.module_loading import import_string


class EmailChannel:
    name = "email"

    def send(self, user, subject: str, body: str) -> bool:
        address = user.email or ""
        if not address or address.endswith(".invalid"):  # RFC 2606: the demo's never go out
            return False
        return bool(send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [address], fail_silently=True))


class MemoryChannel:
    """For tests: keeps what it was given in `outbox` (like Django's locmem mail backend)."""

    name = "memory"
    outbox: list[tuple[str, str, str]] = []

    def send(self, user, subject: str, body: str) -> bool:
        MemoryChannel.outbox.append((user.username, subject, body))
        return True


def configured() -> list:
    return [import_string(path)() for path in settings.URGING_CHANNELS]
