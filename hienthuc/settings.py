"""Settings for Hiện Thực: one module, driven by environment variables (see README)."""

from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF, UNSAFE_INLINE

from hienthuc.lib.env import ConfigurationError, env_bool, env_int, env_list, env_str, origin_of

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env_str("VAR_DIR", str(BASE_DIR / "var")))

DEBUG = env_bool("DEBUG", False)
# Demo mode (set by `make run` only): allows loading the demo data with its published logins.
DEMO = env_bool("DEMO", False)
SECRET_KEY = env_str("SECRET_KEY", "")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost"] if DEBUG else [])
if not DEBUG:
    # Production must be configured on purpose: no shared default key, no open host list.
    if not SECRET_KEY:
        raise ConfigurationError(
            "SECRET_KEY is required when DEBUG is off: set SECRET_KEY to a long random string "
            "(python -c 'import secrets; print(secrets.token_urlsafe(50))'), or DEBUG=1 for development"
        )
    if not ALLOWED_HOSTS:
        raise ConfigurationError(
            "ALLOWED_HOSTS is required when DEBUG is off: set it to the site's host names, comma-separated "
            "(e.g. ALLOWED_HOSTS=hienthuc.tinhuy.vn)"
        )
    if DEMO:
        # The demo's logins and password are published in the README: never on a real server.
        raise ConfigurationError("DEMO=1 (the demo data and its published logins) needs DEBUG=1")
if not SECRET_KEY:
    SECRET_KEY = "insecure-development-key-do-not-use-in-production"
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "ninja",
    "template_partials",
    "django_htmx",
    "treebeard",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "csp",
    "django_tasks",
    "django_tasks_db",
    "hienthuc.audit",
    "hienthuc.accounts",
    "hienthuc.orgs",
    "hienthuc.people",
    "hienthuc.committees",
    "hienthuc.documents",
    "hienthuc.plans",
    "hienthuc.indicators",
    "hienthuc.incoming",
    "hienthuc.meetings",
    "hienthuc.inspections",
    "hienthuc.evaluations",
    "hienthuc.reviews",
    "hienthuc.urging",
    "hienthuc.elections",
    "hienthuc.imports",
    "hienthuc.dashboard",
    "hienthuc.reorgs",
    "hienthuc.api",
    "hienthuc.demo",
    "hienthuc.backups",
    # Synthetic data generators and benchmarks (make bench): not product code.
    "bench",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "hienthuc.middleware.RejectNulMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "hienthuc.middleware.LanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "hienthuc.middleware.PrivateCacheMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "hienthuc.accounts.middleware.LoginRequiredMiddleware",
    "hienthuc.accounts.middleware.SecondFactorMiddleware",
    "hienthuc.api.guard.ApiGuardMiddleware",
    "hienthuc.api.idempotency.IdempotencyMiddleware",
    # Axes must come last: it turns repeated failed logins into a lockout response.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "hienthuc.urls"
WSGI_APPLICATION = "hienthuc.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "hienthuc" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "hienthuc.context_processors.permissions",
            ],
            "builtins": ["hienthuc.pages"],
        },
    }
]

# Databases: embedded SQLite by default, PostgreSQL through DATABASE_URL.
DATABASE_URL = env_str("DATABASE_URL", "")
if DATABASE_URL:
    # Connections are kept for a minute and checked before each request reuses one, so a
    # database restart costs no request after it (tests/test_deploy.py).
    DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60, conn_health_checks=True)}
    if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
        # Django leaves psycopg's prepared statements off (a threshold of None); a threshold no
        # statement reaches lets the few hot paths that ask prepare theirs (hienthuc/lib/db.py),
        # while Django's own statements, bound on the client, are never prepared.
        DATABASES["default"].setdefault("OPTIONS", {})["prepare_threshold"] = 2**31 - 1
else:
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": VAR_DIR / "hienthuc.sqlite3",
            "OPTIONS": {
                # WAL lets readers work while the worker writes; IMMEDIATE avoids
                # "database is locked" upgrades inside write transactions; a writer waits up to
                # 20 s for another's commit (an import's write phase) instead of failing.
                "init_command": ("PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=20000;"),
                "timeout": 20,
                "transaction_mode": "IMMEDIATE",
            },
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
# The cache holds the API's rate counters: in the database by default, so that several app
# servers count together (`manage.py createcachetable` creates the table; make run does).
CACHES = {
    "default": {
        "BACKEND": env_str("CACHE_BACKEND", "django.core.cache.backends.db.DatabaseCache"),
        "LOCATION": env_str("CACHE_LOCATION", "hienthuc_cache"),
    }
}

# /health/ fails when a queued task has waited this long (the worker is down or far behind).
HEALTH_WORKER_STALE_SECONDS = env_int("HEALTH_WORKER_STALE_SECONDS", 120)
TASKS = {
    "default": {
        "BACKEND": env_str("TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
        "QUEUES": ["default"],
    }
}

# Accounts and security
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "hienthuc.accounts.passwords.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "hienthuc.accounts.backends.DemoGuardBackend",
    "hienthuc.accounts.oidc.ProviderBackend",
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# One login for all systems (accounts/oidc.py, docs/deploy.md): OpenID Connect, on when a client
# id is set. The endpoints are the provider's (its /.well-known/openid-configuration lists them).
OIDC_RP_CLIENT_ID = env_str("OIDC_CLIENT_ID", "")
OIDC_RP_CLIENT_SECRET = env_str("OIDC_CLIENT_SECRET", "")
OIDC_OP_AUTHORIZATION_ENDPOINT = env_str("OIDC_AUTHORIZATION_ENDPOINT", "")
OIDC_OP_TOKEN_ENDPOINT = env_str("OIDC_TOKEN_ENDPOINT", "")
OIDC_OP_USER_ENDPOINT = env_str("OIDC_USERINFO_ENDPOINT", "")
OIDC_OP_JWKS_ENDPOINT = env_str("OIDC_JWKS_ENDPOINT", "")
OIDC_OP_LOGOUT_ENDPOINT = env_str("OIDC_END_SESSION_ENDPOINT", "")
OIDC_RP_SIGN_ALGO = env_str("OIDC_SIGN_ALGO", "RS256")
OIDC_RP_SCOPES = env_str("OIDC_SCOPES", "openid email profile")
OIDC_PROVIDER_NAME = env_str("OIDC_PROVIDER_NAME", "cổng định danh")
OIDC_USERNAME_CLAIM = env_str("OIDC_USERNAME_CLAIM", "preferred_username")
OIDC_ROLES_CLAIM = env_str("OIDC_ROLES_CLAIM", "hienthuc_roles")
OIDC_CREATE_USERS = env_bool("OIDC_CREATE_USERS", True)
OIDC_CREATE_USER = OIDC_CREATE_USERS
OIDC_USE_PKCE = True
OIDC_STORE_ID_TOKEN = True
LOGIN_REDIRECT_URL_FAILURE = "/accounts/login/?sso=refused"
OIDC_TIMEOUT = env_int("OIDC_TIMEOUT_SECONDS", 10)
# A second factor (an authenticator app's six-digit code, django-otp) for everyone who
# administers a unit: asked once per login, set up at the first one.
ADMIN_SECOND_FACTOR = env_bool("ADMIN_SECOND_FACTOR", False)
OTP_TOTP_ISSUER = "Hiện Thực"
# Local passwords can be switched off once everyone logs in through the provider.
PASSWORD_LOGIN = env_bool("PASSWORD_LOGIN", True)
if not PASSWORD_LOGIN and not OIDC_RP_CLIENT_ID:
    raise ConfigurationError("PASSWORD_LOGIN=0 needs OpenID Connect configured (OIDC_CLIENT_ID and its endpoints)")
if OIDC_RP_CLIENT_ID:
    missing = [
        name
        for name, value in (
            ("OIDC_CLIENT_SECRET", OIDC_RP_CLIENT_SECRET),
            ("OIDC_AUTHORIZATION_ENDPOINT", OIDC_OP_AUTHORIZATION_ENDPOINT),
            ("OIDC_TOKEN_ENDPOINT", OIDC_OP_TOKEN_ENDPOINT),
            ("OIDC_USERINFO_ENDPOINT", OIDC_OP_USER_ENDPOINT),
            ("OIDC_JWKS_ENDPOINT", OIDC_OP_JWKS_ENDPOINT if OIDC_RP_SIGN_ALGO.startswith("RS") else "-"),
        )
        if not value
    ]
    if missing:
        raise ConfigurationError("OIDC_CLIENT_ID is set but not: " + ", ".join(missing))

API_TOKEN_DAYS = env_int("API_TOKEN_DAYS", 90)
API_RATE_PER_MINUTE = env_int("API_RATE_PER_MINUTE", 600)
API_AUTH_FAILURE_LIMIT = env_int("API_AUTH_FAILURE_LIMIT", 20)
API_AUTH_FAILURE_WINDOW_SECONDS = env_int("API_AUTH_FAILURE_WINDOW_SECONDS", 600)
API_TOKENS_PER_USER = env_int("API_TOKENS_PER_USER", 10)

AXES_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("LOGIN_COOLOFF_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_CALLABLE = "hienthuc.api.guard.lockout"
AXES_RESET_ON_SUCCESS = True

SECURE_COOKIES = env_bool("SECURE_COOKIES", not DEBUG)
SESSION_COOKIE_SECURE = SECURE_COOKIES
CSRF_COOKIE_SECURE = SECURE_COOKIES
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = int(timedelta(hours=8).total_seconds())
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SECURE_CONTENT_TYPE_NOSNIFF = True
# HTTPS in production (docs/deploy.md): redirect plain HTTP and send HSTS unless DEBUG is on.
# Behind a reverse proxy that ends TLS, set TRUST_X_FORWARDED_PROTO=1 so Django knows a
# request came over HTTPS (the proxy must set X-Forwarded-Proto and strip it from clients).
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0 if DEBUG else 31_536_000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", False)
if env_bool("TRUST_X_FORWARDED_PROTO", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Content-Security-Policy: scripts only from our own static files — no inline script, no on…=
# handler, no eval (templates put data in json_script blocks and behaviour in static/js/).
# Styles allow inline attributes (progress bars and chart heights are set in the markup);
# style attributes cannot run code.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF, UNSAFE_INLINE],
        "img-src": [SELF, "data:"],
        "font-src": [SELF, "data:"],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        # Logging out posts here, then goes on to the login provider's end-session endpoint.
        "form-action": [SELF, *origin_of(OIDC_OP_LOGOUT_ENDPOINT)],
        "frame-ancestors": [NONE],
    }
}

# Language, time and formats
LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", "Tiếng Việt"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "hienthuc" / "locale"]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True
FORMAT_MODULE_PATH = ["hienthuc.formats"]
USE_THOUSAND_SEPARATOR = True

# Static files: our own plus the pinned npm packages, served by WhiteNoise (no CDN).
STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [
    BASE_DIR / "hienthuc" / "static",
    ("vendor/htmx", BASE_DIR / "node_modules" / "htmx.org" / "dist"),
    ("vendor/bootstrap", BASE_DIR / "node_modules" / "bootstrap" / "dist"),
    ("vendor/chartjs", BASE_DIR / "node_modules" / "chart.js" / "dist"),
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedStaticFilesStorage"
    },
}
MEDIA_ROOT = Path(env_str("MEDIA_DIR", str(VAR_DIR / "media")))

# Uploads: imports are read in memory, so keep them bounded.
UPLOAD_MAX_BYTES = env_int("UPLOAD_MAX_MB", 5) * 1024 * 1024
# A background import that has not reported for this long is failed (its worker died).
IMPORT_STALE_MINUTES = env_int("IMPORT_STALE_MINUTES", 30)
# A reorganization's background run writes no heartbeat (it is one transaction); on SQLite it is
# taken for dead after this long (PostgreSQL sees its row lock). The national apply takes minutes.
REORG_STALE_MINUTES = env_int("REORG_STALE_MINUTES", 60)
# The API's value import takes up to API_VALUE_IMPORT_MAX_ROWS rows in one call; its body is
# bounded by the row count (each field has a maximum length), never by a smaller byte limit.
API_VALUE_IMPORT_MAX_ROWS = 200_000
# A value file holds at most this many rows (a province's year of ~100 indicators is far less;
# the bench imports a million); above indicators.importing.BACKGROUND_ROWS the worker imports it.
VALUE_IMPORT_MAX_ROWS = env_int("VALUE_IMPORT_MAX_ROWS", 1_000_000)
VALUE_IMPORT_MAX_BYTES = max(UPLOAD_MAX_BYTES, API_VALUE_IMPORT_MAX_ROWS * 256)
DATA_UPLOAD_MAX_MEMORY_SIZE = (
    max(UPLOAD_MAX_BYTES, VALUE_IMPORT_MAX_BYTES, env_int("ATTACHMENT_MAX_MB", 20) * 1024 * 1024) + 1024 * 1024
)
FILE_UPLOAD_MAX_MEMORY_SIZE = UPLOAD_MAX_BYTES + 1024 * 1024

EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "hienthuc@localhost")
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
# "Quên mật khẩu" sends a reset link by mail: offered only where mail really leaves the server
# (the default backend prints it to the console).
# Where notices go besides the app (hienthuc/urging/channels.py): dotted paths of channel classes,
# e.g. an SMS gateway's. E-mail by default.
URGING_CHANNELS = env_list("URGING_CHANNELS", ["hienthuc.urging.channels.EmailChannel"])
PASSWORD_RESET_BY_MAIL = EMAIL_BACKEND != "django.core.mail.backends.console.EmailBackend"

NINJA_PAGINATION_PER_PAGE = 50

LOG_FORMAT = env_str("LOG_FORMAT", "text")
if LOG_FORMAT not in ("text", "json"):
    raise ConfigurationError("LOG_FORMAT must be text or json")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"short_forbidden": {"()": "hienthuc.lib.logfilters.ShortForbidden"}},
    "formatters": {
        "json": {"()": "hienthuc.lib.logfilters.JsonFormatter"},
        "text": {"format": "%(levelname)s %(name)s %(message)s"},
    },
    # LOG_FORMAT=json: one JSON object per line (scripts/serve.sh sets it); text otherwise.
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": LOG_FORMAT}},
    "loggers": {"django.request": {"filters": ["short_forbidden"]}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "WARNING")},
}
ATTACHMENT_MAX_BYTES = env_int("ATTACHMENT_MAX_MB", 20) * 1024 * 1024
