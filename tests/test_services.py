import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from factline.models import Citation, Entry, Membership, SourceRating
from factline.models.timelines import Role, Stance, Status
from factline.services import (
    EditConflict,
    ImportRefused,
    citation_create,
    citation_delete,
    entry_create,
    entry_delete,
    entry_set_status,
    entry_update,
    membership_remove,
    membership_set,
    source_import,
    source_rate,
    source_update,
    timeline_create,
)

JULY = datetime.date(2013, 7, 1)


@pytest.fixture
def entry(timeline, editor):
    return entry_create(actor=editor, timeline=timeline, start=JULY, precision="month", headline="MINUSMA starts")


def test_an_editor_adds_an_entry_with_who_and_why_in_its_history(timeline, editor):
    entry = entry_create(actor=editor, timeline=timeline, start=JULY, headline="Operational", reason="From 004")
    record = entry.history.get()
    assert (record.history_user, record.history_change_reason) == (editor, "From 004")


def test_a_viewer_and_an_outsider_can_change_nothing(timeline, entry, passage, viewer, outsider):
    for person in (viewer, outsider):
        with pytest.raises(PermissionDenied):
            entry_create(actor=person, timeline=timeline, start=JULY, headline="No")
        with pytest.raises(PermissionDenied):
            entry_update(entry=entry, actor=person, headline="No")
        with pytest.raises(PermissionDenied):
            citation_create(actor=person, entry=entry, passage=passage)
        with pytest.raises(PermissionDenied):
            entry_delete(entry=entry, actor=person)
    assert Entry.objects.get().headline == "MINUSMA starts"


def test_a_citation_stores_exactly_the_quoted_words(entry, passage, editor):
    citation = citation_create(actor=editor, entry=entry, passage=passage, quote="voted  unanimously")
    assert citation.quote == "voted unanimously"
    assert passage.text[citation.start : citation.end] == citation.quote
    assert citation.prefix == "The Security Council "
    assert citation.suffix.startswith(" on Friday")


def test_a_citation_without_a_quote_cites_the_whole_passage(entry, passage, editor):
    citation = citation_create(actor=editor, entry=entry, passage=passage)
    assert citation.quote == passage.text


def test_an_invented_quote_is_refused_next_to_the_quote(entry, passage, editor):
    with pytest.raises(ValidationError) as caught:
        citation_create(actor=editor, entry=entry, passage=passage, quote="voted narrowly")
    assert "quote" in caught.value.message_dict
    assert not Citation.objects.exists()


def test_publishing_needs_a_supporting_citation(entry, passage, editor):
    with pytest.raises(ValidationError, match="supports it"):
        entry_set_status(entry=entry, actor=editor, status=Status.PUBLISHED)
    citation_create(actor=editor, entry=entry, passage=passage, quote="voted unanimously")
    entry = entry_set_status(entry=entry, actor=editor, status=Status.PUBLISHED)
    assert entry.status == Status.PUBLISHED
    record = entry.history.first()
    assert (record.history_action, record.history_note, record.history_change_reason) == (
        "published",
        "Published",
        None,
    )


def test_a_save_from_an_old_version_is_refused_as_a_conflict(entry, editor, owner):
    entry_update(entry=entry, actor=owner, expected_version=1, headline="Owner's words")
    with pytest.raises(EditConflict) as caught:
        entry_update(entry=entry, actor=editor, expected_version=1, headline="Editor's words")
    assert caught.value.current.headline == "Owner's words"
    assert Entry.objects.get().version == 2
    assert entry.history.count() == 2


def test_a_refused_save_changes_nothing(entry, editor):
    with pytest.raises(ValidationError):
        entry_update(entry=entry, actor=editor, expected_version=1, headline="")
    assert Entry.objects.get().version == 1


def test_deleting_an_entry_records_it_and_its_citations(entry, passage, editor):
    citation_create(actor=editor, entry=entry, passage=passage)
    pk = entry.pk
    entry_delete(entry=entry, actor=editor, reason="Duplicate")
    last = Entry.history.filter(id=pk).first()
    assert (last.history_type, last.history_change_reason, last.history_user) == ("-", "Duplicate", editor)
    gone = Citation.history.first()
    assert (gone.history_type, gone.history_change_reason, gone.history_user) == ("-", "Duplicate", editor)


def test_removing_a_citation_is_recorded(entry, passage, editor):
    citation = citation_create(actor=editor, entry=entry, passage=passage, stance=Stance.CONTEXT)
    citation_delete(citation=citation, actor=editor)
    record = Citation.history.first()
    assert (record.history_action, record.history_note, record.history_change_reason) == (
        "uncited",
        "Citation removed",
        None,
    )


def test_the_last_support_is_kept_even_when_the_entry_was_published_after_the_citation_was_loaded(
    entry, passage, editor, owner
):
    citation_create(actor=editor, entry=entry, passage=passage)
    loaded = Citation.objects.select_related("entry__timeline").get()  # a page opened before the publish
    entry_set_status(entry=entry, actor=owner, status="published")
    with pytest.raises(ValidationError, match="only support of a published entry"):
        citation_delete(citation=loaded, actor=editor)
    assert Citation.objects.count() == 1


def test_only_owners_manage_members_and_a_timeline_keeps_an_owner(timeline, owner, editor, outsider):
    with pytest.raises(PermissionDenied):
        membership_set(timeline=timeline, actor=editor, username="oscar", role=Role.EDITOR)
    membership_set(timeline=timeline, actor=owner, username="oscar", role=Role.VIEWER)
    assert Membership.objects.get(user=outsider).role == Role.VIEWER
    with pytest.raises(ValidationError, match="no one with the username"):
        membership_set(timeline=timeline, actor=owner, username="nobody", role=Role.EDITOR)
    with pytest.raises(ValidationError, match="at least one owner"):
        membership_remove(membership=Membership.objects.get(user=owner), actor=owner)


def test_importing_refuses_bad_files_and_changes_nothing(db):
    source_import(data=b"Title\n\nBody.\n", origin="a.txt")
    for data, message in [
        (b"\xff\xfeT\x00", "not UTF-8 text"),
        (b"", "empty"),
        (b"\n  \n", "empty"),
        (b"Title\n\nBody.\n", "already imported"),
    ]:
        with pytest.raises(ImportRefused, match=message):
            source_import(data=data, origin="b.txt")
    from factline.models import Source

    assert Source.objects.count() == 1


def test_source_metadata_changes_are_recorded(source, editor, timeline):
    source_update(source=source, actor=editor, reason="Checked the masthead", publisher="Test Wire Ltd")
    record = source.history.first()
    assert (record.publisher, record.history_user, record.history_change_reason) == (
        "Test Wire Ltd",
        editor,
        "Checked the masthead",
    )


def test_a_source_is_rated_per_timeline_by_that_timelines_editors_only(source, editor, viewer, owner, timeline):
    other = timeline_create(actor=owner, title="Another desk")
    rating = source_rate(actor=editor, timeline=timeline, source=source, reliability="mixed", reason="Ads.")
    assert (rating.reliability, rating.reason, rating.history.first().history_user) == ("mixed", "Ads.", editor)
    assert not SourceRating.objects.filter(timeline=other).exists()
    for person, where in ((viewer, timeline), (editor, other)):  # a viewer here; an editor of another timeline
        with pytest.raises(PermissionDenied):
            source_rate(actor=person, timeline=where, source=source, reliability="unreliable")
    source_rate(actor=owner, timeline=other, source=source, reliability="reliable")
    ratings = dict(SourceRating.objects.values_list("timeline__title", "reliability"))
    assert ratings == {"Sahel watch": "mixed", "Another desk": "reliable"}
    source_rate(actor=editor, timeline=timeline, source=source, reliability="")
    assert list(SourceRating.objects.values_list("timeline__title", flat=True)) == ["Another desk"]
    assert [row.history_type for row in SourceRating.history.filter(timeline=timeline)] == ["-", "+"]


def test_the_database_allows_one_rating_per_timeline_and_source(source, timeline):
    from django.db import IntegrityError, transaction

    SourceRating.objects.create(timeline=timeline, source=source, reliability="mixed")
    with pytest.raises(IntegrityError), transaction.atomic():
        SourceRating.objects.create(timeline=timeline, source=source, reliability="reliable")
