"""Reverting and restoring: new revisions that bring back earlier states and never erase one."""

import datetime
import random

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from factline.history import EntryHistory
from factline.models import Citation, Entry
from factline.models.timelines import Stance, Status
from factline.services import (
    EditConflict,
    citation_create,
    citation_delete,
    entry_create,
    entry_delete,
    entry_restore,
    entry_revert,
    entry_set_status,
    entry_update,
    timeline_create,
)

JULY = datetime.date(2013, 7, 1)


@pytest.fixture
def entry(timeline, editor, clock):
    entry = entry_create(actor=editor, timeline=timeline, start=JULY, precision="month", headline="MINUSMA starts")
    clock.tick()
    return entry


def live_state(entry_id: int) -> tuple | None:
    """What the entry and its citations hold now, comparable with `saved_state`."""
    entry = Entry.objects.filter(pk=entry_id).first()
    if entry is None:
        return None
    citations = Citation.objects.filter(entry_id=entry_id)
    return _state(entry, citations)


def saved_state(state) -> tuple | None:
    return None if state.entry is None else _state(state.entry, state.citations)


def _state(entry, citations) -> tuple:
    fields = (
        entry.start,
        entry.precision,
        entry.end,
        entry.headline,
        entry.body,
        entry.place,
        entry.tags,
        entry.status,
    )
    return fields, frozenset((c.id, c.passage_id, c.stance, c.quote, c.start, c.end) for c in citations)


def test_reverting_brings_back_the_fields_and_the_citations_of_an_earlier_revision(
    entry, editor, owner, passages, clock
):
    first = live_state(entry.pk)
    citation_create(actor=editor, entry=entry, passage=passages[1], quote="voted unanimously")
    clock.tick()
    with_citation = live_state(entry.pk)
    entry_update(entry=entry, actor=owner, headline="The mission begins", start=datetime.date(2013, 7, 1))
    clock.tick()
    citation_create(actor=owner, entry=entry, passage=passages[2], stance=Stance.CONTEXT)
    citation_delete(citation=Citation.objects.get(passage=passages[1]), actor=owner)
    clock.tick()

    history = EntryHistory(entry.pk, entry.timeline_id)
    entry_revert(entry=entry, actor=editor, citation_history_id=history.changes[1].rows[0].history_id)
    assert live_state(entry.pk) == with_citation
    clock.tick()
    entry_revert(entry=entry, actor=editor, history_id=history.changes[0].rows[0].history_id)
    assert live_state(entry.pk) == first


def test_a_citation_brought_back_by_a_revert_keeps_its_id(entry, editor, passages, clock):
    citation = citation_create(actor=editor, entry=entry, passage=passages[1], quote="voted unanimously")
    cited = citation.pk
    clock.tick()
    history = EntryHistory(entry.pk, entry.timeline_id)
    citation_delete(citation=citation, actor=editor)
    clock.tick()
    entry_revert(entry=entry, actor=editor, citation_history_id=history.latest.rows[0].history_id)
    assert Citation.objects.get().pk == cited


def test_a_revert_is_one_new_revision_whose_reason_names_the_one_it_restored(entry, editor, owner, passages, clock):
    entry_update(entry=entry, actor=owner, headline="Reworded", reason="Tighter")
    clock.tick()
    first = EntryHistory(entry.pk, entry.timeline_id).changes[0]
    entry_revert(entry=entry, actor=editor, history_id=first.rows[0].history_id, reason="The old words were right")

    history = EntryHistory(entry.pk, entry.timeline_id)
    assert len(history.changes) == 3
    latest = Entry.history.filter(id=entry.pk).first()
    assert latest.history_user == editor
    assert (latest.history_action, latest.history_note, latest.history_change_reason) == (
        "reverted",
        "Reverted to revision 1 of 1 Mar 2024 09:00:00 UTC by edgar",
        "The old words were right",
    )
    assert latest.headline == "MINUSMA starts"


def test_reverting_to_a_revision_the_entry_already_matches_is_refused_and_writes_nothing(entry, editor, clock):
    entry_update(entry=entry, actor=editor, headline="Reworded")
    clock.tick()
    entry_update(entry=entry, actor=editor, headline="MINUSMA starts")  # back by hand
    clock.tick()
    history = EntryHistory(entry.pk, entry.timeline_id)
    with pytest.raises(ValidationError) as refused:
        entry_revert(entry=entry, actor=editor, history_id=history.changes[0].rows[0].history_id)
    assert refused.value.code == "same"
    assert (Entry.objects.get().version, Entry.history.count()) == (3, 3)


def test_a_revert_raises_the_version_so_a_form_opened_before_it_gets_a_conflict(entry, editor, owner, clock):
    entry_update(entry=entry, actor=owner, expected_version=1, headline="Reworded")
    clock.tick()
    opened_at = Entry.objects.get().version
    history = EntryHistory(entry.pk, entry.timeline_id)
    reverted = entry_revert(entry=entry, actor=editor, history_id=history.changes[0].rows[0].history_id)
    assert reverted.version == opened_at + 1
    with pytest.raises(EditConflict):
        entry_update(entry=entry, actor=owner, expected_version=opened_at, headline="Lost?")
    assert Entry.objects.get().headline == "MINUSMA starts"


def test_a_revert_from_a_stale_page_is_refused_and_changes_nothing(entry, editor, owner, clock):
    entry_update(entry=entry, actor=owner, headline="Reworded")
    clock.tick()
    history = EntryHistory(entry.pk, entry.timeline_id)
    with pytest.raises(EditConflict):
        entry_revert(entry=entry, actor=editor, history_id=history.changes[0].rows[0].history_id, expected_version=1)
    assert (Entry.objects.get().headline, Entry.objects.get().version) == ("Reworded", 2)


def test_reverting_to_now_to_a_deletion_or_to_another_entrys_revision_is_refused(entry, editor, timeline, clock):
    other = entry_create(actor=editor, timeline=timeline, start=JULY, headline="Other")
    clock.tick()
    entry_update(entry=entry, actor=editor, headline="Now")
    history = EntryHistory(entry.pk, entry.timeline_id)
    with pytest.raises(ValidationError, match="as it stands now"):
        entry_revert(entry=entry, actor=editor, history_id=history.latest.rows[0].history_id)
    with pytest.raises(ValidationError, match="not in this entry's history"):
        entry_revert(entry=entry, actor=editor, history_id=other.history.get().history_id)
    assert Entry.objects.get(pk=entry.pk).version == 2


def test_viewers_and_outsiders_can_neither_revert_nor_restore(entry, timeline, editor, viewer, outsider, clock):
    entry_update(entry=entry, actor=editor, headline="Reworded")
    history = EntryHistory(entry.pk, entry.timeline_id)
    doomed = entry_create(actor=editor, timeline=timeline, start=JULY, headline="Doomed")
    entry_delete(entry=doomed, actor=editor)
    for person in (viewer, outsider):
        with pytest.raises(PermissionDenied):
            entry_revert(entry=entry, actor=person, history_id=history.changes[0].rows[0].history_id)
        with pytest.raises(PermissionDenied):
            entry_restore(timeline=timeline, entry_id=doomed.pk, actor=person)
    assert Entry.objects.get().headline == "Reworded"
    assert Entry.objects.get().version == 2


def test_reverting_a_published_entry_to_a_draft_without_citations_keeps_the_rules(entry, editor, passages, clock):
    draft = EntryHistory(entry.pk, entry.timeline_id).changes[0]
    citation_create(actor=editor, entry=entry, passage=passages[1])
    entry_set_status(entry=entry, actor=editor, status=Status.PUBLISHED)
    clock.tick()
    entry_revert(entry=entry, actor=editor, history_id=draft.rows[0].history_id)
    assert (Entry.objects.get().status, Citation.objects.count()) == (Status.DRAFT, 0)


def test_reverting_a_draft_to_published_brings_its_support_back_first(entry, editor, passages, clock):
    cited = citation_create(actor=editor, entry=entry, passage=passages[1]).pk
    entry_set_status(entry=entry, actor=editor, status=Status.PUBLISHED)
    clock.tick()
    published = EntryHistory(entry.pk, entry.timeline_id).latest
    entry_set_status(entry=entry, actor=editor, status=Status.DRAFT)
    citation_delete(citation=Citation.objects.get(), actor=editor)
    clock.tick()
    citation_create(actor=editor, entry=entry, passage=passages[2], stance=Stance.CONTRADICTS)
    clock.tick()
    entry_revert(entry=entry, actor=editor, history_id=published.entry_row.history_id)
    assert Entry.objects.get().status == Status.PUBLISHED
    assert list(Citation.objects.values_list("pk", "stance")) == [(cited, Stance.SUPPORTS)]


def test_restoring_a_deleted_entry_brings_it_back_with_its_citations_under_the_same_ids(
    entry, editor, owner, passages, clock
):
    supports = citation_create(actor=editor, entry=entry, passage=passages[1], quote="voted unanimously")
    context = citation_create(actor=editor, entry=entry, passage=passages[2], stance=Stance.CONTEXT)
    entry = entry_set_status(entry=entry, actor=editor, status=Status.PUBLISHED)
    pk, version, timeline = entry.pk, entry.version, entry.timeline
    clock.tick()
    before = live_state(pk)
    entry_delete(entry=entry, actor=editor, reason="Duplicate")
    clock.tick()

    restored = entry_restore(timeline=timeline, entry_id=pk, actor=owner, reason="Not a duplicate")
    assert restored.pk == pk
    assert live_state(pk) == before
    assert set(Citation.objects.values_list("pk", flat=True)) == {supports.pk, context.pk}
    assert restored.version == version + 1
    last = Entry.history.filter(id=pk).first()
    assert (last.history_type, last.history_user, last.history_action, last.history_change_reason) == (
        "+",
        owner,
        "restored",
        "Not a duplicate",
    )
    history = EntryHistory(pk, timeline.pk)
    assert [len(change.rows) for change in history.changes[-2:]] == [3, 3]  # deletion, restore: one change each


def test_restoring_an_entry_that_is_not_deleted_is_refused(entry, editor, timeline, clock):
    with pytest.raises(ValidationError, match="not deleted"):
        entry_restore(timeline=timeline, entry_id=entry.pk, actor=editor)
    with pytest.raises(ValidationError, match="never had"):
        entry_restore(timeline=timeline, entry_id=entry.pk + 100, actor=editor)


def test_an_entry_whose_id_was_taken_meanwhile_is_restored_under_a_new_one(
    entry, editor, owner, timeline, passages, clock
):
    citation_create(actor=editor, entry=entry, passage=passages[1])
    entry_set_status(entry=entry, actor=editor, status=Status.PUBLISHED)
    pk = entry.pk
    clock.tick()
    entry_delete(entry=entry, actor=editor)
    # Nothing in Factline reuses ids; a shell or an import could.
    elsewhere = timeline_create(actor=owner, title="Elsewhere")
    Entry.objects.create(pk=pk, timeline=elsewhere, start=JULY, headline="Squatter")
    restored = entry_restore(timeline=timeline, entry_id=pk, actor=editor)
    assert restored.pk != pk
    assert (restored.headline, restored.status) == ("MINUSMA starts", Status.PUBLISHED)
    assert restored.citations.count() == 1


def test_after_any_edits_reverts_and_restores_every_earlier_state_is_still_in_the_history(
    entry, timeline, editor, owner, passages, clock
):
    rng = random.Random(4)
    pk = entry.pk
    seen = [live_state(pk)]
    done = []
    for step in range(40):
        actor = rng.choice([editor, owner])
        action = rng.choice(["edit", "edit", "cite", "uncite", "revert", "revert", "delete", "publish"])
        current = Entry.objects.filter(pk=pk).first()
        if current is None:
            entry_restore(timeline=timeline, entry_id=pk, actor=actor)
        elif action == "edit":
            entry_update(entry=current, actor=actor, headline=f"Headline {step}", place=rng.choice(["", "Bamako"]))
        elif action == "cite":
            try:
                stance = rng.choice(list(Stance.values))
                citation_create(actor=actor, entry=current, passage=rng.choice(passages), stance=stance)
            except ValidationError:
                continue  # it cites these words already
        elif action == "uncite" and current.citations.exists():
            try:
                citation_delete(citation=rng.choice(list(current.citations.all())), actor=actor)
            except ValidationError:
                continue  # the last support of a published entry stays
        elif action == "revert":
            history = EntryHistory(pk, timeline.pk)
            choices = [c for c in history.changes[:-1] if history.states([c])[0].entry is not None]
            if not choices:
                continue
            change = rng.choice(choices)
            row = change.entry_row or change.rows[0]
            key = {"history_id": row.history_id} if change.entry_row else {"citation_history_id": row.history_id}
            try:
                entry_revert(entry=current, actor=actor, **key)
            except ValidationError as refused:
                assert refused.code == "same"  # the entry already reads as it did then
                continue
        elif action == "delete":
            entry_delete(entry=current, actor=actor)
        elif action == "publish":
            try:
                entry_set_status(entry=current, actor=actor, status=rng.choice(list(Status.values)))
            except ValidationError:
                continue
        clock.tick()
        seen.append(live_state(pk))
        done.append("restore" if current is None else action)

    history = EntryHistory(pk, timeline.pk)
    states = history.states(history.changes)
    in_history = [saved_state(state) for state in states]
    assert all(state in in_history for state in seen)
    assert in_history[-1] == seen[-1]
    assert {"edit", "cite", "uncite", "revert", "delete", "restore"} <= set(done)  # the walk did it all
    assert done.count("revert") >= 5
