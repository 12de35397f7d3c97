"""Settings of the server that `bench.http_load` starts: the application's own, plus the bench's
bare endpoints (bench/urls.py), which production never serves."""

from hienthuc.settings import *  # noqa: F403

ROOT_URLCONF = "bench.urls"
