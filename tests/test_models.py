"""The rules of the domain hold whoever writes: services, the admin, or a plain ORM save."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from factline.models import Citation, Entry, Source
from factline.models.timelines import Stance, Status


@pytest.fixture
def entry(timeline):
    return Entry.objects.create(timeline=timeline, start=datetime.date(2023, 6, 30), precision="day", headline="Vote")


def cite(entry, passage, quote, stance=Stance.SUPPORTS, start=None):
    start = passage.text.index(quote) if start is None else start
    return Citation.objects.create(
        entry=entry, passage=passage, quote=quote, start=start, end=start + len(quote), stance=stance
    )


def test_a_quote_that_is_not_in_its_passage_is_refused(entry, passage):
    with pytest.raises(ValidationError, match="word for word"):
        Citation.objects.create(entry=entry, passage=passage, quote="voted narrowly", start=0, end=14)
    assert not Citation.objects.exists()


def test_a_quote_whose_offsets_do_not_match_is_refused(entry, passage):
    with pytest.raises(ValidationError, match="word for word"):
        cite(entry, passage, "unanimously", start=0)


def test_a_boilerplate_passage_cannot_be_cited(entry, source):
    related = source.passages.get(boilerplate=True)
    assert related.boilerplate_reason == "related link"
    with pytest.raises(ValidationError, match="boilerplate"):
        cite(entry, related, "Another story")


def test_an_entry_without_support_cannot_be_published(entry, passage):
    cite(entry, passage, "voted unanimously", stance=Stance.CONTEXT)
    entry.status = Status.PUBLISHED
    with pytest.raises(ValidationError, match="at least one citation supports it"):
        entry.save()
    assert Entry.objects.get(pk=entry.pk).status == Status.DRAFT


def test_a_new_entry_cannot_be_created_published(timeline):
    with pytest.raises(ValidationError, match="at least one citation supports it"):
        Entry.objects.create(timeline=timeline, start=datetime.date(2013, 1, 1), headline="X", status="published")


def test_an_entry_with_support_can_be_published(entry, passage):
    cite(entry, passage, "voted unanimously")
    entry.status = Status.PUBLISHED
    entry.save()
    assert Entry.objects.get(pk=entry.pk).is_published


def test_the_only_support_of_a_published_entry_cannot_be_removed_or_turned(entry, passage):
    support = cite(entry, passage, "voted unanimously")
    entry.status = Status.PUBLISHED
    entry.save()
    with pytest.raises(ValidationError, match="only support"):
        support.delete()
    support.stance = Stance.CONTRADICTS
    with pytest.raises(ValidationError, match="only support"):
        support.save()
    assert Citation.objects.get(pk=support.pk).stance == Stance.SUPPORTS


def test_an_entry_with_support_and_contradiction_is_disputed(entry, source, passage):
    cite(entry, passage, "voted unanimously")
    assert not Entry.objects.get(pk=entry.pk).disputed
    cite(entry, source.passages.get(number=3), "13,000 peacekeepers", stance=Stance.CONTRADICTS)
    assert Entry.objects.get(pk=entry.pk).disputed


def test_an_end_before_the_start_is_refused_by_the_model(entry):
    entry.end, entry.end_precision = datetime.date(2020, 1, 1), "year"
    with pytest.raises(ValidationError, match="end must come after the start"):
        entry.save()


def test_an_end_before_the_start_is_refused_by_the_database(entry):
    with pytest.raises(IntegrityError), transaction.atomic():
        Entry.objects.filter(pk=entry.pk).update(end=datetime.date(2020, 1, 1), end_precision="year")


@pytest.mark.parametrize(("field", "value"), [("status", "secret"), ("precision", "era")])
def test_the_database_refuses_unknown_choices_on_entries(entry, field, value):
    with pytest.raises(IntegrityError), transaction.atomic():
        Entry.objects.filter(pk=entry.pk).update(**{field: value})


def test_the_database_refuses_an_unknown_stance_and_empty_offsets(entry, passage):
    citation = cite(entry, passage, "voted unanimously")
    with pytest.raises(IntegrityError), transaction.atomic():
        Citation.objects.filter(pk=citation.pk).update(stance="maybe")
    with pytest.raises(IntegrityError), transaction.atomic():
        Citation.objects.filter(pk=citation.pk).update(end=citation.start)


def test_a_sources_text_never_changes(source):
    source.text = source.text.replace("unanimously", "narrowly")
    with pytest.raises(ValidationError, match="never changes"):
        source.save()
    assert "unanimously" in Source.objects.get(pk=source.pk).text


def test_partial_dates_sort_by_their_start_whatever_the_precision(timeline):
    for start, precision, headline in [
        (datetime.date(2013, 7, 1), "day", "operational"),
        (datetime.date(2012, 1, 1), "year", "insurgency"),
        (datetime.date(2013, 4, 1), "month", "resolution"),
        (datetime.date(2013, 1, 1), "year", "deployed"),
    ]:
        Entry.objects.create(timeline=timeline, start=start, precision=precision, headline=headline)
    assert [e.headline for e in timeline.entries.all()] == ["insurgency", "deployed", "resolution", "operational"]


def test_every_tracked_write_leaves_a_history_record(entry, passage):
    citation = cite(entry, passage, "voted unanimously")
    entry.headline = "The vote"
    entry.save()
    citation.delete()
    assert [h.history_type for h in entry.history.order_by("history_id")] == ["+", "~"]
    assert [h.history_type for h in Citation.history.order_by("history_id")] == ["+", "-"]
