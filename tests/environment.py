"""Loaded as a pytest plugin (-p tests.environment) so it runs before Django's settings are read."""

import os
import tempfile

# Tests run with DEBUG off like production; give them the settings production must have.
os.environ.setdefault("SECRET_KEY", "tests-only-secret-key")
os.environ.setdefault("ALLOWED_HOSTS", "testserver,127.0.0.1,localhost")
os.environ.setdefault("SECURE_COOKIES", "0")
# The test client speaks plain HTTP; tests of the HTTPS settings override them.
os.environ.setdefault("SECURE_SSL_REDIRECT", "0")
# The fuzzer and the crawls send thousands of API requests; tests of the limits set their own.
os.environ.setdefault("API_RATE_PER_MINUTE", "1000000")
os.environ.setdefault("API_AUTH_FAILURE_LIMIT", "1000000")
os.environ.setdefault("TASKS_BACKEND", "django_tasks.backends.immediate.ImmediateBackend")
# Whatever the developer's shell says, tests run outside demo mode, with production's DEBUG
# and the default upload limit (tests that need otherwise override the settings themselves).
os.environ["DEMO"] = "0"
os.environ["DEBUG"] = "0"
os.environ.pop("UPLOAD_MAX_MB", None)
# Attachments written by tests go to a throwaway folder, not the work tree's var/.
os.environ.setdefault("MEDIA_DIR", tempfile.mkdtemp(prefix="hienthuc-test-media-"))
# Playwright's sync API runs an event loop in the test thread; Django's ORM is still sync.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
