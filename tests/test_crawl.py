"""Every page reachable from the home page, as the demo's admin, district editor and viewer, at
a desktop (1366 px) and a phone (390 px) width: no page wider than the window, no console
error, no failed request. The list of pages crawled is printed (pytest -s, or the report on
failure), one line per page with what was found on it.

The crawl follows links (GET, same site), visiting each route once per user (the first URL
seen for it): a route's pages share a template, and a demo province has thousands of units.
"""

import os
from collections import deque
from pathlib import Path
from urllib.parse import urldefrag, urlsplit

import pytest
from django.contrib.auth import get_user_model
from django.contrib.staticfiles.testing import StaticLiveServerTestCase
from django.test import Client
from django.urls import Resolver404, resolve

from hienthuc.demo.data import load_demo
from hienthuc.documents.kinds import seed_document_kinds
from hienthuc.documents.models import DocumentKind
from hienthuc.orgs.kinds import seed_kinds
from hienthuc.orgs.models import OrgKind, OrgLevel
from tests.test_browser import CHROMIUM, CHROMIUM_ARGS

WIDTHS = (1366, 390)
USERS = ("tinhuy", "huyen", "xem")
# Not pages: downloads (by their ending, or links marked `download`), the API, actions reached by
# GET that only redirect, and leaving.
SKIP_ROUTES = {"logout", "set_language", "favicon"}
SKIP_PREFIXES = ("/api/", "/static/", "/media/", "/i18n/")
DOWNLOAD_ENDINGS = (".xlsx", ".docx", ".pdf", ".csv", ".json")


def route_of(path: str) -> str | None:
    try:
        match = resolve(path)
    except Resolver404:
        return None
    return match.url_name or match.route


@pytest.mark.browser
class CrawlTestCase(StaticLiveServerTestCase):
    host = "127.0.0.1"

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        if not Path(CHROMIUM).exists():
            raise RuntimeError(f"Chromium not found at {CHROMIUM}; install Debian's chromium package")
        from playwright.sync_api import sync_playwright

        cls.playwright = sync_playwright().start()
        cls.browser = cls.playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)

    @classmethod
    def tearDownClass(cls):
        cls.browser.close()
        cls.playwright.stop()
        super().tearDownClass()

    def setUp(self):
        seed_kinds(OrgLevel, OrgKind)
        seed_document_kinds(DocumentKind)
        load_demo()

    def session_cookie(self, username: str) -> dict:
        # The demo's accounts work only with DEBUG on (accounts/backends.py): these three become
        # ordinary accounts, logged in as the login page would.
        get_user_model().objects.filter(username=username).update(email=f"{username}@example.org")
        client = Client()
        client.force_login(get_user_model().objects.get(username=username))
        host = urlsplit(self.live_server_url)
        return {"name": "sessionid", "value": client.cookies["sessionid"].value, "domain": host.hostname, "path": "/"}

    def crawl(self, username: str, width: int, paths: list[str] | None) -> tuple[list[str], list[str]]:
        """Visit `paths` (or discover them from the home page); return the pages seen and the
        problems found."""
        context = self.browser.new_context(locale="vi-VN", viewport={"width": width, "height": 900})
        context.add_cookies([self.session_cookie(username)])
        page = context.new_page()
        page.set_default_timeout(20_000)
        problems: list[str] = []
        current = {"path": ""}

        def note(kind: str, text: str) -> None:
            problems.append(f"{username} @{width}px {current['path']}: {kind}: {text}")

        page.on("console", lambda m: note("console", m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: note("script error", str(e)))
        page.on("requestfailed", lambda r: note("request failed", f"{r.url} {r.failure}"))
        page.on("response", lambda r: note("HTTP", f"{r.status} {r.url}") if r.status >= 400 else None)

        seen_routes: set[str] = {"home"}
        visited: list[str] = []
        queue = deque(paths or ["/"])
        discover = paths is None
        while queue:
            path = queue.popleft()
            current["path"] = path
            response = page.goto(self.live_server_url + path, wait_until="networkidle")
            visited.append(path)
            if response is None or response.status >= 400:
                continue
            sizes = page.evaluate("() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]")
            if sizes[0] > sizes[1] + 1:
                wide = page.evaluate(
                    """() => [...document.querySelectorAll('main *')]
                        .filter(e => e.getBoundingClientRect().right > document.documentElement.clientWidth + 1)
                        .filter(e => !e.closest('.table-responsive, .scroll-x'))
                        .slice(0, 3).map(e => e.tagName + '.' + e.className)"""
                )
                note("wider than the window", f"{sizes[0]} px > {sizes[1]} px {wide}")
            bars = page.evaluate(
                """() => { const chart = window.Chart && window.Chart.getChart('dashboard-chart');
                    return chart ? [chart.scales.y.ticks.length, chart.data.labels.length] : null; }"""
            )
            if bars and bars[0] != bars[1]:
                note("chart", f"{bars[0]} labels for {bars[1]} bars")
            if not discover:
                continue
            for href in page.eval_on_selector_all(
                "a[href]:not([download])", "links => links.map(a => a.getAttribute('href'))"
            ):
                target = urldefrag(href)[0]
                if not target.startswith("/") or target.startswith(SKIP_PREFIXES):
                    continue
                if urlsplit(target).path.endswith(DOWNLOAD_ENDINGS):
                    continue
                route = route_of(urlsplit(target).path)
                if route is None or route in SKIP_ROUTES or route in seen_routes:
                    continue
                seen_routes.add(route)
                queue.append(target)
        context.close()
        return visited, problems

    def test_every_page_fits_the_window_without_errors(self):
        report, problems = [], []
        for username in USERS:
            pages, found = self.crawl(username, WIDTHS[0], None)
            problems += found
            for width in WIDTHS[1:]:
                problems += self.crawl(username, width, pages)[1]
            report.append(f"{username}: {len(pages)} pages: " + " ".join(pages))
        print("\nCrawled:\n" + "\n".join(report))
        if os.environ.get("CRAWL_REPORT"):
            Path(os.environ["CRAWL_REPORT"]).write_text("\n".join(report + problems) + "\n")
        self.assertEqual(problems, [], "\n".join(report))
