"""A timeline's activity, its deleted entries, and a source's history: reads in a fixed number of queries."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.core.paginator import Page
from django.db.models import BigIntegerField, CharField, F, OuterRef, Q, QuerySet, Subquery, Value

from factline.history.rows import (
    CITATION,
    ENTRY,
    GROUP_WINDOW,
    MEMBER,
    SNAPSHOT,
    TIMELINE,
    Change,
    Historical,
    Row,
    group,
    note_and_summary,
    same_person,
)
from factline.history.words import record_words, source_words, tell
from factline.models import Citation, Entry, Membership, Snapshot, Source, Timeline
from factline.people import display_name


def activity(
    timeline: Timeline,
    *,
    user_id: int | None = None,
    entry_id: int | None = None,
    since: datetime.datetime | None = None,
    not_by: int | None = None,
) -> QuerySet:
    """Light rows (history id, date, person, kind, entry) of every change to `timeline`, newest first: one query.

    `since` keeps the changes after that moment; `not_by` leaves out one person's (the reader's own).
    """

    def light(queryset: QuerySet, kind: str, entry_ref) -> QuerySet:
        if user_id is not None:
            queryset = queryset.filter(history_user_id=user_id)
        if since is not None:
            queryset = queryset.filter(history_date__gt=since)
        if not_by is not None:
            queryset = queryset.exclude(history_user_id=not_by)
        queryset = queryset.order_by().annotate(kind=Value(kind, CharField()), entry_ref=entry_ref)
        return queryset.values_list(
            "history_id", "history_date", "history_user_id", "kind", "entry_ref", "history_change"
        )

    no_entry = Value(None, BigIntegerField())
    entries, citations, timelines, members, snapshots = _timeline_histories(timeline)
    if entry_id is not None:
        entries, citations = entries.filter(id=entry_id), citations.filter(entry_id=entry_id)
    parts = [light(entries, ENTRY, F("id")), light(citations, CITATION, F("entry_id"))]
    if entry_id is None:
        parts += [light(timelines, TIMELINE, no_entry), light(members, MEMBER, no_entry)]
        parts += [light(snapshots, SNAPSHOT, no_entry)]
    return parts[0].union(*parts[1:], all=True).order_by("-history_date", "kind", "-history_id")


def _timeline_histories(timeline: Timeline) -> list[QuerySet]:
    entries = Entry.history.filter(timeline_id=timeline.pk)
    return [
        entries,
        Citation.history.filter(entry_id__in=entries.order_by().values("id")),
        Timeline.history.filter(id=timeline.pk),
        Membership.history.filter(timeline_id=timeline.pk),
        Snapshot.history.filter(timeline_id=timeline.pk),
    ]


MODELS: dict[str, type[Entry | Citation | Timeline | Membership | Snapshot]] = {
    ENTRY: Entry,
    CITATION: Citation,
    TIMELINE: Timeline,
    MEMBER: Membership,
    SNAPSHOT: Snapshot,
}
RELATED = {
    ENTRY: ("history_user",),
    CITATION: ("history_user", "passage__source"),
    TIMELINE: ("history_user",),
    MEMBER: ("history_user", "user"),
    SNAPSHOT: ("history_user",),
}


def _earlier(history) -> Subquery:
    """The history id of the row before the outer row for the same object."""
    return Subquery(
        history.filter(id=OuterRef("id"))
        .filter(
            Q(history_date__lt=OuterRef("history_date"))
            | Q(history_date=OuterRef("history_date"), history_id__lt=OuterRef("history_id"))
        )
        .order_by("-history_date", "-history_id")
        .values("history_id")[:1]
    )


def with_previous(kind: str, history_ids: Iterable[int]) -> dict[int, tuple[Historical, Historical | None]]:
    """Full rows of one kind by history id, each with the row before it for the same object: two queries."""
    history = MODELS[kind].history
    rows = list(
        history.select_related(*RELATED[kind])
        .filter(history_id__in=list(history_ids))
        .annotate(before=_earlier(history))
    )
    previous = history.select_related(*RELATED[kind]).in_bulk([row.before for row in rows if row.before])
    return {row.history_id: (row, previous.get(row.before)) for row in rows}


def whole_changes(rows: QuerySet, page: Page, *, reach: int = 400) -> list[tuple]:
    """The `activity` rows of `page`, its edges moved so that a page never cuts one change in two: one query.

    A change whose rows straddle the end of the page is shown whole here (up to `reach` rows past the
    edge), so the next page leaves off the rows of it that it begins with.
    """
    if not page.paginator.count:
        return []
    first, end = page.start_index() - 1, page.end_index()  # the page's rows are first..end-1, from 0
    lead = 1 if first > 0 else 0
    window = list(rows[first - lead : end + reach])
    before, own, after = window[:lead], window[lead : lead + end - first], window[lead + end - first :]
    mark = 5  # the change mark's place in a row; rows written before marks existed never join
    if before and before[0][mark] is not None:
        while own and own[0][mark] == before[0][mark]:
            own.pop(0)
    if own and own[-1][mark] is not None:
        for row in after:
            if row[mark] != own[-1][mark]:
                break
            own.append(row)
    return own


def activity_changes(page_rows: list[tuple]) -> list[Change]:
    """One page of `activity` rows loaded and told in words; an entry's rows written together read as one."""
    by_kind: dict[str, list[int]] = {}
    for history_id, _at, _user, kind, _entry, _change in page_rows:
        by_kind.setdefault(kind, []).append(history_id)
    loaded = {kind: with_previous(kind, ids) for kind, ids in by_kind.items()}
    changes: list[Change] = []
    per_entry: dict[int, list[Row]] = {}
    for history_id, at, user_id, kind, entry_ref, mark in page_rows:
        row = Row(kind, history_id, entry_ref or 0, at, user_id, "", mark)
        if kind in (ENTRY, CITATION):
            per_entry.setdefault(entry_ref, []).append(row)
        else:
            changes.append(Change(0, [row]))
    for rows in per_entry.values():
        changes += group(rows)
    titles = headlines(per_entry) if per_entry else {}
    for change in changes:
        pairs = [loaded[row.kind][row.history_id] for row in change.rows]
        kind = change.rows[0].kind
        if kind in (TIMELINE, MEMBER, SNAPSHOT):
            row, previous = pairs[0]
            change.words = record_words(kind, row, previous)
            change.user = row.history_user
            change.note, change.summary = note_and_summary(row)
        else:
            tell(change, pairs)
            if change.entry_id is not None:
                change.headline = change.headline or titles.get(change.entry_id, "")
    return sorted(changes, key=lambda change: (change.at, change.rows[-1].history_id), reverse=True)


def headlines(entry_ids: Iterable[int]) -> dict[int, str]:
    """The latest headline of each entry: live ones from the entries table, deleted ones from their deletion."""
    ids = set(entry_ids)
    found = dict(Entry.objects.filter(pk__in=ids).values_list("id", "headline"))
    if ids - set(found):
        deletions = Entry.history.filter(id__in=ids - set(found), history_type="-")
        found |= dict(deletions.order_by("history_date", "history_id").values_list("id", "headline"))  # latest wins
    return found


def activity_people(timeline: Timeline) -> list[tuple[int, str]]:
    """Members and everyone who changed anything on `timeline`, as (id, display name) by name: two queries."""
    parts = [history.order_by().values_list("history_user_id") for history in _timeline_histories(timeline)]
    ids = {user_id for (user_id,) in parts[0].union(*parts[1:]) if user_id is not None}
    people = get_user_model().objects.filter(Q(pk__in=ids) | Q(memberships__timeline=timeline)).distinct()
    return sorted(((person.pk, display_name(person)) for person in people), key=lambda pair: pair[1].lower())


# -- deleted entries and sources --


def deleted_entries(timeline: Timeline) -> QuerySet:
    """The timeline's deleted entries, each as its deletion row with who deleted it, newest first: one query."""
    latest = Entry.history.filter(id=OuterRef("id")).order_by("-history_date", "-history_id").values("history_id")[:1]
    return (
        Entry.history.filter(timeline_id=timeline.pk, history_type="-")
        .exclude(id__in=Entry.objects.values("id"))
        .filter(history_id=Subquery(latest))
        .select_related("history_user")
        .order_by("-history_date", "-history_id")
    )


@dataclass(frozen=True)
class DeletedEntry:
    """A deleted entry as the list of deleted entries shows it."""

    row: Historical  # its deletion row, with who deleted it
    citation_count: int  # the citations deleted with it
    note: str
    summary: str


def deleted_with_citations(rows: list[Historical]) -> list[DeletedEntry]:
    """Each deletion row with how many citations it took with it (removed by the same person in the same change)."""
    if not rows:
        return []
    by_entry = {row.id: row for row in rows}
    counts = dict.fromkeys(by_entry, 0)
    removed = Citation.history.filter(entry_id__in=list(by_entry), history_type="-").values_list(
        "entry_id", "history_date", "history_user_id", "history_change"
    )
    for entry_id, at, user_id, mark in removed.order_by():
        deletion = by_entry[entry_id]
        if deletion.history_change is not None:
            counts[entry_id] += mark == deletion.history_change
        elif same_person(user_id, deletion.history_user_id) and abs(deletion.history_date - at) <= GROUP_WINDOW:
            counts[entry_id] += 1
    return [DeletedEntry(row, counts[row.id], *note_and_summary(row)) for row in rows]


def source_history(source: Source) -> QuerySet:
    """A source's history rows, newest first, each annotated with the history id of the row before it."""
    return (
        Source.history.filter(id=source.pk)
        .select_related("history_user")
        .annotate(before=_earlier(Source.history))
        .order_by("-history_date", "-history_id")
    )


@dataclass(frozen=True)
class SourceChange:
    """One change of a source's details or rating, told in words against the row before it."""

    row: Historical
    words: list[str]
    note: str
    summary: str
    who: str  # the person's username, if the viewer's timelines may see them; else who they are to the viewer


SOMEONE_ELSE = "someone from another timeline"


def people_seen_by(viewer) -> set[int]:
    """The ids of the people the viewer may know by name: the viewer and the members of the viewer's timelines."""
    shared = Membership.objects.filter(timeline__memberships__user=viewer).values_list("user_id", flat=True)
    return {viewer.pk, *shared}


def tell_source_rows(rows: list[Historical], viewer) -> list[SourceChange]:
    """`rows` of `source_history` told in words for `viewer`: two queries.

    The library of sources is shared by every timeline, but who works on a timeline is its members'
    business: a change by someone the viewer shares no timeline with is told without their name.
    """
    previous = Source.history.in_bulk([row.before for row in rows if row.before])
    known = people_seen_by(viewer)

    def who(row: Historical) -> str:
        if row.history_user_id is None:
            return "system"
        return display_name(row.history_user) if row.history_user_id in known else SOMEONE_ELSE

    return [
        SourceChange(row, source_words(row, previous.get(row.before)), *note_and_summary(row), who=who(row))
        for row in rows
    ]
