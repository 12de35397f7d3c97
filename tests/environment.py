"""Loaded as a pytest plugin (-p tests.environment) so it runs before Django's settings are read."""

import os
import tempfile

# Tests run with DEBUG off like production; give them the settings production must have.
os.environ.setdefault("SECRET_KEY", "tests-only-secret-key")
os.environ.setdefault("ALLOWED_HOSTS", "testserver,127.0.0.1,localhost")
os.environ.setdefault("SECURE_COOKIES", "0")
os.environ.setdefault("TASKS_BACKEND", "django_tasks.backends.immediate.ImmediateBackend")
# Attachments written by tests go to a throwaway folder, not the work tree's var/.
os.environ.setdefault("MEDIA_DIR", tempfile.mkdtemp(prefix="hienthuc-test-media-"))
# Playwright's sync API runs an event loop in the test thread; Django's ORM is still sync.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
