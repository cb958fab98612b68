"""Reads: what each page shows, fetched in a fixed number of queries, limited to what the user may see."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Count, Exists, Max, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.http import Http404

from factline.models import Citation, Entry, Membership, Passage, Source, Timeline
from factline.models.timelines import Stance

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser


def timelines_for(user: AbstractBaseUser) -> QuerySet[Timeline]:
    """The timelines `user` belongs to, with their role, entry count and last change."""
    role = Membership.objects.filter(timeline=OuterRef("pk"), user=user).values("role")[:1]
    # The history sees deletions too, which the entries table cannot.
    last_entry_change = (
        Entry.history.filter(timeline_id=OuterRef("pk")).order_by("-history_date").values("history_date")[:1]
    )
    return (
        Timeline.objects.filter(memberships__user=user)
        .annotate(
            role=Subquery(role),
            entry_count=Count("entries", distinct=True),
            last_entry_change=Subquery(last_entry_change),
        )
        .order_by("title", "id")
    )


def timeline_for(user: AbstractBaseUser, slug: str) -> Timeline:
    """The timeline with `slug` and the user's `role` on it; 404 for anyone who is not a member."""
    if not user.is_authenticated:
        raise Http404("No such timeline.")
    role = Membership.objects.filter(timeline=OuterRef("pk"), user=user).values("role")[:1]
    timeline = Timeline.objects.annotate(role=Subquery(role)).filter(slug=slug, role__isnull=False).first()
    if timeline is None:
        raise Http404("No such timeline.")
    return timeline


def citations_with_sources() -> QuerySet[Citation]:
    return Citation.objects.select_related("passage__source").order_by("id")


def entries_of(timeline: Timeline) -> QuerySet[Entry]:
    """A timeline's entries in date order, each with its citations, passages and sources."""
    return (
        Entry.objects.filter(timeline=timeline)
        .prefetch_related(Prefetch("citations", queryset=citations_with_sources()))
        .order_by("start", "id")
    )


def entry_after(entry: Entry) -> Entry | None:
    """The entry that follows `entry` in date order on its timeline."""
    return (
        Entry.objects.filter(timeline_id=entry.timeline_id)
        .filter(Q(start__gt=entry.start) | Q(start=entry.start, id__gt=entry.pk))
        .order_by("start", "id")
        .first()
    )


def with_dispute_flags(entries: QuerySet[Entry]) -> QuerySet[Entry]:
    """Annotate entries so they can be filtered by support and dispute in the database."""
    supports = Citation.objects.filter(entry=OuterRef("pk"), stance=Stance.SUPPORTS)
    contradicts = Citation.objects.filter(entry=OuterRef("pk"), stance=Stance.CONTRADICTS)
    return entries.annotate(has_support=Exists(supports), has_contradiction=Exists(contradicts))


def filter_entries(entries: QuerySet[Entry], *, status: str = "", tag: str = "", flag: str = "") -> QuerySet[Entry]:
    """Apply the editor page's filters in the database."""
    if status:
        entries = entries.filter(status=status)
    if tag:
        tag = tag.strip().lower()
        entries = entries.filter(
            Q(tags=tag) | Q(tags__startswith=f"{tag},") | Q(tags__endswith=f", {tag}") | Q(tags__contains=f", {tag},")
        )
    if flag:
        entries = with_dispute_flags(entries)
        if flag == "disputed":
            entries = entries.filter(has_support=True, has_contradiction=True)
        elif flag == "unsupported":
            entries = entries.filter(has_support=False)
    return entries


def changes_since(timeline: Timeline, since, *, excluding: AbstractBaseUser | None = None) -> list:
    """Entry and citation history rows of `timeline` after `since`, newest first, by people other than `excluding`."""
    entry_ids = Entry.history.filter(timeline_id=timeline.pk).values("id")
    rows = [
        *Entry.history.filter(timeline_id=timeline.pk, history_date__gt=since).select_related("history_user"),
        *Citation.history.filter(entry_id__in=entry_ids, history_date__gt=since).select_related("history_user"),
    ]
    if excluding is not None:
        rows = [row for row in rows if row.history_user_id != excluding.pk]
    return sorted(rows, key=lambda row: row.history_date, reverse=True)


def sources_with_passages() -> QuerySet[Source]:
    return Source.objects.prefetch_related(Prefetch("passages", queryset=Passage.objects.order_by("number")))


def source_for(user: AbstractBaseUser, pk: int) -> Source:
    """A source of the shared library, for any signed-in editor."""
    if not user.is_authenticated:
        raise Http404("No such source.")
    source = Source.objects.filter(pk=pk).first()
    if source is None:
        raise Http404("No such source.")
    return source


def source_reading(user: AbstractBaseUser, source: Source) -> list[Passage]:
    """A source's passages, each with `.citing`: the citations from timelines `user` belongs to."""
    visible = Citation.objects.filter(entry__timeline__memberships__user=user).select_related("entry__timeline")
    passages = list(
        source.passages.order_by("number").prefetch_related(Prefetch("citations", queryset=visible, to_attr="citing"))
    )
    return passages


def last_change(timeline: Timeline):
    return Entry.objects.filter(timeline=timeline).aggregate(at=Max("updated"))["at"] or timeline.updated


def attach_citations(entries: list[Entry], citations: list[Citation]) -> list[Entry]:
    """Make `entry.citations.all()` answer from `citations` without a query (as prefetch_related does)."""
    by_entry: dict[int, list[Citation]] = {}
    for citation in citations:
        by_entry.setdefault(citation.entry_id, []).append(citation)
    for entry in entries:
        cached = Citation.objects.none()
        cached._result_cache = sorted(by_entry.get(entry.pk, []), key=lambda c: c.pk)
        cached._prefetch_done = True
        entry._prefetched_objects_cache = {"citations": cached}
    return entries


def entries_as_of(timeline: Timeline, when) -> list[Entry]:
    """The timeline's entries and their citations exactly as they stood at `when`, in date order."""
    entries = sorted(
        Entry.history.as_of(when).filter(timeline_id=timeline.pk),
        key=lambda e: (e.start, e.pk),
    )
    citations = list(Citation.history.as_of(when).filter(entry_id__in=[e.pk for e in entries]))
    passages = Passage.objects.select_related("source").in_bulk({c.passage_id for c in citations})
    for citation in citations:
        citation.passage = passages[citation.passage_id]
    return attach_citations(entries, citations)
