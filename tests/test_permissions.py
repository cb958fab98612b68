"""Every URL of a timeline: 404 for people who are not members, no change possible for viewers."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

import pytest
from django.contrib.auth import get_user_model
from django.db import transaction
from django.urls import get_resolver, reverse
from django.utils import timezone

from factline import history
from factline.models import (
    Citation,
    Comment,
    Entry,
    Invitation,
    Membership,
    Mention,
    Passage,
    Snapshot,
    Source,
    Timeline,
)
from factline.models.timelines import Stance, Status
from factline.presentation.downloads import FORMATS
from factline.services import (
    citation_create,
    comment_create,
    entry_create,
    entry_delete,
    entry_set_status,
    invitation_create,
    snapshot_create,
    timeline_create,
)
from tests.conftest import PASSWORD

# What the number in each timeline route names. A route added or renamed fails
# test_every_timeline_route_is_walked until it is put here on purpose.
ROUTES: dict[str, str | None] = {
    "timeline-detail": None,
    "timeline-changes": None,
    "member-list": None,
    "member-update": "membership",
    "entry-create": None,
    "entry-detail": "entry",
    "entry-edit": "entry",
    "entry-status": "entry",
    "entry-delete": "entry",
    "citation-delete": "citation",
    "entry-cite": "entry",
    "entry-history": "entry or deleted",
    "entry-compare": "entry or deleted",
    "entry-revert": "entry",
    "timeline-deleted": None,
    "entry-restore": "deleted",
    "timeline-activity": None,
    "change-detail": "change",
    "timeline-as-of": None,
    "timeline-share": None,
    "timeline-share-link": None,
    "timeline-share-listed": None,
    "snapshot-create": None,
    "snapshot-revoke": "snapshot",
    "timeline-export": None,
    "entry-suggest": "entry",
    "timeline-review": None,
    "timeline-review-rule": None,
    "entry-mark-reviewed": "entry",
    "entry-ask-review": "entry",
    "entry-review": "entry",
    "timeline-settings": None,
    "timeline-transfer": None,
    "timeline-archive": None,
    "timeline-delete": None,
    "citation-edit": "citation",
    "entry-discussion": "entry",
    "comment-edit": "comment",
    "comment-delete": "comment",
    "comment-resolve": "comment",
    "timeline-watch": None,
    "invitation-create": None,
    "invitation-revoke": "invitation",
}
# Routes only owners may open: editors are refused them (403) and change nothing.
OWNER_ONLY = (
    "timeline-settings",
    "timeline-transfer",
    "timeline-archive",
    "timeline-delete",
    "invitation-create",
    "invitation-revoke",
)
# A member's own settings, not the timeline's: viewers may change them (tracked rows stay as they were).
PERSONAL = {"timeline-watch"}
KINDS = {"entry", "citation", "timeline", "member", "snapshot"}
TRACKED = (Timeline, Membership, Entry, Citation, Source, Passage, Snapshot)
UNTRACKED = (Comment, Mention, Invitation)  # no history of their own, compared row by row


def timeline_routes() -> dict[str, str]:
    """Every route that names a timeline by its slug: its name and its pattern."""
    found = {}

    def walk(patterns, prefix=""):
        for pattern in patterns:
            route = prefix + str(pattern.pattern)
            if hasattr(pattern, "url_patterns"):
                walk(pattern.url_patterns, route)
            elif "<slug:slug>" in route:
                found[pattern.name] = route

    walk(get_resolver().url_patterns)
    return found


@dataclass
class Victim:
    """A timeline with something behind every kind of id its routes take."""

    timeline: Timeline
    entry: Entry
    ids: dict[str, list[int]]
    changes: dict[str, list[int]]


@pytest.fixture
def victim(timeline, owner, source) -> Victim:
    vote, mission = source.passages.get(number=2), source.passages.get(number=3)
    entry = entry_create(actor=owner, timeline=timeline, start=datetime.date(2023, 1, 1), headline="Secret entry")
    citation_create(actor=owner, entry=entry, passage=vote, quote="voted unanimously")
    citation_create(actor=owner, entry=entry, passage=mission, quote="13,000 peacekeepers", stance=Stance.CONTEXT)
    entry = entry_set_status(entry=entry, actor=owner, status=Status.PUBLISHED)
    gone = entry_create(actor=owner, timeline=timeline, start=datetime.date(2013, 7, 1), headline="Secret deleted")
    citation_create(actor=owner, entry=gone, passage=mission, quote="deployed in 2013")
    entry_ids = [entry.pk, gone.pk]
    entry_delete(entry=gone, actor=owner)
    snapshot = snapshot_create(timeline=timeline, actor=owner)
    comment = comment_create(actor=owner, entry=entry, body="Secret comment")
    invitation = invitation_create(
        timeline=timeline, actor=owner, email="secret-invitee@elsewhere.example", role="editor", link=str
    )
    ids = {
        "comment": [comment.pk],
        "entry": [entry.pk],
        "deleted": [entry_ids[1]],
        "entry or deleted": entry_ids,
        "citation": list(entry.citations.values_list("pk", flat=True)),
        "membership": list(timeline.memberships.values_list("pk", flat=True)),
        "snapshot": [snapshot.pk],
        "invitation": [invitation.pk],
    }
    citation_rows = Citation.history.filter(entry_id__in=entry_ids)
    changes = {
        "entry": list(Entry.history.filter(id__in=entry_ids).values_list("history_id", flat=True)),
        "citation": list(citation_rows.values_list("history_id", flat=True)),
        "timeline": list(timeline.history.values_list("history_id", flat=True)),
        "member": list(Membership.history.filter(timeline_id=timeline.pk).values_list("history_id", flat=True)),
        "snapshot": list(Snapshot.history.filter(timeline_id=timeline.pk).values_list("history_id", flat=True)),
    }
    return Victim(timeline=timeline, entry=entry, ids=ids, changes=changes)


def urls(name: str, slug: str, victim: Victim) -> list[str]:
    """The route's addresses under `slug`, with each of the victim's ids of the kind the route takes."""
    kind = ROUTES[name]
    if name == "timeline-export":
        return [reverse(name, args=[slug, fmt]) for fmt in FORMATS]
    if kind is None:
        return [reverse(name, args=[slug])]
    if kind == "change":
        return [reverse(name, args=[slug, k, row]) for k, rows in victim.changes.items() for row in rows]
    return [reverse(name, args=[slug, pk]) for pk in victim.ids[kind]]


def database() -> dict[str, tuple[list[dict], int]]:
    """Every row of every tracked model, with its history row count, and the users: to compare before and after."""
    state = {model.__name__: (list(model.objects.order_by("pk").values()), model.history.count()) for model in TRACKED}
    state["User"] = (list(get_user_model().objects.order_by("pk").values()), 0)
    state |= {model.__name__: (list(model.objects.order_by("pk").values()), 0) for model in UNTRACKED}
    return state


def crafted(victim: Victim) -> dict[str, object]:
    """A POST that fills every field any timeline form reads, as hard as it can."""
    return {
        "status": "published",
        "headline": "Hijacked",
        "date": "2013",
        "version": str(victim.entry.version),
        "username": "oscar",
        "role": "owner",
        "remove": "1",
        "title": "Hijacked",
        "quote": "voted",
        "passage": str(Citation.objects.first().passage_id),
        "stance": "supports",
        "action": "off",
        "listed": "1",
        "confirmed": "1",
        "as_of": timezone.now().isoformat(),
        "summary": "Hijacked",
        "reason": "Hijacked",
        "body": "Hijacked",
        "resolved": "1",
        "watching": "0",
        "email": "hijacker@evil.example",
    }


def test_every_timeline_route_is_walked():
    assert set(timeline_routes()) == set(ROUTES)
    assert set(history.MODELS) == KINDS
    assert set(FORMATS) == {"json", "csv", "timelinejs", "md"}


def test_the_walks_reach_real_objects_the_owner_can_open(client, owner, victim):
    """The 404s below are the permission checks': each address works for the timeline's owner."""
    assert set(victim.changes) == KINDS and all(victim.changes.values()) and all(victim.ids.values())
    client.login(username=owner.username, password=PASSWORD)
    for name in ROUTES:
        for url in urls(name, victim.timeline.slug, victim):
            answers = set()
            for method, data in ((client.get, {}), (client.post, crafted(victim))):
                with transaction.atomic():  # each request starts from the same timeline
                    answers.add(method(url, data).status_code)
                    transaction.set_rollback(True)
            assert answers - {405} and not answers & {403, 404, 500}, (url, answers)


def test_a_non_member_gets_404_for_every_url_of_the_timeline(client, outsider, victim):
    client.login(username=outsider.username, password=PASSWORD)
    before = database()
    for name in ROUTES:
        assert_not_found(client, urls(name, victim.timeline.slug, victim), victim)
    assert database() == before


def assert_not_found(client, addresses, victim) -> None:
    """Each address answers GET and POST with 404 (or 405), and shows nothing of the victim's."""
    for url in addresses:
        got = client.get(url)
        posted = client.post(url, crafted(victim))
        # 405 answers a method the route never takes, whoever asks; it reveals nothing.
        assert {got.status_code, posted.status_code} <= {404, 405}, url
        assert 404 in {got.status_code, posted.status_code}, url
        assert b"Secret" not in got.content + posted.content, url


def test_another_timelines_ids_are_404_under_a_timeline_one_owns(client, outsider, victim):
    mine = timeline_create(actor=outsider, title="Oscar's desk")
    client.login(username=outsider.username, password=PASSWORD)
    before = database()
    for name, kind in ROUTES.items():
        if kind is None:
            continue  # the owner's own pages, read below
        assert_not_found(client, urls(name, mine.slug, victim), victim)
    assert database() == before


def test_a_timeline_one_owns_shows_nothing_of_another_timeline(client, outsider, passage, victim):
    mine = timeline_create(actor=outsider, title="Oscar's desk")
    own = entry_create(actor=outsider, timeline=mine, start=datetime.date(2020, 1, 1), headline="Own entry")
    citation_create(actor=outsider, entry=own, passage=passage, quote="voted unanimously")
    client.login(username=outsider.username, password=PASSWORD)
    before = database()
    query = {
        "timeline-changes": {"since": "2000-01-01T00:00:00+00:00"},
        "timeline-as-of": {"as_of": timezone.now().isoformat()},
        "timeline-activity": {"entry": str(victim.entry.pk)},
    }
    for name, kind in ROUTES.items():
        if kind is None:
            for url in urls(name, mine.slug, victim):
                response = client.get(url, query.get(name, {}))
                assert response.status_code < 500 and b"Secret" not in response.content, url
    # The outsider's own entry, compared with or reverted to revisions of the victim's entry.
    victim_keys = [f"e{row}" for row in victim.changes["entry"]] + [f"c{row}" for row in victim.changes["citation"]]
    for name in ("entry-compare", "entry-revert"):
        url = reverse(name, args=[mine.slug, own.pk])
        for key in victim_keys:
            for params in ({"to": key}, {"from": key}) if name == "entry-compare" else ({"to": key},):
                response = client.get(url, params)
                assert response.status_code == 404 and b"Secret" not in response.content, (url, params)
            if name == "entry-revert":
                assert client.post(url, {"to": key, "version": own.version}).status_code == 404
    assert database() == before


def test_a_viewer_cannot_change_anything_by_crafted_post(client, viewer, victim):
    client.login(username=viewer.username, password=PASSWORD)
    before = database()
    for name in ROUTES:
        for url in urls(name, victim.timeline.slug, victim):
            for headers in ({}, {"HX-Request": "true"}):
                response = client.post(url, crafted(victim), headers=headers)
                assert response.status_code in ((302,) if name in PERSONAL else (403, 405)), url
    assert database() == before


def test_a_viewer_is_refused_every_form_that_changes_something(client, viewer, victim):
    client.login(username=viewer.username, password=PASSWORD)
    slug, pk = victim.timeline.slug, victim.entry.pk
    for name in ("entry-create", "timeline-share"):
        assert client.get(reverse(name, args=[slug])).status_code == 403, name
    for name in ("entry-edit", "entry-delete", "entry-cite", "entry-revert"):
        assert client.get(reverse(name, args=[slug, pk])).status_code == 403, name


def test_a_non_member_sees_none_of_the_timelines_entries_beside_a_sources_passages(client, outsider, source, victim):
    timeline_create(actor=outsider, title="Oscar's desk")  # an editor somewhere, citing for someone else's entry
    client.login(username=outsider.username, password=PASSWORD)
    for params in ({}, {"entry": victim.entry.pk}):
        response = client.get(source.get_absolute_url(), params)
        assert response.status_code == 200
        assert "Secret" not in response.text


def test_a_member_sees_the_entries_citing_each_passage(client, viewer, source, victim):
    client.login(username=viewer.username, password=PASSWORD)
    assert "Secret entry" in client.get(source.get_absolute_url()).text


def test_refusals_are_pages_of_the_site_that_say_why(client, viewer, outsider, victim):
    client.login(username=viewer.username, password=PASSWORD)
    refused = client.get(reverse("entry-edit", args=[victim.timeline.slug, victim.entry.pk]))
    assert refused.status_code == 403
    assert "Only editors of this timeline may do that." in refused.text and 'class="site-header"' in refused.text
    client.login(username=outsider.username, password=PASSWORD)
    missing = client.get(reverse("timeline-detail", args=[victim.timeline.slug]))
    assert missing.status_code == 404 and 'class="site-header"' in missing.text


def test_an_editor_is_refused_the_owners_settings(client, editor, victim):
    client.login(username=editor.username, password=PASSWORD)
    before = database()
    for name in OWNER_ONLY:
        for url in urls(name, victim.timeline.slug, victim):
            assert client.get(url).status_code in (403, 405), url
            assert client.post(url, {**crafted(victim), "typed_name": "Sahel watch"}).status_code == 403, url
    assert database() == before


def test_only_an_owner_may_restore_a_deleted_timeline(client, owner, editor, outsider, victim):
    from factline.services import timeline_delete

    timeline_delete(timeline=victim.timeline, actor=owner, typed_name=victim.timeline.title)
    restore = reverse("timeline-restore", args=[victim.timeline.pk])
    for person in (editor, outsider):
        client.login(username=person.username, password=PASSWORD)
        assert b"Sahel watch" not in client.get(reverse("timelines-deleted")).content
        assert client.post(restore).status_code == 404
    assert Timeline.everything.get(pk=victim.timeline.pk).deleted_at is not None
    # A deleted timeline's own pages are not there, for its owner too.
    client.login(username=owner.username, password=PASSWORD)
    assert client.get(victim.timeline.get_absolute_url()).status_code == 404


def test_a_sources_history_names_only_people_of_the_viewers_own_timelines(client, owner, editor, outsider, source):
    """The library is shared; who works on which timeline is not: a stranger's change is told without their name."""
    from factline.services import source_update

    timeline_create(actor=owner, title="Secret desk")
    source_update(source=source, actor=owner, publisher="Wire One", reason="From the masthead")
    mine = timeline_create(actor=outsider, title="Oscar's desk")
    Membership.objects.create(timeline=mine, user=editor, role="editor")
    source_update(source=source, actor=editor, publisher="Wire Two")
    source_update(source=source, actor=outsider, publisher="Wire Three")
    url = reverse("source-history", args=[source.pk])
    client.login(username=outsider.username, password=PASSWORD)
    text = client.get(url).text
    assert "Wire One" in text and owner.username not in text and "someone from another timeline" in text
    assert editor.username in text and outsider.username in text  # a fellow member, and oneself
    client.login(username=owner.username, password=PASSWORD)
    text = client.get(url).text
    assert owner.username in text and outsider.username not in text and editor.username not in text
