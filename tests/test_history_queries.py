"""History pages stay a fixed number of queries however long the history grows."""

import datetime

import pytest
from django.urls import reverse

from factline.history import EntryHistory
from factline.models import Citation, Entry, Membership
from factline.models.timelines import Role, Stance
from factline.services import citation_create, entry_create
from tests.conftest import PASSWORD

T0 = datetime.datetime(2024, 3, 1, 9, 0, tzinfo=datetime.UTC)


def revisions(entry: Entry, count: int, people: list, passage) -> None:
    """Add `count` edits to `entry`'s history, a citation added with every tenth: bulk inserts, no saves."""
    HistoricalEntry, HistoricalCitation = Entry.history.model, Citation.history.model
    edits, citations = [], []
    created = entry.history.get().history_date
    for i in range(count):
        at = created + datetime.timedelta(minutes=i + 1)
        person = people[i % len(people)]
        edits.append(
            HistoricalEntry(
                id=entry.pk,
                timeline_id=entry.timeline_id,
                start=datetime.date(2000 + i % 20, 1, 1),
                precision="year",
                headline=f"Headline, take {i}",
                body=f"Body text, take {i}, with a few more words.",
                place="Bamako" if i % 2 else "",
                version=i + 2,
                created=entry.created,
                updated=at,
                history_date=at,
                history_type="~",
                history_user=person,
                history_change_reason=f"Edit {i}",
            )
        )
        if i % 10 == 0:
            citations.append(
                HistoricalCitation(
                    id=10_000 + i,
                    entry_id=entry.pk,
                    passage_id=passage.pk,
                    stance=Stance.SUPPORTS,
                    quote=passage.text,
                    start=0,
                    end=len(passage.text),
                    created=at,
                    history_date=at + datetime.timedelta(milliseconds=5),
                    history_type="+",
                    history_user=person,
                )
            )
    HistoricalEntry.objects.bulk_create(edits, batch_size=500)
    HistoricalCitation.objects.bulk_create(citations, batch_size=500)


@pytest.fixture
def as_editor(client, editor):
    client.login(username=editor.username, password=PASSWORD)
    return client


@pytest.fixture
def entry(timeline, editor):
    return entry_create(actor=editor, timeline=timeline, start=datetime.date(2000, 1, 1), headline="Headline")


@pytest.mark.parametrize("count", [10, 1000])
def test_an_entrys_history_page_costs_the_same_queries_with_10_or_1000_revisions(
    as_editor, entry, editor, owner, passage, count, django_assert_max_num_queries
):
    revisions(entry, count, [editor, owner], passage)
    url = reverse("entry-history", args=[entry.timeline.slug, entry.pk])
    for page in (1, 2, 9999):
        with django_assert_max_num_queries(7):
            response = as_editor.get(url, {"page": page})
        assert response.status_code == 200
    assert f"Revision {count + 1}" in as_editor.get(url).content.decode()


@pytest.mark.parametrize("count", [10, 1000])
def test_comparing_two_revisions_costs_the_same_queries_with_10_or_1000_revisions(
    as_editor, entry, editor, owner, passage, count, django_assert_max_num_queries
):
    revisions(entry, count, [editor, owner], passage)
    history = EntryHistory(entry.pk, entry.timeline_id)
    first, last = history.changes[0].key, history.latest.key
    url = reverse("entry-compare", args=[entry.timeline.slug, entry.pk])
    with django_assert_max_num_queries(7):
        response = as_editor.get(url, {"from": first, "to": last})
    assert f"<ins>Headline, take {count - 1}</ins>" in response.content.decode()
    assert response.content.decode().count('class="citation-diff added"') == (count + 9) // 10
    with django_assert_max_num_queries(10):
        assert (
            as_editor.get(reverse("entry-revert", args=[entry.timeline.slug, entry.pk]), {"to": first}).status_code
            == 200
        )


def activity_rows(timeline, total: int, people: list, passage) -> None:
    """Fill `timeline`'s history with `total` rows of entries, citations and members: bulk inserts, no saves."""
    HistoricalEntry, HistoricalCitation = Entry.history.model, Citation.history.model
    HistoricalMembership = Membership.history.model
    entries = Entry.objects.bulk_create(
        [Entry(timeline=timeline, start=datetime.date(2000, 1, 1), headline=f"Entry {n}") for n in range(20)]
    )
    rows_entry, rows_citation, rows_member = [], [], []
    for i in range(total):
        at = T0 + datetime.timedelta(seconds=10 * i)
        person = people[i % len(people)]
        target = entries[i % len(entries)]
        if i % 10 == 0:
            rows_member.append(
                HistoricalMembership(
                    id=90_000 + i % 5,
                    timeline_id=timeline.pk,
                    user=person,
                    role=Role.EDITOR,
                    history_date=at,
                    history_type="~",
                    history_user=person,
                )
            )
        elif i % 3 == 0:
            rows_citation.append(
                HistoricalCitation(
                    id=50_000 + i,
                    entry_id=target.pk,
                    passage_id=passage.pk,
                    stance=Stance.CONTEXT,
                    quote=passage.text,
                    start=0,
                    end=len(passage.text),
                    created=at,
                    history_date=at,
                    history_type="+",
                    history_user=person,
                )
            )
        else:
            rows_entry.append(
                HistoricalEntry(
                    id=target.pk,
                    timeline_id=timeline.pk,
                    start=datetime.date(2000 + i % 30, 1, 1),
                    precision="year",
                    headline=f"Entry {i % 20}, take {i}",
                    version=i + 1,
                    created=at,
                    updated=at,
                    history_date=at,
                    history_type="~",
                    history_user=person,
                )
            )
    HistoricalEntry.objects.bulk_create(rows_entry, batch_size=1000)
    HistoricalCitation.objects.bulk_create(rows_citation, batch_size=1000)
    HistoricalMembership.objects.bulk_create(rows_member, batch_size=1000)


@pytest.mark.parametrize("total", [10, 10_000])
def test_the_activity_of_a_timeline_costs_the_same_queries_with_10_or_10000_rows(
    as_editor, timeline, editor, owner, passage, total, django_assert_max_num_queries
):
    activity_rows(timeline, total, [editor, owner], passage)
    entry = Entry.history.filter(timeline_id=timeline.pk).first()
    url = reverse("timeline-activity", args=[timeline.slug])
    for query in ({}, {"page": 2}, {"page": 250}, {"person": owner.pk}, {"entry": entry.id}):
        with django_assert_max_num_queries(16):
            response = as_editor.get(url, query)
        assert response.status_code == 200
    first = as_editor.get(url).content.decode()
    assert first.count('class="activity-row"') >= min(total, 40) // 3  # rows written together read as one


def test_the_deleted_entries_page_costs_the_same_queries_however_many_were_deleted(
    as_editor, timeline, editor, passage, django_assert_max_num_queries
):
    from factline.services import entry_delete

    for count in (2, 30):
        for n in range(count):
            doomed = entry_create(actor=editor, timeline=timeline, start=datetime.date(2000, 1, 1), headline=f"D{n}")
            citation_create(actor=editor, entry=doomed, passage=passage)
            entry_delete(entry=doomed, actor=editor)
        with django_assert_max_num_queries(6):
            response = as_editor.get(reverse("timeline-deleted", args=[timeline.slug]))
        assert response.content.decode().count(">Restore<") == min(Entry.history.filter(history_type="-").count(), 50)
