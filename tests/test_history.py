"""Grouping rows into changes, telling them in words, and comparing two states word by word."""

import datetime

from factline.history import (
    CITATION,
    ENTRY,
    GROUP_WINDOW,
    EntryHistory,
    Row,
    group,
    moment_param,
    word_diff,
)
from factline.models.timelines import Stance, Status
from factline.services import (
    citation_create,
    citation_delete,
    entry_create,
    entry_delete,
    entry_restore,
    entry_set_status,
    entry_update,
)

T0 = datetime.datetime(2024, 3, 1, 9, 0, tzinfo=datetime.UTC)


def row(kind, history_id, seconds, user=1, type_="~", object_id=1) -> Row:
    return Row(kind, history_id, object_id, T0 + datetime.timedelta(seconds=seconds), user, type_)


def test_an_entry_row_and_the_citation_rows_saved_with_it_are_one_change():
    changes = group([row(ENTRY, 1, 0), row(CITATION, 1, 0.01), row(CITATION, 2, 0.02)])
    assert [[r.key for r in c.rows] for c in changes] == [["e1", "c1", "c2"]]


def test_a_citation_row_goes_with_the_nearer_of_the_entry_rows_around_it():
    # Deleted 1.5 s after publishing: the citation removed by the deletion goes with the deletion.
    changes = group([row(ENTRY, 1, 0), row(CITATION, 1, 1.5, type_="-"), row(ENTRY, 2, 1.501, type_="-")])
    assert [[r.key for r in c.rows] for c in changes] == [["e1"], ["c1", "e2"]]


def test_citations_saved_together_without_their_entry_are_one_change():
    changes = group([row(ENTRY, 1, 0), row(CITATION, 1, 60), row(CITATION, 2, 60.5), row(CITATION, 3, 70)])
    assert [[r.key for r in c.rows] for c in changes] == [["e1"], ["c1", "c2"], ["c3"]]


def test_rows_by_another_person_or_after_a_pause_are_another_change():
    changes = group(
        [
            row(ENTRY, 1, 0),
            row(CITATION, 1, 0.5, user=2),
            row(CITATION, 2, 0.5 + GROUP_WINDOW.total_seconds() + 1, user=2),
        ]
    )
    assert [[r.key for r in c.rows] for c in changes] == [["e1"], ["c1"], ["c2"]]


def test_two_saves_of_the_entry_are_two_changes_however_close():
    changes = group([row(ENTRY, 1, 0), row(ENTRY, 2, 0.001)])
    assert [c.number for c in changes] == [1, 2]


def test_citations_deleted_with_their_entry_without_a_recorded_person_join_its_deletion():
    changes = group([row(ENTRY, 1, 0), row(CITATION, 1, 60, user=None, type_="-"), row(ENTRY, 2, 60.01, type_="-")])
    assert [[r.key for r in c.rows] for c in changes] == [["e1"], ["c1", "e2"]]
    assert changes[1].user_id == 1 and changes[1].key == "e2"


def test_a_moment_is_rounded_up_to_the_millisecond_so_it_falls_just_after_the_change():
    assert moment_param(T0 + datetime.timedelta(microseconds=1500)) == "2024-03-01 09:00:00.002"
    assert moment_param(T0) == "2024-03-01 09:00:00.000"


def test_the_word_diff_marks_whole_words_and_escapes_everything():
    assert word_diff("The vote", "The unanimous vote") == "The<ins> unanimous</ins> vote"
    assert word_diff("a <b> c", "a <i> c") == "a<del> &lt;b&gt;</del><ins> &lt;i&gt;</ins> c"
    assert word_diff("one  two", "one two") == "one two"  # spacing alone is not a change of words
    assert word_diff("", "") == ""


def test_each_change_of_an_entry_is_told_in_words(timeline, editor, owner, passage, clock):
    entry = entry_create(
        actor=editor, timeline=timeline, start=datetime.date(2021, 1, 1), precision="year", headline="Vote"
    )
    clock.tick()
    entry_update(
        entry=entry,
        actor=owner,
        start=datetime.date(2020, 6, 1),
        precision="month",
        headline="The vote",
        body="Text",
        place="New York",
        tags="un, vote",
        reason="Fixes",
    )
    clock.tick()
    citation_create(actor=editor, entry=entry, passage=passage, quote="voted unanimously")
    entry_set_status(entry=entry, actor=editor, status=Status.PUBLISHED)
    clock.tick()
    citation_create(actor=owner, entry=entry, passage=passage, stance=Stance.CONTRADICTS, quote="end the mission")
    clock.tick()
    pk = entry.pk
    entry_delete(entry=entry, actor=owner)
    clock.tick()
    entry_restore(timeline=timeline, entry_id=pk, actor=owner)

    history = EntryHistory(pk, timeline.pk)
    told = [(c.user.username, c.words, c.summary) for c in history.describe(history.changes)]
    assert told == [
        ("edgar", ["created"], ""),
        (
            "olivia",
            [
                "date 2021 → June 2020",
                "headline reworded",
                "body written",
                "place none → New York",
                "tag added: un",
                "tag added: vote",
            ],
            "Fixes",
        ),
        # Cited, then published a moment later: two actions, two changes.
        ("edgar", ["citation added: Mali votes ¶2 (supports)"], ""),
        ("edgar", ["published"], ""),
        ("olivia", ["citation added: Mali votes ¶2 (contradicts)"], ""),
        ("olivia", ["deleted with 2 citations"], ""),
        ("olivia", ["restored with 2 citations"], ""),
    ]
    # What the software said of them is no summary, and repeats their words: it is not shown beside them.
    assert [change.note for change in history.changes] == [""] * 7
    assert history.headline == "The vote"


def test_two_actions_a_moment_apart_stay_two_changes_each_reachable(timeline, editor, passages):
    entry = entry_create(actor=editor, timeline=timeline, start=datetime.date(2023, 6, 30), headline="The vote")
    first = citation_create(actor=editor, entry=entry, passage=passages[1], quote="voted unanimously")
    citation_create(actor=editor, entry=entry, passage=passages[2])  # no time passes between them
    citation_delete(citation=first, actor=editor, reason="Weaker quote")

    history = EntryHistory(entry.pk, timeline.pk)
    told = [(c.words, c.summary) for c in history.describe(history.changes)]
    assert [words for words, _ in told] == [
        ["created"],
        ["citation added: Mali votes ¶2 (supports)"],
        ["citation added: Mali votes ¶3 (supports)"],
        ["citation removed: Mali votes ¶2 (supports)"],
    ]
    assert told[-1][1] == "Weaker quote"
    both = history.states([history.changes[2]])[0]
    assert len(both.citations) == 2  # the state holding both citations can be compared and reverted to
