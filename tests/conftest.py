"""What every test shares: the same people, a timeline they belong to, and the seed corpus."""

import datetime
import http.server
import threading
import time
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model

from factline.models import Membership, Passage, Source, Timeline
from factline.models.timelines import Role
from factline.services import source_import, timeline_create
from tests.checkers import axe, vnu  # noqa: F401  (fixtures: the Nu HTML checker and axe-core, for any test)

PASSWORD = "correct horse battery staple"
START = datetime.datetime(2024, 3, 1, 9, 0, tzinfo=datetime.UTC)


def on_postgres() -> bool:
    from django.db import connection

    return connection.vendor == "postgresql"


@pytest.fixture
def make_user(db):
    def make(username: str, **extra):
        return get_user_model().objects.create_user(
            username=username, email=f"{username}@newsroom.example", password=PASSWORD, **extra
        )

    return make


@pytest.fixture
def owner(make_user):
    return make_user("olivia")


@pytest.fixture
def editor(make_user):
    return make_user("edgar")


@pytest.fixture
def viewer(make_user):
    return make_user("vera")


@pytest.fixture
def outsider(make_user):
    return make_user("oscar")


@pytest.fixture
def login(client):
    """`login(user)`: the test client, logged in as `user`."""

    def log_in(user):
        client.login(username=user.username, password=PASSWORD)
        return client

    return log_in


@pytest.fixture
def timeline(owner, editor, viewer) -> Timeline:
    timeline = timeline_create(actor=owner, title="Sahel watch", description="Test timeline.")
    Membership.objects.create(timeline=timeline, user=editor, role=Role.EDITOR)
    Membership.objects.create(timeline=timeline, user=viewer, role=Role.VIEWER)
    return timeline


ARTICLE = (
    "Mali votes\n\n"
    "The Security Council voted unanimously on Friday to end the mission.\n\n"
    "The mission, comprising 13,000 peacekeepers, was deployed in 2013.\n\n"
    "Related: Another story\n"
)


@pytest.fixture
def source(db) -> Source:
    return source_import(data=ARTICLE.encode(), origin="test-article.txt", publisher="Test Wire")


@pytest.fixture
def passage(source) -> Passage:
    return source.passages.get(number=2)


@pytest.fixture
def seeded(db):
    from factline.seeds import load_seeds

    load_seeds()
    return Timeline.objects.get(slug="mali")


class Clock:
    """A clock for history: each reading moves on a millisecond, and `tick` moves on a minute (a new request)."""

    def __init__(self) -> None:
        self.now = START

    def __call__(self) -> datetime.datetime:
        self.now += datetime.timedelta(milliseconds=1)
        return self.now

    def tick(self) -> None:
        self.now += datetime.timedelta(minutes=1)


@pytest.fixture
def clock(monkeypatch):
    """`timezone.now` reads this Clock, from 1 March 2024 09:00 UTC on."""
    clock = Clock()
    monkeypatch.setattr("django.utils.timezone.now", clock)
    return clock


@pytest.fixture
def passages(source):
    return list(source.passages.filter(boilerplate=False).order_by("number"))


# -- a local web server for importing sources by address (factline.ingest.fetch) --

PAGES = Path(__file__).resolve().parent / "data" / "pages"


class PageHandler(http.server.BaseHTTPRequestHandler):
    """Serves tests/data/pages/ and a few answers a fetcher must handle: redirects, errors, silence, size."""

    routes: dict[str, tuple[int, dict[str, str], bytes]] = {}

    def do_GET(self) -> None:
        path = self.path.split("?")[0]
        if path == "/silent":
            time.sleep(5)  # longer than the tests' fetch timeout; the handler thread ends on its own
            return
        if path == "/huge":
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.end_headers()
            chunk = b"<p>" + b"x" * 65530 + b"</p>"
            try:
                for _ in range(100):  # 6.5 MB, without a Content-Length: the cap must hold while streaming
                    self.wfile.write(chunk)
            except OSError:
                pass
            return
        if path in self.routes:
            status, headers, body = self.routes[path]
        elif (PAGES / path.lstrip("/")).is_file() and ".." not in path:
            file = PAGES / path.lstrip("/")
            kind = {".html": "text/html; charset=utf-8", ".pdf": "application/pdf", ".txt": "text/plain"}
            status, headers, body = (
                200,
                {"Content-Type": kind.get(file.suffix, "application/octet-stream")},
                file.read_bytes(),
            )
        else:
            status, headers, body = 404, {"Content-Type": "text/html"}, b"<h1>Not found</h1>"
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args) -> None:
        pass


@pytest.fixture(scope="session")
def page_server():
    """A local web server (an ephemeral port on 127.0.0.1): `page_server.url("/path")`."""
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), PageHandler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    port = server.server_address[1]
    PageHandler.routes = {
        "/moved": (302, {"Location": "/article-plain.html"}, b""),
        "/moved-twice": (301, {"Location": f"http://127.0.0.1:{port}/moved"}, b""),
        "/to-private": (302, {"Location": "http://10.0.0.1/admin"}, b""),
        "/to-loopback-name": (302, {"Location": f"http://[::1]:{port}/article-plain.html"}, b""),
        "/loop": (302, {"Location": "/loop"}, b""),
        "/image.png": (200, {"Content-Type": "image/png"}, b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"),
        "/empty.html": (200, {"Content-Type": "text/html"}, b"<html><body><nav><a href=/>Home</a></nav></body></html>"),
    }
    server.url = lambda path="/": f"http://127.0.0.1:{port}{path}"
    yield server
    server.shutdown()
    server.server_close()


@pytest.fixture
def fetch_settings(settings):
    """Let the fetcher reach the local page server (127.0.0.1 only), with a short timeout."""
    settings.FACTLINE_FETCH_ALLOWED_HOSTS = ["127.0.0.1"]
    settings.FACTLINE_FETCH_TIMEOUT = 1.5
    return settings


def stored() -> tuple[int, ...]:
    """How many sources, passages and originals there are, with their history rows: to show nothing was saved."""
    from factline.models import SourceOriginal, StagedSource

    return (
        Source.objects.count(),
        Passage.objects.count(),
        Source.history.count(),
        Passage.history.count(),
        SourceOriginal.objects.count(),
        StagedSource.objects.count(),
    )


@pytest.fixture(autouse=True)
def empty_cache():
    """Each test starts with an empty cache: rows (and so stamps) of one test's database are not the next one's."""
    from django.core.cache import cache

    cache.clear()
