"""Twenty people (or one person's twenty clicks) at the same moment, against a threaded server.

These run in both passes of `make test`: on PostgreSQL's row locks and unique indexes, and on the
file SQLite of the test settings with WAL and IMMEDIATE transactions (what `make run` serves).
"""

from __future__ import annotations

import datetime
import http.client
import secrets
import threading
from collections.abc import Callable
from urllib.parse import urlencode, urlsplit

import pytest
from django.db import connections
from django.test import Client
from django.urls import reverse

from factline.models import Citation, Entry, FormToken, Membership, Timeline
from factline.services import entry_create

SAVERS = 20


def race(count: int, send: Callable[[int], int]) -> dict[int, int]:
    """Run `send(i)` in `count` threads released at the same moment; each answers a status code."""
    barrier = threading.Barrier(count)
    results: dict[int, int] = {}
    failures: list[BaseException] = []

    def run(i: int) -> None:
        try:
            barrier.wait()
            results[i] = send(i)
        except BaseException as error:  # reported below: a thread must not die unseen
            failures.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not failures, failures
    return results


class Browser:
    """One signed-in person's cookies, posting forms to the live server over HTTP as a browser would."""

    def __init__(self, live_server, user) -> None:
        client = Client()
        client.force_login(user)
        self.address = urlsplit(live_server.url)
        self.csrf = secrets.token_hex(16)  # a CSRF cookie of our own making, sent back in the header
        self.cookie = f"sessionid={client.cookies['sessionid'].value}; csrftoken={self.csrf}"

    def post(self, path: str, data: dict[str, object], **headers: str) -> int:
        connection = http.client.HTTPConnection(self.address.hostname, self.address.port, timeout=60)
        try:
            connection.request(
                "POST",
                path,
                urlencode(data),
                {
                    "Content-Type": "application/x-www-form-urlencoded",
                    "Cookie": self.cookie,
                    "X-CSRFToken": self.csrf,
                    **headers,
                },
            )
            response = connection.getresponse()
            response.read()
            return response.status
        finally:
            connection.close()


@pytest.fixture
def entry(timeline, editor) -> Entry:
    return entry_create(actor=editor, timeline=timeline, start=datetime.date(2023, 6, 30), headline="The vote")


@pytest.mark.django_db(transaction=True)
def test_twenty_simultaneous_saves_each_land_once_or_are_refused_as_conflicts(live_server, timeline, editor, entry):
    browser = Browser(live_server, editor)
    url = reverse("entry-edit", args=[timeline.slug, entry.pk])

    def save(i: int) -> int:
        # Half post from the version they opened (1), half from whatever is saved right now.
        version = 1 if i % 2 else Entry.objects.get(pk=entry.pk).version
        data = {"date": "30 June 2023", "headline": f"Headline {i}", "status": "draft", "version": version}
        return browser.post(url, {**data, "summary": f"save {i}"})

    results = race(SAVERS, save)

    assert len(results) == SAVERS
    assert set(results.values()) <= {302, 409}, results
    landed = sorted(i for i, status in results.items() if status == 302)
    assert landed, "at least one save must land"
    # Everyone who opened version 1 raced for one slot: at most one of them may win it.
    assert len([i for i in landed if i % 2]) <= 1
    entry.refresh_from_db()
    records = list(entry.history.order_by("history_id"))
    assert entry.version == 1 + len(landed)
    assert len(records) == 1 + len(landed)
    assert [r.version for r in records] == list(range(1, len(landed) + 2))
    assert sorted(int(r.headline.split()[1]) for r in records[1:]) == landed
    assert records[-1].headline == entry.headline


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("same_form", [True, False], ids=["one-form-clicked-twenty-times", "twenty-tabs"])
def test_twenty_simultaneous_identical_cites_make_one_citation(
    live_server, timeline, editor, entry, passage, same_form
):
    browser = Browser(live_server, editor)
    url = reverse("entry-cite", args=[timeline.slug, entry.pk])
    once = secrets.token_urlsafe(16)
    data = {"passage": passage.pk, "stance": "supports", "quote": "voted unanimously", "origin": "finder"}

    results = race(SAVERS, lambda i: browser.post(url, {**data, "once": once if same_form else f"tab-{i}"}))

    assert Citation.objects.count() == 1
    assert Citation.history.count() == 1
    if same_form:
        # Every repeat answers as the first did: the entry, with its one citation.
        assert set(results.values()) == {302}, results
    else:
        # The others are told the entry already cites these words.
        assert sorted(results.values()) == [302] + [422] * (SAVERS - 1), results


@pytest.mark.django_db(transaction=True)
def test_twenty_simultaneous_identical_cites_without_a_form_token_make_one_citation(
    live_server, timeline, editor, entry, passage
):
    browser = Browser(live_server, editor)
    url = reverse("entry-cite", args=[timeline.slug, entry.pk])
    data = {"passage": passage.pk, "stance": "supports", "quote": "voted unanimously", "origin": "finder"}

    results = race(SAVERS, lambda i: browser.post(url, data, **{"HX-Request": "true"}))

    assert Citation.objects.count() == 1
    assert sorted(results.values()) == [200] + [422] * (SAVERS - 1), results


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("htmx", [False, True], ids=["plain-form", "htmx"])
def test_twenty_simultaneous_entry_adds_with_one_form_token_make_one_entry(live_server, timeline, editor, htmx):
    browser = Browser(live_server, editor)
    url = reverse("entry-create", args=[timeline.slug])
    data = {"date": "1 July 2013", "headline": "MINUSMA begins", "once": secrets.token_urlsafe(16)}
    headers = {"HX-Request": "true", "HX-Current-URL": f"{live_server.url}{timeline.get_absolute_url()}"}

    results = race(SAVERS, lambda i: browser.post(url, data, **(headers if htmx else {})))

    entry = Entry.objects.get()
    assert entry.headline == "MINUSMA begins" and entry.history.count() == 1
    assert FormToken.objects.get().object_id == entry.pk
    # The first answer places the entry; every repeat goes to that same entry.
    assert set(results.values()) == ({200} if htmx else {302}), results


@pytest.mark.django_db(transaction=True)
def test_twenty_simultaneous_timeline_creations_with_one_title_get_twenty_addresses(live_server, editor):
    browser = Browser(live_server, editor)

    results = race(SAVERS, lambda i: browser.post(reverse("dashboard"), {"title": "Sahel watch", "once": f"tab-{i}"}))

    assert set(results.values()) == {302}, results
    slugs = set(Timeline.objects.values_list("slug", flat=True))
    assert len(slugs) == SAVERS
    assert slugs == {"sahel-watch"} | {f"sahel-watch-{n}" for n in range(2, SAVERS + 1)}
    assert Membership.objects.filter(user=editor, role="owner").count() == SAVERS


@pytest.mark.django_db(transaction=True)
def test_twenty_clicks_on_one_new_timeline_form_make_one_timeline(live_server, editor):
    browser = Browser(live_server, editor)
    data = {"title": "Sahel watch", "once": secrets.token_urlsafe(16)}

    results = race(SAVERS, lambda i: browser.post(reverse("dashboard"), data))

    assert set(results.values()) == {302}, results
    assert Timeline.objects.count() == 1


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("same_form", [True, False], ids=["one-form-clicked-twenty-times", "twenty-tabs"])
def test_twenty_simultaneous_identical_member_adds_make_one_membership(
    live_server, timeline, owner, make_user, same_form
):
    make_user("newcomer")
    browser = Browser(live_server, owner)
    url = reverse("member-list", args=[timeline.slug])
    once = secrets.token_urlsafe(16)

    def add(i: int) -> int:
        return browser.post(url, {"username": "newcomer", "role": "editor", "once": once if same_form else f"tab-{i}"})

    results = race(SAVERS, add)

    assert Membership.objects.filter(timeline=timeline, user__username="newcomer").count() == 1
    assert Membership.history.filter(user__username="newcomer").count() == 1
    if same_form:
        assert set(results.values()) == {302}, results
    else:
        # The others are told the person is already a member.
        assert sorted(results.values()) == [302] + [422] * (SAVERS - 1), results
