"""What the software says of a change is stored apart from what a person wrote, and only the latter is quoted."""

import datetime
import importlib

import pytest
from django.apps import apps
from django.urls import reverse

from factline.history import EntryHistory
from factline.models import Citation, Entry, Membership, Passage, Snapshot, Source, Timeline
from factline.models.changes import Action
from factline.models.timelines import Stance
from factline.services import (
    citation_create,
    citation_delete,
    citation_update,
    entry_create,
    entry_delete,
    entry_mark_reviewed,
    entry_request_review,
    entry_restore,
    entry_revert,
    entry_send_back,
    entry_set_status,
    entry_update,
    membership_remove,
    snapshot_create,
    snapshot_revoke,
    timeline_archive,
    timeline_create,
    timeline_delete,
    timeline_restore,
    timeline_revoke,
    timeline_set_listed,
    timeline_set_two_person_rule,
    timeline_share,
    timeline_transfer,
    timeline_update,
)
from tests.conftest import PASSWORD


@pytest.fixture
def entry(timeline, editor, passages, clock):
    """An entry with a typed summary, cited with a stance of each kind, published."""
    entry = entry_create(
        actor=editor, timeline=timeline, start=datetime.date(2023, 6, 1), headline="The vote", reason="First draft"
    )
    clock.tick()
    for passage, stance in zip(passages, (Stance.SUPPORTS, Stance.CONTRADICTS, Stance.CONTEXT), strict=False):
        citation_create(actor=editor, entry=entry, passage=passage, quote=passage.text.split()[0], stance=stance)
        clock.tick()
    entry_set_status(entry=Entry.objects.get(pk=entry.pk), actor=editor, status="published")
    clock.tick()
    return Entry.objects.get(pk=entry.pk)


HISTORIES = (Entry.history, Citation.history, Timeline.history, Membership.history, Snapshot.history, Source.history)


def every_row() -> list[tuple[str, str, str | None]]:
    """(action, note, reason) of every historical row but the passages'."""
    fields = ("history_action", "history_note", "history_change_reason")
    return [row for history in HISTORIES for row in history.values_list(*fields)]


def test_what_the_software_says_is_stored_apart_from_what_a_person_wrote(entry, timeline, owner, editor, seeded, clock):
    # Everything a service can do with no reason given: each says what it did in a note of its own.
    first = EntryHistory(entry.pk, timeline.pk).changes[0]
    entry_set_status(entry=entry, actor=editor, status="draft")
    citation_delete(citation=Citation.objects.filter(entry=entry).last(), actor=editor)
    clock.tick()
    entry_revert(entry=Entry.objects.get(pk=entry.pk), actor=editor, history_id=first.entry_row.history_id)
    clock.tick()
    entry_update(entry=Entry.objects.get(pk=entry.pk), actor=editor, headline="The vote again")
    entry_delete(entry=Entry.objects.get(pk=entry.pk), actor=editor)
    clock.tick()
    entry_restore(timeline=timeline, entry_id=entry.pk, actor=editor)
    timeline = timeline_share(timeline=timeline_share(timeline=timeline, actor=owner), actor=owner)
    timeline = timeline_set_listed(timeline=timeline_revoke(timeline=timeline, actor=owner), actor=owner, listed=True)
    timeline_set_listed(timeline=timeline, actor=owner, listed=False)
    clock.tick()
    # This timeline has nothing published now; the seeded one does (and None is the system itself).
    snapshot_revoke(snapshot=snapshot_create(timeline=seeded, actor=None), actor=None)
    membership_remove(membership=Membership.objects.get(timeline=timeline, role="viewer"), actor=owner)
    # The review actions: the note sent back with a draft is what a person wrote, so it is a reason.
    timeline_set_two_person_rule(timeline=timeline, actor=owner, on=True)
    draft = entry_create(actor=editor, timeline=timeline, start=datetime.date(2023, 6, 30), headline="For review")
    citation_create(actor=editor, entry=draft, passage=Passage.objects.filter(boilerplate=False).first())
    entry_request_review(entry=draft, actor=editor)
    entry_send_back(entry=draft, actor=owner, note="Needs a second source.")
    entry_mark_reviewed(entry=draft, actor=owner)
    # Settings and citations changed in place.
    citation_update(citation=Citation.objects.filter(entry=draft).first(), actor=editor, stance=Stance.CONTEXT)
    timeline = timeline_update(timeline=timeline, actor=owner, slug="sahel-moved")
    timeline_archive(timeline=timeline_archive(timeline=timeline, actor=owner), actor=owner, archived=False)
    timeline_transfer(timeline=timeline, actor=owner, to=Membership.objects.get(timeline=timeline, user=editor))
    gone = timeline_delete(timeline=timeline_create(actor=owner, title="Gone"), actor=owner, typed_name="Gone")
    timeline_restore(timeline=gone, actor=owner)

    rows = every_row()
    assert {reason for _action, _note, reason in rows if reason} == {"First draft", "Needs a second source."}
    assert {action for action, _note, _reason in rows} == set(Action)
    notes = {note for _action, note, _reason in rows}
    assert "Reverted to revision 1 of 1 Mar 2024 09:00:00 UTC by edgar" in notes
    assert {"Loaded from the seed timeline", "Published", "Citation removed", "Removed vera"} <= notes
    assert {row.history_action for row in Source.history.all()} == {Action.IMPORTED}
    assert Passage.history.exclude(history_action=Action.IMPORTED).count() == 0


def test_a_revert_and_a_restore_keep_the_persons_words_as_the_reason(entry, timeline, editor, clock):
    first = EntryHistory(entry.pk, timeline.pk).changes[0]
    entry_revert(entry=entry, actor=editor, history_id=first.entry_row.history_id, reason="  Back to the draft ")
    clock.tick()
    entry_delete(entry=Entry.objects.get(pk=entry.pk), actor=editor, reason="Duplicate")
    clock.tick()
    entry_restore(timeline=timeline, entry_id=entry.pk, actor=editor, reason="Not a duplicate")
    fields = ("history_action", "history_note", "history_change_reason")
    reverted, deleted, restored = list(Entry.history.order_by("history_date").values_list(*fields))[-3:]
    assert reverted == (
        Action.REVERTED,
        "Reverted to revision 1 of 1 Mar 2024 09:00:00 UTC by edgar",
        "Back to the draft",
    )
    assert deleted == (Action.DELETED, "Deleted", "Duplicate")
    assert restored == (Action.RESTORED, "Restored", "Not a duplicate")


def test_a_save_outside_the_services_is_described_by_its_type(timeline, editor):
    created = Entry.objects.create(timeline=timeline, start=datetime.date(2020, 1, 1), headline="By hand")
    created.headline = "By hand, again"
    created.save()
    rows = created.history.order_by("history_date").values_list("history_action", "history_note")
    assert list(rows) == [(Action.CREATED, ""), (Action.EDITED, "")]


migration = importlib.import_module("factline.migrations.0005_history_action_note")


@pytest.mark.parametrize(
    ("model", "reason", "stored"),
    [
        ("entry", "Say it was unanimous", (Action.EDITED, "", "Say it was unanimous")),
        ("citation", "Citation removed", (Action.UNCITED, "Citation removed", None)),
        ("citation", "Cited Mali votes ¶2 (Context)", (Action.CITED, "Cited Mali votes ¶2 (Context)", None)),
        ("citation", "Cited the wire, it says so (see ¶2)", (Action.EDITED, "", "Cited the wire, it says so (see ¶2)")),
        ("entry", "Published", (Action.PUBLISHED, "Published", None)),
        ("entry", "Published after a second read", (Action.EDITED, "", "Published after a second read")),
        (
            "entry",
            "Reverted to revision 3 of 1 Mar 2024 09:00:00 UTC by edgar",
            (Action.REVERTED, "Reverted to revision 3 of 1 Mar 2024 09:00:00 UTC by edgar", None),
        ),
        (
            "entry",
            "Reverted to revision 3 of 1 Mar 2024 09:00:00 UTC by edgar: back to: the sources",
            (Action.REVERTED, "Reverted to revision 3 of 1 Mar 2024 09:00:00 UTC by edgar", "back to: the sources"),
        ),
        ("entry", "Restored: deleted by mistake", (Action.RESTORED, "Restored", "deleted by mistake")),
        ("entry", "Loaded from the seed timeline", (Action.LOADED, "Loaded from the seed timeline", None)),
        ("source", "Imported from vote.txt", (Action.IMPORTED, "Imported from vote.txt", None)),
        ("timeline", "Made a new public link", (Action.LINK_RENEWED, "Made a new public link", None)),
        (
            "snapshot",
            "Shared a snapshot as of 01 March 2024 09:00 UTC",
            (Action.SNAPSHOT_SHARED, "Shared a snapshot as of 01 March 2024 09:00 UTC", None),
        ),
        ("membership", "edgar is now viewer", (Action.MEMBER_SET, "edgar is now viewer", None)),
        ("membership", "Removed edgar", (Action.MEMBER_REMOVED, "Removed edgar", None)),
        ("entry", None, (Action.EDITED, "", None)),
    ],
)
def test_the_migration_stores_once_what_old_reasons_said(model, reason, stored, entry, timeline, owner):
    """Old rows kept the software's words in the reason: the migration moves them to the note, once."""
    Snapshot.objects.create(timeline=timeline, token="t", as_of=timeline.created)  # `entry` gave the other kinds
    history = apps.get_model("factline", f"Historical{model}").objects
    row = history.filter(history_type="~").first() or history.first()
    history.filter(pk=row.pk).update(history_change_reason=reason, history_action="", history_note="")
    migration.fill(apps, None)
    row.refresh_from_db()
    action, note, kept = stored
    if action == Action.EDITED:  # a person's words: the action comes from the row's type
        action = {"+": Action.CREATED, "~": Action.EDITED, "-": Action.DELETED}[row.history_type]
    assert (row.history_action, row.history_note, row.history_change_reason) == (action, note, kept)


def test_history_pages_quote_typed_summaries_only(client, entry, timeline, editor, owner, passages, clock):
    citation_delete(citation=Citation.objects.filter(entry=entry, stance=Stance.CONTEXT).get(), actor=editor)
    entry_update(entry=Entry.objects.get(pk=entry.pk), actor=editor, place="Bamako", reason="Name the city")
    doomed = entry_create(actor=editor, timeline=timeline, start=datetime.date(2020, 1, 1), headline="Doomed")
    entry_delete(entry=doomed, actor=editor)
    timeline_share(timeline=timeline_share(timeline=timeline, actor=owner), actor=owner)
    client.login(username=editor.username, password=PASSWORD)
    pages = {
        "entry": reverse("entry-history", args=[timeline.slug, entry.pk]),
        "activity": reverse("timeline-activity", args=[timeline.slug]),
        "deleted": reverse("timeline-deleted", args=[timeline.slug]),
        "compare": reverse("entry-compare", args=[timeline.slug, entry.pk]),
        "change": reverse("change-detail", args=[timeline.slug, "timeline", Timeline.history.latest().history_id]),
    }
    for name, url in pages.items():
        text = client.get(url).content.decode()
        for generated in ("Cited ", "Citation removed", "Published", "Deleted", "Made a new public link"):
            assert f"“{generated}" not in text, (name, generated)
    history = client.get(pages["entry"]).content.decode()
    assert "“First draft”" in history and "“Name the city”" in history
    first, _, third = passages[:3]
    assert f"citation removed: Mali votes ¶{third.number} (context)" in history and "published" in history
    compare = client.get(pages["compare"]).content.decode()
    assert f" · edgar · Cited Mali votes ¶{first.number} (Supports)</option>" in compare
