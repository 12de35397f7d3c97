from django.http import HttpResponseBadRequest
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _


class RejectNulMiddleware:
    """Refuse NUL characters in the URL or query string: no text of ours contains one, and
    PostgreSQL cannot store or compare them, so they would otherwise end as a server error."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if "\x00" in request.path or "%00" in request.META.get("QUERY_STRING", ""):
            return HttpResponseBadRequest(
                _("Yêu cầu chứa ký tự không hợp lệ (NUL).").encode(), content_type="text/plain; charset=utf-8"
            )
        return self.get_response(request)


class LanguageMiddleware:
    """Vietnamese unless the user chose another language (the set_language cookie).

    Django's LocaleMiddleware would follow the browser's Accept-Language, and many office
    computers here run an English system: the default must not depend on that."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from django.conf import settings
        from django.utils import translation

        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        language = chosen if chosen in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        return response


class PrivateCacheMiddleware:
    """Nothing the application answers may be kept by a shared cache or on disk: pages,
    exports and attachments are somebody's subtree, a secret document only theirs. Static
    files are served before this runs (WhiteNoise) and keep their long cache headers."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if "Cache-Control" not in response:
            patch_cache_control(response, private=True, no_store=True)
        return response
