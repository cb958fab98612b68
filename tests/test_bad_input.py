"""Bad input on every route: never a server error, and nothing written that should not be.

Every route of the URLconf (tests/bad_input.py; Django's admin left out) is opened as the owner of a
small timeline; the forms its pages show and the query parameters their links send are then sent
NUL, lone surrogates, invalid UTF-8, bidi controls, overlong text, wrong types, impossible dates,
another timeline's ids, missing and malformed versions, no CSRF token, wrong methods and malformed
htmx headers. Each answer must be a 4xx or a page (a form's message), never a 5xx.

Each request runs in a savepoint rolled back afterwards, so each meets the same world; a fingerprint
of every table of the app (history included) and the users, taken before the rollback, shows whether
it wrote. Only an otherwise valid request may: text that is strange but allowed, or an empty POST to
a form that is nothing but its button. NUL, overlong text, impossible dates, bad versions, another
timeline's ids of the field's own kind, no CSRF token and wrong methods must write nothing.

Adding a route: nothing to do when its address takes only a slug or a format, or a pk whose kind
tests/test_permissions.py ROUTES names; a new kind of pk or key fails the first test until its route
is named in PKS or KEYS of tests/bad_input.py (and World has an id of that kind). Its forms and the
query parameters its links send are found on the pages; a parameter no page links to belongs in
COMMON_PARAMS.
"""

from __future__ import annotations

import datetime
import time
from dataclasses import dataclass, field

import pytest
from django.db import connection, transaction
from django.test import Client
from django.urls import reverse

from factline.ingest.pipeline import read_pasted
from factline.models.timelines import Status
from factline.services import (
    citation_create,
    comment_create,
    entry_create,
    entry_delete,
    entry_set_status,
    invitation_create,
    snapshot_create,
    source_stage,
    timeline_create,
    timeline_delete,
    timeline_set_listed,
    timeline_share,
)
from tests import bad_input
from tests.bad_input import World, changed, encoded, fingerprint, forms_on, routes, with_hx
from tests.test_permissions import victim  # noqa: F401  (the fixture: a timeline with every kind of id)

METHODS = ("put", "patch", "delete", "options")
# Thousands of requests: well inside this on an idle machine (see the report each test prints), not on a busy one.
pytestmark = pytest.mark.timeout(900)


@dataclass
class Prober:
    """Sends requests as the owner, each in a savepoint it rolls back, and keeps what went wrong."""

    client: Client
    user: object
    baseline: dict[str, str]
    failures: list[str] = field(default_factory=list)
    sent: int = 0
    wrote: list[str] = field(default_factory=list)  # the tables the last request wrote to

    def send(self, what: str, method: str, path: str, *, body: str = "", must_not_write: bool = True, **kwargs):
        self.sent += 1
        status, self.wrote = None, []
        try:
            with transaction.atomic():
                call = getattr(self.client, method)
                if method == "post" or (method in ("put", "patch", "delete") and body):
                    response = call(path, body, content_type="application/x-www-form-urlencoded", **kwargs)
                else:
                    response = call(path, **kwargs)
                status = response.status_code
                wrote = self.wrote = changed(self.baseline, fingerprint())
                transaction.set_rollback(True)
        except Exception as error:
            self.failures.append(f"{what}: {method.upper()} {path[:150]} raised {type(error).__name__}: {error!s:.200}")
            self._log_in_again()
            return None
        if status >= 500:
            self.failures.append(f"{what}: {method.upper()} {path[:150]} answered {status}")
        elif wrote and must_not_write:
            self.failures.append(f"{what}: {method.upper()} {path[:150]} answered {status} and wrote {wrote}")
        if "_auth_user_id" not in self.client.session:  # a logout: the next request is the owner's again
            self._log_in_again()
        return response

    def _log_in_again(self) -> None:
        self.client.force_login(self.user)

    def report(self) -> str:
        return f"{len(self.failures)} of {self.sent} requests failed:\n" + "\n".join(self.failures[:60])


@pytest.fixture
def worlds(victim, owner, outsider, source) -> tuple[World, World]:  # noqa: F811
    """The owner's timeline (shared, listed, a snapshot, a staged source) and a stranger's with ids of its own."""
    tokens: list[str] = []

    def invite(timeline, actor, email: str) -> int:
        def link(token: str) -> str:
            tokens.append(token)
            return f"http://testserver/invitations/{token}/"

        return invitation_create(timeline=timeline, actor=actor, email=email, role="editor", link=link).pk

    timeline = timeline_share(timeline=victim.timeline, actor=owner)
    timeline_set_listed(timeline=timeline, actor=owner, listed=True)
    staged = source_stage(actor=owner, prepared=read_pasted("Staged", "A staged article.\n\nIt says little."))
    binned = timeline_create(actor=owner, title="Binned")
    timeline_delete(timeline=binned, actor=owner, typed_name="Binned")

    theirs = timeline_create(actor=outsider, title="Oscar's desk")
    theirs = timeline_share(timeline=theirs, actor=outsider)
    theirs = timeline_set_listed(timeline=theirs, actor=outsider, listed=True)
    passage = source.passages.get(number=3)
    their_entry = entry_create(actor=outsider, timeline=theirs, start=datetime.date(2020, 1, 1), headline="Theirs")
    citation_create(actor=outsider, entry=their_entry, passage=passage, quote="deployed in 2013")
    their_entry = entry_set_status(entry=their_entry, actor=outsider, status=Status.PUBLISHED)
    gone = entry_create(actor=outsider, timeline=theirs, start=datetime.date(2021, 1, 1), headline="Their deleted")
    gone_pk = gone.pk  # deleting clears it
    entry_delete(entry=gone, actor=outsider)
    snapshot_create(timeline=theirs, actor=outsider)
    their_comment = comment_create(actor=outsider, entry=their_entry, body="Their comment")
    their_bin = timeline_create(actor=outsider, title="Their bin")
    timeline_delete(timeline=their_bin, actor=outsider, typed_name="Their bin")
    to_me = invite(theirs, outsider, owner.email)  # the owner may join it from the dashboard
    to_someone = invite(theirs, outsider, "someone@elsewhere.example")

    mine = bad_input.world_of(
        timeline,
        victim.entry,
        deleted=victim.ids["deleted"][0],
        comment=victim.ids["comment"][0],
        deleted_timeline=binned.pk,
        invitations=(victim.ids["invitation"][0], to_me, tokens[0]),
        staged=staged,
    )
    theirs_world = bad_input.world_of(
        theirs,
        their_entry,
        deleted=gone_pk,
        comment=their_comment.pk,
        deleted_timeline=their_bin.pk,
        invitations=(to_someone, to_someone, tokens[1]),
    )
    return mine, theirs_world


@pytest.fixture
def prober(worlds, owner) -> Prober:
    client = Client()
    client.force_login(owner)
    client.get(reverse("timeline-detail", args=[worlds[0].slug]))  # the owner's Watch row, which opening updates
    return Prober(client=client, user=owner, baseline=fingerprint())


def pages(prober: Prober, world: World) -> dict[str, str]:
    """Every address of every route in the world, with what a GET by the owner shows (the forms' source)."""
    shown = {}
    for route in routes():
        for url in bad_input.addresses(route, world):
            response = prober.send("opening", "get", url)
            page = response is not None and response.status_code == 200
            shown[url] = response.content.decode() if page and "html" in response["Content-Type"] else ""
    return shown


def forms(shown: dict[str, str]) -> list[bad_input.Form]:
    """Each distinct form of the pages (by method, target route and field names), as first shown."""
    found = {}
    for url, html in shown.items():
        for form in forms_on(html, url):
            key = (form.method, bad_input.url_name(form.action), tuple(form.names))
            if key[1] is not None:
                found.setdefault(key, form)
    return list(found.values())


def test_every_route_can_be_built_and_opened_by_the_owner(prober, worlds):
    names = {route.name for route in routes()}
    assert {"timeline-detail", "source-history", "public-timeline", "login"} <= names
    shown = pages(prober, worlds[0])
    assert not prober.failures, prober.report()
    assert len(forms(shown)) >= 20  # the walk reaches the forms, not a wall of 404s


def test_every_form_field_takes_every_bad_value(prober, worlds):
    mine, theirs = worlds
    started = time.perf_counter()
    foreign = {kind: theirs.ids[kind] for kind in ("entry", "citation", "membership", "snapshot", "deleted")}
    found = forms(pages(prober, mine))
    opened = prober.sent
    for form in found:
        for name, kind in form.kinds:
            if kind == "button":
                continue
            for label, value, may_write in bad_input.field_values(name, kind, foreign):
                pairs = [(n, v) for n, v in form.fields if n != name] + [(name, value)]
                what = f"{form.found_on} form to {form.action}: {name}={label}"
                if form.method == "get":
                    prober.send(what, "get", f"{form.action}?{encoded(pairs)}")
                else:
                    prober.send(what, "post", form.action, body=encoded(pairs), must_not_write=not may_write)
        if "version" in form.names and form.method == "post":
            pairs = [(n, v) for n, v in form.fields if n != "version"]
            prober.send(f"{form.action} without its version", "post", form.action, body=encoded(pairs))
    took = time.perf_counter() - started
    print(f"\n{prober.sent - opened} requests over {len(found)} forms in {took:.1f} s ({connection.vendor})")
    assert not prober.failures, prober.report()


def test_every_query_parameter_takes_every_bad_value(prober, worlds):
    mine, _ = worlds
    started = time.perf_counter()
    shown = pages(prober, mine)
    opened = prober.sent
    linked: dict[str, set[str]] = {}
    for html in shown.values():
        for name, params in bad_input.query_params_on(html).items():
            linked.setdefault(name, set()).update(params)
    for form in forms(shown):
        if form.method == "get":
            linked.setdefault(bad_input.url_name(form.action) or "", set()).update(form.names)
    for url, html in shown.items():
        own = sorted(linked.get(bad_input.url_name(url) or "", set()))
        every = list(dict.fromkeys([*own, *bad_input.COMMON_PARAMS]))
        # An address that is no page (a POST-only route, a download) reads its query the same for any value.
        values = bad_input.QUERY_VALUES if html else bad_input.QUERY_VALUES[:1]
        for label, value, _ in values:
            # Every parameter at once, then each the route's pages send on its own.
            prober.send(f"every parameter={label}", "get", f"{url}?{encoded([(p, value) for p in every])}")
            for param in own:
                prober.send(f"{param}={label}", "get", f"{url}?{encoded([(param, value)])}")
    print(f"\n{prober.sent - opened} requests in {time.perf_counter() - started:.1f} s ({connection.vendor})")
    assert not prober.failures, prober.report()


def test_another_timelines_ids_in_every_address_are_refused(prober, worlds):
    mine, theirs = worlds
    # The owner's slug with the stranger's ids and keys: nothing of theirs is found, nothing written.
    crossed = World(slug=mine.slug, ids=theirs.ids, keys=theirs.keys, changes=theirs.changes)
    checked = 0
    for route in routes():
        for url in bad_input.addresses(route, crossed, only_ids=True):
            if route.name.startswith(("public-", "snapshot-", "listed-")):
                continue  # the stranger's public pages are public
            checked += 1
            for method in ("get", "post"):
                response = prober.send("another timeline's id", method, url)
                if response is not None and response.status_code not in (404, 405, 410):
                    prober.failures.append(f"{method.upper()} {url} answered {response.status_code}, not 404")
    assert checked >= 20 and not prober.failures, prober.report()


def test_a_post_without_its_csrf_token_is_refused_and_writes_nothing(prober, worlds, owner):
    found = [form for form in forms(pages(prober, worlds[0])) if form.method == "post"]
    prober.client = Client(enforce_csrf_checks=True)
    prober.client.force_login(owner)
    for form in found:
        pairs = [(n, v) for n, v in form.fields if n != "csrfmiddlewaretoken"]
        for headers in ({}, with_hx({})):
            response = prober.send(
                f"{form.found_on} form without CSRF", "post", form.action, body=encoded(pairs), headers=headers
            )
            if response is not None and response.status_code != 403:
                prober.failures.append(f"POST {form.action} without CSRF answered {response.status_code}")
    assert len(found) >= 10 and not prober.failures, prober.report()


def test_every_address_takes_wrong_methods_and_malformed_htmx_headers(prober, worlds):
    started = time.perf_counter()
    shown = pages(prober, worlds[0])
    opened = prober.sent
    found = forms(shown)
    # An empty POST is a valid request where the form with every field left blank is one (a button alone, or
    # fields all optional): there it may write. Elsewhere it is bad input and must not.
    pressed = set()
    for form in (form for form in found if form.method == "post"):
        kinds = dict(form.kinds)
        blank = [(n, v if n == "csrfmiddlewaretoken" or kinds.get(n) == "button" else "") for n, v in form.fields]
        prober.send(f"{form.found_on} form left blank", "post", form.action, body=encoded(blank), must_not_write=False)
        if prober.wrote:
            pressed.add(form.action)
    for url, html in shown.items():
        for method in METHODS:
            prober.send(f"{method} on {url}", method, url)
        prober.send("an empty POST", "post", url, must_not_write=url not in pressed)
        for headers in bad_input.HX_HEADERS if html else bad_input.HX_HEADERS[:1]:
            prober.send(f"htmx headers {sorted(headers)}", "get", url, headers=with_hx(headers))
    for form in found:
        if form.method == "post":
            for headers in bad_input.HX_HEADERS:
                prober.send(
                    f"{form.action} with htmx headers {sorted(headers)}",
                    "post",
                    form.action,
                    body=encoded(list(form.fields)),
                    headers=with_hx(headers),
                    must_not_write=False,
                )
    print(f"\n{prober.sent - opened} requests in {time.perf_counter() - started:.1f} s ({connection.vendor})")
    assert not prober.failures, prober.report()
