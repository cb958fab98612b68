"""What every test shares: the same people, a timeline they belong to, and the seed corpus."""

import datetime

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
