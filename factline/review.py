"""What needs an editor's attention: a small set of pluggable rules, read by the review queue and `verify_citations`.

A rule is a function registered with `@rule(...)`: given a queryset of entries, it returns its findings in
a fixed number of queries, however many entries there are. Each finding names an entry (and, where it
is about one, a citation) and says in words what is wrong. Rules marked `verify=True` are also run by
`manage.py verify_citations` over every timeline.
"""

from __future__ import annotations

import datetime
import re
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import NamedTuple

from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet
from django.db.models.functions import Length, Substr
from django.utils import timezone

from factline import dates
from factline.models import Citation, DateMention, Entry, SourceRating
from factline.models.ratings import Reliability
from factline.models.timelines import Stance, Status

STALE_DRAFT_AGE = datetime.timedelta(days=7)

# What the queue offers to do about a finding: an entry page (its name is the route, reversed with slug and pk).
CITE, SUGGEST, OPEN, EDIT, HISTORY, REVIEW = (
    "entry-cite",
    "entry-suggest",
    "entry-detail",
    "entry-edit",
    "entry-history",
    "entry-review",
)


@dataclass(frozen=True)
class Finding:
    entry_id: int
    detail: str = ""
    citation_id: int | None = None


@dataclass(frozen=True)
class Rule:
    name: str
    title: str
    reason: str
    check: Callable[[QuerySet[Entry]], Iterable[Finding]]
    action: str
    action_label: str
    verify: bool = False
    # A judgement an editor can settle by marking the entry reviewed (until it changes again); integrity
    # failures and waiting approvals stay until they are fixed.
    dismissable: bool = True


RULES: list[Rule] = []


def rule(
    *,
    name: str,
    title: str,
    reason: str,
    action: str,
    action_label: str,
    verify: bool = False,
    dismissable: bool = True,
):
    """Register a check: `check(entries) -> findings`, in a number of queries that does not grow with the entries."""

    def register(check: Callable[[QuerySet[Entry]], Iterable[Finding]]):
        RULES.append(Rule(name, title, reason, check, action, action_label, verify, dismissable))
        return check

    return register


def reliability_of(timeline_id: int | None, source_ids: Iterable[int]) -> dict[int, str]:
    """How the timeline rates each source ("reliable", "mixed", "unreliable"; unrated ones are left out): one query."""
    if timeline_id is None:
        return {}
    rated = SourceRating.objects.filter(timeline_id=timeline_id, source_id__in=set(source_ids))
    return dict(rated.values_list("source_id", "reliability"))


def _supporting(entries: QuerySet[Entry]) -> QuerySet[Citation]:
    return Citation.objects.filter(entry__in=entries.values("pk"), stance=Stance.SUPPORTS)


@rule(
    name="single-source",
    title="Rests on a single source",
    reason="Published, and every supporting citation comes from one source.",
    action=SUGGEST,
    action_label="Suggest sources",
)
def single_source(entries: QuerySet[Entry]) -> Iterable[Finding]:
    sources = Count("citations__passage__source", filter=Q(citations__stance=Stance.SUPPORTS), distinct=True)
    found = entries.filter(status=Status.PUBLISHED).annotate(sources=sources).filter(sources=1)
    return [Finding(pk) for pk in found.values_list("pk", flat=True)]


@rule(
    name="weak-support",
    title="Supported only by sources rated mixed or unreliable",
    reason="Every source that supports it is rated mixed or unreliable on this timeline.",
    action=SUGGEST,
    action_label="Suggest sources",
)
def weak_support(entries: QuerySet[Entry]) -> Iterable[Finding]:
    pairs = list(_supporting(entries).values_list("entry_id", "entry__timeline_id", "passage__source_id").distinct())
    by_timeline: dict[int, set[int]] = defaultdict(set)
    for _, timeline_id, source_id in pairs:
        by_timeline[timeline_id].add(source_id)
    ratings = {t: reliability_of(t, ids) for t, ids in by_timeline.items()}  # one timeline on the queue's page
    rated: dict[int, set[str]] = defaultdict(set)
    for entry_id, timeline_id, source_id in pairs:
        rated[entry_id].add(ratings[timeline_id].get(source_id, ""))
    weak = {Reliability.MIXED, Reliability.UNRELIABLE}
    return [Finding(pk, ", ".join(sorted(r))) for pk, r in sorted(rated.items()) if r <= weak]


@rule(
    name="disputed",
    title="Disputed",
    reason="Some citations support it and others contradict it: settle it, or say so in its body.",
    action=OPEN,
    action_label="Open the entry",
)
def disputed(entries: QuerySet[Entry]) -> Iterable[Finding]:
    supports = Citation.objects.filter(entry=OuterRef("pk"), stance=Stance.SUPPORTS)
    contradicts = Citation.objects.filter(entry=OuterRef("pk"), stance=Stance.CONTRADICTS)
    found = entries.filter(Exists(supports), Exists(contradicts))
    return [Finding(pk) for pk in found.values_list("pk", flat=True)]


@rule(
    name="stale-draft",
    title="Draft for more than a week",
    reason="Still a draft a week after it was written: publish it, or delete it.",
    action=EDIT,
    action_label="Edit",
)
def stale_draft(entries: QuerySet[Entry]) -> Iterable[Finding]:
    found = entries.filter(status=Status.DRAFT, created__lt=timezone.now() - STALE_DRAFT_AGE)
    return [Finding(pk) for pk in found.values_list("pk", flat=True)]


# -- evidence: no entry claims a date, a stance or a source stronger than its citations allow --

RANK = {dates.YEAR: 1, dates.MONTH: 2, dates.DAY: 3}


@dataclass(frozen=True)
class Dated:
    """A date at its precision, as an entry or a date mention has it."""

    value: datetime.date
    precision: str

    def gives(self, other: Dated) -> bool:
        """Whether this date says `other` at `other`'s precision: "16 June 2023" gives June 2023, not the reverse."""
        return (
            RANK[self.precision] >= RANK[other.precision] and dates.truncate(self.value, other.precision) == other.value
        )

    def text(self, approximate: bool = False) -> str:
        return dates.display(self.value, self.precision, approximate)


def _widened(first: datetime.date, last: datetime.date, precision: str) -> tuple[datetime.date, datetime.date]:
    """An approximate period, one unit of its precision either way (as an approximate publication date counts)."""
    days = {dates.YEAR: 366, dates.MONTH: 31, dates.DAY: 1}[precision]
    return first - datetime.timedelta(days=days), last + datetime.timedelta(days=days)


@dataclass(frozen=True)
class Span:
    """The days an entry's date covers, from the first day of its start to the last day of its end."""

    first: datetime.date
    last: datetime.date

    @classmethod
    def of(cls, start, precision, end, end_precision, approximate) -> Span:
        last = dates.last_day(end, end_precision or precision) if end else dates.last_day(start, precision)
        first = start
        if approximate:
            first, last = _widened(first, last, precision)
        return cls(first, last)

    def meets(self, first: datetime.date, last: datetime.date) -> bool:
        return first <= self.last and self.first <= last


ENTRY_DATE = ("pk", "start", "precision", "end", "end_precision", "approximate")


def _supported(entries: QuerySet[Entry]) -> QuerySet[Entry]:
    return entries.filter(Exists(Citation.objects.filter(entry=OuterRef("pk"), stance=Stance.SUPPORTS)))


@rule(
    name="date-beyond-evidence",
    title="Date stronger than its evidence",
    reason=(
        "No date in the passages that support it gives its date at its precision, and it is not marked "
        "approximate with a note saying how the date was worked out."
    ),
    action=EDIT,
    action_label="Edit",
    verify=True,
)
def date_beyond_evidence(entries: QuerySet[Entry]) -> Iterable[Finding]:
    # An entry with no support yet has no evidence to be stronger than (it shows as unsupported).
    noted = Q(approximate=True) & ~Q(date_note="")
    candidates = list(_supported(entries).exclude(noted).values_list(*ENTRY_DATE, "date_note"))
    if not candidates:
        return []
    # Resolved, and resolved for sure: a date worked out from an approximate publication date is the
    # resolver's guess, which an entry may follow only as approximate, with its note.
    mentions = DateMention.objects.filter(
        passage__citations__entry__in=[row[0] for row in candidates],
        passage__citations__stance=Stance.SUPPORTS,
        value__isnull=False,
        approximate=False,
    )
    given: dict[int, set[Dated]] = defaultdict(set)
    for entry_id, value, precision in mentions.values_list("passage__citations__entry_id", "value", "precision"):
        if value is not None:  # filtered out above; this tells the type checker
            given[entry_id].add(Dated(value, precision))
    found = []
    for pk, start, precision, end, end_precision, approximate, date_note in candidates:
        ends = [("its date", Dated(start, precision))]
        if end:
            ends.append(("its end", Dated(end, end_precision or precision)))
        missing = [(label, date) for label, date in ends if not any(m.gives(date) for m in given[pk])]
        if not missing:
            continue
        said = " or ".join(
            f"{'its end, ' if label == 'its end' else ''}{date.text(approximate and label == 'its date')}"
            for label, date in missing
        )
        offered = sorted(given[pk], key=lambda d: (d.value, RANK[d.precision]))
        evidence = "they give " + ", ".join(d.text() for d in offered) if offered else "they give none"
        fix = "say how it was worked out" if approximate else "mark it approximate"
        if not approximate and not date_note:
            fix += " and say how it was worked out"
        found.append(Finding(pk, f"no date in its supporting passages gives {said} ({evidence}); {fix}"))
    return found


_ENTRY_LINK = re.compile(r"#entry-(\d+)\b")


def _linked(body: str) -> set[int]:
    return {int(pk) for pk in _ENTRY_LINK.findall(body)}


@rule(
    name="stance-contradicts-sibling",
    title="Stance contradicts a sibling",
    reason=(
        "The same words support it and contradict another entry that tells the same account (the two share "
        "supporting words, or neither links to the other as a competing account), or a supporting quote is "
        "dated outside its date."
    ),
    action=OPEN,
    action_label="Open the entry",
    verify=True,
)
def stance_contradicts_sibling(entries: QuerySet[Entry]) -> Iterable[Finding]:
    return [*_shared_words_both_ways(entries), *_quotes_dated_elsewhere(entries)]


class Cited(NamedTuple):
    pk: int
    entry_id: int
    timeline_id: int
    passage_id: int
    start: int
    end: int
    stance: str
    quote: str

    def overlaps(self, other: Cited) -> bool:
        """Whether the two quote some of the same words of the same passage."""
        return self.passage_id == other.passage_id and self.start < other.end and other.start < self.end


def _shared_words_both_ways(entries: QuerySet[Entry]) -> list[Finding]:
    cited = Citation.objects.filter(entry__in=entries.values("pk"), stance__in=[Stance.SUPPORTS, Stance.CONTRADICTS])
    rows = [Cited(*row) for row in cited.values_list(*Cited._fields[:2], "entry__timeline_id", *Cited._fields[3:])]
    by_passage: dict[tuple[int, int], list[Cited]] = defaultdict(list)
    supports: dict[int, list[Cited]] = defaultdict(list)
    for row in rows:
        by_passage[row.timeline_id, row.passage_id].append(row)
        if row.stance == Stance.SUPPORTS:
            supports[row.entry_id].append(row)
    pairs = [
        (backs, denies)
        for here in by_passage.values()
        for backs in here
        for denies in here
        if backs.stance == Stance.SUPPORTS
        and denies.stance == Stance.CONTRADICTS
        and backs.entry_id != denies.entry_id
        and backs.overlaps(denies)
    ]
    if not pairs:
        return []
    involved = Entry.objects.filter(pk__in={c.entry_id for pair in pairs for c in pair})
    about = {pk: (headline, _linked(body)) for pk, headline, body in involved.values_list("pk", "headline", "body")}
    # One finding per entry however many siblings it clashes with, so a passage cited by many entries
    # cannot make the queue grow with the square of them.
    clashes: dict[int, list[tuple[Cited, str]]] = defaultdict(list)
    for backs, denies in pairs:
        a, b = backs.entry_id, denies.entry_id
        shared = any(x.overlaps(y) for x in supports[a] for y in supports[b])
        if not shared and (b in about[a][1] or a in about[b][1]):
            continue  # competing accounts, linked as such: the same words back one and deny the other
        why = (
            "both rest on the same supporting words" if shared else "neither links to the other as a competing account"
        )
        words = min(backs.quote, denies.quote, key=len)
        clashes[a].append((backs, f"“{words}” supports it and contradicts “{about[b][0]}”: {why}"))
        clashes[b].append((denies, f"“{words}” contradicts it and supports “{about[a][0]}”: {why}"))
    found = []
    for entry_id, told in sorted(clashes.items()):
        citation, detail = told[0]
        if len(told) > 1:
            detail += f" (and {len(told) - 1} more like it)"
        found.append(Finding(entry_id, detail, citation.pk))
    return found


def _quotes_dated_elsewhere(entries: QuerySet[Entry]) -> list[Finding]:
    # The dates inside each supporting quote (not the rest of its passage), read as the finder resolved them.
    inside = DateMention.objects.filter(
        passage__citations__entry__in=entries.values("pk"),
        passage__citations__stance=Stance.SUPPORTS,
        start__gte=F("passage__citations__start"),
        end__lte=F("passage__citations__end"),
        value__isnull=False,
    ).order_by("passage__citations__id", "start")
    fields = (
        "passage__citations__id",
        "passage__citations__entry_id",
        "text",
        "value",
        "precision",
        "approximate",
        "kind",
    )
    by_citation: dict[tuple[int, int], list[tuple]] = defaultdict(list)
    for citation_id, entry_id, *mention in inside.values_list(*fields):
        by_citation[citation_id, entry_id].append(tuple(mention))
    if not by_citation:
        return []
    spans = {
        pk: Span.of(start, precision, end, end_precision, approximate)
        for pk, start, precision, end, end_precision, approximate in entries.filter(
            pk__in={entry_id for _, entry_id in by_citation}
        ).values_list(*ENTRY_DATE)
    }
    found = []
    for (citation_id, entry_id), mentions in by_citation.items():
        periods = _periods(mentions)
        if not any(spans[entry_id].meets(first, last) for first, last in periods):
            said = ", ".join(
                f"“{text}” ({Dated(value, precision).text(approximate)})"
                for text, value, precision, approximate, _ in mentions
            )
            found.append(
                Finding(entry_id, f"a supporting quote is dated {said}, outside the entry's date", citation_id)
            )
    return found


def _periods(mentions: list[tuple]) -> list[tuple[datetime.date, datetime.date]]:
    """The periods a quote's dates name: a range ("from 2013 to 2024") as one, every other date as itself."""
    periods = []
    pending = None
    for _, value, precision, approximate, kind in mentions:
        first, last = value, dates.last_day(value, precision)
        if approximate:
            first, last = _widened(first, last, precision)
        if kind == "range" and pending is None:
            pending = first
            continue
        periods.append((pending if pending is not None else first, last))
        pending = None
    if pending is not None:
        periods.append((pending, pending))
    return periods


@rule(
    name="single-weak-source",
    title="Single weak source",
    reason="Published, and its only support is one source this timeline rates unreliable or mixed, or has not rated.",
    action=SUGGEST,
    action_label="Suggest sources",
    verify=True,
)
def single_weak_source(entries: QuerySet[Entry]) -> Iterable[Finding]:
    cited = _supporting(entries.filter(status=Status.PUBLISHED))
    pairs = cited.values_list(
        "entry_id", "entry__timeline_id", "passage__source_id", "passage__source__title"
    ).distinct()
    by_entry: dict[int, set[tuple[int, int, str]]] = defaultdict(set)
    for entry_id, timeline_id, source_id, title in pairs:
        by_entry[entry_id].add((timeline_id, source_id, title))
    alone = {entry_id: next(iter(sources)) for entry_id, sources in by_entry.items() if len(sources) == 1}
    if not alone:
        return []
    rated = SourceRating.objects.filter(
        timeline_id__in={t for t, _, _ in alone.values()}, source_id__in={s for _, s, _ in alone.values()}
    )
    ratings = {(t, s): r for t, s, r in rated.values_list("timeline_id", "source_id", "reliability")}
    found = []
    for entry_id, (timeline_id, source_id, title) in sorted(alone.items()):
        rating = ratings.get((timeline_id, source_id))
        if rating != Reliability.RELIABLE:
            judged = f"rated {Reliability(rating).label.lower()}" if rating else "not rated"
            found.append(Finding(entry_id, f"its one source, “{title}”, is {judged} on this timeline"))
    return found


def unverified_citations(citations: QuerySet[Citation]) -> QuerySet[Citation]:
    """Citations whose quote is not at its offsets in its passage, or whose passage is no longer its source's text.

    Compared in the database (SQL counts characters, as Python does), so no text travels for the ones that hold.
    """
    quote_there = Substr("passage__text", F("start") + 1, F("end") - F("start"))
    passage_there = Substr("passage__source__text", F("passage__start") + 1, F("passage__end") - F("passage__start"))
    return citations.annotate(
        at_offsets=quote_there,
        in_source=passage_there,
        quote_length=Length("quote"),
        passage_length=Length("passage__text"),
    ).exclude(
        Q(at_offsets=F("quote"))
        & Q(in_source=F("passage__text"))
        & Q(quote_length=F("end") - F("start"))
        & Q(passage_length=F("passage__end") - F("passage__start"))
        & Q(passage__boilerplate=False)
    )


def why_unverified(citation: Citation) -> str:
    """What is wrong with a citation `unverified_citations` found, in words."""
    passage = citation.passage
    if passage.boilerplate:
        return f"¶{passage.number} is boilerplate ({passage.boilerplate_reason}) and cannot be cited"
    if passage.source.text[passage.start : passage.end] != passage.text:
        return f"¶{passage.number} is no longer its source's text between offsets {passage.start} and {passage.end}"
    return f"the quote is not at offsets {citation.start}–{citation.end} of ¶{passage.number}"


@rule(
    name="unverified",
    title="A citation no longer verifies",
    reason="A quote is not at its place in its passage, or the passage changed.",
    action=OPEN,
    action_label="Open the entry",
    verify=True,
    dismissable=False,
)
def unverified(entries: QuerySet[Entry]) -> Iterable[Finding]:
    citations = unverified_citations(Citation.objects.filter(entry__in=entries.values("pk")))
    found = citations.select_related("passage__source").order_by("entry_id", "id")
    return [Finding(c.entry_id, why_unverified(c), c.pk) for c in found]


@rule(
    name="changed-since-review",
    title="Changed since it was last reviewed",
    reason="Edited, or its citations changed, after someone marked it reviewed.",
    action=HISTORY,
    action_label="See what changed",
    dismissable=False,
)
def changed_since_review(entries: QuerySet[Entry]) -> Iterable[Finding]:
    cited_since = Citation.history.filter(entry_id=OuterRef("pk"), history_date__gt=OuterRef("reviewed_at"))
    found = entries.filter(reviewed_at__isnull=False).filter(Q(version__gt=F("reviewed_version")) | Exists(cited_since))
    return [Finding(pk) for pk in found.values_list("pk", flat=True)]


@rule(
    name="awaiting-review",
    title="Waiting for approval",
    reason="An editor asked for it to be published; another editor approves it or sends it back.",
    action=REVIEW,
    action_label="Review",
    dismissable=False,
)
def awaiting_review(entries: QuerySet[Entry]) -> Iterable[Finding]:
    found = entries.filter(status=Status.DRAFT, review_requested_at__isnull=False)
    return [
        Finding(pk, f"asked by {who or 'someone'}")
        for pk, who in found.values_list("pk", "review_requested_by__username")
    ]


# -- the queue --


@dataclass
class Item:
    """One entry of the queue with every reason it is there."""

    entry: Entry
    reasons: list[tuple[Rule, Finding]] = field(default_factory=list)


def queue(entries: QuerySet[Entry], rules: Iterable[Rule] | None = None) -> list[Item]:
    """The entries some rule finds, in date order, each with its reasons: a query or two per rule, one for entries.

    An entry marked reviewed since it last changed keeps only the reasons a review cannot settle.
    """
    found: dict[int, list[tuple[Rule, Finding]]] = defaultdict(list)
    for each in rules if rules is not None else RULES:
        for finding in each.check(entries):
            found[finding.entry_id].append((each, finding))
    if not found:
        return []
    changed = {pk for pk, reasons in found.items() for each, _ in reasons if each.name == "changed-since-review"}
    listed = entries.filter(pk__in=list(found)).select_related("reviewed_by").order_by(*dates.entry_order())
    items = []
    for entry in listed:
        reasons = found[entry.pk]
        if entry.reviewed_at is not None and entry.pk not in changed:
            reasons = [(each, finding) for each, finding in reasons if not each.dismissable]
        if reasons:
            items.append(Item(entry, reasons))
    return items


def verify(entries: QuerySet[Entry] | None = None, names: Iterable[str] | None = None) -> list[tuple[Rule, Finding]]:
    """What the `verify=True` rules (or those named) find over `entries` (every entry by default).

    As in the queue, a judgement an editor settled by marking the entry reviewed, since when it has not
    changed, is not a failure; a citation that no longer verifies always is.
    """
    entries = entries if entries is not None else Entry.objects.all()
    wanted = set(names) if names is not None else None
    chosen = [each for each in RULES if (each.name in wanted if wanted is not None else each.verify)]
    found = [(each, finding) for each in chosen for finding in each.check(entries)]
    if any(each.dismissable for each, _ in found):
        changed = {finding.entry_id for finding in changed_since_review(entries)}
        settled = set(entries.filter(reviewed_at__isnull=False).values_list("pk", flat=True)) - changed
        found = [(each, finding) for each, finding in found if not (each.dismissable and finding.entry_id in settled)]
    return found
