"""The timeline as it stood: at every moment between many edits it equals what was saved then."""

import contextlib
import datetime
import random

from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from factline import selectors
from factline.history import EntryHistory
from factline.models import Citation, Entry
from factline.models.timelines import Stance, Status
from factline.services import (
    citation_create,
    citation_delete,
    entry_create,
    entry_delete,
    entry_restore,
    entry_revert,
    entry_set_status,
    entry_update,
)
from tests.conftest import PASSWORD


def picture(entries, citations_of) -> dict:
    """A timeline's entries and citations as comparable values."""
    return {
        entry.pk: (
            (
                entry.start,
                entry.precision,
                entry.end,
                entry.headline,
                entry.body,
                entry.place,
                entry.tags,
                entry.status,
            ),
            frozenset((c.pk, c.passage_id, c.stance, c.quote, c.start, c.end) for c in citations_of(entry)),
        )
        for entry in entries
    }


def live(timeline) -> dict:
    citations: dict[int, list] = {}
    for citation in Citation.objects.filter(entry__timeline=timeline):
        citations.setdefault(citation.entry_id, []).append(citation)
    return picture(Entry.objects.filter(timeline=timeline), lambda entry: citations.get(entry.pk, []))


def then(entries) -> dict:
    return picture(entries, lambda entry: entry.citations.all())


def edit_at_random(rng, timeline, people, passages, step: int) -> None:
    """One edit, citation, deletion, restore or revert somewhere on the timeline."""
    actor = rng.choice(people)
    entries = list(Entry.objects.filter(timeline=timeline))
    action = rng.choice(["add", "edit", "edit", "cite", "cite", "uncite", "publish", "delete", "restore", "revert"])
    entry = rng.choice(entries) if entries else None
    if action == "add" or entry is None:
        start = datetime.date(2010 + step % 10, 1 + step % 12, 1)
        entry_create(actor=actor, timeline=timeline, start=start, precision="month", headline=f"Event {step}")
    elif action == "edit":
        entry_update(entry=entry, actor=actor, headline=f"{entry.headline}, revised {step}", body=f"Body {step}")
    elif action == "cite":
        stance = rng.choice(list(Stance.values))
        with contextlib.suppress(ValidationError):  # this entry may cite these words already
            citation_create(actor=actor, entry=entry, passage=rng.choice(passages), stance=stance)
    elif action == "uncite" and entry.citations.exists():
        with contextlib.suppress(ValidationError):  # the last support of a published entry stays
            citation_delete(citation=entry.citations.first(), actor=actor)
    elif action == "publish":
        with contextlib.suppress(ValidationError):  # publishing needs a supporting citation
            entry_set_status(entry=entry, actor=actor, status=rng.choice(list(Status.values)))
    elif action == "delete":
        entry_delete(entry=entry, actor=actor)
    elif action == "restore":
        deleted = Entry.history.filter(timeline_id=timeline.pk, history_type="-").exclude(
            id__in=Entry.objects.values("id")
        )
        if deleted.exists():
            entry_restore(timeline=timeline, entry_id=deleted.first().id, actor=actor)
    elif action == "revert":
        history = EntryHistory(entry.pk, timeline.pk)
        choices = [c for c in history.changes[:-1] if not c.removes_entry and history.states([c])[0].entry]
        if choices:
            change = rng.choice(choices)
            key = (
                {"history_id": change.entry_row.history_id}
                if change.entry_row
                else {"citation_history_id": change.rows[0].history_id}
            )
            try:
                entry_revert(entry=entry, actor=actor, **key)
            except ValidationError as refused:
                assert refused.code == "same"  # the entry already reads as it did then


def test_the_timeline_as_of_any_moment_equals_what_was_saved_at_that_moment(
    client, timeline, editor, owner, viewer, source
):
    passages = list(source.passages.filter(boilerplate=False))
    rng = random.Random(11)
    moments = []
    for step in range(80):
        edit_at_random(rng, timeline, [editor, owner], passages, step)
        moments.append((timezone.now(), live(timeline)))
    assert len({len(saved) for _, saved in moments}) > 2  # entries came and went

    for when, saved in moments:
        assert then(selectors.entries_as_of(timeline, when)) == saved

    client.login(username=viewer.username, password=PASSWORD)
    url = reverse("timeline-as-of", args=[timeline.slug])
    for when, saved in moments[::8]:
        response = client.get(url, {"as_of": when.isoformat()})
        assert response.status_code == 200
        assert then(response.context["entries"]) == saved
