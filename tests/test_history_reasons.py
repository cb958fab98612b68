"""Reasons the software wrote on its own are never shown as an editor's quoted summary."""

import datetime

import pytest
from django.urls import reverse

from factline.history import EntryHistory, reason_parts
from factline.models import Citation, Entry, Snapshot, Source, Timeline
from factline.models.timelines import Stance
from factline.services import (
    citation_create,
    citation_delete,
    entry_create,
    entry_delete,
    entry_restore,
    entry_revert,
    entry_set_status,
    entry_update,
    snapshot_create,
    snapshot_revoke,
    timeline_revoke,
    timeline_set_listed,
    timeline_share,
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


def every_reason() -> list[str]:
    histories = (Entry.history, Citation.history, Timeline.history, Snapshot.history, Source.history)
    return [reason for history in histories for reason in history.values_list("history_change_reason", flat=True)]


def test_every_reason_a_service_writes_on_its_own_is_told_apart_from_a_typed_one(
    entry, timeline, owner, editor, seeded, clock
):
    # Everything a service can do with no reason given: each writes a reason of its own.
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

    written = {reason for reason in every_reason() if reason}
    typed = {reason for reason in written if reason_parts(reason)[1]}
    assert typed == {"First draft"}
    assert len(written) >= 15  # the kinds above, the seeds' and the imports' reasons among them
    notes = {reason_parts(reason)[0] for reason in written} - {""}
    assert any(note.startswith("Reverted to revision 1 of 1 Mar 2024 09:00:00 UTC by edgar") for note in notes)
    assert "Loaded from the seed timeline" in notes


@pytest.mark.parametrize(
    ("reason", "parts"),
    [
        ("Say it was unanimous", ("", "Say it was unanimous")),
        ("Citation removed", ("", "")),
        ("Cited Mali votes ¶2 (Context)", ("", "")),
        ("Cited the wire, it says so (see ¶2)", ("", "Cited the wire, it says so (see ¶2)")),
        ("Published after a second read", ("", "Published after a second read")),
        (
            "Reverted to revision 3 of 1 Mar 2024 09:00:00 UTC by edgar",
            ("Reverted to revision 3 of 1 Mar 2024 09:00:00 UTC by edgar", ""),
        ),
        (
            "Reverted to revision 3 of 1 Mar 2024 09:00:00 UTC by edgar: back to: the sources",
            ("Reverted to revision 3 of 1 Mar 2024 09:00:00 UTC by edgar", "back to: the sources"),
        ),
        ("Restored: deleted by mistake", ("", "deleted by mistake")),
        ("Imported from vote.txt", ("Imported from vote.txt", "")),
        (None, ("", "")),
    ],
)
def test_a_reason_splits_into_the_softwares_note_and_the_persons_summary(reason, parts):
    assert reason_parts(reason) == parts


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
