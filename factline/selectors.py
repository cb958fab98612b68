"""Reads: what each page shows, fetched in a fixed number of queries, limited to what the user may see."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied
from django.db.models import (
    BooleanField,
    Count,
    Exists,
    F,
    IntegerField,
    Model,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce, Greatest
from django.utils import timezone
from simple_history.manager import HistoricalQuerySet

from factline import dates
from factline.models import (
    Citation,
    Comment,
    DateMention,
    Entry,
    Invitation,
    Membership,
    Mention,
    Passage,
    Snapshot,
    Source,
    SourceRating,
    Timeline,
    Watch,
)
from factline.models.timelines import ARCHIVED_MESSAGE, RESTORE_DAYS, Role, Stance, Status

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser, User


class NotFound(Exception):
    """What was asked for does not exist, or not for this person: answered with the 404 page (see middleware.py)."""


class Moved(NotFound):
    """The timeline had this address before; middleware.NotFoundMiddleware redirects to the same page at `slug`."""

    def __init__(self, old: str, slug: str) -> None:
        super().__init__(f"This timeline's address is now {slug}.")
        self.old = old
        self.slug = slug


@dataclass(frozen=True)
class PassageReading:
    """A passage of a source, and the citations of it that the reader may see."""

    passage: Passage
    citing: list[Citation]


def timelines_for(user: User) -> QuerySet[Timeline]:
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


def timeline_for(user: User | AnonymousUser, slug: str, *, at_least: str | None = None) -> Timeline:
    """The timeline with `slug` and the user's `role` on it (so `can_edit`, `can_manage`); NotFound for non-members.

    With `at_least` (a Role), members with a lesser role get PermissionDenied (403).
    """
    if not user.is_authenticated:
        raise NotFound("No such timeline.")
    role = Membership.objects.filter(timeline=OuterRef("pk"), user=user).values("role")[:1]
    timeline = Timeline.objects.annotate(role=Subquery(role)).filter(slug=slug, role__isnull=False).first()
    if timeline is None:
        # An old address of a timeline this person may see leads to its address now; to others it is not there.
        moved_to = (
            Timeline.objects.filter(old_addresses__slug=slug, memberships__user=user).values_list("slug", flat=True)
        ).first()
        if moved_to is not None:
            raise Moved(slug, moved_to)
        raise NotFound("No such timeline.")
    if at_least is not None and not Role(timeline.role).covers(at_least):
        raise PermissionDenied(f"Only {Role(at_least).label.lower()}s of this timeline may do that.")
    if at_least is not None and at_least == Role.EDITOR and timeline.is_archived:
        raise PermissionDenied(ARCHIVED_MESSAGE)
    return timeline


def deleted_timelines_for(user: User) -> list[Timeline]:
    """The deleted timelines `user` owns that may still be restored, newest deletion first: one query."""
    since = timezone.now() - datetime.timedelta(days=RESTORE_DAYS)
    return list(
        Timeline.everything.filter(
            deleted_at__gte=since, memberships__user=user, memberships__role=Role.OWNER
        ).order_by("-deleted_at", "id")
    )


def deleted_timeline_for(user: User, pk: int) -> Timeline:
    """A deleted timeline `user` owns and may restore; NotFound otherwise."""
    found = next((timeline for timeline in deleted_timelines_for(user) if timeline.pk == pk), None)
    if found is None:
        raise NotFound("No such deleted timeline.")
    return found


# A list longer than this shows one year at a time: a thousand entries' blocks with their forms are
# megabytes (issue 11), where a year's are a page. The jump-to-year links then go to each year's page.
YEAR_PAGES_FROM = 200


@dataclass(frozen=True)
class YearPages:
    """The years a list of entries falls in, and the one shown (None: all, on one page)."""

    years: list[int]
    year: int | None

    def of(self, entries: QuerySet[Entry]) -> QuerySet[Entry]:
        return entries if self.year is None else entries.filter(start__year=self.year)


def year_pages(entries: QuerySet[Entry], year: int | None = None) -> YearPages:
    """Which year of `entries` a page shows: `year` if asked, else the latest once they are many; one query."""
    counts = dict(entries.order_by().values_list("start__year").annotate(n=Count("id")).values_list("start__year", "n"))
    years = sorted(counts)
    if year is None and sum(counts.values()) > YEAR_PAGES_FROM:
        year = years[-1]
    return YearPages(years, year)


def year_anchors(entries: QuerySet[Entry]) -> QuerySet[Entry]:
    """`entries`, light, in date order: what the jump-to-year links need."""
    return entries.only("pk", "start", "precision").order_by(*dates.entry_order())


def citations_with_sources() -> QuerySet[Citation]:
    """Citations with their passages and sources, and `rating`/`rating_reason`: their own timeline's rating.

    The sources come without their full text: it is evidence kept whole (an article, often hundreds
    of KB) that pages showing passages never read, and fetched with every citation it was most of a
    big page's time and memory. The same holds wherever passages are read with their sources.
    """
    rating = SourceRating.objects.filter(
        timeline_id=OuterRef("entry__timeline_id"), source_id=OuterRef("passage__source_id")
    )
    return (
        Citation.objects.select_related("passage__source")
        .defer("passage__source__text")
        .annotate(
            rating=Subquery(rating.values("reliability")[:1]),
            rating_reason=Subquery(rating.values("reason")[:1]),
        )
        .order_by("id")
    )


def rows_as_of(model: type[Model], when, **scope) -> HistoricalQuerySet:
    """The historical rows of `model` as they stood at `when`: each object's latest row at or before it,
    among the rows matching `scope`, deleted objects left out. Call `.as_instances()` for the objects.

    The same rows as simple-history's `Model.history.as_of(when).filter(**scope)`, read the fast way:
    that one asks, of every row, whether a later row of its object exists, which walked every row of
    an object with a thousand revisions, for each of them (seconds at a thousand entries, issue 11).
    Here the scope narrows first (an indexed column), then each remaining row is kept only if it is
    its object's latest: one probe into the (id, history_date) index (changes.History). Two rows of
    one object at the very same instant, which as_of() would both return, give the later-written one.
    """
    history = model.history  # type: ignore[attr-defined]
    latest = (
        history.filter(id=OuterRef("id"), history_date__lte=when)
        .order_by("-history_date", "-history_id")
        .values("history_id")[:1]
    )
    rows = history.filter(history_date__lte=when, **scope).filter(history_id=Subquery(latest))
    rows._as_of = when  # what as_of() would set: each object's `history.as_of` says the moment
    return rows.exclude(history_type="-")


def ratings_as_of(timeline_id: int, when) -> dict[int, tuple[str, str]]:
    """A timeline's ratings as they stood at `when`: {source id: (reliability, reason)}, one query."""
    then = rows_as_of(SourceRating, when, timeline_id=timeline_id)
    return {rating.source_id: (rating.reliability, rating.reason) for rating in then}


def timelines_to_rate_on(user: User, limit: int = 200) -> list[Timeline]:
    """The timelines `user` edits (and so may rate sources for), by title: one query."""
    return list(
        Timeline.objects.filter(memberships__user=user, memberships__role__in=Role.at_least(Role.EDITOR))
        .only("pk", "slug", "title")
        .order_by("title", "id")[:limit]
    )


def source_ratings(user: User, source: Source) -> list[SourceRating]:
    """The ratings of `source` by the timelines `user` belongs to, with their timelines: one query."""
    return list(
        SourceRating.objects.filter(source=source, timeline__memberships__user=user)
        .select_related("timeline")
        .order_by("timeline__title", "timeline_id")
    )


class CountOf(Subquery):
    """How many rows a (correlated) queryset has, as a subquery: no GROUP BY to get right."""

    template = "(SELECT COUNT(*) FROM (%(subquery)s) counted)"
    output_field = IntegerField()


def entries_of(timeline: Timeline) -> QuerySet[Entry]:
    """A timeline's entries in date order, each with its citations, passages, sources and `comment_count`."""
    comments = Comment.objects.filter(entry=OuterRef("pk"), deleted__isnull=True).order_by().values("pk")
    return (
        Entry.objects.filter(timeline=timeline)
        .select_related("review_requested_by")
        .annotate(comment_count=CountOf(comments))
        .prefetch_related(Prefetch("citations", queryset=citations_with_sources()))
        .order_by(*dates.entry_order())
    )


def review_entries(timeline: Timeline) -> QuerySet[Entry]:
    """The entries the review queue's rules look at: the timeline's."""
    return Entry.objects.filter(timeline=timeline)


def entry_after(entry: Entry, among: QuerySet[Entry]) -> Entry | None:
    """The entry of `among` that follows `entry` in date order."""
    rank = dates.PRECISION_RANK.get(entry.precision, len(dates.PRECISION_RANK))
    coarser = [precision for precision, n in dates.PRECISION_RANK.items() if n <= rank]
    same_rank = [precision for precision, n in dates.PRECISION_RANK.items() if n == rank]
    after = (
        Q(start__gt=entry.start)
        | (Q(start=entry.start) & ~Q(precision__in=coarser))
        | Q(start=entry.start, precision__in=same_rank, id__gt=entry.pk)
    )
    return among.filter(after).order_by(*dates.entry_order()).first()


def dispute_flags() -> tuple[Exists, Exists]:
    """Whether an entry has a supporting citation, and whether it has a contradicting one: to filter by."""
    supports = Citation.objects.filter(entry=OuterRef("pk"), stance=Stance.SUPPORTS)
    contradicts = Citation.objects.filter(entry=OuterRef("pk"), stance=Stance.CONTRADICTS)
    return Exists(supports), Exists(contradicts)


def filter_entries(entries: QuerySet[Entry], *, status: str = "", tag: str = "", flag: str = "") -> QuerySet[Entry]:
    """Apply the editor page's filters in the database."""
    if status:
        entries = entries.filter(status=status)
    if tag:
        tag = tag.strip().lower()
        entries = entries.filter(
            Q(tags=tag) | Q(tags__startswith=f"{tag},") | Q(tags__endswith=f", {tag}") | Q(tags__contains=f", {tag},")
        )
    supported, contradicted = dispute_flags()
    if flag == "disputed":
        entries = entries.filter(supported, contradicted)
    elif flag == "unsupported":
        entries = entries.filter(~supported)
    return entries


@dataclass(frozen=True)
class ChangeNotice:
    """One change the editor page tells about: who changed which entry, how, and when."""

    kind: str  # "entry", or "citation" for a change to one of the entry's citations
    type: str  # simple-history's "+", "~" or "-"
    user: User | None
    headline: str  # the entry's headline then; for a citation, the entry's latest (a deleted one's too)
    at: datetime.datetime


def changes_since(timeline: Timeline, since: datetime.datetime, *, excluding: User | None = None) -> list[ChangeNotice]:
    """Entry and citation changes of `timeline` after `since`, newest first, by people other than `excluding`."""
    entry_ids = Entry.history.filter(timeline_id=timeline.pk).values("id")
    entries = Entry.history.filter(timeline_id=timeline.pk, history_date__gt=since).select_related("history_user")
    citations = Citation.history.filter(entry_id__in=entry_ids, history_date__gt=since).select_related("history_user")
    if excluding is not None:
        entries, citations = entries.exclude(history_user=excluding), citations.exclude(history_user=excluding)
    citation_rows = list(citations)
    headlines = {}
    if citation_rows:
        latest = Entry.history.filter(id__in={row.entry_id for row in citation_rows}).order_by(
            "history_date", "history_id"
        )
        headlines = dict(latest.values_list("id", "headline"))  # each entry's latest row comes last, and wins
    notices = [
        ChangeNotice("entry", row.history_type, row.history_user, row.headline, row.history_date) for row in entries
    ]
    notices += [
        ChangeNotice("citation", row.history_type, row.history_user, headlines.get(row.entry_id, ""), row.history_date)
        for row in citation_rows
    ]
    return sorted(notices, key=lambda notice: notice.at, reverse=True)


def sources_with_passages() -> QuerySet[Source]:
    """Sources without their full text (their passages hold it, piece by piece), each with its passages in order."""
    return Source.objects.defer("text").prefetch_related(
        Prefetch("passages", queryset=Passage.objects.order_by("number"))
    )


def source_for(user: User | AnonymousUser, pk: int) -> Source:
    """A source of the shared library, for any signed-in editor."""
    if not user.is_authenticated:
        raise NotFound("No such source.")
    source = Source.objects.filter(pk=pk).first()
    if source is None:
        raise NotFound("No such source.")
    return source


def source_reading(user: User, source: Source, only: int | None = None) -> list[PassageReading]:
    """A source's passages (or only the one with pk `only`), their dates and the citations `user` may see: 3 queries."""
    passages = source.passages.order_by("number").prefetch_related("date_mentions")
    visible = Citation.objects.filter(entry__timeline__memberships__user=user, passage__source=source)
    if only is not None:
        passages, visible = passages.filter(pk=only), visible.filter(passage_id=only)
    citing: dict[int, list[Citation]] = {}
    ordered = visible.select_related("entry__timeline").order_by(
        "entry__timeline__title", "entry__start", "entry_id", "id"
    )
    for citation in ordered:
        citing.setdefault(citation.passage_id, []).append(citation)
    return [PassageReading(passage, citing.get(passage.pk, [])) for passage in passages]


def mention_for(user: User | AnonymousUser, pk: object) -> DateMention | None:
    """A resolved date in a citable passage, with its passage and source, for "New entry from this date"."""
    if not user.is_authenticated or not str(pk).isdecimal():
        return None
    mentions = DateMention.objects.select_related("passage__source").defer("passage__source__text")
    mentions = mentions.filter(passage__boilerplate=False, value__isnull=False)
    return mentions.filter(pk=int(str(pk))).first()


def editable_timelines(user: User) -> QuerySet[Timeline]:
    """The timelines `user` may add entries to."""
    editors = Membership.objects.filter(user=user, role__in=Role.at_least(Role.EDITOR)).values("timeline_id")
    return Timeline.objects.filter(pk__in=editors).order_by("title", "id")


def editable_entry(user: User | AnonymousUser, pk: str | None) -> Entry | None:
    """The entry `pk` with its timeline, when `user` may edit it; None otherwise (for optional `?entry=`)."""
    if not user.is_authenticated or pk is None or not pk.isdecimal():
        return None
    editors = Membership.objects.filter(user=user, role__in=Role.at_least(Role.EDITOR)).values("timeline_id")
    return Entry.objects.select_related("timeline").filter(pk=int(pk), timeline_id__in=editors).first()


def attach_citations(entries: list[Entry], citations: list[Citation]) -> list[Entry]:
    """Make `entry.citations.all()` answer from `citations` without a query (as prefetch_related does)."""
    by_entry: dict[int, list[Citation]] = {}
    for citation in citations:
        by_entry.setdefault(citation.entry_id, []).append(citation)
    for entry in entries:
        # Django's own prefetch cache, filled as prefetch_related fills it: no public API takes a list.
        cached = Citation.objects.none()
        cached._result_cache = sorted(by_entry.get(entry.pk, []), key=lambda c: c.pk)
        cached._prefetch_done = True  # type: ignore[attr-defined]
        entry._prefetched_objects_cache = {"citations": cached}  # type: ignore[attr-defined]
    return entries


def entries_as_of(timeline: Timeline, when) -> list[Entry]:
    """The timeline's entries and their citations exactly as they stood at `when`, in date order."""
    return citations_as_of(timeline, entries_then(timeline, when), when)


def as_of_page(timeline: Timeline, when, year: int | None = None) -> tuple[YearPages, list[Entry]]:
    """The timeline as it stood at `when`, one year of it when asked or when it had many entries (as the
    editor page pages them, selectors.year_pages), its latest year first: four queries at any size."""
    entries = entries_then(timeline, when)
    years = sorted({entry.start.year for entry in entries})
    if year is None and len(entries) > YEAR_PAGES_FROM:
        year = years[-1]
    pages = YearPages(years, year)
    shown = entries if year is None else [entry for entry in entries if entry.start.year == year]
    return pages, citations_as_of(timeline, shown, when)


def entries_then(timeline: Timeline, when) -> list[Entry]:
    """The timeline's entries as they stood at `when`, in date order, without their citations: one query."""
    entries = rows_as_of(Entry, when, timeline_id=timeline.pk).as_instances()
    return sorted(entries, key=lambda e: dates.sort_key(e.start, e.precision, e.pk))


def citations_as_of(timeline: Timeline, entries: list[Entry], when) -> list[Entry]:
    """`entries` (of `timeline`, as they stood at `when`) with their citations as they stood then: three queries.

    Each citation with its passage and source (today's: only their details change, and pages of the
    past read those through sources_as_of), and `rating`/`rating_reason` as the timeline rated then.
    """
    if not entries:
        return entries
    ever = Entry.history.filter(timeline_id=timeline.pk).values("id")  # indexed; ids of any moment
    scope = {"entry_id__in": [e.pk for e in entries]} if len(entries) <= YEAR_PAGES_FROM else {"entry_id__in": ever}
    shown = {e.pk for e in entries}
    citations = [c for c in rows_as_of(Citation, when, **scope).as_instances() if c.entry_id in shown]
    # Every passage these entries' citations ever had, by a subquery: a list of ids would be split
    # into batches of 999 on SQLite, one query each.
    cited = Citation.history.filter(**scope).values("passage_id")
    passages = {p.pk: p for p in Passage.objects.select_related("source").defer("source__text").filter(pk__in=cited)}
    ratings = ratings_as_of(timeline.pk, when) if citations else {}
    for citation in citations:
        citation.passage = passages[citation.passage_id]
        citation.rating, citation.rating_reason = ratings.get(citation.passage.source_id, (None, ""))
    return attach_citations(entries, citations)


# -- sharing selectors: what readers with no account may see, published data only --


class LinkMissing(NotFound):
    """No public link or snapshot ever had this token (answered 404 with the public page that says so)."""


class LinkRevoked(NotFound):
    """The token was a public link or snapshot that its owner turned off (answered 410)."""


def shared_timeline(token: str) -> Timeline:
    """The timeline whose public link is `token`; LinkRevoked for an old token, LinkMissing for a guessed one."""
    timeline = Timeline.everything.filter(public_token=token).first() if token else None
    if timeline is not None and timeline.deleted_at is not None:
        raise LinkMissing("No such timeline.")  # hidden while deleted; the link works again if it is restored
    if timeline is None:
        # The history keeps every token a link ever had (indexed), so a turned-off link is told apart.
        if token and Timeline.history.filter(public_token=token).exists():
            raise LinkRevoked("This link was turned off by its owner.")
        raise LinkMissing("No such timeline.")
    return timeline


def listed_timeline(slug: str) -> Timeline:
    """The timeline listed publicly at `slug`; NotFound when it is not listed."""
    timeline = Timeline.objects.filter(slug=slug, listed=True).first()
    if timeline is None:
        raise LinkMissing("No such timeline.")
    return timeline


def shared_snapshot(token: str) -> Snapshot:
    """The snapshot whose link is `token`, with its timeline; LinkRevoked when withdrawn, LinkMissing if guessed."""
    snapshot = Snapshot.objects.select_related("timeline").filter(token=token).first() if token else None
    if snapshot is not None and snapshot.timeline.deleted_at is not None:
        # Hidden with its deleted timeline (and back if it is restored): not there, rather than turned off.
        raise LinkMissing("No such snapshot.")
    if snapshot is None:
        if token and Snapshot.history.filter(token=token).exists():
            raise LinkRevoked("This snapshot was withdrawn by its owner.")
        raise LinkMissing("No such snapshot.")
    return snapshot


def published_entries(timeline: Timeline) -> list[Entry]:
    """The timeline's published entries in date order with citations, passages and sources: two queries."""
    entries = list(Entry.objects.filter(timeline=timeline, status=Status.PUBLISHED).order_by(*dates.entry_order()))
    citations = citations_with_sources().filter(entry__timeline=timeline, entry__status=Status.PUBLISHED)
    return attach_citations(entries, list(citations))


def published_entries_as_of(timeline: Timeline, when) -> list[Entry]:
    """The entries published at `when`, as they stood then; their sources' details and ratings as of then too."""
    entries = [entry for entry in entries_as_of(timeline, when) if entry.status == Status.PUBLISHED]
    passages = {citation.passage for entry in entries for citation in entry.citations.all()}
    sources = sources_as_of({passage.source_id for passage in passages}, when)
    for passage in passages:
        passage.source = sources.get(passage.source_id, passage.source)
    return entries


def sources_as_of(ids: set[int], when) -> dict[int, Source]:
    """The sources `ids` as their details stood at `when`, without their full text: one query.

    Not simple-history's as_of(), which builds each instance from every field and so would fetch the
    deferred text row by row. The text is deferred, not blanked: it never changes, so reading it
    (nothing here does) loads today's, which is then's.
    """
    rows = rows_as_of(Source, when, id__in=ids).defer("text")
    names = [field.attname for field in Source._meta.concrete_fields if field.attname != "text"]
    return {row.id: Source.from_db(row._state.db, names, [getattr(row, name) for name in names]) for row in rows}


def published_citations_of(timeline: Timeline, passage_id: int) -> list[Citation]:
    """The citations of one passage by the timeline's published entries, each with its entry: one query."""
    return list(
        citations_with_sources()
        .select_related("entry")
        .filter(passage_id=passage_id, entry__timeline=timeline, entry__status=Status.PUBLISHED)
        .order_by("entry__start", "entry_id", "id")
    )


def passage_neighbours(passage: Passage, around: int = 2) -> list[Passage]:
    """`passage` with up to `around` citable passages either side of it, in order: one query."""
    found = Passage.objects.filter(
        source_id=passage.source_id, number__range=(passage.number - 4 * around, passage.number + 4 * around)
    ).filter(Q(boilerplate=False) | Q(pk=passage.pk))
    near = sorted(found, key=lambda p: p.number)
    index = next(i for i, p in enumerate(near) if p.pk == passage.pk)
    return near[max(index - around, 0) : index + around + 1]


def published_change(timeline: Timeline) -> tuple[datetime.datetime | None, str]:
    """When anything a public page of `timeline` shows last changed, and a tally of it, in one query.

    Work on drafts is not a change readers can see, and must not show when editors were busy: only
    rows of published entries count, and the row that unpublished one (history sees deletions).
    Times are taken when a row is saved, not when it commits, so a slow save can land behind a newer
    one; the tally (published entries, the sum of their versions, their citations) still moves.
    """

    def latest(history: QuerySet) -> Subquery:
        return Subquery(history.order_by("-history_date").values("history_date")[:1])

    def total(queryset: QuerySet, aggregate) -> Subquery:
        return Subquery(queryset.order_by().values("timeline_id").annotate(n=aggregate).values("n"))

    pk = timeline.pk
    before = Entry.history.filter(id=OuterRef("id"), history_date__lt=OuterRef("history_date"))
    entry_rows = Entry.history.filter(timeline_id=pk).annotate(
        was=Subquery(before.order_by("-history_date", "-history_id").values("status")[:1])
    )
    published_at = latest(entry_rows.filter(status=Status.PUBLISHED))
    # An unpublish is a draft row right after a published one; only those newer than the newest
    # published row can matter, which keeps the per-row lookup to the last few rows.
    unpublished_at = latest(entry_rows.filter(history_date__gt=published_at, was=Status.PUBLISHED))
    published_entries = Entry.objects.filter(timeline_id=pk, status=Status.PUBLISHED)
    published = published_entries.values("id")
    cited_sources = Passage.objects.filter(citations__entry__in=published).values("source_id")
    row = (
        Timeline.objects.filter(pk=pk)
        .values(
            timeline_at=latest(Timeline.history.filter(id=pk)),
            entries_at=Greatest(Coalesce(published_at, unpublished_at), Coalesce(unpublished_at, published_at)),
            citations_at=latest(Citation.history.filter(entry_id__in=published)),
            sources_at=latest(Source.history.filter(id__in=cited_sources)),
            ratings_at=latest(SourceRating.history.filter(timeline_id=pk)),
            published_count=total(published_entries, Count("id")),
            versions_sum=total(published_entries, Sum("version")),
            citations_count=total(
                Citation.objects.filter(entry__in=published).annotate(timeline_id=F("entry__timeline_id")),
                Count("id"),
            ),
        )
        .first()
    )
    if row is None:
        return None, "0-0-0"
    times = [row["timeline_at"], row["entries_at"], row["citations_at"], row["sources_at"], row["ratings_at"]]
    tally = "-".join(str(n or 0) for n in (row["published_count"], row["versions_sum"], row["citations_count"]))
    return max((at for at in times if at is not None), default=None), tally


# -- discussion and "since I looked": members only, never read by a public page or export --


def discussion_of(entry: Entry) -> list[Comment]:
    """The entry's comments, oldest first, with their authors and the members they mention: two queries."""
    return list(
        Comment.objects.filter(entry=entry)
        .select_related("author", "resolved_by")
        .prefetch_related(Prefetch("mentions", queryset=Mention.objects.select_related("user").order_by("id")))
        .order_by("created", "id")
    )


def comment_for(timeline: Timeline, pk: int) -> Comment:
    """A comment on an entry of `timeline` (fetched for the person), with its entry; NotFound otherwise."""
    comment = Comment.objects.select_related("entry__timeline").filter(pk=pk, entry__timeline=timeline).first()
    if comment is None:
        raise NotFound("No such comment.")
    comment.entry.timeline = timeline  # the one that knows the person's role
    return comment


def dashboard_timelines(user: User) -> QuerySet[Timeline]:
    """`timelines_for`, each also with `watching`, `last_opened`, and since then by others: `changes` (to entries
    and citations, counted by change) and `new_comments`. One query, whatever the numbers."""
    watch = Watch.objects.filter(timeline=OuterRef("pk"), user=user)

    def entry_changes(outer=OuterRef):
        # Rows the services marked: bulk loads are no one's change, and one NULL in a NOT IN list would
        # hide every citation change.
        return (
            Entry.history.filter(timeline_id=outer("pk"), history_date__gt=outer("last_opened"))
            .filter(history_change__isnull=False)
            .exclude(history_user=user)
            .order_by()
            .values("history_change")
        )

    def deeper(name: str) -> OuterRef:
        return OuterRef(OuterRef(name))

    since = OuterRef("last_opened")
    entry_ids = Entry.history.filter(timeline_id=deeper("pk")).order_by().values("id")
    citation_changes = (
        Citation.history.filter(entry_id__in=entry_ids, history_date__gt=since, history_change__isnull=False)
        .exclude(history_user=user)
        .exclude(history_change__in=entry_changes(deeper))
        .order_by()
        .values("history_change")
    )
    comments = (
        Comment.objects.filter(entry__timeline=OuterRef("pk"), created__gt=since, deleted__isnull=True)
        .exclude(author=user)
        .order_by()
        .values("pk")
    )
    return (
        timelines_for(user)
        .annotate(
            watching=Coalesce(Subquery(watch.values("watching")[:1]), Value(True), output_field=BooleanField()),
            last_opened=Subquery(watch.values("last_opened")[:1]),
        )
        .annotate(
            changes=CountOf(entry_changes().distinct()) + CountOf(citation_changes.distinct()),
            new_comments=CountOf(comments),
        )
    )


def mentions_of(user: User, limit: int = 20) -> list[Mention]:
    """The newest comments mentioning `user` on timelines they still belong to, with entry and author: one query."""
    mine = Membership.objects.filter(user=user).values("timeline_id")
    return list(
        Mention.objects.filter(user=user, comment__deleted__isnull=True, comment__entry__timeline_id__in=mine)
        .select_related("comment__author", "comment__entry__timeline")
        .order_by("-id")[:limit]
    )


# -- invitations --


def pending_invitations(timeline: Timeline) -> QuerySet[Invitation]:
    """The invitations of `timeline` whose links still work, newest first: one query."""
    return Invitation.objects.pending().filter(timeline=timeline).select_related("invited_by")


def invitations_for(user: User) -> list[Invitation]:
    """Pending invitations to `user`'s address, once they have proved it is theirs (services.email_proven)."""
    if not user.email:
        return []
    proven = Invitation.objects.filter(accepted_by=user, email__iexact=user.email)
    found = (
        Invitation.objects.pending()
        .filter(Exists(proven), email__iexact=user.email)
        .exclude(timeline__memberships__user=user)
        .select_related("timeline", "invited_by")
    )
    return list(found[:20])
